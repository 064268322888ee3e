"""The public home at `/`, the about page, and the public navigation every public page shares."""

import re

import pytest
from django.urls import reverse

from accounts.views import home_url
from coalitions.models import Coalition, Initiative, Outcome

pytestmark = pytest.mark.django_db

#: Public pages of the website and of the Governance Explorers network.
PUBLIC_PAGES = [
    ("website:home", {}),
    ("website:about", {}),
    ("website:country_work", {"code": "co"}),
    ("explorers_network:join", {}),
    ("explorers_network:join_thanks", {}),
    ("explorers_network:contact", {}),
    ("explorers_network:contact_thanks", {}),
]


def test_an_anonymous_visitor_finds_what_the_program_does_its_countries_contact_and_joining(client, world):
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Local Coalitions for Local Solutions" in content
    assert "What we do" in content
    for path in ("/about/", "/work/co/", "/work/pe/", "/work/ph/", "/contact/", "/network/join/"):
        assert f'href="{path}"' in content
    assert "Energy Communities" in content and "mining revenue" in content and "entry points" in content


def test_staff_are_sent_on_to_the_dashboard(staff_client):
    response = staff_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("coalitions:dashboard") == "/dashboard/"


def test_a_partner_is_sent_on_to_their_own_landing_page(partner_client, world):
    response = partner_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == home_url(world.partner_co)


def test_the_home_shows_published_outcomes_of_public_coalitions_only(client, world):
    Initiative.objects.filter(pk=world.co_initiative.pk).update(is_public=True)
    Coalition.objects.filter(pk=world.co_coalition.pk).update(is_public=True)
    Outcome.objects.filter(pk=world.co_outcome.pk).update(is_public=True)
    Outcome.objects.filter(pk=world.pe_outcome.pk).update(is_public=True)  # its coalition is not public
    content = client.get("/").content.decode()
    assert "Mayor funds solar" in content
    assert "Budget published" not in content


def test_the_home_in_spanish(client, world):
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    content = client.get("/").content.decode()
    assert '<html lang="es">' in content
    assert "Coaliciones locales para soluciones locales" in content
    assert "Únete a los Governance Explorers" in content
    assert "Filipinas" in content and "Perú" in content
    assert "Our work" not in content


def test_the_about_page_says_how_the_program_works(client, world):
    content = client.get(reverse("website:about")).content.decode()
    assert "How we work" in content
    assert "The Asia Foundation" in content


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES, ids=[name for name, _kwargs in PUBLIC_PAGES])
def test_every_public_page_has_the_public_navigation_and_no_inline_script_or_style(client, world, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    html = client.get(url).content.decode()
    assert 'class="main-nav public-nav"' in html
    if not name.endswith("_thanks"):  # the navigation links every page but the thank-you pages
        assert f'href="{url}" aria-current="page"' in html
    assert f'href="{reverse("login")}"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html
    assert " style=" not in html


@pytest.mark.parametrize("extra", [1, 5])
def test_the_home_runs_a_constant_number_of_queries(client, world, extra, django_assert_num_queries):
    for number in range(extra):
        initiative = Initiative.objects.create(
            country=world.pe, level="national", name=f"I{number}", shared_objective="x", is_public=True
        )
        coalition = Coalition.objects.create(
            initiative=initiative, name=f"C{number}", level="local", shared_goal="y", is_public=True
        )
        Outcome.objects.create(coalition=coalition, description=f"O{number}", observed_on="2026-01-15", is_public=True)
    # The navigation's countries, the countries with their public coalitions counted, the outcomes.
    with django_assert_num_queries(3):
        assert client.get("/").status_code == 200
