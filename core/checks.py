"""Deployment checks of the project's own (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs) -> list[Warning]:
    """Limits are counted in the cache: a per-process cache multiplies them by the number of workers."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("locmem.LocMemCache", "dummy.DummyCache")):
        return [
            Warning(
                "CACHE_URL is not set: each web process counts rate limits in its own memory, so with "
                "several workers every limit is multiplied by their number.",
                hint="Set CACHE_URL to a Redis database shared by every web process, e.g. redis://127.0.0.1:6379/1.",
                id="core.W001",
            )
        ]
    return []
