import datetime

import pytest
from django.core import mail

from coalitions.models import Assessment, Commitment, Engagement
from notifications.models import Kind, Notification, Preference
from notifications.services import digest_period, digests_send, partner_write_notify, reminders_send
from outbox.models import Delivery

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def staff(world):
    for user, address in ((world.staff_co, "co@example.org"), (world.staff_pe, "pe@example.org")):
        user.email = address
        user.save()
    return world


def run(django_capture_on_commit_callbacks, function, **kw):
    with django_capture_on_commit_callbacks(execute=True):
        return function(**kw)


def test_reminders_reach_the_countrys_staff_once(staff, django_capture_on_commit_callbacks):
    Engagement.objects.filter(pk=staff.co_engagement.pk).update(follow_up_on=TODAY, follow_up="Call the mayor")
    Commitment.objects.filter(pk=staff.co_commitment.pk).update(due_on=TODAY + datetime.timedelta(days=7))
    Commitment.objects.filter(pk=staff.pe_commitment.pk).update(due_on=TODAY - datetime.timedelta(days=1))
    run(django_capture_on_commit_callbacks, reminders_send, today=TODAY)
    assert sorted(Notification.objects.values_list("user__username", "kind")) == [
        ("staff-co", Kind.COMMITMENT_DUE),
        ("staff-co", Kind.FOLLOW_UP),
        ("staff-pe", Kind.COMMITMENT_OVERDUE),
    ]
    assert len(mail.outbox) == 3
    # The same run again, and the next day: nothing more.
    run(django_capture_on_commit_callbacks, reminders_send, today=TODAY)
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 3


def test_done_commitments_are_not_reminded(staff, django_capture_on_commit_callbacks):
    Commitment.objects.filter(pk=staff.pe_commitment.pk).update(
        due_on=TODAY - datetime.timedelta(days=1), status=Commitment.Status.DONE
    )
    run(django_capture_on_commit_callbacks, reminders_send, today=TODAY)
    assert not Notification.objects.exists()


def test_each_kind_can_be_switched_off_in_app_or_by_mail(staff, staff_client, django_capture_on_commit_callbacks):
    Engagement.objects.filter(pk=staff.co_engagement.pk).update(follow_up_on=TODAY)
    data = {f"{kind}__in_app": "on" for kind in Kind.values}
    data.update({f"{kind}__by_email": "on" for kind in Kind.values if kind != Kind.FOLLOW_UP})
    assert staff_client.post("/notifications/settings/", data).status_code == 302
    assert Preference.objects.get(user=staff.staff_co, kind=Kind.FOLLOW_UP).by_email is False
    run(django_capture_on_commit_callbacks, reminders_send, today=TODAY)
    assert Notification.objects.filter(user=staff.staff_co, kind=Kind.FOLLOW_UP).exists()
    assert mail.outbox == []


def test_the_weekly_digest_counts_last_weeks_activity_once_per_week(staff, django_capture_on_commit_callbacks):
    label, start, _end = digest_period(TODAY)
    assert label == "2026-W10"
    Assessment.objects.create(
        stakeholder=staff.co_mayor,
        initiative=staff.co_initiative,
        assessed_on=start,
        power=4,
        capabilities=3,
        interest=4,
        stance=Assessment.Stance.SUPPORTIVE,
    )
    Engagement.objects.create(coalition=staff.co_coalition, occurred_on=start, kind="call", title="Call")
    run(django_capture_on_commit_callbacks, digests_send, today=TODAY)
    digest = Delivery.objects.get(kind=Delivery.Kind.DIGEST, recipient="co@example.org")
    assert "Engagements: 1" in digest.body_text
    assert "Assessments whose stance moved: 1" in digest.body_text
    assert Delivery.objects.filter(kind=Delivery.Kind.DIGEST).count() == 2
    run(django_capture_on_commit_callbacks, digests_send, today=TODAY + datetime.timedelta(days=1))
    assert Delivery.objects.filter(kind=Delivery.Kind.DIGEST).count() == 2
    assert len(mail.outbox) == 2


def test_the_digest_is_written_in_the_staff_members_language(staff, django_capture_on_commit_callbacks):
    staff.staff_pe.preferred_language = "es"
    staff.staff_pe.save()
    run(django_capture_on_commit_callbacks, digests_send, today=TODAY)
    assert "Su resumen semanal" in Delivery.objects.get(recipient="pe@example.org").subject


def test_a_partner_write_notifies_the_coalitions_country_team(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        partner_write_notify(
            coalition_id=staff.co_coalition.pk, user=staff.partner_co, action="created", obj=staff.co_commitment
        )
    notification = Notification.objects.get()
    assert notification.user == staff.staff_co
    assert notification.kind == Kind.PARTNER_WRITE
    assert "Fundación Energía Wayuu" in notification.title_text


def test_a_staff_write_is_not_notified(staff):
    partner_write_notify(
        coalition_id=staff.co_coalition.pk, user=staff.staff_co, action="updated", obj=staff.co_commitment
    )
    assert not Notification.objects.exists()
