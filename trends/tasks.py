from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def snapshots_take() -> None:
    services.snapshots_take()


@shared_task(acks_late=True, ignore_result=True)
def report_run_build(run_id: int) -> None:
    services.report_run_build(run_id=run_id)


@shared_task(ignore_result=True)
def report_runs_expire() -> None:
    """Beat's job (config/settings.py): kept report workbooks past their time, and lost runs queued again."""
    services.report_runs_expire()
