import pytest
from django.core import mail

from explorers_network.models import Campaign
from outbox.models import Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_with_email(world):
    world.staff_co.email = "staff-co@example.org"
    world.staff_co.save()
    return world.staff_co


@pytest.fixture
def campaign(world, topics):
    return Campaign.objects.create(
        subject="Invitation: Moquegua learning session",
        body="Dear explorers,\n\n**Join us** on [the call](https://example.org/call).\n\n<script>alert(1)</script>",
        language="en",
        audience_countries=["CO"],
        created_by=world.staff_co,
    )


def campaign_form(**overrides):
    data = {"subject": "News", "body": "Hello *all*", "language": "en"}
    data.update(overrides)
    return data


def test_staff_create_a_campaign(staff_client, topics):
    response = staff_client.post("/outreach/campaigns/new/", campaign_form(audience_countries=["CO", "PE"]))
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.audience_countries == ["CO", "PE"]
    assert campaign.state == Campaign.State.DRAFT


def test_a_campaign_without_subject_is_a_form_error(staff_client):
    response = staff_client.post("/outreach/campaigns/new/", campaign_form(subject=""))
    assert response.status_code == 200
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("fixture", ["partner_client", "other_partner_client"])
def test_partners_see_no_campaign_page(request, fixture, campaign):
    client = request.getfixturevalue(fixture)
    for url in ("/outreach/campaigns/", f"/outreach/campaigns/{campaign.pk}/", "/outreach/explorers/"):
        assert client.get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, campaign):
    assert client.get(f"/outreach/campaigns/{campaign.pk}/")["Location"].startswith("/accounts/login/")


def test_the_markdown_body_is_rendered_and_sanitised(staff_client, campaign):
    content = staff_client.get(f"/outreach/campaigns/{campaign.pk}/").content.decode()
    assert "<strong>Join us</strong>" in content
    assert "<script>alert(1)</script>" not in content


def test_the_audience_preview_counts_only_active_explorers_of_the_audience(staff_client, make_explorer, topics):
    make_explorer("a@example.org", country="CO", interests=[topics[0]])
    make_explorer("b@example.org", country="PE", interests=[topics[1]])
    make_explorer("c@example.org", country="CO", status="pending")
    make_explorer("d@example.org", country="CO", status="unsubscribed")
    make_explorer("e@example.org", country="CO", language="es")

    def count(**query):
        return staff_client.get("/outreach/audience-count/", {"language": "en", **query}).json()["count"]

    assert count() == 2
    assert count(audience_countries=["CO"]) == 1
    assert count(audience_interests=[topics[1].pk]) == 1
    assert count(language="es") == 1


def test_a_test_send_goes_to_the_staff_member_only(
    staff_client, staff_with_email, campaign, make_explorer, django_capture_on_commit_callbacks
):
    make_explorer()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/outreach/campaigns/{campaign.pk}/test/")
    assert [m.to for m in mail.outbox] == [["staff-co@example.org"]]
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.DRAFT


def test_send_now_mails_every_active_explorer_once_with_unsubscribe_headers(
    staff_client, campaign, make_explorer, django_capture_on_commit_callbacks
):
    make_explorer("a@example.org")
    make_explorer("b@example.org")
    make_explorer("p@example.org", status="pending")
    make_explorer("u@example.org", status="unsubscribed")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/outreach/campaigns/{campaign.pk}/send/")
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    message = mail.outbox[0]
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://127.0.0.1:8000/network/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body
    assert unsubscribe.strip("<>") in message.alternatives[0][0]
    assert "<strong>Join us</strong>" in message.alternatives[0][0]
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENT  # its last mail has gone: not left "Sending" until beat
    # Sending again writes no second row per address.
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/outreach/campaigns/{campaign.pk}/send/")
    assert Delivery.objects.filter(campaign_id=campaign.pk).count() == 2
    assert len(mail.outbox) == 2


def test_a_campaign_sent_now_reads_sending_then_sent_and_never_scheduled(
    staff_client, campaign, make_explorer, django_capture_on_commit_callbacks
):
    make_explorer("a@example.org")
    staff_client.post(f"/outreach/campaigns/{campaign.pk}/send/")  # the task has not run yet
    detail = staff_client.get(f"/outreach/campaigns/{campaign.pk}/").content.decode()
    assert "Sending ·" in detail
    assert "scheduled for" not in detail and "Scheduled" not in detail
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/outreach/campaigns/{campaign.pk}/send/")
    detail = staff_client.get(f"/outreach/campaigns/{campaign.pk}/").content.decode()
    assert "Sent ·" in detail and "sending started" in detail
    assert "scheduled for" not in detail
    listing = staff_client.get("/outreach/campaigns/").content.decode()
    assert "Scheduled" not in listing


