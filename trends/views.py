"""The history of a country's or an initiative's relationship network, from its monthly snapshots."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalitions.forms import RollupPeriodForm
from coalitions.models import Initiative
from coalitions.network import network_scope
from core.access import staff_required
from core.exports import XLSX_TYPE
from core.files import stored_file_response
from core.parsing import parse_id
from core.tasks import enqueue_after_commit
from core.views import get_visible_or_404
from countries.models import Country
from stakeholders.models import Stakeholder

from . import dashboard, reports, services
from .charts import central_chart, figure_chart
from .health import health_rows
from .models import NetworkSnapshot, ReportRun


@staff_required
def network_history(request: HttpRequest) -> HttpResponse:
    user = request.user
    country, initiative = network_scope(user=user, params=request.GET)
    snapshots = NetworkSnapshot.objects.visible_to(user)
    snapshots = snapshots.filter(initiative=initiative) if initiative else snapshots.filter(country=country)
    snapshots = list(snapshots.order_by("period"))
    latest = snapshots[-1] if snapshots else None
    previous = snapshots[-2] if len(snapshots) > 1 else None
    newly_connected = []
    if previous is not None:
        ids = set(latest.connected_ids) - set(previous.connected_ids)
        newly_connected = list(Stakeholder.objects.visible_to(user).filter(pk__in=ids).only("pk", "name"))
    central, central_legend = central_chart(snapshots)
    context = {
        "country": country,
        "initiative": initiative,
        "countries": Country.objects.visible_to(user),
        "initiatives": Initiative.objects.visible_to(user).select_related("country"),
        "snapshots": snapshots,
        "latest": latest,
        "previous": previous,
        "newly_connected": newly_connected,
        "density_chart": figure_chart(snapshots, "density", title=_("Density"), decimals=3),
        "groups_chart": figure_chart(snapshots, "components", title=_("Groups")),
        "connected_chart": figure_chart(snapshots, "connected", title=_("Connected actors")),
        "central_chart": central,
        "central_legend": central_legend,
        "nav_section": "relationships",
    }
    return render(request, "trends/networksnapshot_list.html", context)


@staff_required
def coalition_health(request: HttpRequest) -> HttpResponse:
    """The coalitions the user sees by health, with trends: a page of its own, and the panel the
    dashboard loads after its first paint (htmx), which keeps the dashboard's own queries few."""
    template = "trends/includes/coalition_health_table.html" if request.htmx else "trends/coalition_health.html"
    return render(request, template, {"rows": health_rows(user=request.user), "nav_section": "dashboard"})


@staff_required
def country_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """The country's dashboard: its panels load after the first paint (`country_dashboard_panel`)."""
    country = get_visible_or_404(Country.objects.all(), request.user, code=code.upper())
    return render(request, "trends/country_dashboard.html", {"country": country, "nav_section": "countries"})


