"""Charts of the dashboards as SVG drawn on the server, from the same figures as the
tables next to them.

The SVG uses presentation attributes only (no `style`, no script), so it passes a strict
Content-Security-Policy, and only the shapes fpdf2 can draw (rect, line, polyline, path,
circle, polygon, text), so the committee report embeds the very same drawing. Every
series has a colour from the Okabe–Ito palette (safe for colour-blind readers) and a
second cue: a dash pattern for lines and steps, a marker shape for points and bars.
Missing and suppressed figures (None) are gaps: no bar, a break in the line.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sia.followup.figures import Chart, Series

# Okabe & Ito (2008), in an order where neighbours differ most; yellow is left out, as
# it is too light on white.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
# Dash patterns of lines and steps (None = solid); the cycle length differs from the
# colours' so that no two of the first 35 series look the same.
DASHES: tuple[str | None, ...] = (None, "8 4", "2 3", "10 3 2 3", "4 4", "12 4 2 4 2 4")
MARKERS = ("circle", "square", "triangle", "diamond", "triangle-down", "plus")

INK = "#1b1f24"
MUTED = "#4b5563"
GRID = "#d0d7de"
FONT = "sans-serif"

WIDTH = 600
PLOT_HEIGHT = 220
TOP = 30
RIGHT = 14
FONT_SIZE = 14
TICK_SIZE = 13
CHAR_WIDTH = 7.2  # average advance of a character at TICK_SIZE, for layout estimates
LEGEND_ROW = 22
EMPTY_HEIGHT = 120
LABEL_MAX_CHARS = 24
ROTATE_ABOVE_CHARS = 8
ROTATE_SIN = math.sin(math.radians(40))
ROTATE_COS = math.cos(math.radians(40))

TextFunction = Callable[[str], str]


@dataclass(frozen=True)
class _Pen:
    """How texts are written: `text` transforms every text drawn; `accessible` adds the
    title, description and tooltips a page needs (fpdf2 does not draw them)."""

    text: TextFunction
    accessible: bool

    def tip(self, raw: str) -> str:
        return escape(self.text(raw)) if self.accessible else ""


def _keep(text: str) -> str:
    return text


def _num(value: float) -> str:
    """A coordinate, short."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class _Axis:
    bottom: float
    top: float
    ticks: list[float]
    percent: bool
    decimals: int = 0

    def label(self, value: float) -> str:
        """A figure on this axis as text: per cent, or with the axis' decimals."""
        if self.percent:
            return f"{number_format(round(value * 100), 0)} %"
        return str(number_format(round(value, self.decimals), self.decimals, force_grouping=True))


def _nice_step(rough: float) -> float:
    """The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least `rough`
    (2.5 only from 25 up, so that tick labels need no more decimals than the step)."""
    exponent = math.floor(math.log10(rough))
    factors = (1.0, 2.0, 2.5, 5.0) if exponent >= 1 else (1.0, 2.0, 5.0)
    for factor in factors:
        step = factor * 10.0**exponent
        if step >= rough * (1 - 1e-9):
            return step
    return 10.0 ** (exponent + 1)


def y_axis(chart: Chart) -> _Axis:
    """The y axis: 0–100 % in quarters for shares, else from 0 (or a round number below
    the smallest figure, when one is negative) to a round number at or above the largest,
    in 3–5 equal steps (whole steps when the figures are whole)."""
    if chart.y_percent:
        return _Axis(0.0, 1.0, [0.0, 0.25, 0.5, 0.75, 1.0], percent=True)
    shown = _shown_values(chart)
    largest = max([*shown, 0.0])
    smallest = min([*shown, 0.0])
    whole = all(float(v).is_integer() for v in shown)
    span = (largest - smallest) or 1.0
    candidates: list[tuple[float, int, float, float]] = []
    for intervals in (5, 4, 3):
        step = _nice_step(span / intervals)
        if whole:
            step = max(step, 1.0)
        low = math.floor(smallest / step + 1e-9) * step
        count = max(3, math.ceil((largest - low) / step - 1e-9))
        # Shortest axis first; at the same length, more gridlines.
        candidates.append((count * step, -count, step, low))
    length, minus_count, step, low = min(candidates)
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    first = round(low / step)
    ticks = [(first + i) * step for i in range(-minus_count + 1)]
    return _Axis(low, low + length, ticks, percent=False, decimals=decimals)


