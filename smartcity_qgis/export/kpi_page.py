"""The KPI page of a district in the planning pack: a table (baseline, evaluation, change, target,
attainment, with the days behind each figure) and one chart per KPI, with the sources."""

from __future__ import annotations

import base64
import datetime as dt
import math
from collections.abc import Sequence

from qgis.core import Qgis, QgsLayoutItemPicture, QgsPrintLayout, QgsVectorLayer

from smartcity_qgis.export.kpi_chart import kpi_chart_svg
from smartcity_qgis.export.layout_items import add_label, add_page, add_table, page_dimensions, place, wrap_text
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.districts.kpi_evaluation import (
    KpiEvaluation,
    evaluate_kpi,
    format_number,
    format_pct,
    kind_text,
    method_text,
    target_text,
)
from smartcity_qgis.layers.districts.kpi_store import read_kpis, read_values
from smartcity_qgis.layers.districts.layer import district_file

DatePeriod = tuple[dt.date, dt.date]
MARGIN = 12.0
CELL_MARGIN = 1.2  # add_table's cell margin
TABLE_TEXT = 7.0
CHART_HEIGHT = 66.0
CHART_GAP = 4.0


def district_kpi_evaluations(
    districts: QgsVectorLayer, fid: int, baseline: DatePeriod | None = None, evaluation: DatePeriod | None = None
) -> list[KpiEvaluation]:
    """Every KPI of district ``fid`` evaluated from its stored values (none for a file without KPI tables)."""
    path, _table = district_file(districts)
    if not path.exists():
        return []
    return [evaluate_kpi(kpi, read_values(path, kpi), baseline, evaluation) for kpi in read_kpis(path, fid)]


def _with_days(value: float | None, days: int | None) -> str:
    if value is None:
        return "–"
    return format_number(value) + "\n" + tr("({0} days)").format(days)


def kpi_table_rows(evaluations: Sequence[KpiEvaluation]) -> list[list[str]]:
    """The rows of the KPI table: kind, KPI, method, baseline, evaluation, change, target, attainment."""
    rows = []
    for result in evaluations:
        kpi, comparison = result.kpi, result.comparison
        name = f"{kpi.name}（{kpi.unit}）" if kpi.unit else kpi.name
        rows.append(
            [
                kind_text(kpi),
                name,
                method_text(kpi),
                _with_days(comparison.baseline_value, comparison.n_baseline) if comparison else "–",
                _with_days(comparison.evaluation_value, comparison.n_evaluation) if comparison else "–",
                format_pct(comparison.change_pct) if comparison else "–",
                target_text(kpi),
                format_pct(result.attainment, signed=False),
            ]
        )
    return rows


def sources_line(evaluations: Sequence[KpiEvaluation]) -> str:
    """出典 and what the reader must know: the k rule, partial days."""
    sources = sorted({source for result in evaluations for source in result.sources})
    lines = [tr("Sources: {0}").format("; ".join(sources) if sources else tr("none (no measured values)"))]
    left_out = sum(len(result.left_out) for result in evaluations)
    if left_out:
        lines.append(tr("{0} periods standing for fewer than 10 people are not shown (k = 10).").format(left_out))
    if any(result.latest_partial for result in evaluations):
        lines.append(tr("Today's values are partial (measured up to the time of the report)."))
    lines.append(tr("Days are Japan days (JST); 土日祝 includes Japanese public holidays."))
    return "\n".join(lines)


def _table_height(headers: Sequence[tuple[str, float]], rows: Sequence[Sequence[str]], size: float) -> float:
    """Millimetres the table needs: each row as tall as its most wrapped cell."""
    line = size * 25.4 / 72.0 * 1.3
    total = 0.0
    for cells in [[title for title, _w in headers], *rows]:
        lines = max(
            wrap_text(str(text), width - 3.0, size).count("\n") + 1
            for text, (_t, width) in zip(cells, headers, strict=True)
        )
        total += lines * line + 2 * CELL_MARGIN + 0.8
    return total + 2.0


