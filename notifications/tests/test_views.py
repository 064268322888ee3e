import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory

from notifications.context_processors import unread_notifications
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def notification_send(user, number):
    return Notification.objects.create(user=user, kind="follow_up", key=f"k{number}", title=f"Follow-up {number}")


def test_the_badge_shows_the_users_unread_count(world, staff_client):
    for number in range(3):
        notification_send(world.staff_co, number)
    notification_send(world.staff_pe, 9)
    html = staff_client.get("/notifications/badge/", headers={"HX-Request": "true"}).content.decode()
    assert '<span class="badge"' in html
    assert ">3</span>" in html


def test_the_header_loads_the_badge_after_the_page_so_pages_pay_no_query(world, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = world.staff_co
    with django_assert_num_queries(0):
        html = Template('{% include "notifications/includes/badge.html" %}').render(
            RequestContext(request, {"user": world.staff_co})
        )
    assert 'hx-get="/notifications/badge/"' in html


def test_anonymous_visitors_get_no_badge(client):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = Template('{% include "notifications/includes/badge.html" %}').render(
        RequestContext(request, {"user": request.user})
    )
    assert html.strip() == ""


def test_the_badge_costs_no_query_on_pages_that_do_not_show_it(world, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = world.staff_co
    with django_assert_num_queries(0):
        Template("{{ user }}").render(Context(unread_notifications(request)))


def test_people_see_and_mark_only_their_own_notifications(world, staff_client):
    mine = notification_send(world.staff_co, 1)
    theirs = notification_send(world.staff_pe, 2)
    content = staff_client.get("/notifications/").content.decode()
    assert mine.title in content
    assert theirs.title not in content
    staff_client.post("/notifications/read/", {"id": theirs.pk})
    staff_client.post("/notifications/read/", {"id": "not-a-number"})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    staff_client.post("/notifications/read/", {"id": mine.pk})
    mine.refresh_from_db()
    assert mine.read_at is not None


@pytest.mark.parametrize("size", [2, 10])
def test_the_list_runs_a_constant_number_of_queries(world, staff_client, size, django_assert_num_queries):
    for number in range(size):
        notification_send(world.staff_co, number)
    # session, user, the page count, the page
    with django_assert_num_queries(4):
        assert staff_client.get("/notifications/").status_code == 200