def _shown_values(chart: Chart) -> list[float]:
    return [v for s in chart.series for v in s.values if v is not None]


def _marker(
    shape: str,
    x: float,
    y: float,
    size: float,
    colour: str,
    tip: str = "",
    css: str = "chart-marker",
) -> str:
    """A point marker centred on (x, y), `size` wide, outlined in ink so that light
    colours stand out from the paper; `tip` (escaped) is its tooltip."""
    r = size / 2
    common = f'fill="{colour}" stroke="{INK}" stroke-width="1" class="{css}"'
    if shape == "circle":
        opening = f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" {common}'
        return _close(opening, "circle", tip)
    if shape == "square":
        opening = (
            f'<rect x="{_num(x - r)}" y="{_num(y - r)}" width="{_num(size)}" '
            f'height="{_num(size)}" {common}'
        )
        return _close(opening, "rect", tip)
    if shape == "triangle":
        points = [(x, y - r * 1.15), (x + r * 1.1, y + r * 0.85), (x - r * 1.1, y + r * 0.85)]
    elif shape == "triangle-down":
        points = [(x, y + r * 1.15), (x + r * 1.1, y - r * 0.85), (x - r * 1.1, y - r * 0.85)]
    elif shape == "diamond":
        points = [(x, y - r * 1.25), (x + r * 1.25, y), (x, y + r * 1.25), (x - r * 1.25, y)]
    else:  # plus: a thick cross, drawn as a polygon so that it has a fill
        t = r * 0.38
        points = [
            (x - t, y - r),
            (x + t, y - r),
            (x + t, y - t),
            (x + r, y - t),
            (x + r, y + t),
            (x + t, y + t),
            (x + t, y + r),
            (x - t, y + r),
            (x - t, y + t),
            (x - r, y + t),
            (x - r, y - t),
            (x - t, y - t),
        ]
    joined = " ".join(f"{_num(px)},{_num(py)}" for px, py in points)
    return _close(f'<polygon points="{joined}" {common}', "polygon", tip)


def _close(opening: str, tag: str, tip: str) -> str:
    return f"{opening}><title>{tip}</title></{tag}>" if tip else f"{opening}/>"


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: int = TICK_SIZE,
    anchor: str = "start",
    fill: str = INK,
    css: str = "chart-label",
    extra: str = "",
) -> str:
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" font-family="{FONT}" font-size="{size}" '
        f'text-anchor="{anchor}" fill="{fill}" class="{css}"{extra}>{escape(content)}</text>'
    )


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1] + "…"


@dataclass(frozen=True)
class _XLabels:
    every: int  # show every k-th label
    rotated: bool
    height: float  # room the labels take under the plot


def _x_labels_layout(labels: Sequence[str], slot: float) -> _XLabels:
    longest = max((len(label) for label in labels), default=1)
    needed = longest * CHAR_WIDTH + 8
    if needed <= slot:
        return _XLabels(1, rotated=False, height=24)
    if longest <= ROTATE_ABOVE_CHARS:
        return _XLabels(math.ceil(needed / slot), rotated=False, height=24)
    # Long labels (step names, groups) go at an angle, every k-th when they are many.
    every = max(1, math.ceil((TICK_SIZE + 3) / slot))
    return _XLabels(every, rotated=True, height=longest * CHAR_WIDTH * ROTATE_SIN + 20)


def _legend_rows(series: Sequence[Series], text: TextFunction) -> list[list[tuple[int, float]]]:
    """Series indexes with their x position, wrapped into rows that fit the width."""
    rows: list[list[tuple[int, float]]] = [[]]
    x = 8.0
    for index, item in enumerate(series):
        width = 34 + len(text(item.label)) * CHAR_WIDTH + 18
        if rows[-1] and x + width > WIDTH:
            rows.append([])
            x = 8.0
        rows[-1].append((index, x))
        x += width
    return rows


