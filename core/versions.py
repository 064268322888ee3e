"""What a cached rendering is built from: the code, templates and catalogues of this deploy."""

import functools
import hashlib
import importlib.metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings

#: The libraries whose code renders what is cached (forms, filters, the API schema), by distribution.
_LIBRARIES = {
    "django": "django",
    "rest_framework": "djangorestframework",
    "drf_spectacular": "drf-spectacular",
    "django_filters": "django-filter",
}


@functools.cache
def code_version() -> str:
    """A digest of the project's code, templates and catalogues and of the libraries' versions.

    Part of the key of anything cached across requests in a shared cache, so a deploy never serves
    what the previous code rendered. Hashed once per process (the first call).
    """
    digest = hashlib.sha256()
    for package, distribution in _LIBRARIES.items():
        digest.update(f"{package}={importlib.metadata.version(distribution)};".encode())
    roots = [Path(apps.get_app_config(label).path) for label in settings.PROJECT_APPS]
    roots += [Path(settings.BASE_DIR) / "config", *map(Path, settings.LOCALE_PATHS)]
    roots += [Path(directory) for template in settings.TEMPLATES for directory in template.get("DIRS", ())]
    for root in roots:
        for path in sorted(
            p for p in root.rglob("*") if p.suffix in {".py", ".mo", ".html"} and "tests" not in p.parts
        ):
            digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def rendering_key(*parts) -> str:
    """The cache key of a rendering made from `parts` (a `{% cache %}` tag's vary-on value).

    Besides `parts`, what every rendering depends on: this deploy's code and catalogues, the
    language, the time zone dates are shown in and the prefix of the URLs it links to. A key made
    of the rendered rows' own values (`row_values`) needs no invalidation: a change to any of them
    is another key.
    """
    from django.urls import get_script_prefix
    from django.utils import timezone, translation

    context = (
        code_version(),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        get_script_prefix(),
    )
    return hashlib.sha256(repr((context, parts)).encode()).hexdigest()


def row_values(row) -> tuple | None:
    """Every column loaded on a model instance (None for no row), for a `rendering_key` of what it shows.

    A deferred column is None: a rendering that showed one would read it row by row, which the
    list pages' constant query counts refuse.
    """
    if row is None:
        return None
    loaded = row.__dict__
    return (row._meta.label, *map(loaded.get, _columns(type(row))))


@functools.cache
def _columns(model) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)
