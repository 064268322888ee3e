from pathlib import Path

import pytest

from imports import testing

CORPUS = Path(__file__).resolve().parents[2] / "planning" / "tests" / "import_files"


@pytest.fixture
def import_through_page():
    """Upload a file of the corpus, keep the page's mapping, dry run, then import: the reports of both steps."""

    def run(client, *, kind: str, name: str, profile: str = "", changes: dict | None = None):
        dry, done = testing.import_through_page(
            client, kind=kind, content=(CORPUS / name).read_bytes(), filename=name, profile=profile, changes=changes
        )
        return dry.context["report"], done.context["report"] if done else None

    return run
