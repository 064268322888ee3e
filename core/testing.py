"""Test helpers shared by every app's tests."""

import os
import shutil

import pytest


def require_service(name: str, available: bool, why: str = "") -> None:
    """Skip a test whose service is missing, or fail it when REQUIRE_SERVICES=1 (CI)."""
    if available:
        return
    message = f"{name} is not available{': ' + why if why else ''}"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{message} (REQUIRE_SERVICES=1 makes this a failure)")
    pytest.skip(message)


def chromium_path() -> str | None:
    """Debian's Chromium, which Playwright drives (its own browser download does not work here)."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def database_dump() -> str:
    """The whole database as `dumpdata` writes it (every app, the history and the outbox included).

    Non-ASCII characters are kept as they are, so a test can look for a name such as "Pérez".
    """
    import io
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("dumpdata", stdout=out, verbosity=0)
    return json.dumps(json.loads(out.getvalue()), ensure_ascii=False)


def traces_in(dump: str, values: list[str]) -> list[str]:
    """Which of `values` appear in the dump: a test of erasure expects none."""
    return [value for value in values if value in dump]


def response_body(response) -> bytes:
    """A test client response's bytes, a streamed file's included, read to the end.

    Reading a streamed response to its end closes it the way the test client closes a request
    (without closing the test's database connection); calling `close()` again would.
    """
    return b"".join(response.streaming_content) if response.streaming else response.content


def closes_connections(test):
    """Close the database connection a browser test's body opened while Playwright drove the browser.

    Under Playwright's sync API the test body's ORM calls get their own connection (Django keys
    connections by async context), which nothing else closes; left open, PostgreSQL refuses to
    drop the test database at the end of the session.
    """
    import functools

    from django.db import connections

    @functools.wraps(test)
    def run(*args, **kwargs):
        try:
            return test(*args, **kwargs)
        finally:
            connections.close_all()

    return run
