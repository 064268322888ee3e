"""The stakeholder pickers whose model allows only some rows offer only those, with and without JavaScript.

The rules are the models' (`Assessment.clean`, `Initiative.clean`, `Stakeholder.clean` and its
constraint, `EntryPoint.clean`; `test_invalid_writes` tries each through every path); the pickers
offer the rows the rule allows among the user's visible ones, through the one search endpoint.
"""

import html
import re
from urllib.parse import parse_qsl

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from coalitions.models import Initiative
from core.pickers import limited
from core.validation import full_clean
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db

#: A word of each of the world's stakeholders: searched one by one, they find every row the picker may offer
#: (a search needs every word it is given, and a one-letter word must start one of the name's words).
EVERYONE = ("alcaldia", "fundacion", "asociacion", "minera", "ana")


def in_list_order(rows) -> list:
    return sorted(set(rows), key=lambda row: (row.name, row.pk))


def person(world, country) -> Stakeholder:
    return Stakeholder.objects.create(
        country=country, name="Ana Epiayú", kind="person", sector="community", level="local"
    )


def search_url(page: str, field: str) -> str:
    """The search address of the field's picker, as the page gives it to HTMX."""
    found = re.search(rf'id="{field}-q" name="{field}_q"[^>]* hx-get="([^"]+)"', page)
    assert found, f"no picker for {field}"
    return html.unescape(found.group(1))


