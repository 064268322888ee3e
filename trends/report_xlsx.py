"""A period report (`trends.reports.Report`) as an XLSX workbook: one sheet per section, headers in the
active language, a totals row where the section has figures. Text cells go through
`core.exports.csv_cell`, the one guard against spreadsheet formulas."""

import io
import re
from collections.abc import Callable
from decimal import Decimal

from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook

from coalitions.models import Assessment
from coalitions.moves import DIMENSIONS, distance
from core.exports import csv_cell
from stakeholders.models import Stakeholder

from .reports import SECTIONS, Report

SECTION_TITLES = dict(SECTIONS)
MOVE_DIMENSIONS = tuple(name for name, _label in DIMENSIONS)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    return csv_cell(value)


def _sheet_title(title: str) -> str:
    """Excel's rules for a sheet's name: at most 31 characters, none of : \\ / ? * [ ]."""
    return re.sub(r"[:\\/?*\[\]]", " ", title)[:31]


def report_filename(report: Report) -> str:
    """A safe attachment name: ASCII letters, digits and hyphens only, with the period."""
    subject = slugify(report.title) or report.scope
    return f"report-{report.scope}-{subject}-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}.xlsx"


def _summary(report: Report) -> tuple[list, list[list]]:
    header = [
        _("Coalition"),
        _("Members active"),
        _("Sectors"),
        _("Engagements"),
        _("Participants"),
        _("Commitments made"),
        _("Commitments due"),
        _("Done"),
        _("Overdue"),
        _("Fulfilment (%)"),
        _("Outcomes harvested"),
        _("Notes shared up"),
        _("Notes shared down"),
    ]

    def figures_row(name, figures):
        return [
            name,
            figures.members_active,
            figures.sectors,
            figures.engagements,
            figures.participants,
            figures.commitments_made,
            figures.commitments_due,
            figures.commitments_done,
            figures.commitments_overdue,
            figures.fulfilment_percent,
            figures.outcomes,
            figures.notes_shared_up,
            figures.notes_shared_down,
        ]

    rows = [figures_row(column.coalition.name, column.figures) for column in report.rollup.columns]
    return header, [*rows, figures_row(_("Total"), report.rollup.total)]


def _engagements(report: Report) -> tuple[list, list[list]]:
    header = [_("Kind"), _("Engagements"), _("Participants"), *(label for _value, label in report.sectors)]
    rows = [
        [row.label, row.engagements, row.participants, *(row.by_sector.get(value, 0) for value, _l in report.sectors)]
        for row in report.kinds
    ]
    totals = report.sector_totals
    total = [
        _("Total"),
        report.engagements_total,
        report.rollup.total.participants,
        *(totals[value] for value, _l in report.sectors),
    ]
    return header, [*rows, total]


def _commitments(report: Report) -> tuple[list, list[list]]:
    header = [_("Coalition"), _("Commitment"), _("Owner"), _("Made on"), _("Due on"), _("Status")]
    rows = [
        [
            c.coalition.name,
            c.description,
            str(c.owner),
            c.created_at.date().isoformat(),
            c.due_on.isoformat() if c.due_on else "",
            c.get_status_display(),
        ]
        for c in report.commitments
    ]
    total = report.rollup.total
    totals = [
        _("Total"),
        _("%(made)s made, %(due)s due, %(done)s done")
        % {"made": total.commitments_made, "due": total.commitments_due, "done": total.commitments_done},
    ]
    return header, [*rows, totals]


def _outcomes(report: Report) -> tuple[list, list[list]]:
    header = [_("Coalition"), _("Observed on"), _("Outcome"), _("Type of change"), _("Significance"), _("Contribution")]
    rows = [
        [
            o.coalition.name,
            o.observed_on.isoformat(),
            o.description,
            o.get_change_type_display(),
            o.significance,
            o.contribution,
        ]
        for o in report.outcomes
    ]
    return header, [*rows, [_("Total"), len(report.outcomes)]]


def _notes(report: Report) -> tuple[list, list[list]]:
    header = [_("Coalition"), _("Written on"), _("Title"), _("Author")]
    rows = [
        [n.coalition.name, n.created_at.date().isoformat(), n.title, str(n.author) if n.author_id else ""]
        for n in report.notes
    ]
    return header, [*rows, [_("Total"), len(report.notes)]]


