"""The outbox builds its messages faster than Django's plain path (a chosen boundary, remembered
header folding) and the bytes on the wire are the same."""

import pytest
from django.core.mail import EmailMultiAlternatives

from outbox import services
from outbox.models import Delivery

pytestmark = pytest.mark.django_db

DATE = "Fri, 04 Dec 2026 12:00:00 -0000"


def delivery(pk: int, recipient: str) -> Delivery:
    return Delivery(
        pk=pk,
        recipient=recipient,
        subject="Gobernanza local: novedades de las coaliciones, con acentos y eñes para el asunto largo",
        body_text="Hola Ana María,\n\nNovedades.\n",
        body_html="<p>Hola Ana María,</p><p><strong>Novedades</strong></p>",
        headers={
            "Date": DATE,
            "List-Unsubscribe": f"<https://example.org/network/unsubscribe/{'x' * 90}{pk}/>",
            "List-Id": "Governance Explorers <explorers.example.org>",
        },
    )


def plain_bytes(row: Delivery, boundary: str) -> bytes:
    """What Django's own EmailMultiAlternatives sends for the row, with the same boundary."""
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        to=[row.recipient],
        headers={"Message-ID": row.message_id, **row.headers},
    )
    message.attach_alternative(row.body_html, "text/html")
    mime = message.message()
    mime.set_boundary(boundary)
    return mime.as_bytes(linesep="\r\n")


def test_each_message_is_the_bytes_djangos_plain_path_sends():
    # Several in a row, so the later ones are folded from what the first ones left remembered.
    for pk, recipient in enumerate(["ana@example.org", "ben@example.org", "ana@example.org"], start=1):
        row = delivery(pk, recipient)
        mime = services._message(row, None).message()
        assert mime.as_bytes(linesep="\r\n") == plain_bytes(row, mime.get_boundary())


def test_a_boundary_found_in_a_body_is_left_to_the_mail_library(monkeypatch):
    monkeypatch.setattr(services.secrets, "token_hex", lambda n: "c0ffee")
    row = delivery(1, "ana@example.org")
    row.body_text += "==============c0ffee==\n"
    mime = services._message(row, None).message()
    sent = mime.as_bytes(linesep="\r\n")
    assert mime.get_boundary() != "==============c0ffee=="
    assert b"==============c0ffee==" in sent
