"""Who may open which coalitions page: anonymous users sign in, staff of another country read but may not change."""

import pytest
from django.urls import reverse

from coalitions.models import LearningNote

pytestmark = pytest.mark.django_db


def _url(name: str, world, arg: str | None = None) -> str:
    if arg is None:
        return reverse(f"coalitions:{name}")
    return reverse(f"coalitions:{name}", kwargs={"pk": getattr(world, arg).pk})


#: Pages anyone signed in may read (name, attribute of `world` for the pk).
READ_PAGES = [
    ("dashboard", None),
    ("initiative_list", None),
    ("initiative_detail", "co_initiative"),
    ("coalition_list", None),
    ("coalition_detail", "co_coalition"),
    ("engagement_detail", "co_engagement"),
    ("learningnote_detail", "co_note"),
    ("commitment_detail", "co_commitment"),
    ("outcome_detail", "co_outcome"),
]

#: Pages that change a Colombian record: staff-co may, staff-pe may not.
EDIT_PAGES = [
    ("initiative_update", "co_initiative"),
    ("assessment_create", "co_initiative"),
    ("coalition_update", "co_coalition"),
    ("membership_create", "co_coalition"),
    ("commitment_create", "co_coalition"),
    ("outcome_create", "co_coalition"),
    ("commitment_update", "co_commitment"),
    ("outcome_update", "co_outcome"),
    ("engagement_update", "co_engagement"),
    ("membership_end", "co_membership"),
    ("learningnote_update", "co_note"),
]

#: Create pages without a parent in the URL: staff may open them, partners may not.
CREATE_PAGES = [
    ("initiative_create", None),
    ("coalition_create", None),
    ("engagement_create", None),
    ("learningnote_create", None),
]


@pytest.fixture
def co_membership_world(world):
    world.co_membership = world.co_coalition.memberships.first()
    world.co_note = LearningNote.objects.create(coalition=world.co_coalition, title="Listen first", body="b")
    return world


@pytest.mark.parametrize(("name", "arg"), READ_PAGES + EDIT_PAGES + CREATE_PAGES)
def test_anonymous_users_are_sent_to_the_login_page(client, co_membership_world, name, arg):
    url = _url(name, co_membership_world, arg)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "arg"), READ_PAGES)
def test_staff_of_another_country_can_read(other_staff_client, co_membership_world, name, arg):
    assert other_staff_client.get(_url(name, co_membership_world, arg)).status_code == 200


@pytest.mark.parametrize(("name", "arg"), EDIT_PAGES)
def test_staff_of_the_country_can_open_edit_pages(staff_client, co_membership_world, name, arg):
    assert staff_client.get(_url(name, co_membership_world, arg)).status_code == 200


@pytest.mark.parametrize(("name", "arg"), EDIT_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_of_another_country_may_not_edit(other_staff_client, co_membership_world, name, arg, method):
    response = getattr(other_staff_client, method)(_url(name, co_membership_world, arg))
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "arg"), READ_PAGES + EDIT_PAGES + CREATE_PAGES)
def test_partners_are_pointed_to_the_api(partner_client, co_membership_world, name, arg):
    """Partners work through the API; these pages show what staff may read, even of the partner's own coalition."""
    response = partner_client.get(_url(name, co_membership_world, arg))
    assert response.status_code == 403
    assert co_membership_world.co_mayor.name.encode() not in response.content


@pytest.mark.parametrize(("name", "arg"), CREATE_PAGES)
def test_staff_can_open_create_pages(staff_client, world, name, arg):
    assert staff_client.get(_url(name, world, arg)).status_code == 200


def test_missing_records_are_404(staff_client, world):
    assert staff_client.get(reverse("coalitions:coalition_detail", kwargs={"pk": 999999})).status_code == 404
    assert staff_client.get(reverse("coalitions:coalition_update", kwargs={"pk": 999999})).status_code == 404


def test_edit_links_are_shown_only_to_those_who_may_edit(staff_client, other_staff_client, world):
    edit_url = reverse("coalitions:coalition_update", kwargs={"pk": world.co_coalition.pk})
    assert edit_url.encode() in staff_client.get(world.co_coalition.get_absolute_url()).content
    assert edit_url.encode() not in other_staff_client.get(world.co_coalition.get_absolute_url()).content
