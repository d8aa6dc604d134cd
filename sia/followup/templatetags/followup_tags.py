"""Template helpers of the dashboards: a table's cells as text, a chart as SVG."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import template
from django.utils.safestring import SafeString

from sia.followup.charts import render_svg
from sia.followup.figures import Chart, Table, format_value

register = template.Library()


@dataclass(frozen=True)
class ShownCell:
    """One cell as the page shows it."""

    text: str
    heading: bool
    numeric: bool


@register.simple_tag
def table_rows(table: Table, limit: int | None) -> list[list[ShownCell]]:
    """The table's rows as text, in the active language."""
    return [
        [
            ShownCell(
                text=format_value(value, column.kind, limit),
                heading=index < table.heading_columns,
                numeric=column.kind != "text",
            )
            for index, (value, column) in enumerate(zip(row, table.columns, strict=True))
        ]
        for row in table.rows
    ]


@register.simple_tag
def chart_svg(chart: Chart, element_id: str) -> SafeString:
    """The chart as inline SVG, labelled for screen readers by `element_id`."""
    return render_svg(chart, element_id=element_id)


@register.filter
def urlencode_query(query: dict[str, str]) -> str:
    """The filters as a query string, for links to exports of the same figures."""
    return urlencode(query)
