"""Planning map figures: a print layout with title, map, legend, scale bar, north arrow,
overview and sources, exported as PDF, PNG or SVG and kept in the project."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFillSymbol,
    QgsGeometry,
    QgsLayoutExporter,
    QgsMapLayer,
    QgsPrintLayout,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize, Qt

from smartcity_qgis.credits import credit_lines, credit_text
from smartcity_qgis.export.base_map import BASE_MAP_KEYS, figure_base_map
from smartcity_qgis.export.layout_items import (
    FONT_FAMILY,
    add_label,
    add_legend,
    add_map,
    add_north_arrow,
    add_page,
    add_scale_bar,
    page_dimensions,
)
from smartcity_qgis.export.pdf_text import repair_pdf_text
from smartcity_qgis.export.print_labels import layout_layers, printed_labels
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.districts.geometry import plane_zone_crs
from smartcity_qgis.layers.districts.layer import DistrictError
from smartcity_qgis.layers.hazards.tiles import TILE_KEY_PROPERTY
from smartcity_qgis.local_time import local_date_text

FORMATS = ("pdf", "png", "svg")


class FigureError(Exception):
    """A figure that cannot be made (translated message)."""


@dataclass
class FigureSpec:
    """What a planning figure shows and on what paper."""

    title: str
    layers: Sequence[QgsMapLayer] = ()
    subtitle: str = ""
    page_size: str = "A4"
    orientation: str = "landscape"
    extent: QgsRectangle | None = None
    extent_crs: QgsCoordinateReferenceSystem | None = None
    districts: QgsVectorLayer | None = None
    district_ids: list[int] | None = None
    project: QgsProject = field(default_factory=QgsProject.instance)
    base_map: bool = True  # the GSI pale map underneath when it can be reached (base_map.py)


def visible_layers(layers: Sequence[QgsMapLayer], project: QgsProject) -> list[QgsMapLayer]:
    """The layers switched on in the layer tree (layers not in the tree count as visible)."""
    root = project.layerTreeRoot()
    shown = []
    for layer in layers:
        if layer is None or not layer.isValid():
            continue
        node = root.findLayer(layer.id())
        if node is None or node.isVisible():
            shown.append(layer)
    return shown


def figure_credits(layers: Sequence[QgsMapLayer]) -> list[str]:
    """Credit lines from the layers' metadata (sources, licences), each once; synthetic data as synthetic."""
    return credit_lines(layers)


def sources_text(layers: Sequence[QgsMapLayer]) -> str:
    """The sources block of a figure: one 「出典：」 and each source once (see smartcity_qgis.credits)."""
    return credit_text(layers)


def district_geometry(districts: QgsVectorLayer, ids: Sequence[int] | None) -> QgsGeometry:
    """Union of the chosen districts (the selected ones when ``ids`` is None, else all)."""
    if ids is None:
        ids = districts.selectedFeatureIds() or [f.id() for f in districts.getFeatures()]
    parts = [districts.getFeature(fid).geometry() for fid in ids]
    parts = [g for g in parts if g is not None and not g.isEmpty()]
    if not parts:
        raise FigureError(tr("The district layer has no district to show"))
    return QgsGeometry.unaryUnion(parts)


def figure_area(spec: FigureSpec) -> tuple[QgsRectangle, QgsCoordinateReferenceSystem]:
    """Extent (with a margin) and the plane-rectangular CRS the map is drawn in."""
    project = spec.project
    if spec.districts is not None:
        geometry = district_geometry(spec.districts, spec.district_ids)
        source_crs = spec.districts.crs()
    elif spec.extent is not None and not spec.extent.isEmpty():
        geometry = QgsGeometry.fromRect(spec.extent)
        source_crs = spec.extent_crs or project.crs()
    else:
        layers = [layer for layer in spec.layers if not layer.extent().isEmpty()]
        if not layers:
            raise FigureError(tr("Give an extent, a district or layers with features"))
        rect = QgsRectangle()
        for layer in layers:
            box = QgsCoordinateTransform(layer.crs(), layers[0].crs(), project).transformBoundingBox(layer.extent())
            if rect.isNull():
                rect = box
            else:
                rect.combineExtentWith(box)
        geometry, source_crs = QgsGeometry.fromRect(rect), layers[0].crs()
    try:
        zone = plane_zone_crs(geometry, source_crs)
    except DistrictError as exc:
        raise FigureError(str(exc)) from exc
    geometry = QgsGeometry(geometry)
    geometry.transform(QgsCoordinateTransform(source_crs, zone, project))
    extent = geometry.boundingBox()
    margin = max(extent.width(), extent.height()) * 0.08 or 100.0
    extent.grow(margin)
    return extent, zone


