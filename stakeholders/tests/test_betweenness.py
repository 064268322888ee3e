"""Betweenness is the network page's and the monthly snapshots' measure of a broker: it must be
networkx's own figure where it is computed exactly, and stay bounded in cost on a large network."""

import math

import networkx as nx

from stakeholders import network
from stakeholders.network import betweenness_of as betweenness_of_actors


def betweenness_of(graph: nx.Graph) -> dict[int, float]:
    return betweenness_of_actors(graph.nodes, graph.edges)


def test_it_is_networkx_s_figure_with_actors_without_ties_left_out_of_the_search():
    for seed in range(4):
        graph = nx.gnm_random_graph(300, 280, seed=seed)
        graph.add_nodes_from(range(300, 340))  # actors without ties count in the normalisation
        ours, theirs = betweenness_of(graph), nx.betweenness_centrality(graph)
        assert ours.keys() == theirs.keys()
        assert all(math.isclose(ours[pk], theirs[pk], abs_tol=1e-12) for pk in ours)


def test_tiny_networks_have_no_brokers():
    assert betweenness_of(nx.path_graph(2)) == {0: 0.0, 1: 0.0}
    graph = nx.Graph()
    graph.add_nodes_from(range(5))
    graph.add_edge(0, 1)
    assert set(betweenness_of(graph).values()) == {0.0}


def test_a_large_network_is_estimated_from_a_sample_the_same_way_each_time(monkeypatch):
    monkeypatch.setattr(network, "EXACT_BETWEENNESS_ACTORS", 100)
    monkeypatch.setattr(network, "SAMPLED_SOURCES", 60)
    graph = nx.barabasi_albert_graph(400, 2, seed=1)
    first, again = betweenness_of(graph), betweenness_of(graph)
    assert first == again
    exact = nx.betweenness_centrality(graph)
    # The hubs stay the hubs: the five most central actors by the estimate are among the exact top ten.
    top_estimated = sorted(first, key=first.get, reverse=True)[:5]
    top_exact = set(sorted(exact, key=exact.get, reverse=True)[:10])
    assert set(top_estimated) <= top_exact
