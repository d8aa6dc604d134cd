"""The dashboards' charts as SVG: labelled for screen readers, the figures drawn where
they belong, gaps where a figure is missing, and nothing a strict CSP would block."""

import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString

from sia.followup.charts import (
    COLOURS,
    PLOT_HEIGHT,
    TOP,
    render_svg,
    svg_for_print,
    svg_markup,
)
from sia.followup.figures import Chart, Series

SVG = "{http://www.w3.org/2000/svg}"
# The plot's baseline (y of 0) in drawing units: TOP + PLOT_HEIGHT = 30 + 220.
BASELINE = TOP + PLOT_HEIGHT


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own output


def texts(root: ET.Element, css: str) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == css]


def of_class(root: ET.Element, tag: str, css: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}{tag}") if e.get("class") == css]


def steps_chart() -> Chart:
    return Chart(
        kind="bar",
        title="Klara i tid per steg",
        x_labels=["Kartläggning", "Bosättning", "SFI"],
        series=[
            Series("Kvinnor", [0.5, None, 1.0]),
            Series("Män", [0.25, 0.0, None]),
        ],
        y_label="Andel",
        y_percent=True,
    )


def test_chart_is_an_image_named_by_its_title_and_a_description() -> None:
    root = parse(render_svg(steps_chart(), element_id="ledtider-chart"))

    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "ledtider-chart-title ledtider-chart-desc"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert title.get("id") == "ledtider-chart-title"
    assert title.text == "Klara i tid per steg"
    assert desc.get("id") == "ledtider-chart-desc"
    assert desc.text == "Diagram. Samma siffror finns i tabellen intill."
    # It scales with its container.
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 600 ")


def test_render_svg_is_safe_markup_for_the_template() -> None:
    assert isinstance(render_svg(steps_chart(), element_id="a"), SafeString)


def test_one_bar_per_figure_with_its_height_on_the_percent_axis() -> None:
    root = parse(svg_markup(steps_chart(), element_id="c"))

    bars = of_class(root, "rect", "chart-bar")
    # Kvinnor 50 % and 100 %, Män 25 % and 0 %: four figures, two missing, four bars.
    assert len(bars) == 4
    heights = sorted(float(bar.get("height", "0")) for bar in bars)
    # 220 units are 100 %: 0 % is a 1-unit hairline, 25 % 55, 50 % 110, 100 % 220.
    assert heights == [1.0, 55.0, 110.0, 220.0]
    for bar in bars:
        assert float(bar.get("y", "0")) + float(bar.get("height", "0")) == BASELINE
    # The tooltip of a bar says the series, the step and the figure.
    tips = sorted((bar.findtext(f"{SVG}title") or "") for bar in bars)
    assert "Kvinnor, Kartläggning: 50 %" in tips
    assert "Män, Bosättning: 0 %" in tips


def test_percent_axis_runs_from_0_to_100_percent() -> None:
    root = parse(svg_markup(steps_chart(), element_id="c"))

    assert texts(root, "chart-tick")[:5] == ["0 %", "25 %", "50 %", "75 %", "100 %"]
    assert texts(root, "chart-axis-title") == ["Andel"]


def test_count_axis_ends_at_a_round_number_above_the_largest_figure() -> None:
    chart = Chart("bar", "Nya ärenden", ["jan", "feb"], [Series("Nya", [47.0, 12.0])])
    root = parse(svg_markup(chart, element_id="c"))

    # 47 in five steps: 47 / 5 = 9.4, rounded up to 10, top 50 (four steps would give
    # 20 and 80, three 20 and 60; the lowest top wins).
    assert texts(root, "chart-tick")[:6] == ["0", "10", "20", "30", "40", "50"]


def test_large_counts_have_thousands_separated() -> None:
    chart = Chart("bar", "Samtal", ["2024"], [Series("Samtal", [4700.0])])
    root = parse(svg_markup(chart, element_id="c"))

    # 4 700 / 5 = 940, rounded up to 1 000: top 5 000.
    ticks = [tick.replace("\xa0", " ") for tick in texts(root, "chart-tick")[:6]]
    assert ticks == ["0", "1 000", "2 000", "3 000", "4 000", "5 000"]


