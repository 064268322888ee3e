"""A commitment is marked done from the coalition page in one small POST, through the row's rules."""

import pytest
from django.urls import reverse

from coalitions.models import Commitment

from .conftest import page_and_panels

pytestmark = pytest.mark.django_db


def done_url(commitment) -> str:
    return reverse("coalitions:commitment_done", kwargs={"pk": commitment.pk})


def test_the_coalition_page_offers_mark_done_for_an_open_commitment(staff_client, world):
    html = page_and_panels(staff_client, world.co_coalition)
    assert f'action="{done_url(world.co_commitment)}"' in html


def test_the_owner_marks_it_done_without_the_form(staff_client, world):
    response = staff_client.post(done_url(world.co_commitment))
    assert response.status_code == 302 and response.url == world.co_coalition.get_absolute_url()
    world.co_commitment.refresh_from_db()
    assert world.co_commitment.status == Commitment.Status.DONE
    html = page_and_panels(staff_client, world.co_coalition)
    assert f'action="{done_url(world.co_commitment)}"' not in html


def test_a_colleague_of_another_country_and_a_partner_cannot(other_staff_client, partner_client, world):
    assert other_staff_client.post(done_url(world.co_commitment)).status_code in (403, 404)
    assert partner_client.post(done_url(world.co_commitment)).status_code == 403
    world.co_commitment.refresh_from_db()
    assert world.co_commitment.status == Commitment.Status.PLANNED


def test_a_get_changes_nothing(staff_client, world):
    assert staff_client.get(done_url(world.co_commitment)).status_code == 405
    world.co_commitment.refresh_from_db()
    assert world.co_commitment.status == Commitment.Status.PLANNED
