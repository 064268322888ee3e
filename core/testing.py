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
