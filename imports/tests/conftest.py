from pathlib import Path

import pytest
from django.urls import reverse

CORPUS = Path(__file__).resolve().parents[2] / "planning" / "tests" / "import_files"


def mapping_data(form) -> dict:
    """The mapping form's fields as the page fills them in (from the profile and the aliases)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, False):
            continue
        data[name] = "on" if value is True else value
    return data


@pytest.fixture
def import_through_page():
    """Upload a file of the corpus, keep the page's mapping, dry run, then import: the reports of both steps."""

    def run(client, *, kind: str, name: str, profile: str = "", changes: dict | None = None):
        with (CORPUS / name).open("rb") as handle:
            response = client.post(reverse("imports:start"), {"kind": kind, "profile": profile, "file": handle})
        assert response.status_code == 302, response.context["form"].errors
        url = response.url
        page = client.get(url)
        data = mapping_data(page.context["form"]) | (changes or {})
        dry = client.post(url, {**data, "dry_run": "1"})
        dry_report = dry.context["report"]
        if not dry_report.ok:
            return dry_report, None
        done = client.post(url, {**data, "import": "1"})
        return dry_report, done.context["report"]

    return run