def _opening(
    chart: Chart, element_id: str, height: float, width_mm: float | None, pen: _Pen, css: str
) -> str:
    """The svg element with its size and, on a page, its accessible name."""
    start = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_num(height)}"'
    if not pen.accessible:
        size = (
            f'width="{_num(width_mm or 0)}mm" height="{_num((width_mm or 0) * height / WIDTH)}mm"'
        )
        return f'{start} {size} class="{css}">'
    title = escape(pen.text(chart.title))
    desc = escape(pen.text(_("Diagram. Samma siffror finns i tabellen intill.")))
    return (
        f'{start} width="100%" role="img" focusable="false" '
        f'aria-labelledby="{element_id}-title {element_id}-desc" class="{css}">'
        f'<title id="{element_id}-title">{title}</title>'
        f'<desc id="{element_id}-desc">{desc}</desc>'
    )


def _empty(opening: str, text: TextFunction) -> str:
    height = EMPTY_HEIGHT
    return (
        opening + f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="{height - 1}" fill="#ffffff" '
        f'stroke="{GRID}" stroke-width="1"/>'
        + _text(
            WIDTH / 2,
            height / 2 + 5,
            text(_("Inga uppgifter att visa")),
            size=FONT_SIZE,
            anchor="middle",
            fill=MUTED,
        )
        + "</svg>"
    )


def svg_markup(
    chart: Chart,
    *,
    element_id: str,
    text: TextFunction = _keep,
    width_mm: float | None = None,
) -> str:
    """The chart as an SVG document.

    `text` transforms every text drawn (the PDF report passes one that keeps to the
    characters its fonts have). Without `width_mm` the drawing fills its container's
    width and is labelled for screen readers (for a page); with it, it has that fixed
    size and only what fpdf2 draws (for the PDF)."""
    return _document(chart, escape(element_id), _Pen(text, width_mm is None), width_mm)[0]


def svg_for_print(chart: Chart, *, text: TextFunction, width_mm: float) -> tuple[str, float]:
    """The chart as an SVG document `width_mm` wide for the PDF report (the same drawing
    as on the page, without what only a screen reader uses), and its height in mm."""
    markup, height = _document(chart, "chart", _Pen(text, accessible=False), width_mm)
    return markup, width_mm * height / WIDTH