def test_negative_figures_hang_below_zero() -> None:
    chart = Chart("bar", "Balans", ["jan", "feb"], [Series("Balans", [-3.0, 7.0])])
    root = parse(svg_markup(chart, element_id="c"))

    # From -3 to 7 is 10: in five steps 2 each, from -4 to 8 (six steps, 12 long); four
    # or three steps would be 5 each, from -5 to 10 (15 long). The shortest wins.
    ticks = [tick.replace("\u2212", "-") for tick in texts(root, "chart-tick")[:7]]
    assert ticks == ["-4", "-2", "0", "2", "4", "6", "8"]
    # 220 units for 12: zero at 250 - 4/12 * 220 = 176.7; -3 hangs 55 below it, 7 stands
    # 128.3 above it.
    low, high = of_class(root, "rect", "chart-bar")
    assert float(low.get("y", "0")) == pytest.approx(176.7)
    assert float(low.get("height", "0")) == 55.0
    # (coordinates are written to a tenth)
    assert float(high.get("y", "0")) + float(high.get("height", "0")) == pytest.approx(
        176.7, abs=0.1
    )
    assert float(high.get("height", "0")) == pytest.approx(128.3)


def test_a_missing_figure_breaks_the_line() -> None:
    chart = Chart(
        "line",
        "Öppna ärenden",
        ["jan", "feb", "mar", "apr", "maj"],
        [Series("Öppna", [10.0, 20.0, None, 40.0, 30.0])],
    )
    root = parse(svg_markup(chart, element_id="c"))

    lines = of_class(root, "polyline", "chart-line")
    # Two pieces, jan–feb and apr–maj, with no point for mars.
    assert [len(line.get("points", "").split()) for line in lines] == [2, 2]
    markers = [e for e in root.iter() if e.get("class") == "chart-marker"]
    assert len(markers) == 4
    tips = [m.findtext(f"{SVG}title") for m in markers]
    assert tips == ["jan: 10", "feb: 20", "apr: 40", "maj: 30"]


def test_step_curve_goes_across_then_down_and_stops_at_a_gap() -> None:
    chart = Chart(
        "step",
        "Tid till egen försörjning",
        ["0", "6", "12", "18"],
        [Series("2023", [0.0, 0.5, None, 0.75])],
        y_percent=True,
    )
    root = parse(svg_markup(chart, element_id="c"))

    paths = of_class(root, "path", "chart-step")
    assert len(paths) == 1
    commands = paths[0].get("d", "")
    # From 0 % at month 0 across to month 6, up to 50 % (y = 250 - 110 = 140), and that
    # figure holds until month 12, where the curve stops (month 12 is missing).
    assert commands.startswith(f"M{_x(paths, 0)} {BASELINE} H")
    assert " V140 H" in commands
    assert commands.count("V") == 1
    # The lone figure at month 18 (75 %) is a point.
    points = [e for e in root.iter(f"{SVG}circle") if e.get("class") == "chart-marker"]
    assert len(points) == 1
    assert float(points[0].get("cy", "0")) == BASELINE - 0.75 * PLOT_HEIGHT


def _x(paths: list[ET.Element], index: int) -> str:
    """The first x coordinate of a path (where its curve starts)."""
    return paths[0].get("d", "M0 ").split()[0].removeprefix("M")


def test_labels_from_the_database_are_escaped() -> None:
    chart = Chart(
        "bar",
        "Titel <b>&",
        ["<b>&"],
        [Series("<script>", [1.0]), Series("B & C", [2.0])],
        y_label="<i>",
    )
    markup = svg_markup(chart, element_id="c")

    assert "<b>" not in markup
    assert "<script" not in markup
    assert "&lt;b&gt;&amp;" in markup
    root = parse(markup)
    assert root.findtext(f"{SVG}title") == "Titel <b>&"
    assert "<b>&" in texts(root, "chart-tick")
    assert texts(root, "chart-legend") == ["<script>", "B & C"]


@pytest.mark.parametrize("kind", ["bar", "line", "step"])
def test_no_inline_style_or_script_in_any_kind(kind: str) -> None:
    chart = Chart(
        kind,  # type: ignore[arg-type]
        "Alla slag",
        [f"2024-{m:02d}" for m in range(1, 13)],
        [
            Series(f"Serie {i}", [float(i * m) if m != 4 else None for m in range(12)])
            for i in range(7)
        ],
    )
    for markup in (
        svg_markup(chart, element_id="c"),
        svg_for_print(chart, text=str, width_mm=180)[0],
        svg_markup(Chart(kind, "Tom", [], []), element_id="c"),  # type: ignore[arg-type]
    ):
        assert "style=" not in markup
        assert "<script" not in markup
        assert "javascript:" not in markup
        parse(markup)