def offered(client, page_url: str, field: str, query: str | None = None, **form_values) -> list:
    """The rows the field's picker offers for a search (HTMX), with the form's other fields as the page sends them;
    without a search, every row it offers for one of the words of EVERYONE, in the list's order."""
    if query is None:
        return in_list_order(row for word in EVERYONE for row in offered(client, page_url, field, word, **form_values))
    path, _sep, params = search_url(client.get(page_url).content.decode(), field).partition("?")
    data = {**dict(parse_qsl(params)), f"{field}_q": query, **form_values}
    response = client.get(path, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return [row for row, checked in response.context["picker"]["options"] if not checked]


def offered_without_javascript(client, page_url: str, field: str, data: dict) -> list:
    """The rows the page offers (not chosen) after the no-JavaScript Search button, for each word of EVERYONE."""
    ids = set()
    for word in EVERYONE:
        response = client.post(page_url, {**data, f"{field}_q": word, "_picker_search": field})
        assert response.status_code == 200
        ids |= {int(pk) for pk in re.findall(rf'name="{field}" value="(\d+)">', response.content.decode())}
    return in_list_order(Stakeholder.objects.filter(pk__in=ids))


# --- The assessment's stakeholder: actors of the initiative's country -------------------------


def test_assessment_picker_offers_only_actors_of_the_initiatives_country(staff_client, world):
    url = reverse("coalitions:assessment_create", kwargs={"pk": world.co_initiative.pk})
    assert offered(staff_client, url, "stakeholder") == [world.co_mayor, world.co_org]
    data = {"assessed_on": "2026-03-10", "power": 3, "interest": 3, "capabilities": 3, "stance": 0}
    assert offered_without_javascript(staff_client, url, "stakeholder", data) == [world.co_mayor, world.co_org]


def test_assessment_of_an_actor_of_another_country_is_refused_on_the_page(staff_client, world):
    url = reverse("coalitions:assessment_create", kwargs={"pk": world.co_initiative.pk})
    data = {"stakeholder": world.pe_org.pk, "assessed_on": "2026-03-10", "power": 3, "interest": 3}
    errors = staff_client.post(url, {**data, "capabilities": 3, "stance": 0}).context["form"].errors
    assert errors["stakeholder"] == ["Only actors of the initiative's country can be assessed in it."]


# --- The initiative's lead: an actor of the initiative's country ------------------------------


def initiative_data(world, **extra) -> dict:
    return {
        "name": "Transición justa",
        "country": world.co.pk,
        "level": "national",
        "phase": "exploring",
        "shared_objective": "A fair transition",
        **extra,
    }


def test_lead_picker_follows_the_country_chosen_in_the_form(admin_client, world):
    url = reverse("coalitions:initiative_create")
    page = admin_client.get(url).content.decode()
    assert "change from:[name=&#x27;country&#x27;]" in page
    assert offered(admin_client, url, "lead", country=world.pe.pk) == [world.pe_org, world.pe_company]
    assert offered(admin_client, url, "lead", country=world.co.pk) == [world.co_mayor, world.co_org]
    assert offered(admin_client, url, "lead", country="") == []  # no country yet: nobody can lead it
    data = initiative_data(world, country=world.pe.pk)
    assert offered_without_javascript(admin_client, url, "lead", data) == [world.pe_org, world.pe_company]


def test_lead_picker_of_an_initiative_starts_from_its_country(staff_client, world):
    url = reverse("coalitions:initiative_update", kwargs={"pk": world.co_initiative.pk})
    form = staff_client.get(url).context["form"]
    assert form.fields["lead"].widget.followed_values == {"country": world.co.pk}


def test_a_lead_of_another_country_is_refused_by_page_api_and_model(staff_client, world):
    response = staff_client.post(reverse("coalitions:initiative_create"), initiative_data(world, lead=world.pe_org.pk))
    assert response.context["form"].errors["lead"] == ["The lead must be an actor of the initiative's country."]
    api = APIClient()
    api.force_authenticate(world.staff_co)
    body = {**initiative_data(world), "lead": world.pe_org.pk}
    answer = api.post(reverse("api:initiative-list"), body, format="json")
    assert answer.status_code == 400, answer.content
    assert answer.json()["errors"]["lead"] == ["The lead must be an actor of the initiative's country."]
    initiative = Initiative(**{**initiative_data(world, country=world.co), "lead": world.pe_org})
    with pytest.raises(ValidationError, match="The lead must be an actor"):
        full_clean(initiative)
    assert not Initiative.objects.filter(name="Transición justa").exists()
    response = staff_client.post(reverse("coalitions:initiative_create"), initiative_data(world, lead=world.co_org.pk))
    assert Initiative.objects.get(name="Transición justa").lead == world.co_org


# --- The stakeholder's organisation: an organisation, not itself ------------------------------


def test_organisation_picker_offers_only_other_organisations(staff_client, world):
    ana = person(world, world.co)
    url = reverse("stakeholders:stakeholder_edit", kwargs={"pk": world.co_org.pk})
    rows = offered(staff_client, url, "organisation")
    assert world.co_org not in rows and ana not in rows
    assert set(rows) == {world.co_mayor, world.pe_org, world.pe_company}
    created = offered(staff_client, reverse("stakeholders:stakeholder_create"), "organisation")
    assert set(created) == {world.co_org, world.co_mayor, world.pe_org, world.pe_company}


def test_a_person_as_organisation_is_refused_on_the_page(staff_client, world):
    ana = person(world, world.co)
    url = reverse("stakeholders:stakeholder_edit", kwargs={"pk": world.co_mayor.pk})
    data = {"name": "Alcaldía de Uribia", "kind": "organisation", "sector": "subnational_government"}
    data |= {"level": "local", "country": world.co.pk, "organisation": ana.pk}
    errors = staff_client.post(url, data).context["form"].errors
    assert errors["organisation"] == ["The organisation must be an organisation, not a person or an informal group."]


# --- The entry point's actors: actors of its country ------------------------------------------


def test_entry_point_picker_offers_only_actors_of_its_country(staff_client, world):
    url = reverse("planning:entrypoint_create", kwargs={"code": "CO"})
    assert offered(staff_client, url, "stakeholders") == [world.co_mayor, world.co_org]


# --- The limit itself -------------------------------------------------------------------------


def test_a_limit_reads_only_the_rows_own_columns(world):
    rows = Stakeholder.objects.all()
    assert list(limited(rows, {"country": [str(world.pe.pk)]})) == [world.pe_org, world.pe_company]
    assert list(limited(rows, {"country": ["not an id"]})) == []
    assert list(limited(rows, {"contacts__email": ["ana@example.org"]})) == []  # another table: nothing
    assert list(limited(rows, {"country": None})) == []
    assert world.pe_org not in limited(rows, {"country": [world.pe.pk], "exclude": [str(world.pe_org.pk)]})


def test_a_limited_search_still_hides_what_the_user_may_not_see(partner_client, world):
    url = reverse("core:picker", kwargs={"model": "stakeholders.stakeholder"})
    params = {"name": "lead", "multiple": 0, "limit": "country", "limit_country": world.pe.pk, "lead_q": "m"}
    response = partner_client.get(url, params)
    assert response.status_code == 200  # partners search too (the portal's forms), only among their rows
    partner = response.wsgi_request.user
    visible = Stakeholder.objects.visible_to(partner)
    for stakeholder in Stakeholder.objects.filter(country=world.pe):  # each has a word starting with "m"
        assert (stakeholder.name in response.content.decode()) == visible.filter(pk=stakeholder.pk).exists()