def _document(
    chart: Chart, element_id: str, pen: _Pen, width_mm: float | None
) -> tuple[str, float]:
    """The SVG and its height in drawing units."""
    text = pen.text
    x_labels = list(chart.x_labels)
    n = len(x_labels)
    if n == 0 or not chart.series or not _shown_values(chart):
        opening = _opening(chart, element_id, EMPTY_HEIGHT, width_mm, pen, "chart chart-empty")
        return _empty(opening, text), EMPTY_HEIGHT

    axis = y_axis(chart)
    tick_labels = [text(axis.label(t)) for t in axis.ticks]
    left = max(len(label) for label in tick_labels) * CHAR_WIDTH + 16
    plot_left = left
    plot_right = WIDTH - RIGHT
    plot_width = plot_right - plot_left
    plot_top = float(TOP)
    plot_bottom = plot_top + PLOT_HEIGHT
    slot = plot_width / n
    shown_labels = [text(_short(label)) for label in x_labels]
    labels_layout = _x_labels_layout(shown_labels, slot)
    if labels_layout.rotated:
        # Make room on the left for the first label, which slants down to the left.
        reach = max(len(label) for label in shown_labels) * CHAR_WIDTH * ROTATE_COS
        plot_left = max(plot_left, reach - plot_width / n / 2)
        plot_width = plot_right - plot_left
        slot = plot_width / n
    many = len(chart.series) > 1
    legend = _legend_rows(chart.series, text) if many else []
    legend_top = plot_bottom + labels_layout.height + 8
    height = math.ceil(legend_top + len(legend) * LEGEND_ROW + (4 if legend else 0))

    def y_of(value: float) -> float:
        clamped = min(max(value, axis.bottom), axis.top)
        return plot_bottom - (clamped - axis.bottom) / (axis.top - axis.bottom) * PLOT_HEIGHT

    if chart.kind == "bar" or n == 1:

        def x_of(index: int) -> float:
            return plot_left + (index + 0.5) * slot

    else:
        gap = plot_width / (n - 1) if n > 1 else 0.0

        def x_of(index: int) -> float:
            return plot_left + index * gap

    parts = [_opening(chart, element_id, height, width_mm, pen, f"chart chart-{chart.kind}")]
    if chart.y_label:
        parts.append(_text(4, 14, text(chart.y_label), fill=MUTED, css="chart-axis-title"))

    # Gridlines with their figures, then the x labels under the plot.
    for tick, label in zip(axis.ticks, tick_labels, strict=True):
        y = y_of(tick)
        colour = INK if abs(tick) < 1e-9 else GRID
        parts.append(
            f'<line x1="{_num(plot_left)}" y1="{_num(y)}" x2="{_num(plot_right)}" '
            f'y2="{_num(y)}" stroke="{colour}" stroke-width="1" class="chart-grid"/>'
        )
        parts.append(_text(plot_left - 6, y + 4, label, anchor="end", fill=MUTED, css="chart-tick"))
    for index in range(n):
        if index % labels_layout.every:
            continue
        x = x_of(index)
        shown = shown_labels[index]
        parts.append(
            f'<line x1="{_num(x)}" y1="{_num(plot_bottom)}" x2="{_num(x)}" '
            f'y2="{_num(plot_bottom + 4)}" stroke="{INK}" stroke-width="1"/>'
        )
        if labels_layout.rotated:
            y = plot_bottom + 16
            parts.append(
                _text(
                    x + 4,
                    y,
                    shown,
                    anchor="end",
                    fill=MUTED,
                    css="chart-tick",
                    extra=f' transform="rotate(-40 {_num(x + 4)} {_num(y)})"',
                )
            )
        else:
            parts.append(
                _text(x, plot_bottom + 18, shown, anchor="middle", fill=MUTED, css="chart-tick")
            )

    if chart.kind == "bar":
        parts.extend(_bars(chart, axis, x_of, y_of, slot, pen))
    else:
        parts.extend(_lines(chart, axis, x_of, y_of, pen))

    for row_number, row in enumerate(legend):
        y = legend_top + row_number * LEGEND_ROW + LEGEND_ROW / 2
        for index, x in row:
            parts.append(_legend_key(chart.kind, index, x, y))
            parts.append(_text(x + 34, y + 4, text(chart.series[index].label), css="chart-legend"))
    parts.append("</svg>")
    return "".join(parts), height


def _style(index: int) -> tuple[str, str | None, str]:
    return (
        COLOURS[index % len(COLOURS)],
        DASHES[index % len(DASHES)],
        MARKERS[index % len(MARKERS)],
    )


def _point_title(chart: Chart, axis: _Axis, series: Series, label: str, value: float) -> str:
    decimals = 0 if float(value).is_integer() else 1
    shown = (
        axis.label(value) if axis.percent else number_format(value, decimals, force_grouping=True)
    )
    prefix = f"{series.label}, " if len(chart.series) > 1 else ""
    return f"{prefix}{label}: {shown}"


