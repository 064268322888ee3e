"""A web worker holds only what its pages use: the big libraries that one rare page needs are
imported by that page, not by every worker when it loads the URLs (bench: web worker peak RSS)."""

import subprocess
import sys

from django.conf import settings

#: Each costs a web worker 10 to 30 MB once imported, and serves one rare page or download.
LOADED_ON_USE = ("openpyxl", "igraph", "segno")


def test_loading_every_view_imports_none_of_the_libraries_a_rare_page_needs():
    script = (
        "import sys, django; django.setup();"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "from django.core.checks import run_checks; run_checks(tags=['urls']);"
        f"print(' '.join(name for name in {LOADED_ON_USE!r} if name in sys.modules))"
    )
    found = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin:/bin"},
    )
    assert found.stdout.split() == [], found.stdout
