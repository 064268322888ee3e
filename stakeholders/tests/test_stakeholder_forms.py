"""Creating and editing stakeholders, contacts and relationships: only within one's country teams."""

import pytest

from stakeholders.models import Contact, Relationship, Stakeholder


def stakeholder_data(world, **overrides):
    data = {
        "name": "Cooperativa Solar Wayuu",
        "acronym": "CSW",
        "kind": "organisation",
        "sector": "community",
        "level": "local",
        "country": world.co.pk,
        "regions": [world.guajira.pk],
        "website": "coop.example.org",
        "description": "",
        "organisation": "",
    }
    data.update(overrides)
    return data


def edit_urls(world):
    contact = world.co_contact
    relationship = Relationship.objects.create(source=world.co_mayor, target=world.co_org, kind="alliance")
    return [
        f"/stakeholders/{world.co_mayor.pk}/edit/",
        f"/stakeholders/{world.co_mayor.pk}/contacts/new/",
        f"/stakeholders/{world.co_mayor.pk}/relationships/new/",
        f"/contacts/{contact.pk}/edit/",
        f"/relationships/{relationship.pk}/edit/",
    ]


def test_anonymous_is_sent_to_login_from_every_form(client, world):
    for url in [*edit_urls(world), "/stakeholders/new/"]:
        assert client.get(url)["Location"].startswith("/accounts/login/"), url


def test_staff_of_another_country_get_403_on_every_edit_page(other_staff_client, world):
    for url in edit_urls(world):
        assert other_staff_client.get(url).status_code == 403, url
        assert other_staff_client.post(url, {"name": "Hijacked"}).status_code == 403, url
    world.co_mayor.refresh_from_db()
    assert world.co_mayor.name == "Alcaldía de Uribia"


def test_staff_of_another_country_cannot_delete(other_staff_client, world):
    relationship = Relationship.objects.create(source=world.co_mayor, target=world.co_org, kind="alliance")
    # A destructive action out of the edit scope is a 404, like a missing row.
    assert other_staff_client.post(f"/personal-data/contact/{world.co_contact.pk}/erase/").status_code == 404
    assert other_staff_client.post(f"/relationships/{relationship.pk}/delete/").status_code == 404
    assert Contact.objects.filter(pk=world.co_contact.pk).exists()
    assert Relationship.objects.filter(pk=relationship.pk).exists()


def test_create_form_offers_only_team_countries(staff_client, world):
    form = staff_client.get("/stakeholders/new/").context["form"]
    assert list(form.fields["country"].queryset) == [world.co]


def test_staff_create_a_stakeholder_in_their_country(staff_client, world):
    response = staff_client.post("/stakeholders/new/", stakeholder_data(world))
    stakeholder = Stakeholder.objects.get(name="Cooperativa Solar Wayuu")
    assert response["Location"] == stakeholder.get_absolute_url()
    assert list(stakeholder.regions.all()) == [world.guajira]
    assert stakeholder.website == "https://coop.example.org"


def test_staff_cannot_create_in_another_country(staff_client, world):
    response = staff_client.post("/stakeholders/new/", stakeholder_data(world, country=world.pe.pk, regions=[]))
    assert response.status_code == 400
    assert "country" in response.context["form"].errors
    assert not Stakeholder.objects.filter(name="Cooperativa Solar Wayuu").exists()


def test_regions_must_be_in_the_chosen_country(admin_client, world):
    response = admin_client.post("/stakeholders/new/", stakeholder_data(world, regions=[world.moquegua.pk]))
    assert response.status_code == 400
    assert "regions" in response.context["form"].errors


