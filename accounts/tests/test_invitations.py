"""Invitations: staff invite into what they may change, by a mail through the outbox; the signed
link works once, until it expires, and only the newest one sent; withdrawn ones stop working."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, User
from core.models import ObjectChange
from outbox.models import Delivery

NEW = reverse("accounts:invitation_create")
LIST = reverse("accounts:invitation_list")
PASSWORD = "a-long-new-password-42"


def invite(client, world, **fields):
    data = {"email": "rosa@example.org", "role": "partner", "organisation": world.co_org.pk, "language": "en"}
    return client.post(NEW, {**data, **fields})


def link_of(delivery: Delivery) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/invitation/[^/\s]+/)", delivery.body_text).group(1)


def latest_link() -> str:
    return link_of(Delivery.objects.filter(kind=Delivery.Kind.INVITATION).order_by("-pk").first())


def accept(link: str, **fields) -> tuple[Client, object]:
    client = Client()
    data = {"username": "rosa", "first_name": "Rosa", "last_name": "Epieyú", "password1": PASSWORD}
    data["password2"] = data["password1"]
    return client, client.post(link, {**data, **fields})


def test_staff_invite_a_partner_and_the_mail_goes_through_the_outbox(staff_client, world):
    response = invite(staff_client, world)
    assert response.status_code == 302 and response["Location"] == LIST
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.organisation, invitation.status) == (
        "rosa@example.org",
        world.co_org,
        Invitation.Status.PENDING,
    )
    assert invitation.invited_by == world.staff_co
    delivery = Delivery.objects.get(kind=Delivery.Kind.INVITATION)
    assert delivery.recipient == "rosa@example.org"
    assert "/accounts/invitation/" in delivery.body_text
    assert ObjectChange.objects.filter(content_type__model="invitation", object_id=invitation.pk).exists()
    assert "rosa@example.org" in staff_client.get(LIST).content.decode()


def test_accepting_sets_the_password_and_signs_the_person_in(staff_client, world):
    invite(staff_client, world)
    link = latest_link()
    assert Client().get(link).status_code == 200
    client, response = accept(link)
    assert response.status_code == 302
    user = User.objects.get(username="rosa")
    assert (user.role, user.organisation, user.email) == ("partner", world.co_org, "rosa@example.org")
    assert user.check_password(PASSWORD)
    assert response["Location"] == reverse("portal:home")  # a partner's home
    assert "Rosa Epieyú" in client.get(response["Location"]).content.decode()  # signed in, in the menu
    invitation = Invitation.objects.get()
    assert (invitation.status, invitation.user) == (Invitation.Status.ACCEPTED, user)


def test_a_used_link_is_refused(staff_client, world):
    invite(staff_client, world)
    link = latest_link()
    accept(link)
    assert Client().get(link).status_code == 404
    _client, response = accept(link, username="rosa2")
    assert response.status_code == 404
    assert not User.objects.filter(username="rosa2").exists()


def test_an_expired_link_is_refused(staff_client, world):
    invite(staff_client, world)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    _client, response = accept(latest_link())
    assert response.status_code == 404
    assert b"no longer valid" in response.content
    assert not User.objects.filter(username="rosa").exists()


def test_a_made_up_or_altered_link_is_refused(staff_client, world):
    invite(staff_client, world)
    link = latest_link()
    assert Client().get(link[:-3] + "xx/").status_code == 404
    assert Client().get("/accounts/invitation/nonsense/").status_code == 404


def test_a_withdrawn_invitation_is_refused(staff_client, world):
    invite(staff_client, world)
    link = latest_link()
    invitation = Invitation.objects.get()
    url = reverse("accounts:invitation_withdraw", args=[invitation.pk])
    assert staff_client.get(url).status_code == 200  # the confirmation
    assert Invitation.objects.get().status == Invitation.Status.PENDING
    assert staff_client.post(url).status_code == 302
    assert Invitation.objects.get().status == Invitation.Status.WITHDRAWN
    _client, response = accept(link)
    assert response.status_code == 404


def test_resending_gives_a_new_link_and_kills_the_old_one(staff_client, world):
    invite(staff_client, world)
    old = latest_link()
    invitation = Invitation.objects.get()
    assert staff_client.post(reverse("accounts:invitation_resend", args=[invitation.pk])).status_code == 302
    assert Delivery.objects.filter(kind=Delivery.Kind.INVITATION).count() == 2
    new = latest_link()
    assert new != old
    assert Client().get(old).status_code == 404
    _client, response = accept(new)
    assert response.status_code == 302


def test_a_missing_organisation_or_country_team_is_answered_beside_its_field(staff_client, world):
    """The model's constraints (`core.models.FieldCheckConstraint`) place their messages; the form repeats no rule."""
    errors = invite(staff_client, world, organisation="").context["form"].errors
    assert errors == {"organisation": ["Choose the organisation the person works for."]}
    errors = invite(staff_client, world, role="staff", organisation="").context["form"].errors
    assert errors == {"country": ["Choose the country team your colleague joins."]}
    with pytest.raises(ValidationError) as refused:
        services.invitation_create(by=world.staff_co, email="x@example.org", role="partner")
    assert refused.value.message_dict == {"organisation": ["Choose the organisation the person works for."]}
    assert not Invitation.objects.exists()