def test_a_scheduled_campaign_starts_when_due(
    staff_client, campaign, make_explorer, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from explorers_network.services import campaigns_start_due

    make_explorer()
    mail.outbox.clear()
    when = timezone.localtime() + datetime.timedelta(hours=1)
    staff_client.post(f"/outreach/campaigns/{campaign.pk}/send/", {"when": when.strftime("%Y-%m-%dT%H:%M")})
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SCHEDULED
    with django_capture_on_commit_callbacks(execute=True):
        assert campaigns_start_due() == []
        assert campaigns_start_due(now=timezone.now() + datetime.timedelta(hours=2)) == [campaign.pk]
    assert len(mail.outbox) == 1
    campaigns_start_due()
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENT


def test_progress_and_the_delivery_list_after_sending(
    staff_client, campaign, make_explorer, django_capture_on_commit_callbacks
):
    make_explorer("a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/outreach/campaigns/{campaign.pk}/send/")
    fragment = staff_client.get(f"/outreach/campaigns/{campaign.pk}/progress/", headers={"HX-Request": "true"})
    assert "Sent 1" in fragment.content.decode()
    assert "hx-trigger" not in fragment.content.decode()  # done: the polling stops
    detail = staff_client.get(f"/outreach/campaigns/{campaign.pk}/").content.decode()
    assert "a@example.org" in detail


def test_a_started_campaign_cannot_be_edited(staff_client, campaign):
    campaign.state = Campaign.State.SENDING
    campaign.save()
    staff_client.post(f"/outreach/campaigns/{campaign.pk}/edit/", campaign_form(subject="Changed"))
    campaign.refresh_from_db()
    assert campaign.subject != "Changed"


@pytest.mark.parametrize("size", [3, 12])
def test_list_pages_run_a_constant_number_of_queries(
    staff_client, world, make_explorer, topics, size, django_assert_num_queries
):
    for number in range(size):
        Campaign.objects.create(subject=f"C{number}", body="x", created_by=world.staff_co)
        make_explorer(f"x{number}@example.org", interests=topics)
    campaign = Campaign.objects.first()
    for explorer_number in range(size):
        Delivery.objects.create(
            recipient=f"r{explorer_number}@example.org",
            kind="outreach",
            campaign_id=campaign.pk,
            subject="s",
            body_text="b",
        )
    campaign.state = Campaign.State.SENT
    campaign.save()
    # session + user, then the page's own queries
    with django_assert_num_queries(6):
        assert staff_client.get("/outreach/campaigns/").status_code == 200
    with django_assert_num_queries(6):  # the saved-filters panel loads after the page, in its own request
        assert staff_client.get("/outreach/explorers/").status_code == 200
    with django_assert_num_queries(8):
        assert staff_client.get(f"/outreach/campaigns/{campaign.pk}/").status_code == 200


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    "name", ["Ana Epieyú", 'Tom & "Jerry" <b>O\'Neil</b>', "", "{{ name }} %(name)s", "https://x.example/?a=1&b=2"]
)
def test_each_members_mail_is_the_same_as_rendering_the_templates_for_that_member(campaign, language, name):
    from explorers_network.services import _campaign_mail, _CampaignMails, render_markdown

    campaign.language = language
    html_body = render_markdown(campaign.body)
    unsubscribe = "https://example.org/network/unsubscribe/eyJlIjoxfQ:1tX&y=<z>/"

    mails = _CampaignMails(campaign, html_body=html_body)
    reused = mails.mail(recipient="ana@example.org", name=name, unsubscribe=unsubscribe)

    assert mails.reusable
    assert reused == _campaign_mail(
        campaign, recipient="ana@example.org", name=name, unsubscribe=unsubscribe, html_body=html_body
    )


def test_each_members_unsubscribe_link_is_the_one_the_page_reads(
    staff_client, campaign, make_explorer, django_capture_on_commit_callbacks
):
    from explorers_network.services import explorer_from_unsubscribe_token, unsubscribe_url

    explorer = make_explorer("a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/outreach/campaigns/{campaign.pk}/send/")
    link = Delivery.objects.get(campaign_id=campaign.pk).headers["List-Unsubscribe"].strip("<>")
    assert link.rsplit("/", 2)[0] == unsubscribe_url(explorer).rsplit("/", 2)[0]
    assert explorer_from_unsubscribe_token(link.rstrip("/").rsplit("/", 1)[-1]) == explorer


def test_a_campaign_with_a_mail_still_pending_is_not_marked_sent(campaign, make_explorer):
    from explorers_network.services import campaign_start, campaigns_finish

    make_explorer("a@example.org")
    campaign.state = Campaign.State.SCHEDULED
    campaign.scheduled_for = campaign.created_at
    campaign.save()
    assert campaign_start(campaign_id=campaign.pk) == 1  # the send task has not run
    assert campaigns_finish(campaign_ids=[campaign.pk]) == 0
    Delivery.objects.filter(campaign_id=campaign.pk).update(state=Delivery.State.SENT)
    assert campaigns_finish(campaign_ids=[campaign.pk]) == 1
