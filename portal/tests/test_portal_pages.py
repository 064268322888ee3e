"""The portal's pages are built the one way (includes/form.html, includes/pagination.html), light, and in Spanish."""

import datetime

import pytest
from django.core.paginator import Page
from django.forms import BaseForm
from django.urls import reverse

from coalitions.models import Coalition, Commitment, Membership
from stakeholders.models import Stakeholder

from .test_portal_permission_matrix import MATRIX, portal_pages


def portal_urls(world) -> list[str]:
    return [reverse(f"portal:{name}", kwargs=rows[0][0](world)) for name, rows in MATRIX.items()]


def test_every_portal_form_and_list_renders_through_the_shared_includes(partner_client, world):
    pages = portal_urls(world)
    assert len(pages) == len(portal_pages())
    for url in pages:
        response = partner_client.get(url)
        assert response.status_code == 200, url
        rendered = {template.name for template in response.templates}
        values = [value for layer in response.context for values in layer.dicts for value in values.values()]
        if any(isinstance(value, BaseForm) for value in values) or any(hasattr(value, "qs") for value in values):
            assert "includes/form.html" in rendered, url
        if any(isinstance(value, Page) for value in values):
            assert "includes/pagination.html" in rendered, url


def test_the_portal_pages_need_no_javascript_of_their_own_and_stay_light(partner_client, world):
    for url in portal_urls(world):
        html = partner_client.get(url).content.decode()
        assert html.count("<script") == 2, url  # the site's two deferred files (htmx, site.js), nothing of the page's
        assert len(html.encode()) < 40_000, url


def test_the_portal_speaks_spanish(partner_client, world):
    partner_client.post(reverse("set_language"), {"language": "es", "next": "/portal/"})
    html = partner_client.get(reverse("portal:coalition_detail", kwargs={"pk": world.co_coalition.pk})).content.decode()
    assert '<html lang="es">' in html
    assert "Plan de acción" in html and "Registrar un encuentro" in html and "Sus compromisos" in html


@pytest.mark.parametrize("status", ["planned", "done"])
def test_the_commitments_page_filters_with_the_apis_filterset(partner_client, world, status):
    Commitment.objects.create(coalition=world.co_coalition, owner=world.co_org, description="Second", status="done")
    response = partner_client.get(reverse("portal:commitment_list"), {"status": status})
    statuses = {commitment.status for commitment in response.context["page"].object_list}
    assert statuses == {status}


def test_a_partner_sees_the_portal_in_its_navigation_and_staff_do_not(partner_client, staff_client):
    assert 'href="/portal/"' in partner_client.get(reverse("accounts:token_list")).content.decode()
    assert 'href="/portal/"' not in staff_client.get(reverse("accounts:token_list")).content.decode()


def test_a_staff_only_page_points_a_partner_to_the_portal(partner_client):
    response = partner_client.get(reverse("stakeholders:stakeholder_list"))
    assert response.status_code == 403
    assert 'href="/portal/"' in response.content.decode()


def _member_rows(client, world, **headers) -> str:
    html = client.get(reverse("portal:coalition_detail", kwargs={"pk": world.co_coalition.pk}), headers=headers)
    return html.content.decode().split('<section id="members"')[1].split("</section>")[0]


def test_the_kept_members_of_a_coalition_page_follow_every_change_and_each_language(partner_client, world, settings):
    first = _member_rows(partner_client, world)
    assert world.co_mayor.name in first and "Member" in first
    assert _member_rows(partner_client, world) == first  # kept
    assert "Miembro" in _member_rows(partner_client, world, accept_language="es")
    # A renamed member, a changed role, a new member and a member's leaving show at once.
    Stakeholder.objects.filter(pk=world.co_mayor.pk).update(name="Alcaldía renombrada")
    Membership.objects.filter(stakeholder=world.co_org).update(role="facilitator")
    joining = Stakeholder.objects.create(country=world.co, name="Red Solar", sector="community", level="local")
    Membership.objects.create(coalition=world.co_coalition, stakeholder=joining, joined_on=datetime.date(2026, 2, 1))
    changed = _member_rows(partner_client, world)
    assert "Alcaldía renombrada" in changed and "Facilitator" in changed and "Red Solar" in changed
    Membership.objects.filter(stakeholder=joining).update(left_on=datetime.date(2026, 3, 1))
    assert "Red Solar" not in _member_rows(partner_client, world)
    # And what the cache gave is what a rendering without it gives.
    kept = _member_rows(partner_client, world)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert _member_rows(partner_client, world) == kept


def test_the_kept_coalition_of_a_page_follows_its_changes_and_stays_out_of_sight_of_others(
    partner_client, other_partner_client, world
):
    url = reverse("portal:coalition_detail", kwargs={"pk": world.co_coalition.pk})
    assert "Solar for Uribia" in partner_client.get(url).content.decode()
    Coalition.objects.filter(pk=world.co_coalition.pk).update(shared_goal="Wind for Uribia", status="dormant")
    html = partner_client.get(url).content.decode()
    assert "Wind for Uribia" in html and "Dormant" in html
    # What one partner's page kept is no key to another's: out of their sight, a 404 as before.
    assert other_partner_client.get(url).status_code == 404
    # Once its organisation leaves the coalition, the partner loses sight of it at once.
    Membership.objects.filter(coalition=world.co_coalition, stakeholder=world.co_org).update(
        left_on=datetime.date(2026, 3, 1)
    )
    assert partner_client.get(url).status_code == 404