def test_staff_of_another_country_cannot_invite_into_it_nor_touch_its_invitations(
    staff_client, other_staff_client, world
):
    response = invite(other_staff_client, world)  # staff-pe, into a Colombian organisation
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    response = invite(other_staff_client, world, role="staff", organisation="", country=world.co.pk)
    assert response.status_code == 200 and "country" in response.context["form"].errors
    with pytest.raises(PermissionDenied):
        services.invitation_create(by=world.staff_pe, email="x@example.org", role="partner", organisation=world.co_org)
    assert not Invitation.objects.exists()
    invite(staff_client, world)
    invitation = Invitation.objects.get()
    assert other_staff_client.post(reverse("accounts:invitation_resend", args=[invitation.pk])).status_code == 404
    assert other_staff_client.post(reverse("accounts:invitation_withdraw", args=[invitation.pk])).status_code == 404
    assert "rosa@example.org" not in other_staff_client.get(LIST).content.decode()
    assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_partners_cannot_invite(partner_client, world):
    assert partner_client.get(NEW).status_code == 403
    assert invite(partner_client, world).status_code == 403
    assert partner_client.get(LIST).status_code == 403
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            by=world.partner_co, email="x@example.org", role="partner", organisation=world.co_org
        )
    assert not Invitation.objects.exists()


def test_a_colleague_joins_the_country_team_and_enrols_a_second_factor_where_required(staff_client, world, settings):
    invite(staff_client, world, role="staff", organisation="", country=world.co.pk)
    settings.TWO_FACTOR_REQUIRED_ROLES = {"staff"}
    client, response = accept(latest_link(), username="colega")
    user = User.objects.get(username="colega")
    assert user.role == "staff" and list(user.country_teams.all()) == [world.co]
    assert response["Location"].startswith(reverse("two_factor_setup"))
    assert client.get("/countries/")["Location"].startswith(reverse("two_factor_setup"))  # enrol first


def test_an_address_with_a_pending_invitation_or_an_account_is_refused(staff_client, world):
    invite(staff_client, world)
    response = invite(staff_client, world)
    assert "This address already has a pending invitation: resend it instead." in response.content.decode()
    world.partner_pe.email = "luis@example.org"
    world.partner_pe.save()
    response = invite(staff_client, world, email="LUIS@example.org")
    assert "An account with this address exists already." in response.content.decode()
    assert Invitation.objects.count() == 1


def test_a_weak_password_or_a_taken_user_name_is_refused(staff_client, world):
    invite(staff_client, world)
    link = latest_link()
    _client, response = accept(link, password1="123", password2="123")
    assert response.status_code == 200 and "password1" in response.context["form"].errors
    _client, response = accept(link, username="staff-co")
    assert response.status_code == 200 and "username" in response.context["form"].errors
    assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_the_mail_and_the_pages_are_in_spanish(staff_client, world):
    invite(staff_client, world, language="es")
    delivery = Delivery.objects.get(kind=Delivery.Kind.INVITATION)
    assert delivery.language == "es" and "invitación" in delivery.subject.lower()
    page = Client().get(link_of(delivery), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Crear mi cuenta" in page
    assert "Invitar a alguien" in staff_client.get(NEW, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    _client, _response = accept(link_of(delivery))
    assert User.objects.get(username="rosa").preferred_language == "es"


def test_the_list_runs_the_same_queries_for_one_invitation_or_many(staff_client, world):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(LIST).status_code == 200
        return len(queries)

    invite(staff_client, world)
    staff_client.get(LIST)
    one = count()
    for number in range(8):
        invite(staff_client, world, email=f"p{number}@example.org")
    invite(staff_client, world, email="colleague@example.org", role="staff", organisation="", country=world.co.pk)
    Invitation.objects.filter(email="p1@example.org").update(status=Invitation.Status.WITHDRAWN)
    assert count() == one


def test_admins_resend_and_withdraw_in_the_admin(admin_client, world):
    invitation = services.invitation_create(by=world.admin, email="a@example.org", role="staff", country=world.pe)
    url = reverse("admin:accounts_invitation_changelist")
    assert "a@example.org" in admin_client.get(url).content.decode()
    admin_client.post(url, {"action": "resend", "_selected_action": [invitation.pk]})
    assert Delivery.objects.filter(kind=Delivery.Kind.INVITATION).count() == 2
    admin_client.post(url, {"action": "withdraw", "_selected_action": [invitation.pk]})
    assert Invitation.objects.get().status == Invitation.Status.WITHDRAWN