def test_missing_fields_show_inline_errors(staff_client, world):
    response = staff_client.post("/stakeholders/new/", {"name": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="errorlist"' in html and "has-error" in html


def test_staff_edit_their_stakeholder(staff_client, world):
    data = stakeholder_data(world, name="Alcaldía Municipal de Uribia", sector="subnational_government")
    response = staff_client.post(f"/stakeholders/{world.co_mayor.pk}/edit/", data)
    assert response.status_code == 302
    world.co_mayor.refresh_from_db()
    assert world.co_mayor.name == "Alcaldía Municipal de Uribia"


def test_partner_cannot_open_forms(partner_client, world):
    assert partner_client.get("/stakeholders/new/").status_code == 403


def test_staff_without_team_cannot_create(client, world, django_user_model):
    nobody = django_user_model.objects.create_user(username="floating", role="staff")
    client.force_login(nobody)
    assert client.get("/stakeholders/new/").status_code == 403


def test_contact_consent_needs_a_source(staff_client, world):
    url = f"/stakeholders/{world.co_mayor.pk}/contacts/new/"
    data = {"name": "Rosa", "preferred_language": "es", "consent_given_at": "2026-01-10T10:00"}
    response = staff_client.post(url, data)
    assert response.status_code == 400
    assert "Say how consent was given." in response.content.decode()
    data["consent_source"] = "Signed form"
    assert staff_client.post(url, data).status_code == 302
    assert world.co_mayor.contacts.filter(name="Rosa").exists()


def test_contact_edit_and_delete(staff_client, world):
    url = f"/contacts/{world.co_contact.pk}/edit/"
    response = staff_client.post(url, {"name": "Ana María Pérez", "preferred_language": "es"})
    assert response.status_code == 302
    world.co_contact.refresh_from_db()
    assert world.co_contact.name == "Ana María Pérez"
    # Removing a contact person erases them (their history scrubbed); the page asks first.
    assert staff_client.get(f"/personal-data/contact/{world.co_contact.pk}/erase/").status_code == 200
    assert Contact.objects.filter(pk=world.co_contact.pk).exists()
    staff_client.post(f"/personal-data/contact/{world.co_contact.pk}/erase/")
    assert not Contact.objects.filter(pk=world.co_contact.pk).exists()


def test_relationship_to_another_country_is_allowed_and_duplicates_are_refused(staff_client, world):
    url = f"/stakeholders/{world.co_mayor.pk}/relationships/new/"
    data = {"target": world.pe_company.pk, "kind": "influence", "strength": 3, "since": "", "notes": ""}
    assert staff_client.post(url, data).status_code == 302
    response = staff_client.post(url, data)
    assert response.status_code == 400
    assert "This relationship already exists." in response.content.decode()
    assert Relationship.objects.filter(source=world.co_mayor).count() == 1


def test_relationship_to_itself_is_refused_by_the_model(staff_client, world):
    url = f"/stakeholders/{world.co_mayor.pk}/relationships/new/"
    html = staff_client.get(url).content.decode()
    assert 'name="target" value="' not in html  # the picker lists nobody until searched
    response = staff_client.post(url, {"target": world.co_mayor.pk, "kind": "alliance", "strength": 2})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["A stakeholder cannot have a relationship with itself."]


@pytest.mark.parametrize("strength", ["0", "4", "x"])
def test_relationship_strength_is_validated(staff_client, world, strength):
    url = f"/stakeholders/{world.co_mayor.pk}/relationships/new/"
    response = staff_client.post(url, {"target": world.co_org.pk, "kind": "alliance", "strength": strength})
    assert response.status_code == 400
    assert not Relationship.objects.exists()


def test_relationship_edit_and_delete(staff_client, world):
    relationship = Relationship.objects.create(source=world.co_mayor, target=world.co_org, kind="alliance")
    data = {"target": world.co_org.pk, "kind": "conflict", "strength": 1}
    assert staff_client.post(f"/relationships/{relationship.pk}/edit/", data).status_code == 302
    relationship.refresh_from_db()
    assert relationship.kind == "conflict"
    assert staff_client.get(f"/relationships/{relationship.pk}/delete/").status_code == 200
    assert Relationship.objects.exists()
    staff_client.post(f"/relationships/{relationship.pk}/delete/")
    assert not Relationship.objects.exists()
