"""Every FilterSet of the project, found the way Django finds models: each app's `filters` module."""

from importlib import import_module

from django.apps import apps
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