def add_map_page(
    layout: QgsPrintLayout,
    spec: FigureSpec,
    page: int,
    extent,
    crs,
    title: str | None = None,
    subtitle: str | None = None,
) -> None:
    """Title, subtitle, date, map, overview, legend, scale bar, north arrow and sources on ``page``."""
    width, height = page_dimensions(spec.page_size, spec.orientation)
    margin, panel = 10.0, 74.0 if spec.orientation == "landscape" else 62.0
    layers = visible_layers(spec.layers, spec.project)
    if spec.districts is not None and spec.districts not in layers:
        layers = [spec.districts, *layers]
    add_label(layout, title or spec.title, page, (margin, margin, width - 2 * margin - 50, 10), 18, bold=True)
    add_label(
        layout,
        tr("Created {0}").format(local_date_text(spec.project)),
        page,
        (width - margin - 50, margin, 50, 6),
        9,
        align=Qt.AlignmentFlag.AlignRight,
    )
    add_label(
        layout,
        subtitle if subtitle is not None else spec.subtitle,
        page,
        (margin, margin + 11, width - 2 * margin, 7),
        11,
    )
    top, bottom = margin + 20, height - margin - 14
    if spec.orientation == "landscape":
        map_rect = (margin, top, width - 2 * margin - panel - 4, bottom - top - 3)
        overview_rect = (width - margin - panel, top, panel, panel * 0.62)
        legend_top = top + panel * 0.62 + 4
        legend_rect = (width - margin - panel, legend_top, panel, bottom - legend_top - 3)
    else:
        map_height = (bottom - top) * 0.62
        map_rect = (margin, top, width - 2 * margin, map_height)
        below = top + map_height + 4
        overview_rect = (margin, below, panel, panel * 0.8)
        legend_rect = (margin + panel + 4, below, width - 2 * margin - panel - 4, bottom - below - 3)
    base, note = figure_base_map(spec.project) if spec.base_map else (None, "")
    drawn = [*layers, base] if base is not None and base not in layers else list(layers)
    main = add_map(layout, page, map_rect, drawn, crs, extent)
    overview_extent = QgsRectangle(extent)
    overview_extent.scale(5.0)
    overview = add_map(layout, page, overview_rect, drawn, crs, overview_extent)
    # A tile base map has nothing to explain in a legend; its credit goes with the sources.
    layers = [layer for layer in layers if layer.customProperty(TILE_KEY_PROPERTY) not in BASE_MAP_KEYS]
    frame = overview.overview()
    frame.setLinkedMap(main)
    frame.setFrameSymbol(
        QgsFillSymbol.createSimple({"color": "255,0,0,40", "outline_color": "#d7003a", "outline_width": "0.6"})
    )
    add_legend(layout, page, legend_rect, layers, tr("Legend"), main)
    add_north_arrow(layout, page, (map_rect[0] + map_rect[2] - 14, top + 3, 10, 15), main)
    add_scale_bar(layout, page, margin + 4, top + map_rect[3] - 14, main)
    sources = sources_text([*layers, *([base] if base is not None else [])])
    add_label(layout, f"{sources}　{note}" if note else sources, page, (margin, bottom, width - 2 * margin, 14), 7)


def keep_in_project(project: QgsProject, layout: QgsPrintLayout) -> None:
    """Put ``layout`` in the project, replacing one of the same name (re-runs reproduce it)."""
    manager = project.layoutManager()
    old = manager.layoutByName(layout.name())
    if old is not None:
        manager.removeLayout(old)
    manager.addLayout(layout)


def build_figure(spec: FigureSpec, name: str | None = None) -> QgsPrintLayout:
    """The planning figure as a one-page print layout, kept in the project."""
    if spec.page_size not in ("A4", "A3") or spec.orientation not in ("portrait", "landscape"):
        raise FigureError(tr("Page size must be A4 or A3, portrait or landscape"))
    extent, crs = figure_area(spec)
    layout = QgsPrintLayout(spec.project)
    layout.setName(name or spec.title)
    add_page(layout, spec.page_size, spec.orientation)
    add_map_page(layout, spec, 0, extent, crs)
    keep_in_project(spec.project, layout)
    return layout


def _always_text():
    """Text stays text in PDF/SVG (searchable, copyable) instead of becoming outlines."""
    return Qgis.TextRenderFormat.AlwaysText  # QGIS 3.22 and later


def export_layout(
    layout: QgsPrintLayout, path: str | Path, fmt: str, dpi: int = 300, live_labels: bool = False
) -> Path:
    """Export to PDF (vector), PNG (at ``dpi``) or SVG; return the path written.

    Maps are labelled with names only, without overlaps (`print_labels`), unless ``live_labels``.
    """
    if live_labels:
        return _export(layout, Path(path), fmt, dpi)
    with printed_labels(layout_layers(layout)):
        return _export(layout, Path(path), fmt, dpi)


def _export(layout: QgsPrintLayout, path: Path, fmt: str, dpi: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    exporter = QgsLayoutExporter(layout)
    if fmt == "pdf":
        settings = QgsLayoutExporter.PdfExportSettings()
        settings.forceVectorOutput = True
        settings.rasterizeWholeImage = False
        settings.textRenderFormat = _always_text()
        settings.dpi = dpi
        result = exporter.exportToPdf(str(path), settings)
    elif fmt == "png":
        # Pages rendered and saved directly (page 2 onwards as name_2.png, as QGIS names them):
        # exportToImage would also try to georeference each PNG in place, which GDAL's PNG driver
        # refuses with an error in the log.
        result = QgsLayoutExporter.ExportResult.Success
        for page in range(layout.pageCollection().pageCount()):
            target = path if page == 0 else path.with_name(f"{path.stem}_{page + 1}{path.suffix}")
            image = exporter.renderPageToImage(page, QSize(), dpi)
            if image.isNull() or not image.save(str(target), "PNG"):
                result = QgsLayoutExporter.ExportResult.FileError
                break
    elif fmt == "svg":
        settings = QgsLayoutExporter.SvgExportSettings()
        settings.forceVectorOutput = True
        settings.textRenderFormat = _always_text()
        settings.dpi = dpi
        result = exporter.exportToSvg(str(path), settings)
    else:
        raise FigureError(tr("Unknown figure format: {0}").format(fmt))
    if result != QgsLayoutExporter.ExportResult.Success:
        raise FigureError(tr("The figure could not be written to {0}").format(str(path)))
    if fmt == "pdf":
        # Japanese text must extract as written (人流, not the radical ⼈流): see pdf_text.
        repair_pdf_text(path, [FONT_FAMILY])
    return path
