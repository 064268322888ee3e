from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self) -> None:
        from celery import signals

        from . import (
            checks,  # noqa: F401 (registers them)
            personal_data,
            short_tables,
        )
        from .api import authentication
        from .history import context, recording

        recording.register()
        short_tables.register()
        authentication.register()
        signals.task_prerun.connect(context.task_started, dispatch_uid="history:task_started")
        signals.task_postrun.connect(context.task_finished, dispatch_uid="history:task_finished")
        # After every model is loaded: each app's personal_data module registers its models.
        personal_data.autodiscover()