@staff_required
def country_dashboard_panel(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """One panel of the country dashboard, for the page (htmx) or as a page of its own; the
    country is checked as the dashboard checks it."""
    country = get_visible_or_404(Country.objects.all(), request.user, code=code.upper())
    figures = dashboard.PANELS.get(name)
    if figures is None:
        raise Http404
    template = f"trends/includes/dashboard/{name}.html"
    context = {"country": country, **figures(country=country, user=request.user, today=timezone.localdate())}
    if not request.htmx:
        context.update(template=template, nav_section="countries")
        template = "trends/country_dashboard_panel.html"
    return render(request, template, context)


@staff_required
@require_POST
def snapshot_take(request: HttpRequest) -> HttpResponse:
    """Take this month's snapshots now (they replace the month's, if taken), in the background;
    back to the history page of the scope the button was on."""
    enqueue_after_commit("trends.tasks.snapshots_take")
    messages.success(request, _("This month's snapshots are being taken: reload this page in a minute."))
    scope = {name: parse_id(request.POST.get(name)) for name in ("country", "initiative")}
    query = urlencode({name: value for name, value in scope.items() if value})
    return redirect(reverse("trends:network_history") + (f"?{query}" if query else ""))


@staff_required
def period_report(request: HttpRequest, scope: str, key: str) -> HttpResponse:
    """A period report of a coalition (with its local coalitions), an initiative or a country: a
    print-ready page, or with `format=xlsx` the same report as a workbook.

    The page itself shows the period and the downloads; each section loads from its own request
    after the first paint (`period_report_section`), so the page costs the same whatever the
    amount of data, and no section waits for the others."""
    subject = reports.report_subject(scope=scope, key=key, user=request.user)
    period_form = RollupPeriodForm(request.GET or None)
    period = period_form.period()
    large = services.report_is_large(period)
    if large and request.GET.get("format") == "xlsx":
        # Too long to build in a request: the page offers to build it in the background.
        query = urlencode({"start": period.start, "end": period.end})
        return redirect(reverse("trends:period_report", args=[scope, key]) + f"?{query}#download")
    if request.GET.get("format") == "xlsx":
        report = reports.report(scope=scope, subject=subject, period=period, user=request.user)
        from .report_xlsx import report_filename, report_workbook  # openpyxl: only in the workers that write one

        response = HttpResponse(report_workbook(report), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{report_filename(report)}"'
        return response
    report = reports.Report(scope=scope, subject=subject, period=period)
    dates = urlencode({"start": period.start, "end": period.end})
    context = {
        "report": report,
        "period_form": period_form,
        "section_links": [
            (name, title, reverse("trends:period_report_section", args=[scope, report.key, name]) + f"?{dates}")
            for name, title in reports.SECTIONS
        ],
        "xlsx_query": f"{dates}&format=xlsx",
        "large": large,
        "async_days": settings.REPORT_ASYNC_DAYS,
        "nav_section": "countries",
    }
    return render(request, "trends/period_report.html", context)


@staff_required
def period_report_section(request: HttpRequest, scope: str, key: str, name: str) -> HttpResponse:
    """One section of a period report, for the page to load after its first paint (htmx), or as a
    page of its own; the subject is checked as the report page checks it."""
    subject = reports.report_subject(scope=scope, key=key, user=request.user)
    titles = dict(reports.SECTIONS)
    if name not in titles:
        raise Http404
    period = RollupPeriodForm(request.GET or None).period()
    report = reports.section(
        name=name, scope=scope, subject=subject, period=period, user=request.user, page=request.GET.get("page")
    )
    template = f"trends/includes/report/{name}.html"
    # A long section's other pages are this section's address, wherever it is shown.
    section_url = reverse("trends:period_report_section", args=[scope, report.key, name])
    context = {"report": report, "sections": titles, "section_url": section_url, "nav_section": "countries"}
    key = reports.section_key(name, report)
    if key:
        context.update(section_template=template, section_key=key, section_timeout=reports.section_timeout(name))
        template = "trends/includes/report/kept.html"
    if request.htmx:
        return render(request, template, context)
    dates = urlencode({"start": period.start, "end": period.end})
    report_url = reverse("trends:period_report", args=[scope, report.key]) + f"?{dates}"
    context.update(template=template, title=titles[name], report_url=report_url)
    return render(request, "trends/period_report_section.html", context)


@staff_required
@require_POST
def report_run_start(request: HttpRequest, scope: str, key: str) -> HttpResponse:
    """Build the report's workbook in the background, in the page's language; on to the run's page."""
    subject = reports.report_subject(scope=scope, key=key, user=request.user)
    period = RollupPeriodForm(request.POST).period()
    run = services.report_run_start(
        user=request.user, scope=scope, subject=subject, period=period, language=get_language()
    )
    return redirect(run)


def _run_or_404(user, pk: int) -> ReportRun:
    """The user's own run, while they may still see its subject (the report's own rule); a 404 otherwise."""
    run = get_visible_or_404(ReportRun.objects.all(), user, pk=pk)
    reports.report_subject(scope=run.scope, key=run.key, user=user)
    return run


@login_required
def report_run(request: HttpRequest, pk: int) -> HttpResponse:
    """A background report's progress and, when it is ready, its download; htmx polls the status part."""
    run = _run_or_404(request.user, pk)
    template = "trends/includes/reportrun_status.html" if request.htmx else "trends/reportrun_detail.html"
    return render(request, template, {"run": run, "nav_section": "countries"})


@login_required
def report_run_file(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_or_404(request.user, pk)
    if run.status != ReportRun.Status.DONE:
        raise Http404
    return stored_file_response(run.file, filename=run.filename, content_type=XLSX_TYPE)


@staff_required
def report_runs(request: HttpRequest) -> HttpResponse:
    """The user's recent background reports, newest first (kept for REPORT_RUNS_KEEP_DAYS days)."""
    runs = ReportRun.objects.visible_to(request.user)[:50]
    context = {"runs": runs, "keep_days": settings.REPORT_RUNS_KEEP_DAYS, "nav_section": "countries"}
    return render(request, "trends/reportrun_list.html", context)
