"""Every portal page and action answers each persona as the rules say, the API's own (`core.access`).

Columns: partner-co (its organisation is in the Colombian coalition and owns its commitment),
partner-pe (a Peruvian partner: nothing Colombian is in its sight), staff (of Colombia), anonymous.
`login` is the sign-in page, `dashboard` the staff dashboard (the portal is a partner's view);
404 is out of sight, like a missing id; 403 in sight but not theirs to change, as in the API.
A write that answers anything but `saved` writes nothing.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from attachments.models import Attachment
from attachments.tests.conftest import PDF
from coalitions.models import Commitment, Engagement, Outcome
from core.tests.filtersets import _patterns

PERSONAS = ("partner_co", "partner_pe", "staff_co", "anonymous")


def _engagement_body(world) -> dict:
    return {
        "title": "Taller Manaure",
        "kind": "workshop",
        "occurred_on": "2026-02-03",
        "participants": [world.co_org.pk],
    }


def _outcome_body(world) -> dict:
    return {"description": "The mayor funds two kits", "change_type": "policy", "observed_on": "2026-02-04"}


def _commitment_body(world) -> dict:
    return {"status": "done", "evidence": "https://example.org/report.pdf"}


def _files_body(world) -> dict:
    return {"files": [SimpleUploadedFile("informe.pdf", PDF)], "kind": "report", "title": "Informe"}


def _others_commitment(world) -> Commitment:
    return Commitment.objects.create(coalition=world.co_coalition, owner=world.co_mayor, description="Fund kits")


# name: (URL kwargs, method, body, what changes when it is saved, expected per persona)
# fmt: off
MATRIX = {
    "home":              [(lambda w: {}, "get", None, None, "200 200 dashboard login")],
    "coalition_detail":  [(lambda w: {"pk": w.co_coalition.pk}, "get", None, None, "200 404 dashboard login")],
    # The parts the coalition's page loads after its first paint: scoped exactly as the page.
    "coalition_section": [
        (lambda w, section=section: {"pk": w.co_coalition.pk, "section": section}, "get", None, None,
         "200 404 dashboard login")
        for section in ("plan", "engagements", "outcomes", "notes")
    ] + [(lambda w: {"pk": w.co_coalition.pk, "section": "members"}, "get", None, None, "404 404 dashboard login")],
    "commitment_list":   [(lambda w: {}, "get", None, None, "200 200 dashboard login")],
    "learningnote_list": [(lambda w: {}, "get", None, None, "200 200 dashboard login")],
    "engagement_create": [
        (lambda w: {"pk": w.co_coalition.pk}, "get", None, None, "200 404 dashboard login"),
        (lambda w: {"pk": w.co_coalition.pk}, "post", _engagement_body, Engagement, "saved 404 dashboard login"),
    ],
    "outcome_create": [
        (lambda w: {"pk": w.co_coalition.pk}, "get", None, None, "200 404 dashboard login"),
        (lambda w: {"pk": w.co_coalition.pk}, "post", _outcome_body, Outcome, "saved 404 dashboard login"),
    ],
    "commitment_update": [
        (lambda w: {"pk": w.co_commitment.pk}, "get", None, None, "200 404 dashboard login"),
        (lambda w: {"pk": w.co_commitment.pk}, "post", _commitment_body, Commitment, "saved 404 dashboard login"),
        # A commitment of its coalition that another member owns: readable, not theirs (the API's 403).
        (lambda w: {"pk": _others_commitment(w).pk}, "get", None, None, "403 404 dashboard login"),
        (lambda w: {"pk": _others_commitment(w).pk}, "post", _commitment_body, Commitment,
         "403 404 dashboard login"),
    ],
    # The files of a record: listed for whoever sees it, attached by whoever the API lets attach.
    "record_attachments": [
        (lambda w: {"model": "commitment", "pk": w.co_commitment.pk}, "get", None, None, "200 404 dashboard login"),
        (lambda w: {"model": "commitment", "pk": w.co_commitment.pk}, "post", _files_body, Attachment,
         "saved 404 dashboard login"),
        (lambda w: {"model": "commitment", "pk": _others_commitment(w).pk}, "post", _files_body, Attachment,
         "403 404 dashboard login"),
        (lambda w: {"model": "engagement", "pk": w.co_engagement.pk}, "get", None, None, "200 404 dashboard login"),
        (lambda w: {"model": "outcome", "pk": w.co_outcome.pk}, "get", None, None, "200 404 dashboard login"),
        (lambda w: {"model": "learningnote", "pk": 1}, "get", None, None, "404 404 dashboard login"),
    ],
}
# fmt: on

CASES = [
    pytest.param(name, index, persona, expected.split()[column], id=f"{name}-{index}-{persona}")
    for name, rows in MATRIX.items()
    for index, (_kwargs, _method, _body, _model, expected) in enumerate(rows)
    for column, persona in enumerate(PERSONAS)
]


def portal_pages() -> list[tuple[str, object]]:
    """(name, pattern) of every page in the `portal` namespace, from the URL resolver."""
    return [(name, pattern) for name, _route, pattern in _patterns() if name and name.startswith("portal:")]


def test_every_portal_page_has_a_matrix_row():
    served = {name.removeprefix("portal:") for name, _pattern in portal_pages()}
    assert served, "no portal page found"
    assert served - set(MATRIX) == set(), "add these portal pages to MATRIX"
    assert set(MATRIX) - served == set(), "MATRIX names pages the portal does not serve"


def test_every_portal_page_is_behind_the_partner_gate():
    assert [name for name, pattern in portal_pages() if not getattr(pattern.callback, "partner_only", False)] == []


def _client(world, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


def _state(model) -> list:
    return list(model.objects.order_by("pk").values_list("pk", "updated_at")) if model else []


@pytest.mark.parametrize(("name", "index", "persona", "expected"), CASES)
def test_portal_permission_matrix(world, name, index, persona, expected):
    kwargs, method, body, model, _expected = MATRIX[name][index]
    url = reverse(f"portal:{name}", kwargs=kwargs(world))
    client = _client(world, persona)
    before = _state(model)
    response = client.get(url) if method == "get" else client.post(url, body(world))
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    elif expected == "dashboard":
        assert response.status_code == 302 and response["Location"] == reverse("coalitions:dashboard")
    elif expected == "saved":
        assert response.status_code == 302, response.content.decode()[:2000]
        assert _state(model) != before
    else:
        assert response.status_code == int(expected)
    if expected != "saved":
        assert _state(model) == before  # nothing written


def test_staff_are_sent_to_their_dashboard_from_the_portal(staff_client):
    response = staff_client.get(reverse("portal:home"))
    assert response["Location"] == reverse("coalitions:dashboard")


def test_a_partner_write_keeps_the_date_it_was_sent(partner_client, world):
    """A sanity check of the matrix's bodies: the engagement partner-co logs is the one it sent."""
    partner_client.post(
        reverse("portal:engagement_create", kwargs={"pk": world.co_coalition.pk}), _engagement_body(world)
    )
    engagement = Engagement.objects.get(title="Taller Manaure")
    assert (engagement.coalition, engagement.occurred_on, engagement.recorded_by) == (
        world.co_coalition,
        datetime.date(2026, 2, 3),
        world.partner_co,
    )
    assert list(engagement.participants.all()) == [world.co_org]