def test_more_than_one_series_has_a_legend_and_a_second_cue() -> None:
    chart = Chart(
        "line",
        "Per kön",
        ["jan", "feb"],
        [Series("Kvinnor", [1.0, 2.0]), Series("Män", [2.0, 3.0]), Series("Annat", [0.0, 1.0])],
    )
    root = parse(svg_markup(chart, element_id="c"))

    assert texts(root, "chart-legend") == ["Kvinnor", "Män", "Annat"]
    lines = of_class(root, "polyline", "chart-line")
    # Okabe–Ito colours, and a dash pattern besides the colour: solid, dashed, dotted.
    assert [line.get("stroke") for line in lines] == list(COLOURS[:3])
    assert [line.get("stroke-dasharray") for line in lines] == [None, "8 4", "2 3"]
    # Point markers differ in shape too: circles, squares, triangles.
    shapes = {e.tag.removeprefix(SVG) for e in root.iter() if e.get("class") == "chart-marker"}
    assert shapes == {"circle", "rect", "polygon"}


def test_bars_of_several_series_carry_a_marker_shape() -> None:
    root = parse(svg_markup(steps_chart(), element_id="c"))

    markers = [e for e in root.iter() if e.get("class") == "chart-marker"]
    # One marker on each of the 4 bars: circles for Kvinnor, squares for Män.
    assert sorted(e.tag.removeprefix(SVG) for e in markers) == ["circle", "circle", "rect", "rect"]


def test_one_series_has_no_legend() -> None:
    chart = Chart("bar", "Nya", ["jan"], [Series("Nya", [3.0])])
    root = parse(svg_markup(chart, element_id="c"))

    assert texts(root, "chart-legend") == []


def test_many_x_labels_are_thinned_out() -> None:
    months = [f"{2024 + m // 12}-{m % 12 + 1:02d}" for m in range(24)]
    chart = Chart(
        "line", "Nya per månad", months, [Series("Nya", [float(m % 10) for m in range(24)])]
    )
    root = parse(svg_markup(chart, element_id="c"))

    # Largest figure 9: ticks 0, 2, ..., 10, two characters wide, so the plot starts at
    # 2 * 7.2 + 16 = 30.4 and is 600 - 14 - 30.4 = 555.6 wide: 23.15 per month. A label
    # of 7 characters needs 7 * 7.2 + 8 = 58.4, so every third month is named.
    shown = texts(root, "chart-tick")[6:]
    assert shown == months[::3]


def test_long_labels_are_slanted_and_shortened() -> None:
    steps = ["Samhällsorientering påbörjad hos kommunen", "Bosättning", "SFI", "Praktik"] * 2
    chart = Chart("bar", "Steg", steps, [Series("Klara", [1.0] * 8)])
    root = parse(svg_markup(chart, element_id="c"))

    slanted = [t for t in root.iter(f"{SVG}text") if t.get("transform")]
    assert [t.text for t in slanted] == [
        "Samhällsorientering påb…",
        "Bosättning",
        "SFI",
        "Praktik",
    ] * 2
    assert all((t.get("transform") or "").startswith("rotate(-40") for t in slanted)


def test_chart_without_figures_says_so() -> None:
    for chart in (
        Chart("bar", "Inget", [], []),
        Chart("line", "Bara luckor", ["jan", "feb"], [Series("Nya", [None, None])]),
    ):
        root = parse(render_svg(chart, element_id="tom"))

        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == "tom-title tom-desc"
        assert texts(root, "chart-label") == ["Inga uppgifter att visa"]
        assert of_class(root, "rect", "chart-bar") == []


def test_print_version_has_a_fixed_size_and_the_same_drawing() -> None:
    chart = steps_chart()
    markup, height_mm = svg_for_print(chart, text=str.upper, width_mm=180)
    root = parse(markup)
    page = parse(svg_markup(chart, element_id="c"))

    view_height = float(root.get("viewBox", "0 0 600 0").split()[3])
    assert height_mm == pytest.approx(180 * view_height / 600)
    assert root.get("width") == "180mm"
    assert len(of_class(root, "rect", "chart-bar")) == len(of_class(page, "rect", "chart-bar"))
    # The texts go through the given function (the PDF's font-safe text).
    assert texts(root, "chart-legend") == ["KVINNOR", "MÄN"]
    # fpdf2 draws no title or description, so the print version leaves them out.
    assert root.find(f"{SVG}title") is None
