"""Spanish must be complete: a string added without its translation fails the build.

Two checks. The committed catalogues have no empty or fuzzy entry. And running makemessages
afresh (into a temporary copy, so the working tree is untouched) finds no string that the
catalogues miss: someone who marked a new string but forgot `makemessages` fails here too.
Every app's own catalogue is checked, and the root one (root templates, config and core).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from core.testing import require_service

ROOT = Path(settings.BASE_DIR)
SKIP_DIRS = {".venv", ".git", "node_modules", "staticfiles", "test-artifacts", "__pycache__"}


def committed_catalogues() -> list[Path]:
    found = sorted(ROOT.glob("*/locale/es/LC_MESSAGES/django.po"))
    root = ROOT / "locale/es/LC_MESSAGES/django.po"
    return ([root] if root.exists() else []) + [path for path in found if path.parts[-5] not in SKIP_DIRS]


def catalogue_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def problems(catalogue: polib.POFile) -> list[str]:
    return [f"untranslated: {entry.msgid!r}" for entry in catalogue.untranslated_entries()] + [
        f"fuzzy: {entry.msgid!r}" for entry in catalogue.fuzzy_entries()
    ]


def test_there_is_a_root_catalogue_and_app_catalogues():
    ids = [catalogue_id(path) for path in committed_catalogues()]
    assert "locale/es/LC_MESSAGES/django.po" in ids
    assert "stakeholders/locale/es/LC_MESSAGES/django.po" in ids


@pytest.mark.parametrize("path", committed_catalogues(), ids=catalogue_id)
def test_committed_catalogue_is_complete(path):
    catalogue = polib.pofile(str(path))
    assert problems(catalogue) == [], f"{catalogue_id(path)} is incomplete"


SPANISH_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"


@pytest.mark.parametrize("path", committed_catalogues(), ids=catalogue_id)
def test_catalogue_has_the_same_plural_forms_as_its_entries(path):
    """One plural rule for every catalogue (messages from catalogues with different rules are not
    merged), and each plural entry with exactly that many forms, as `msgfmt --check` requires."""
    catalogue = polib.pofile(str(path))
    assert catalogue.metadata.get("Plural-Forms") == SPANISH_PLURAL_FORMS
    wrong = [entry.msgid for entry in catalogue if entry.msgid_plural and len(entry.msgstr_plural) != 2]
    assert wrong == [], f"{catalogue_id(path)}: plural entries without exactly two forms"


def _ignore(directory, names):
    return [name for name in names if name in SKIP_DIRS or name.endswith((".mo", ".pyc"))]


def _makemessages(cwd: Path, settings_dir: Path, *ignores: str) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(settings_dir), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "translation_check_settings",
    }
    # -P: an app module named like a standard one (planning/selectors.py) must not shadow it.
    command = [sys.executable, "-P", "-m", "django", "makemessages", "--locale", "es", "--no-obsolete"]
    for pattern in ignores:
        command += ["--ignore", pattern]
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stderr


def _project_apps() -> list[str]:
    return sorted(path.name for path in ROOT.iterdir() if (path / "apps.py").exists() and path.name not in SKIP_DIRS)


@pytest.mark.parametrize("path", committed_catalogues(), ids=catalogue_id)
def test_makemessages_finds_nothing_untranslated(path, tmp_path):
    require_service("gettext's xgettext", bool(shutil.which("xgettext")), "apt-get install -y gettext")
    copy = tmp_path / "project"
    # Settings whose default catalogue is the copy's, so makemessages never writes to the tree.
    (tmp_path / "translation_check_settings.py").write_text(
        "from pathlib import Path\nfrom config.settings import *  # noqa: F403\n"
        f"LOCALE_PATHS = [Path({str(copy / 'locale')!r})]\n"
    )
    if path == ROOT / "locale/es/LC_MESSAGES/django.po":
        # Root catalogue: root templates, config and core (apps with a catalogue keep their own).
        copy.mkdir()
        for name in ("templates", "config", "core", "locale"):
            if (ROOT / name).exists():
                shutil.copytree(ROOT / name, copy / name, ignore=_ignore)
        workdir = copy
    else:
        app = path.parts[-5]
        shutil.copytree(ROOT / app, copy / app, ignore=_ignore)
        workdir = copy / app
    _makemessages(workdir, tmp_path)
    fresh = polib.pofile(str(copy / path.relative_to(ROOT)))
    assert problems(fresh) == [], f"run makemessages and translate {catalogue_id(path)}"


def test_every_app_with_a_catalogue_is_checked():
    """Guards the walk above: an app catalogue that the glob missed would go unchecked."""
    checked = {path.parts[-5] for path in committed_catalogues()}
    with_catalogue = {app for app in _project_apps() if (ROOT / app / "locale/es/LC_MESSAGES/django.po").exists()}
    assert with_catalogue <= checked
