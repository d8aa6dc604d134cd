"""The dashboards as files: one table as CSV, a dashboard's tables as an Excel workbook,
and every dashboard as the committee's PDF report. The files hold the same figures as
the pages, with the same suppression, and no personal data."""

import csv
import datetime as dt
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from sia.followup.figures import SUPPRESSED, Dashboard, Table, Value, format_value
from sia.followup.filters import Filters
from sia.followup.report import committee_pdf, selection_lines

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(dashboard: Dashboard, filters: Filters, suffix: str) -> str:
    return f"sia-{dashboard.key}-{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}{suffix}"


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def filter_lines(filters: Filters, today: dt.date) -> list[str]:
    """What the figures are limited to, as lines for the head of a file."""
    return [
        _("Period: %(start)s – %(end)s")
        % {"start": filters.date_from.isoformat(), "end": filters.date_to.isoformat()},
        *selection_lines(filters),
        _("Uttaget: %(day)s") % {"day": today.isoformat()},
    ]


def csv_response(
    dashboard: Dashboard, table: Table, filters: Filters, today: dt.date
) -> HttpResponse:
    """One table as CSV (semicolon-separated, as Swedish Excel expects): the column
    headings, then the rows with figures as shown on the page."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([column.label for column in table.columns])
    for row in table.rows:
        writer.writerow(
            [
                format_value(value, column.kind, dashboard.suppress_below)
                for value, column in zip(row, table.columns, strict=True)
            ]
        )
    return _download(
        "\ufeff" + out.getvalue(),
        "text/csv; charset=utf-8",
        _filename(dashboard, filters, f"-{table.key}.csv"),
    )


def _cell(value: Value, kind: str, limit: int | None) -> object:
    if value is SUPPRESSED or value is None:
        return format_value(value, "text", limit)
    if kind == "share" and isinstance(value, int | float):
        return float(value)
    return value


def xlsx_response(dashboard: Dashboard, filters: Filters, today: dt.date) -> HttpResponse:
    """Every table of a dashboard as a sheet of one workbook; shares are stored as
    numbers formatted as per cent, hidden figures as the text the page shows."""
    workbook = Workbook()
    first = workbook.active
    if first is not None:
        workbook.remove(first)
    used: set[str] = set()
    for number, table in enumerate(dashboard.tables(), start=1):
        title = table.title[:28]
        for bad in "[]:*?/\\":
            title = title.replace(bad, " ")
        if title in used:
            title = f"{title[:25]} {number}"
        used.add(title)
        sheet = workbook.create_sheet(title)
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        for line in filter_lines(filters, today):
            sheet.append([line])
        sheet.append([])
        sheet.append([column.label for column in table.columns])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(
                [
                    _cell(value, column.kind, dashboard.suppress_below)
                    for value, column in zip(row, table.columns, strict=True)
                ]
            )
            for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
                if column.kind == "share" and isinstance(cell.value, float):
                    cell.number_format = "0%"
                elif column.kind == "days" and isinstance(cell.value, float):
                    cell.number_format = "0.0"
        for letter, column in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", table.columns, strict=False):
            sheet.column_dimensions[letter].width = max(12, min(40, len(column.label) + 2))
    out = io.BytesIO()
    workbook.save(out)
    return _download(out.getvalue(), XLSX_TYPE, _filename(dashboard, filters, ".xlsx"))


def pdf_response(dashboards: list[Dashboard], filters: Filters, today: dt.date) -> HttpResponse:
    """The committee's report as PDF (built in `sia.followup.report`)."""
    return _download(
        committee_pdf(dashboards, filters, today),
        "application/pdf",
        f"sia-uppfoljning-{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}.pdf",
    )