#: What the moves' sheet shows of each assessment (`Moved.values`).
MOVE_FIELDS = ("stakeholder__name", "stakeholder__acronym", "initiative__name", "assessed_on", *MOVE_DIMENSIONS)


def _moves(report: Report) -> tuple[list, list[list]]:
    """Each move as `coalitions.moves.Change` shows it (a stance in words, "before → now" when it was
    assessed before), from a few columns of the assessments: a country's year has tens of thousands."""
    header = [_("Actor"), _("Initiative"), _("Assessed on"), _("Moved by"), *(str(label) for _n, label in DIMENSIONS)]
    stances = {value: str(label) for value, label in Assessment.Stance.choices}
    new = _("new")

    def shown(name: str, value) -> str:
        if value is None:
            return ""
        return stances[value] if name == "stance" else str(value)

    rows = []
    for now, before in report.moves.values(*MOVE_FIELDS):
        moved_by = distance(now, before)
        changes = (
            shown(name, now[name])
            if before is None or before[name] is None
            else f"{shown(name, before[name])} → {shown(name, now[name])}"
            for name in MOVE_DIMENSIONS
        )
        rows.append(
            [
                Stakeholder.name_with_acronym(now["stakeholder__name"], now["stakeholder__acronym"]),
                now["initiative__name"],
                now["assessed_on"].isoformat(),
                new if moved_by is None else round(moved_by, 2),
                *changes,
            ]
        )
    return header, [*rows, [_("Total"), len(report.moves)]]


def _indicators(report: Report) -> tuple[list, list[list]]:
    header = [_("Indicator"), _("Unit"), _("Baseline"), _("Target"), _("Latest value"), _("Progress (%)"), _("Status")]
    rows = []
    for indicator, progress in report.indicator_rows:
        latest = indicator.latest_value
        rows.append(
            [
                indicator.name,
                indicator.unit,
                None if indicator.baseline_value is None else float(indicator.baseline_value),
                None if indicator.target_value is None else float(indicator.target_value),
                None if latest is None else float(latest.value),
                progress.percent,
                progress.status_label,
            ]
        )
    return header, [*rows, [_("Total"), len(rows)]]


def _resources(report: Report) -> tuple[list, list[list]]:
    """Transfers by fiscal year and source, then budget execution by plan objective, each with totals."""
    resources = report.resources
    if resources.absent:
        return [str(SECTION_TITLES["resources"])], [[resources.absent]]
    rows: list[list] = []
    transfers = resources.transfers
    header = [_("Fiscal year"), *(label for _value, label in transfers.sources), _("Total")]
    rows += [[row.year, *row.amounts, row.total] for row in transfers.rows]
    rows.append([_("Total"), *resources.transfer_source_totals, resources.transfers_total])
    rows.append([])
    rows.append([_("Objective code"), _("Objective"), _("Allocated"), _("Executed"), _("Execution rate (%)")])
    for row in resources.by_objective:
        rate = row.execution_rate
        rows.append([row.code, row.title, row.allocated, row.executed, None if rate is None else round(rate * 100, 1)])
    rate = resources.execution_rate
    rows.append(
        [_("Total"), "", resources.allocated, resources.executed, None if rate is None else round(rate * 100, 1)]
    )
    if resources.currencies:
        rows.append([])
        rows.append([_("Amounts in"), ", ".join(resources.currencies)])
    return header, rows


BUILDERS = {
    "summary": _summary,
    "engagements": _engagements,
    "commitments": _commitments,
    "outcomes": _outcomes,
    "notes": _notes,
    "moves": _moves,
    "indicators": _indicators,
    "resources": _resources,
}


def report_workbook(report: Report, progress: Callable[[int], None] | None = None) -> bytes:
    """The report as the bytes of an XLSX file, a sheet per section in the page's order; `progress`,
    when given, is told the percentage of sheets written after each."""
    book = Workbook(write_only=True)
    for number, (name, title) in enumerate(SECTIONS, start=1):
        header, rows = BUILDERS[name](report)
        sheet = book.create_sheet(_sheet_title(str(title)))
        sheet.append([_cell(value) for value in header])
        for row in rows:
            sheet.append([_cell(value) for value in row])
        if progress:
            progress(100 * number // len(SECTIONS))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