def _chart(layout, page: int, x: float, y: float, width: float, result: KpiEvaluation) -> None:
    kpi = result.kpi
    add_label(layout, f"{kpi.name}（{kind_text(kpi)}）", page, (x, y, width, 5), 8.5, bold=True)
    picture = QgsLayoutItemPicture(layout)
    svg = kpi_chart_svg(result, width, CHART_HEIGHT - 6)
    # Embedded, so the layout kept in the project needs no file beside it.
    path = "base64:" + base64.b64encode(svg).decode("ascii")
    picture_format = getattr(Qgis, "PictureFormat", None)  # QGIS 3.40+
    svg_format = picture_format.SVG if picture_format is not None else QgsLayoutItemPicture.Format.FormatSVG
    picture.setPicturePath(path, svg_format)
    picture.setResizeMode(QgsLayoutItemPicture.ResizeMode.Zoom)
    layout.addLayoutItem(picture)
    place(picture, page, x, y + 5.5, width, CHART_HEIGHT - 6)


def add_kpi_pages(
    layout: QgsPrintLayout,
    page_size: str,
    orientation: str,
    district: str,
    evaluations: Sequence[KpiEvaluation],
    baseline: DatePeriod | None = None,
    evaluation: DatePeriod | None = None,
) -> list[int]:
    """The district's KPI page (and continuation pages when the charts need them); their indexes."""
    width, height = page_dimensions(page_size, orientation)
    inner = width - 2 * MARGIN
    page = add_page(layout, page_size, orientation)
    pages = [page]
    add_label(layout, tr("{0} — KPIs (evaluation)").format(district), page, (MARGIN, MARGIN, inner, 10), 16, bold=True)
    if baseline is not None and evaluation is not None:
        periods = tr("Baseline period {0} – {1} / evaluation period {2} – {3} (JST)").format(*baseline, *evaluation)
    else:
        periods = tr("No periods compared: the latest values are shown")
    add_label(layout, periods, page, (MARGIN, MARGIN + 11, inner, 6), 9)
    table_top = MARGIN + 18
    columns = [
        (tr("Kind"), 0.11), (tr("Indicator"), 0.16), (tr("Method"), 0.19), (tr("Baseline"), 0.11),
        (tr("Evaluation"), 0.11), (tr("Change"), 0.08), (tr("Target"), 0.15), (tr("Attainment"), 0.09),
    ]  # fmt: skip
    # Each cell has a margin on both sides that the column widths do not include.
    usable = inner - 2 * CELL_MARGIN * len(columns)
    headers = [(title, usable * share) for title, share in columns]
    rows = kpi_table_rows(evaluations)
    table_height = min(_table_height(headers, rows, TABLE_TEXT), height * 0.45)
    add_table(layout, page, (MARGIN, table_top, inner, table_height), headers, rows, size=TABLE_TEXT)
    sources_height = 16.0
    bottom = height - MARGIN - sources_height
    per_row = 2 if inner >= 150 else 1
    chart_width = (inner - (per_row - 1) * CHART_GAP) / per_row
    top = table_top + table_height + 5
    index = 0
    while index < len(evaluations):
        rows_fit = math.floor((bottom - top + CHART_GAP) / (CHART_HEIGHT + CHART_GAP))
        if rows_fit < 1:
            page = add_page(layout, page_size, orientation)
            pages.append(page)
            add_label(
                layout, tr("{0} — KPIs (continued)").format(district), page, (MARGIN, MARGIN, inner, 10), 14, bold=True
            )
            top = MARGIN + 14
            continue
        for slot in range(rows_fit * per_row):
            if index >= len(evaluations):
                break
            row, column = divmod(slot, per_row)
            x = MARGIN + column * (chart_width + CHART_GAP)
            y = top + row * (CHART_HEIGHT + CHART_GAP)
            _chart(layout, page, x, y, chart_width, evaluations[index])
            index += 1
        top = bottom  # what is left goes on a continuation page
    for number in pages:
        add_label(
            layout,
            sources_line(evaluations),
            number,
            (MARGIN, height - MARGIN - sources_height, inner, sources_height),
            7,
        )
    return pages
