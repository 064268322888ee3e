"""Taking the monthly snapshots: every network (and, below, every coalition's health) in bulk.

A snapshot belongs to a month (`period`, its first day). Taking it again in the same month
replaces its figures, so the monthly job, a staff member's "take them now" and `take_snapshots`
can all run as often as they like.
"""

import datetime
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils import timezone, translation

from coalitions.models import Coalition, CoalitionHealth, Engagement, Initiative
from coalitions.network import scope_network
from coalitions.rollup import Period
from core.tasks import enqueue_after_commit
from core.validation import full_clean
from countries.models import Country
from stakeholders.network import Network

from .models import CoalitionHealthSnapshot, NetworkSnapshot, ReportRun

logger = logging.getLogger(__name__)

#: How many of the most central actors each network snapshot keeps.
CENTRAL_KEPT = 10


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _network_figures(network: Network) -> dict:
    """A snapshot's figures: the network page's own (`coalitions.network.scope_network`)."""
    return {
        "actors": len(network.nodes),
        "ties": len(network.edges),
        "connected": sum(1 for node in network.nodes if node.degree),
        "density": round(network.density, 6),
        "components": network.components,
        # The page's order: betweenness, then degree, then name.
        "central": [
            {
                "id": node.stakeholder.pk,
                "name": node.stakeholder.name,
                "degree": node.degree,
                "betweenness": round(node.betweenness, 6),
            }
            for node in network.nodes[:CENTRAL_KEPT]
        ],
        "connected_ids": sorted(node.stakeholder.pk for node in network.nodes if node.degree),
    }


FIGURES = ["actors", "ties", "connected", "density", "components", "central", "connected_ids"]


def _differs(row: dict, figures: dict) -> bool:
    """Whether a snapshot's stored figures (a `.values()` row) differ from those just taken."""
    return any(row[name] != value for name, value in figures.items())


@transaction.atomic
def network_snapshots_take(*, on: datetime.date | None = None) -> int:
    """Snapshot the network of every country and every initiative for the month of `on` (today);
    how many snapshots the month has of them. A network with no actors is left out.

    The figures are the network page's, read for every row (a job has no user); the writes are
    bulk statements whatever the number of networks, of the new snapshots and of those whose
    figures changed: a re-run over unchanged networks writes nothing.
    """
    period = month_start(on or timezone.localdate())
    scopes = [(country, None) for country in Country.objects.order_by("pk")]
    scopes += [(None, initiative) for initiative in Initiative.objects.select_related("country").order_by("pk")]
    existing = {
        (row["country_id"], row["initiative_id"]): row
        for row in NetworkSnapshot.objects.filter(period=period).values("pk", "country_id", "initiative_id", *FIGURES)
    }
    new, changed, taken, now = [], [], 0, timezone.now()
    for country, initiative in scopes:
        _colour, network = scope_network(country=country, initiative=initiative, user=None, draw=False)
        if not network.nodes:
            continue
        taken += 1
        figures = _network_figures(network)
        key = (country.pk if country else None, initiative.pk if initiative else None)
        row = existing.get(key)
        if row is None:
            new.append(NetworkSnapshot(country=country, initiative=initiative, period=period, **figures))
        elif _differs(row, figures):
            # bulk_update leaves auto_now alone: updated_at says when the figures last changed.
            changed.append(NetworkSnapshot(pk=row["pk"], updated_at=now, **figures))
    if new:  # nothing written, nothing said changed (`core.short_tables.table_changed`)
        NetworkSnapshot.objects.bulk_create(new)
    if changed:
        NetworkSnapshot.objects.bulk_update(changed, [*FIGURES, "updated_at"])
    return taken


@transaction.atomic
def coalition_health_snapshots_take(*, on: datetime.date | None = None, months_ago: int = 0) -> int:
    """Snapshot every coalition's health for the month of `on` (today), or for the month
    `months_ago` before this one, as of its last day (the demo's history).

    The figures are the coalition page's (`CoalitionQuerySet.with_health`, for that day), with the
    day of the last engagement by then; a coalition formed later is left out; how many snapshots
    the month has of them. One query reads every coalition, one the month's snapshots, one writes
    the new ones and those whose figures changed (none when nothing did), whatever their number.
    """
    as_of = on or timezone.localdate()
    for _month in range(months_ago):
        as_of = month_start(as_of) - datetime.timedelta(days=1)
    period = month_start(as_of)
    last_met = Engagement.objects.filter(coalition=OuterRef("pk"), occurred_on__lte=as_of).order_by("-occurred_on")
    names = CoalitionHealth.names()
    rows = (
        Coalition.objects.exclude(formed_on__gt=as_of)
        .with_health(as_of)
        .annotate(last_met_on=Subquery(last_met.values("occurred_on")[:1]))
        .values("pk", "last_met_on", *(f"health_{name}" for name in names))
    )
    fields = [*names, "last_met_on", "as_of"]
    existing = {
        row["coalition_id"]: row
        for row in CoalitionHealthSnapshot.objects.filter(period=period).values("coalition_id", *fields)
    }
    written, taken = [], 0
    for row in rows:
        taken += 1
        figures = {name: row[f"health_{name}"] for name in names} | {"last_met_on": row["last_met_on"], "as_of": as_of}
        snapshot = existing.get(row["pk"])
        if snapshot is None or _differs(snapshot, figures):
            written.append(CoalitionHealthSnapshot(coalition_id=row["pk"], period=period, **figures))
    # New and changed rows in one upsert on the month's unique (coalition, period): an UPDATE of
    # thousands of rows through bulk_update is one CASE per field and row, which Django builds
    # row by row. The row keeps its id and created_at; updated_at is set (auto_now).
    if written:
        CoalitionHealthSnapshot.objects.bulk_create(
            written,
            update_conflicts=True,
            unique_fields=["coalition", "period"],
            update_fields=[*fields, "updated_at"],
        )
    return taken


