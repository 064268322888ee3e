"""Apps depend in one direction only, so any app can be read (and tested) without those above it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Each project app and the project apps it may import. Tests, management commands and demo
# modules are entry points that wire apps together, so they are not held to this.
ALLOWED = {
    "core": set(),
    "outbox": {"core"},
    "countries": {"core"},
    "stakeholders": {"core", "countries"},
    "accounts": {"core", "outbox", "countries", "stakeholders"},
    "coalitions": {"core", "countries", "stakeholders", "accounts"},
    "explorers_network": {"core", "countries", "outbox"},
    "notifications": {"core", "outbox", "countries", "stakeholders", "accounts", "coalitions", "explorers_network"},
    "website": {"core", "countries", "stakeholders", "coalitions"},
    "planning": {"core", "countries", "stakeholders", "accounts"},
    "results": {"core", "countries", "stakeholders", "accounts", "planning", "coalitions"},
}
ENTRY_POINTS = {"tests", "management", "migrations"}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(ALLOWED)


def test_apps_import_only_the_apps_below_them():
    violations = []
    for app, allowed in ALLOWED.items():
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT / app)
            if ENTRY_POINTS & set(relative.parts) or path.name == "demo.py":
                continue
            for imported in imported_apps(path) - allowed - {app}:
                violations.append(f"{app}/{relative} imports {imported}")
    assert violations == []


def test_every_project_app_is_placed_in_the_dependency_order():
    from django.conf import settings

    project_apps = {name for name in settings.INSTALLED_APPS if (ROOT / name).is_dir()}
    assert project_apps == set(ALLOWED)
