"""Every FilterSet of the project, and where each is served: the API lists and the staff pages.

FilterSets are found the way Django finds models (each app's `filters` module); API lists from the
URL resolver (every router's `<basename>-list` route); pages by asking every page without
parameters, as staff, which FilterSets it builds.
"""

import contextlib
from importlib import import_module

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.module_loading import module_has_submodule

from core.filters import BaseFilterSet


def all_filtersets() -> list[type[BaseFilterSet]]:
    """Every BaseFilterSet subclass defined in an app's `filters.py`, in a stable order."""
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "filters"):
            import_module(f"{config.name}.filters")

    def subclasses(cls):
        for subclass in cls.__subclasses__():
            yield subclass
            yield from subclasses(subclass)

    found = {cls for cls in subclasses(BaseFilterSet) if cls.__module__.endswith(".filters")}
    return sorted(found, key=lambda cls: (cls.__module__, cls.__name__))


def _patterns(resolver: URLResolver = None, namespace: str = "", route: str = ""):
    """(namespaced name, route, pattern) of every URL pattern, included ones too."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner, route + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else None), route + str(pattern.pattern), pattern


def api_lists() -> dict[type[BaseFilterSet], str]:
    """The FilterSet of every API list, and that list's URL."""
    found = {}
    for name, _route, pattern in _patterns():
        viewset = getattr(pattern.callback, "cls", None)
        actions = getattr(pattern.callback, "actions", {}) or {}
        filterset = getattr(viewset, "filterset_class", None)
        if name and actions.get("get") == "list" and filterset is not None:
            found[filterset] = reverse(name)
    return found


def parameterless_pages() -> list[str]:
    """The URL of every project page that takes no parameter (not the admin, not the API)."""
    urls = []
    for name, route, pattern in _patterns():
        if name is None or route.startswith(("admin/", "api/", "i18n/", "accounts/", "^")):
            continue
        if pattern.pattern.converters or getattr(pattern.pattern, "regex", None).groups:
            continue
        urls.append(reverse(name))
    return sorted(set(urls))


@contextlib.contextmanager
def filterset_spy():
    """While open, records each FilterSet built: its class and the request it was given."""
    built: list[tuple[type[BaseFilterSet], object]] = []
    original = BaseFilterSet.__init__

    def recording_init(filterset, *args, **kwargs):
        built.append((type(filterset), kwargs.get("request")))
        original(filterset, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseFilterSet, "__init__", recording_init)
        yield built


_PAGES: dict[type[BaseFilterSet], tuple[str, ...]] = {}


def pages_by_filterset(staff) -> dict[type[BaseFilterSet], tuple[str, ...]]:
    """The staff pages (URLs) that build each FilterSet, found once per test session."""
    if not _PAGES:
        client = Client()
        client.force_login(staff)
        found: dict[type[BaseFilterSet], set[str]] = {}
        with filterset_spy() as built:
            for url in parameterless_pages():
                client.get(url)
                for filterset, _request in built:
                    found.setdefault(filterset, set()).add(url)
                built.clear()
        _PAGES.update({filterset: tuple(sorted(urls)) for filterset, urls in found.items()})
    return _PAGES