def snapshots_take(*, on: datetime.date | None = None) -> int:
    """Every snapshot of the month of `on` (today): what the monthly job and staff's button run."""
    return network_snapshots_take(on=on) + coalition_health_snapshots_take(on=on)


# --- Period reports built in the background ------------------------------------------------


def report_is_large(period) -> bool:
    """Whether a report's workbook is built in the background: a range longer than REPORT_ASYNC_DAYS."""
    return (period.end - period.start).days + 1 > settings.REPORT_ASYNC_DAYS


def report_run_start(*, user, scope: str, subject, period, language: str) -> ReportRun:
    """Record a run of the subject's report for the period and build it in the background
    (`trends.tasks.report_run_build`, after the commit; in-process without a broker)."""
    run = ReportRun(
        requested_by=user,
        scope=scope,
        key=subject.code if scope == "country" else str(subject.pk),
        title=str(getattr(subject, "display_name", None) or subject)[:300],
        start=period.start,
        end=period.end,
        language=language,
    )
    full_clean(run)
    run.save()
    enqueue_after_commit("trends.tasks.report_run_build", run_id=run.pk)
    return run


def _progress(run_id: int, low: int, high: int):
    """A callback writing a run's progress, `low` to `high` percent of the whole as its part goes 0-100."""

    def write(percent: int) -> None:
        ReportRun.objects.filter(pk=run_id).update(progress=low + (high - low) * percent // 100)

    return write


def report_run_build(*, run_id: int) -> None:
    """Build a run's workbook as its requester would download it, in the run's language, and keep
    the file; progress is written as each section is gathered (to 60 %) and each sheet written
    (to 95 %). A subject now out of the requester's sight, or any error, is recorded on the run."""
    from .report_xlsx import report_filename, report_workbook
    from .reports import report, report_subject

    # A run still "running" is one whose worker was lost: the redelivered task builds it again.
    unfinished = (ReportRun.Status.QUEUED, ReportRun.Status.RUNNING)
    run = ReportRun.objects.select_related("requested_by").filter(pk=run_id, status__in=unfinished).first()
    if run is None:  # built already, or expired
        return
    ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.RUNNING, updated_at=timezone.now())
    try:
        with translation.override(run.language):
            try:
                subject = report_subject(scope=run.scope, key=run.key, user=run.requested_by)
            except Http404:
                _report_run_fail(run, ReportRun.Error.SUBJECT_GONE)
                return
            period = Period(run.start, run.end)
            user, gathered = run.requested_by, _progress(run.pk, 0, 60)
            made = report(scope=run.scope, subject=subject, period=period, user=user, progress=gathered)
            content = report_workbook(made, progress=_progress(run.pk, 60, 95))
            filename = report_filename(made)
        run.file.save(filename, ContentFile(content), save=False)
        run.filename = filename
        run.status, run.progress, run.finished_at = ReportRun.Status.DONE, 100, timezone.now()
        run.save(update_fields=["file", "filename", "status", "progress", "finished_at", "updated_at"])
    except Exception:
        logger.exception("Report run %s failed", run_id)
        _report_run_fail(run, ReportRun.Error.FAILED)


def _report_run_fail(run: ReportRun, error: str) -> None:
    ReportRun.objects.filter(pk=run.pk).update(
        status=ReportRun.Status.FAILED, error=error, finished_at=timezone.now(), updated_at=timezone.now()
    )


#: A run still queued this long after it was asked for lost its task (a broker outage): queued again.
REPORT_RUN_LOST_AFTER = datetime.timedelta(minutes=10)


def report_runs_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the runs older than REPORT_RUNS_KEEP_DAYS and their files, and queue again the runs
    whose task was lost (beat's job, every 10 minutes); how many were deleted."""
    now = now or timezone.now()
    lost = ReportRun.objects.filter(status=ReportRun.Status.QUEUED, created_at__lt=now - REPORT_RUN_LOST_AFTER)
    for run_id in lost.values_list("pk", flat=True):
        enqueue_after_commit("trends.tasks.report_run_build", run_id=run_id)
    cutoff = now - datetime.timedelta(days=settings.REPORT_RUNS_KEEP_DAYS)
    old = list(ReportRun.objects.filter(created_at__lt=cutoff).only("pk", "file"))
    for run in old:
        if run.file:
            run.file.delete(save=False)  # a file already gone is no error for the storage
    ReportRun.objects.filter(pk__in=[run.pk for run in old]).delete()
    return len(old)
