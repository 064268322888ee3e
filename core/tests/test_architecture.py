"""Apps depend in one direction only, so any app can be read (and tested) without those above it."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The layers, bottom first, and the project apps each app may use: import, or name in a string
# ("app.Model"). An app that needs something from an app above it asks through a signal it
# declares (the app above connects a receiver in its `receivers.py`) or, on a page, through an
# inclusion tag of the app above (`{% load results %}{% plan_indicators plan %}`). Tests,
# management commands and demo modules are entry points that wire apps together, so they are
# not held to this.
ALLOWED = {
    "core": set(),
    "outbox": {"core"},
    "countries": {"core"},
    "attachments": {"core"},
    "stakeholders": {"core", "countries", "attachments"},
    "accounts": {"core", "outbox", "countries", "stakeholders"},
    "explorers_network": {"core", "countries", "outbox", "stakeholders"},
    "planning": {"core", "countries", "attachments", "stakeholders", "accounts"},
    "imports": {"core", "countries", "accounts"},
    "coalitions": {"core", "countries", "attachments", "stakeholders", "accounts", "planning", "explorers_network"},
    "results": {"core", "countries", "attachments", "stakeholders", "accounts", "planning", "coalitions"},
    "notifications": {"core", "outbox", "countries", "stakeholders", "accounts", "coalitions", "explorers_network"},
    "trends": {"core", "countries", "stakeholders", "accounts", "planning", "coalitions", "results"},
    "website": {"core", "countries", "stakeholders", "accounts", "coalitions"},
    "portal": {"core", "countries", "attachments", "stakeholders", "accounts", "planning", "coalitions", "results"},
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


MODEL_LABEL = re.compile(r"([a-z_]+)\.([A-Z][A-Za-z0-9]*)")


def model_labels(path: Path) -> list[str]:
    """Every model named by a string in a module: `"app.Model"` anywhere (`apps.get_model`, a lazy
    foreign key, a table of labels), and `apps.get_model("app", "Model")`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and MODEL_LABEL.fullmatch(node.value):
            found.append(node.value)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "get_model":
            args = [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
            if len(args) == 2:
                found.append(".".join(args))
    return found


def test_apps_name_no_model_of_the_apps_above_them():
    """A string naming a model is an import the import check cannot see: it may only reach down.

    An app that needs what an app above it knows asks through a signal it declares (the app above
    connects a receiver), or the page moves to the app that owns the models.
    """
    violations = []
    for app, allowed in ALLOWED.items():
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT / app)
            if ENTRY_POINTS & set(relative.parts) or path.name == "demo.py":
                continue
            for label in model_labels(path):
                if label.split(".")[0] in set(ALLOWED) - allowed - {app}:
                    violations.append(f"{app}/{relative} names {label}")
    assert violations == []


def test_the_model_label_check_sees_every_form(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        'apps.get_model("coalitions.Membership")\napps.get_model("results", "Indicator")\n'
        'MODELS = {"x": "planning.EntryPoint"}\n"""A docstring about coalitions.Coalition."""\n'
        '"outbox.tasks.deliveries_send"\n'
    )
    assert sorted(model_labels(module)) == ["coalitions.Membership", "planning.EntryPoint", "results.Indicator"]


def test_the_layers_have_no_cycle():
    """Each app may use only apps listed before it, so the order above is the dependency order."""
    order = list(ALLOWED)
    assert [
        (app, below) for app, allowed in ALLOWED.items() for below in allowed if order.index(below) > order.index(app)
    ] == []


def test_every_project_app_is_placed_in_the_dependency_order():
    from django.conf import settings

    project_apps = {name for name in settings.INSTALLED_APPS if (ROOT / name).is_dir()}
    assert project_apps == set(ALLOWED)


#: The after-commit helper that starts a task by name; it defines no task.
ENQUEUE_HELPER = "core.tasks"


def task_imports(path: Path) -> list[str]:
    """Every import in a module that reaches a `tasks` module, in any form (but the helper)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if "tasks" in alias.name.split(".")]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if "tasks" in module.split("."):
                found.append(f"{'.' * node.level}{module}")
            else:
                found += [f"{'.' * node.level}{module}.{alias.name}" for alias in node.names if alias.name == "tasks"]
    return [name for name in found if name != ENQUEUE_HELPER]


def test_services_never_import_tasks():
    """Tasks import services (a task loads rows and calls one); a service starts a task by name,
    through `core.tasks.enqueue_after_commit`, so the two never import each other."""
    services = [path for app in ALLOWED for path in (ROOT / app).rglob("services.py")]
    services += [path for app in ALLOWED for path in (ROOT / app).glob("services/*.py")]
    assert services, "no services module found"
    violations = [f"{path.relative_to(ROOT)} imports {name}" for path in services for name in task_imports(path)]
    assert violations == []


def test_the_task_import_check_sees_every_form_of_import(tmp_path):
    module = tmp_path / "services.py"
    module.write_text(
        "from .tasks import a\nfrom . import tasks\nimport outbox.tasks\nfrom outbox.tasks import b\n"
        "from outbox import tasks as t\nfrom .models import tasks_done\nimport taskset\n"
        "from core.tasks import enqueue_after_commit\n"
    )
    assert task_imports(module) == [".tasks", "..tasks", "outbox.tasks", "outbox.tasks", "outbox.tasks"]
