"""Every staff page goes through the one gate (`core.access.staff_required`).

The pages are found from the URL resolver, so a new page is either gated or named below with
the reason it is open; a page that checks staff by hand, or not at all, fails here.
"""

import pytest
from django.urls import reverse

from core.access import is_staff_member
from core.tests.filtersets import _patterns

#: Pages that are not staff pages, and who they are for.
OPEN_PAGES = {
    "set_language": "everyone: the language switch",
    "login": "everyone: signing in",
    "logout": "everyone signed in",
    "password_change": "everyone signed in: their own password",
    "password_change_done": "everyone signed in",
    "password_reset": "everyone: a lost password",
    "password_reset_done": "everyone",
    "password_reset_confirm": "everyone with a reset link",
    "password_reset_complete": "everyone",
    "two_factor": "everyone signed in: their own two-step sign-in",
    "two_factor_verify": "everyone signing in",
    "two_factor_setup": "everyone signed in",
    "two_factor_recovery_codes": "everyone signed in",
    "trends:report_run": "the requester's own background report (staff only): anyone else, partners included, "
    "gets a 404 like a missing id",
    "trends:report_run_file": "the requester's own background report's file: anyone else gets a 404",
    "invitation_accept": "the invited person, with the link",
    "accounts:token_list": "everyone signed in: their own API tokens",
    "accounts:token_revoke": "everyone signed in: their own tokens",
    "accounts:token_revoke_all": "everyone signed in: their own tokens",
    "explorers_network:join": "the public: joining the network",
    "explorers_network:join_thanks": "the public",
    "explorers_network:confirm": "the public: a confirmation link",
    "explorers_network:unsubscribe": "the public: an unsubscribe link",
    "explorers_network:contact": "the public: the contact form",
    "explorers_network:contact_thanks": "the public",
    "explorers_network:contact_privacy": "the public: what the contact form keeps and who reads it",
    "website:home": "the public: the home page (a signed-in user is sent on to their own page)",
    "website:about": "the public: what the program does and how it works",
    "website:country_work": "the public: a country's page",
    "attachments:attachment_download": "everyone signed in: the file, if they see its record (visible_to)",
    "attachments:attachment_thumbnail": "everyone signed in: as the file (visible_to)",
    "core:picker": "everyone signed in: a picker's search offers only the rows they may see (visible_to)",
    "notifications:list": "everyone signed in: their own notifications",
    "notifications:badge": "everyone signed in",
    "notifications:mark_read": "everyone signed in",
    "notifications:preferences": "everyone signed in",
    "planning:plan_list": "partners too: development plans are public documents (visible_to)",
    "planning:plan_detail": "partners too (visible_to)",
    "planning:objective_detail": "partners too (visible_to)",
    "planning:resources_index": "partners too: public resource data (visible_to)",
    "planning:region_resources": "partners too (visible_to)",
    "planning:region_resources_csv": "partners too (visible_to)",
    "results:indicator_detail": "partners too: their coalitions' indicators (visible_to)",
    "results:region_indicators_csv": "partners too: the indicators of public plans (visible_to)",
    # The partner portal (portal.views.partner_required): partners only, staff are sent to their dashboard.
    "portal:home": "partners: their organisation's coalitions",
    "portal:coalition_detail": "partners: one of their coalitions (visible_to)",
    "portal:coalition_section": "partners: a section of one of their coalitions' page, loaded after it (visible_to)",
    "portal:engagement_create": "partners: logging an engagement in one of their coalitions (core.access)",
    "portal:outcome_create": "partners: recording an outcome in one of their coalitions (core.access)",
    "portal:commitment_list": "partners: the commitments their organisation owns",
    "portal:commitment_update": "partners: the status and evidence of a commitment they own (core.access)",
    "portal:record_attachments": "partners: the files of a record they may attach to (attachments registry)",
    "portal:learningnote_list": "partners: the learning notes shared with them (visible_to)",
}

#: A value for each path converter: the gate answers before any row is looked up.
SAMPLE_VALUES = {
    "IntConverter": 1,
    "StringConverter": "CO",
    "SlugConverter": "x",
    "PathConverter": "x",
    "UUIDConverter": "00000000-0000-0000-0000-000000000000",
}


def _pages():
    """(name, pattern) of every page of the site: not the admin, the API or static files."""
    for name, route, pattern in _patterns():
        if route.startswith(("admin/", "api/", "^static")):
            continue
        yield name, pattern


def staff_pages() -> list[tuple[str, dict]]:
    found = []
    for name, pattern in _pages():
        if getattr(pattern.callback, "staff_only", False):
            converters = pattern.pattern.converters
            kwargs = {key: SAMPLE_VALUES[type(converter).__name__] for key, converter in converters.items()}
            found.append((name, kwargs))
    return sorted(found, key=lambda page: page[0])


def test_every_page_is_a_staff_page_or_named_as_open():
    ungated = sorted(
        name or str(pattern.pattern) for name, pattern in _pages() if not getattr(pattern.callback, "staff_only", False)
    )
    assert ungated == sorted(OPEN_PAGES)


def test_the_staff_pages_are_found():
    names = {name for name, _kwargs in staff_pages()}
    assert {"stakeholders:stakeholder_list", "planning:entrypoint_list", "core:history", "accounts:activity"} <= names
    assert len(names) > 60


@pytest.mark.parametrize(("name", "kwargs"), staff_pages(), ids=[name for name, _kwargs in staff_pages()])
def test_anonymous_visitors_are_sent_to_sign_in_and_partners_get_403(name, kwargs, client, partner_client):
    url = reverse(name, kwargs=kwargs)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    for method in (partner_client.get, partner_client.post):
        response = method(url)
        assert response.status_code == 403
        assert "registration/staff_only.html" in [template.name for template in response.templates]


def test_staff_and_admins_pass_the_gate(staff_client, admin_client):
    for client in (staff_client, admin_client):
        assert client.get(reverse("stakeholders:stakeholder_list")).status_code == 200


def test_only_active_admins_and_program_staff_are_staff_members(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert is_staff_member(world.staff_co) and is_staff_member(world.admin)
    assert not is_staff_member(world.partner_co)
    assert not is_staff_member(AnonymousUser())
    assert not is_staff_member(None)
    world.staff_co.is_active = False
    assert not is_staff_member(world.staff_co)
