"""The planning pack: one PDF with a cover page, then a map page, a fact-sheet page and (for districts
with KPIs) a KPI page per district."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from qgis.core import QgsMapLayer, QgsPrintLayout, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import Qt

from smartcity_qgis.analysis.district_schema import domain_label, phase_label
from smartcity_qgis.export.figure import (
    FigureError,
    FigureSpec,
    add_map_page,
    export_layout,
    figure_area,
    keep_in_project,
    sources_text,
    visible_layers,
)
from smartcity_qgis.export.kpi_page import DatePeriod, add_kpi_pages, district_kpi_evaluations
from smartcity_qgis.export.layout_items import (
    add_label,
    add_page,
    add_page_number,
    add_table,
    page_dimensions,
    wrap_text,
)
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.districts.factsheet import DistrictFactSheet, FactSheetInputs, district_fact_sheets
from smartcity_qgis.layers.districts.layer import DistrictError
from smartcity_qgis.local_time import local_date_text


def fitted_table(
    layout, page: int, x: float, y: float, headers: Sequence[tuple[str, float]], rows, size: float = 8
) -> float:
    """A table whose frame is as tall as its rows; returns the bottom of the frame (mm)."""
    width = sum(w for _t, w in headers)
    # Each row is as tall as its most wrapped cell: lines of CJK text (about 1.5 × the point size,
    # in mm 0.3528 per point) plus the cell margins above and below.
    line = size * 0.3528 * 1.5
    height = line + 2.4
    for row in rows:
        lines = max(wrap_text(str(v), w - 3.0, size).count("\n") + 1 for v, (_t, w) in zip(row, headers, strict=True))
        height += lines * line + 2.4
    add_table(layout, page, (x, y, width, height + 1.0), headers, rows, size)
    return y + height + 1.0


def _cover(
    layout,
    spec: FigureSpec,
    sheets: Sequence[DistrictFactSheet],
    layers,
    contents: Sequence[tuple[str, int]],
    organisation: str,
) -> None:
    """Title, subtitle, date and author organisation; the districts; the contents; the sources."""
    width, height = page_dimensions(spec.page_size, spec.orientation)
    margin = 20.0
    inner = width - 2 * margin
    top = height * 0.12
    add_label(layout, spec.title, 0, (margin, top, inner, 20), 26, bold=True, align=Qt.AlignmentFlag.AlignHCenter)
    add_label(layout, spec.subtitle, 0, (margin, top + 22, inner, 10), 14, align=Qt.AlignmentFlag.AlignHCenter)
    byline = tr("Created {0}").format(local_date_text(spec.project))
    if organisation:
        byline = f"{organisation}　{byline}"
    add_label(layout, byline, 0, (margin, top + 34, inner, 8), 10, align=Qt.AlignmentFlag.AlignHCenter)
    rows = []
    for sheet in sheets:
        facts = {row.key: row for row in sheet.rows}
        rows.append(
            [
                sheet.name,
                domain_label(sheet.attributes.get("domain")) or "",
                phase_label(sheet.attributes.get("phase")) or "",
                facts["area_ha"].value,
            ]
        )
    table_top = top + 50
    add_label(layout, tr("Districts"), 0, (margin, table_top, inner, 7), 12, bold=True)
    bottom = fitted_table(
        layout,
        0,
        margin,
        table_top + 8,
        [
            (tr("District"), inner * 0.4),
            (tr("Domain"), inner * 0.22),
            (tr("Phase"), inner * 0.2),
            (tr("Area (ha)"), inner * 0.18),
        ],
        rows,
        size=10,
    )
    add_label(layout, tr("Contents"), 0, (margin, bottom + 8, inner, 7), 12, bold=True)
    fitted_table(
        layout,
        0,
        margin,
        bottom + 16,
        [(tr("Section"), inner * 0.85), (tr("Page"), inner * 0.15)],
        [[title, str(page + 1)] for title, page in contents],
        size=9,
    )
    add_label(layout, sources_text(layers), 0, (margin, height - margin - 18, inner, 14), 8)


def _fact_page(layout, spec: FigureSpec, page: int, sheet: DistrictFactSheet) -> None:
    width, height = page_dimensions(spec.page_size, spec.orientation)
    margin = 12.0
    inner = width - 2 * margin
    add_label(layout, tr("{0} — fact sheet").format(sheet.name), page, (margin, margin, inner, 10), 16, bold=True)
    facts = [r for r in sheet.rows if r.section != "KPI"]
    fact_height = height - 2 * margin - 60
    add_table(
        layout,
        page,
        (margin, margin + 14, inner, fact_height),
        [
            (tr("Section"), inner * 0.16),
            (tr("Item"), inner * 0.34),
            (tr("Value"), inner * 0.4),
            (tr("Unit"), inner * 0.1),
        ],
        [[r.section, r.item, r.value, r.unit] for r in facts],
        size=7.5,
    )
    kpi_top = margin + 16 + fact_height
    add_label(layout, tr("KPIs"), page, (margin, kpi_top, inner, 7), 11, bold=True)
    add_table(
        layout,
        page,
        (margin, kpi_top + 8, inner, 30),
        [
            (tr("Kind"), inner * 0.14),
            (tr("Indicator"), inner * 0.42),
            (tr("Target"), inner * 0.16),
            (tr("Unit"), inner * 0.13),
            (tr("Target year"), inner * 0.15),
        ],
        [[k.kind, k.indicator, k.target, k.unit, k.year] for k in sheet.kpis],
        size=8,
    )


def build_planning_pack(
    districts: QgsVectorLayer,
    layers: Sequence[QgsMapLayer],
    title: str,
    subtitle: str = "",
    inputs: FactSheetInputs | None = None,
    page_size: str = "A4",
    orientation: str = "portrait",
    project: QgsProject | None = None,
    name: str | None = None,
    organisation: str | None = None,
    base_map: bool = True,
    kpi_periods: tuple[DatePeriod, DatePeriod] | None = None,
) -> QgsPrintLayout:
    """The pack as one multi-page layout (kept in the project): cover + 2 pages per district.

    The cover names ``organisation`` (default: the project's author in its metadata), lists the
    districts and the contents; every page is numbered. A district with KPIs gets a KPI page too
    when ``kpi_periods`` (baseline, evaluation) are given or when its KPIs have measured values.
    """
    project = project or QgsProject.instance()
    try:
        sheets = district_fact_sheets(districts, inputs)
    except DistrictError as exc:
        raise FigureError(str(exc)) from exc
    if not sheets:
        raise FigureError(tr("The district layer has no district to show"))
    spec = FigureSpec(
        title=title,
        subtitle=subtitle,
        layers=list(layers),
        page_size=page_size,
        orientation=orientation,
        districts=districts,
        project=project,
    )
    layout = QgsPrintLayout(project)
    layout.setName(name or tr("Planning pack: {0}").format(title))
    add_page(layout, page_size, orientation)
    shown = visible_layers([districts, *layers], project)
    contents: list[tuple[str, int]] = []
    for sheet in sheets:
        district_spec = FigureSpec(
            title=title,
            subtitle=subtitle,
            layers=list(layers),
            page_size=page_size,
            orientation=orientation,
            districts=districts,
            district_ids=[sheet.fid],
            project=project,
            base_map=base_map,
        )
        extent, crs = figure_area(district_spec)
        map_page = add_page(layout, page_size, orientation)
        add_map_page(layout, district_spec, map_page, extent, crs, title=sheet.name, subtitle=title)
        contents.append((tr("{0} — map").format(sheet.name), map_page))
        fact_page = add_page(layout, page_size, orientation)
        _fact_page(layout, district_spec, fact_page, sheet)
        contents.append((tr("{0} — fact sheet").format(sheet.name), fact_page))
        baseline, evaluation = kpi_periods or (None, None)
        evaluations = district_kpi_evaluations(districts, sheet.fid, baseline, evaluation)
        if evaluations and (kpi_periods is not None or any(e.series for e in evaluations)):
            kpi_pages = add_kpi_pages(layout, page_size, orientation, sheet.name, evaluations, baseline, evaluation)
            contents.append((tr("{0} — KPIs").format(sheet.name), kpi_pages[0]))
    if organisation is None:
        organisation = project.metadata().author()
    _cover(layout, spec, sheets, shown, contents, organisation or "")
    for page in range(layout.pageCollection().pageCount()):
        add_page_number(layout, page, page_size, orientation)
    keep_in_project(project, layout)
    return layout


def export_planning_pack(layout: QgsPrintLayout, path: str | Path, dpi: int = 200, live_labels: bool = False) -> Path:
    """Write the pack as one PDF (maps labelled with names only unless ``live_labels``)."""
    return export_layout(layout, path, "pdf", dpi, live_labels=live_labels)
