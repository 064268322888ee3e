"""Period reports of long ranges: built by a Celery task (in-process in tests), with progress, kept
for download by their requester only, and deleted after REPORT_RUNS_KEEP_DAYS."""

import datetime
import io

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from coalitions.rollup import Period
from trends import services
from trends.models import ReportRun
from trends.report_xlsx import report_workbook
from trends.reports import report

from .test_period_report import _more

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)  # two years: past REPORT_ASYNC_DAYS
COUNTRY = "/reports/country/co/"
LONG = "?start=2025-01-01&end=2026-12-31"


def at_commit():
    """The task is queued after the commit, which a test's transaction never reaches: run it there."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def start_run(client) -> ReportRun:
    with at_commit():
        response = client.post(COUNTRY + "runs/", {"start": START.isoformat(), "end": END.isoformat()})
    run = ReportRun.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    return run


def sheets(content: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(content))
    return {name: list(book[name].values) for name in book.sheetnames}


def test_a_long_range_offers_a_background_workbook_instead_of_the_download(staff_client, world):
    html = staff_client.get(COUNTRY + LONG).content.decode()
    assert 'action="/reports/country/CO/runs/"' in html and "format=xlsx" not in html
    response = staff_client.get(COUNTRY + LONG + "&format=xlsx")
    assert response.status_code == 302 and response["Location"].endswith("#download")
    html = staff_client.get(COUNTRY + "?start=2026-01-01&end=2026-12-31").content.decode()
    assert "format=xlsx" in html  # a year downloads at once


def test_the_task_builds_the_same_workbook_as_the_download(staff_client, world):
    _more(world, 2)
    run = start_run(staff_client)
    run.refresh_from_db()
    assert (run.status, run.progress, run.error) == (ReportRun.Status.DONE, 100, "")
    assert run.filename == "report-country-colombia-20250101-20261231.xlsx"
    made = report(scope="country", subject=world.co, period=Period(START, END), user=world.staff_co)
    response = staff_client.get(f"/reports/runs/{run.pk}/file/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{run.filename}"'
    assert response["Cache-Control"] == "private, no-store"
    kept = sheets(b"".join(response.streaming_content))
    assert kept == sheets(report_workbook(made))
    assert kept["Summary"][-1][0] == "Total" and kept["Summary"][-1][3] == 3


def test_the_workbook_is_in_the_language_it_was_asked_in(staff_client, world):
    with at_commit():
        staff_client.post(
            COUNTRY + "runs/", {"start": START.isoformat(), "end": END.isoformat()}, HTTP_ACCEPT_LANGUAGE="es"
        )
    run = ReportRun.objects.get()
    assert run.language == "es"
    with run.file.open("rb") as handle:
        assert next(iter(sheets(handle.read()))) == "Resumen"


def test_progress_is_written_as_each_section_is_built(world, monkeypatch):
    seen = []
    original = services._progress

    def recording(run_id, low, high):
        write = original(run_id, low, high)

        def both(percent):
            write(percent)
            seen.append(ReportRun.objects.get(pk=run_id).progress)

        return both

    monkeypatch.setattr(services, "_progress", recording)
    with at_commit():
        run = services.report_run_start(
            user=world.staff_co, scope="country", subject=world.co, period=Period(START, END), language="en"
        )
    run.refresh_from_db()
    assert seen == sorted(seen) and len(seen) >= 8 and seen[-1] == 95
    assert run.progress == 100


def test_the_run_page_shows_progress_and_the_download(staff_client, world):
    run = start_run(staff_client)
    html = staff_client.get(run.get_absolute_url()).content.decode()
    assert '<progress id="report-run-progress" max="100" value="100">' in html
    assert f"/reports/runs/{run.pk}/file/" in html and 'hx-trigger="every 2s"' not in html  # finished: no polling
    assert "<script>" not in html and "style=" not in html
    ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.RUNNING, progress=40)
    part = staff_client.get(run.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert part.startswith('<div id="report-run-status"') and 'hx-trigger="every 2s"' in part
    assert 'value="40"' in part and "/file/" not in part
    assert staff_client.get(f"/reports/runs/{run.pk}/file/").status_code == 404  # not ready


def test_a_failure_is_recorded_and_shown_translated(staff_client, world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("trends.report_xlsx.report_workbook", broken)
    run = start_run(staff_client)
    run.refresh_from_db()
    assert (run.status, run.error, bool(run.file)) == (ReportRun.Status.FAILED, ReportRun.Error.FAILED, False)
    html = staff_client.get(run.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "No se pudo generar el libro" in html


def test_only_the_requester_gets_the_run_and_its_file(staff_client, other_staff_client, partner_client, world):
    run = start_run(staff_client)
    for client in (other_staff_client, partner_client):
        assert client.get(run.get_absolute_url()).status_code == 404
        assert client.get(f"/reports/runs/{run.pk}/file/").status_code == 404
    assert run.get_absolute_url() not in other_staff_client.get("/reports/runs/").content.decode()
    assert partner_client.post(COUNTRY + "runs/", {"start": "2025-01-01"}).status_code == 403


def test_a_subject_out_of_sight_is_a_404_at_download(staff_client, world):
    run = start_run(staff_client)
    ReportRun.objects.filter(pk=run.pk).update(key="ZZ")  # as if the country were gone
    assert staff_client.get(run.get_absolute_url()).status_code == 404
    assert staff_client.get(f"/reports/runs/{run.pk}/file/").status_code == 404


def test_the_list_shows_the_users_recent_runs(staff_client, world):
    run = start_run(staff_client)
    html = staff_client.get("/reports/runs/").content.decode()
    assert run.get_absolute_url() in html and f"/reports/runs/{run.pk}/file/" in html


def test_old_runs_and_their_files_expire(staff_client, world, settings):
    old, recent = start_run(staff_client), start_run(staff_client)
    storage, name = old.file.storage, ReportRun.objects.get(pk=old.pk).file.name
    assert storage.exists(name)
    ReportRun.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    assert services.report_runs_expire() == 1
    assert list(ReportRun.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not storage.exists(name)
    assert "trends.tasks.report_runs_expire" in {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}


def test_the_run_pages_query_count_does_not_grow(staff_client, world):
    def queries(url) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(url).status_code == 200
        return len(captured)

    run = start_run(staff_client)
    small = (queries(run.get_absolute_url()), queries("/reports/runs/"))
    for _ in range(5):
        start_run(staff_client)
    assert (queries(run.get_absolute_url()), queries("/reports/runs/")) == small
    assert small[0] <= 6


def test_a_run_whose_task_was_lost_is_queued_again(world):
    run = ReportRun.objects.create(
        requested_by=world.staff_co, scope="country", key="CO", start=START, end=END, language="en"
    )
    ReportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=11))
    with at_commit():
        services.report_runs_expire()
    run.refresh_from_db()
    assert (run.status, run.progress) == (ReportRun.Status.DONE, 100)