def _bars(
    chart: Chart,
    axis: _Axis,
    x_of: Callable[[int], float],
    y_of: Callable[[float], float],
    slot: float,
    pen: _Pen,
) -> list[str]:
    parts: list[str] = []
    zero = y_of(0.0)
    count = len(chart.series)
    group = slot * 0.78
    bar = group / count
    marked = count > 1 and bar >= 4
    marker_size = min(9.0, bar * 0.9)
    for index, series in enumerate(chart.series):
        colour, _dash, shape = _style(index)
        for position, value in enumerate(series.values[: len(chart.x_labels)]):
            if value is None:
                continue
            x = x_of(position) - group / 2 + index * bar
            end = y_of(value)
            # A zero is drawn as a hairline, so that it differs from a missing figure.
            height = max(abs(zero - end), 1.0)
            top = zero if value < 0 else zero - height
            tip = pen.tip(_point_title(chart, axis, series, chart.x_labels[position], value))
            opening = (
                f'<rect x="{_num(x)}" y="{_num(top)}" width="{_num(bar)}" '
                f'height="{_num(height)}" fill="{colour}" stroke="{INK}" stroke-width="0.5" '
                'class="chart-bar"'
            )
            parts.append(_close(opening, "rect", tip))
            if marked:
                # The marker sits beyond the bar's end: above it, or below a negative one.
                offset = marker_size / 2 + 2
                y = zero + height + offset if value < 0 else top - offset
                parts.append(_marker(shape, x + bar / 2, y, marker_size, colour))
    return parts


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """(index, figure) of consecutive figures, split where one is missing."""
    runs: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for index, value in enumerate(values):
        if value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((index, float(value)))
    if current:
        runs.append(current)
    return runs


def _lines(
    chart: Chart,
    axis: _Axis,
    x_of: Callable[[int], float],
    y_of: Callable[[float], float],
    pen: _Pen,
) -> list[str]:
    parts: list[str] = []
    n = len(chart.x_labels)
    for index, series in enumerate(chart.series):
        colour, dash, shape = _style(index)
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        for run in _runs(series.values[:n]):
            if chart.kind == "step":
                parts.append(_step_path(run, n, x_of, y_of, colour, dash_attribute))
                continue
            if len(run) > 1:
                points = " ".join(f"{_num(x_of(p))},{_num(y_of(v))}" for p, v in run)
                parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dash_attribute} class="chart-line"/>'
                )
            for position, value in run:
                tip = _point_title(chart, axis, series, chart.x_labels[position], value)
                parts.append(_marker(shape, x_of(position), y_of(value), 8, colour, pen.tip(tip)))
    return parts


def _step_path(
    run: list[tuple[int, float]],
    n: int,
    x_of: Callable[[int], float],
    y_of: Callable[[float], float],
    colour: str,
    dash_attribute: str,
) -> str:
    """A step curve through consecutive figures: each holds until the next point in
    time, then the curve goes straight up or down to the next figure."""
    first, first_value = run[0]
    commands = [f"M{_num(x_of(first))} {_num(y_of(first_value))}"]
    for position, value in run[1:]:
        commands.append(f"H{_num(x_of(position))} V{_num(y_of(value))}")
    last, last_value = run[-1]
    if last + 1 < n:
        commands.append(f"H{_num(x_of(last + 1))}")
    if len(commands) == 1:  # a single figure at the last point in time
        return _marker("circle", x_of(last), y_of(last_value), 5, colour)
    return (
        f'<path d="{" ".join(commands)}" fill="none" stroke="{colour}" '
        f'stroke-width="2.5"{dash_attribute} class="chart-step"/>'
    )


def _legend_key(kind: str, index: int, x: float, y: float) -> str:
    colour, dash, shape = _style(index)
    if kind == "bar":
        return (
            f'<rect x="{_num(x)}" y="{_num(y - 7)}" width="14" height="14" fill="{colour}" '
            f'stroke="{INK}" stroke-width="0.5"/>'
            + _marker(shape, x + 22, y, 9, colour, css="chart-key")
        )
    dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
    line = (
        f'<line x1="{_num(x)}" y1="{_num(y)}" x2="{_num(x + 28)}" y2="{_num(y)}" '
        f'stroke="{colour}" stroke-width="2.5"{dash_attribute}/>'
    )
    if kind == "line":
        return line + _marker(shape, x + 14, y, 8, colour, css="chart-key")
    return line


def render_svg(chart: Chart, *, element_id: str) -> SafeString:
    """The chart as inline SVG for a page, labelled for screen readers by its title and
    a description that points to the table with the same figures."""
    return mark_safe(svg_markup(chart, element_id=element_id))  # noqa: S308 - every text is escaped
