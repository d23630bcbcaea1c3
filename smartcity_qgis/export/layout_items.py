"""Building blocks of the planning print layouts: pages, Japanese text, map, legend, scale bar."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from qgis.core import (
    QgsLayoutExporter,
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemManualTable,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMeasurement,
    QgsLayoutMultiFrame,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTable,
    QgsLayoutTableColumn,
    QgsLayoutUtils,
    QgsLegendRenderer,
    QgsLegendStyle,
    QgsMapLayer,
    QgsPrintLayout,
    QgsTableCell,
    QgsTextFormat,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont, QImage, QPainter

from smartcity_qgis import PLUGIN_DIR

FONT_FAMILY = "Noto Sans CJK JP"
NORTH_ARROW_SVG = str(PLUGIN_DIR / "resources" / "icons" / "north_arrow.svg")
MM = QgsUnitTypes.LayoutUnit.LayoutMillimeters

#: Page sizes in millimetres, portrait.
PAGE_SIZES = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}


def wrap_text(text: str, width_mm: float, size_pt: float) -> str:
    """``text`` with line breaks so that it fits ``width_mm`` at ``size_pt``.

    Japanese has no spaces to break at, so the width is counted per character: full-width
    characters take one em, others about half.
    """
    em_mm = size_pt * 25.4 / 72.0
    capacity = max(width_mm / em_mm, 2.0)
    lines = []
    for paragraph in str(text).split("\n"):
        line, used = "", 0.0
        for char in paragraph:
            advance = 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.55
            if used + advance > capacity and line:
                lines.append(line)
                line, used = "", 0.0
            line += char
            used += advance
        lines.append(line)
    return "\n".join(lines)


def cjk_font(size: float, bold: bool = False) -> QFont:
    """Noto Sans CJK JP at ``size`` points, so Japanese never renders as boxes."""
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(size)
    font.setBold(bold)
    # Shaped Latin runs of this CJK font lose their text mapping in Qt's PDF output
    # (digits after Latin letters cannot be searched or copied); Japanese needs no shaping.
    if hasattr(QFont.StyleStrategy, "PreferNoShaping"):
        font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    return font


def text_format(size: float, bold: bool = False, color: str = "#000000") -> QgsTextFormat:
    """A text format in Noto Sans CJK JP."""
    fmt = QgsTextFormat()
    fmt.setFont(cjk_font(size, bold))
    fmt.setSize(size)
    fmt.setSizeUnit(QgsUnitTypes.RenderUnit.RenderPoints)
    fmt.setColor(QColor(color))
    return fmt


def page_dimensions(page_size: str, orientation: str) -> tuple[float, float]:
    """Width and height in mm of an ``A4``/``A3`` page, ``portrait`` or ``landscape``."""
    width, height = PAGE_SIZES[page_size]
    return (height, width) if orientation == "landscape" else (width, height)


def add_page(layout: QgsPrintLayout, page_size: str, orientation: str) -> int:
    """Append a page; return its index."""
    page = QgsLayoutItemPage(layout)
    page.setPageSize(
        page_size,
        QgsLayoutItemPage.Orientation.Landscape
        if orientation == "landscape"
        else QgsLayoutItemPage.Orientation.Portrait,
    )
    layout.pageCollection().addPage(page)
    return layout.pageCollection().pageCount() - 1


def place(item, page: int, x: float, y: float, width: float, height: float) -> None:
    """Position and size an item on a page (mm from the page's top left)."""
    item.attemptResize(QgsLayoutSize(width, height, MM))
    item.attemptMove(QgsLayoutPoint(x, y, MM), page=page)


def add_page_number(layout, page: int, page_size: str, orientation: str, size: float = 8) -> QgsLayoutItemLabel:
    """ "n / N" centred at the foot of ``page``, counted by QGIS when the layout is printed."""
    width, height = page_dimensions(page_size, orientation)
    label = QgsLayoutItemLabel(layout)
    label.setText("[% @layout_page %] / [% @layout_numpages %]")
    label.setFont(cjk_font(size))
    label.setHAlign(Qt.AlignmentFlag.AlignHCenter)
    label.setVAlign(Qt.AlignmentFlag.AlignBottom)
    label.setId("page_number")
    layout.addLayoutItem(label)
    place(label, page, 10.0, height - 9.0, width - 20.0, 5.0)
    return label


def add_label(
    layout,
    text: str,
    page: int,
    rect,
    size: float = 10,
    bold: bool = False,
    align=Qt.AlignmentFlag.AlignLeft,
    valign=Qt.AlignmentFlag.AlignTop,
) -> QgsLayoutItemLabel:
    """A text label in the Japanese font; ``rect`` = (x, y, width, height) in mm."""
    label = QgsLayoutItemLabel(layout)
    # "[%" starts an expression in layout labels; user text must stay text.
    label.setText(text.replace("[%", "[ %"))
    if hasattr(label, "setTextFormat"):
        label.setTextFormat(text_format(size, bold))
    else:
        label.setFont(cjk_font(size, bold))
    label.setHAlign(align)
    label.setVAlign(valign)
    layout.addLayoutItem(label)
    place(label, page, *rect)
    return label


def add_map(layout, page: int, rect, layers: Sequence[QgsMapLayer], crs, extent) -> QgsLayoutItemMap:
    """A framed map item showing ``layers`` (topmost first) at ``extent`` (in ``crs``)."""
    item = QgsLayoutItemMap(layout)
    item.setCrs(crs)
    item.setLayers(list(layers))
    item.setKeepLayerSet(True)
    item.setFrameEnabled(True)
    item.setFrameStrokeWidth(QgsLayoutMeasurement(0.3, MM))
    layout.addLayoutItem(item)
    place(item, page, *rect)
    item.zoomToExtent(extent)
    return item


def _set_legend_font(legend: QgsLayoutItemLegend, style, size: float, bold: bool = False) -> None:
    setting = legend.rstyle(style)
    if hasattr(setting, "setTextFormat"):
        setting.setTextFormat(text_format(size, bold))
    else:
        setting.setFont(cjk_font(size, bold))


def _style_legend(legend: QgsLayoutItemLegend, scale: float, columns: int) -> None:
    # The smallest text a printed plan may carry is 7 pt (class labels at the smallest scale).
    _set_legend_font(legend, QgsLegendStyle.Style.Title, 10 * scale, bold=True)
    for style in (QgsLegendStyle.Style.Group, QgsLegendStyle.Style.Subgroup):
        _set_legend_font(legend, style, 8.5 * scale, bold=True)
    _set_legend_font(legend, QgsLegendStyle.Style.SymbolLabel, 8 * scale)
    for style, top in (
        (QgsLegendStyle.Style.Symbol, 1.5),
        (QgsLegendStyle.Style.SymbolLabel, 1.5),
        (QgsLegendStyle.Style.Group, 3.0),
    ):
        legend.rstyle(style).setMargin(QgsLegendStyle.Side.Top, top * scale)
    legend.setSymbolHeight(3.5 * scale)
    legend.setSymbolWidth(5.0 * scale)
    legend.setColumnCount(columns)
    legend.setSplitLayer(columns > 1)


def _fit_legend(legend: QgsLayoutItemLegend, width: float, height: float) -> None:
    """Smallest change that makes the legend fit its box: smaller text first, then two columns."""
    # Only the classes that appear on the map: shorter, and what a reader needs.
    legend.setLegendFilterByMapEnabled(True)
    legend.updateFilterByMap(False)
    # The filter is applied when the legend is first painted: paint it once, small.
    image = QImage(32, 32, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        QgsLayoutExporter(legend.layout()).renderRegion(painter, legend.sceneBoundingRect())
    finally:
        painter.end()
    scales = (1.0, 0.94, 0.875)  # 8 pt down to 7 pt class labels
    layouts = [(scale, 1) for scale in scales] + [(scale, 2) for scale in scales]
    if width > 100:  # a wide, low box (portrait pages) reads better in two columns
        layouts = [(scale, 2) for scale in scales] + [(scale, 3) for scale in scales]
    for scale, columns in layouts:
        _style_legend(legend, scale, columns)
        context = QgsLayoutUtils.createRenderContextForLayout(legend.layout(), None)
        size = QgsLegendRenderer(legend.model(), legend.legendSettings()).minimumSize(context)
        if size.height() <= height and size.width() <= width:
            return


def add_legend(
    layout, page: int, rect, layers: Sequence[QgsMapLayer], title: str, linked_map: QgsLayoutItemMap
) -> QgsLayoutItemLegend:
    """A legend of exactly ``layers`` (the visible ones), Japanese font."""
    legend = QgsLayoutItemLegend(layout)
    legend.setTitle(title)
    legend.setLinkedMap(linked_map)
    legend.setAutoUpdateModel(False)
    model = legend.model()
    root = model.rootGroup()
    root.removeAllChildren()
    nodes = [root.addLayer(layer) for layer in layers]
    # A one-symbol layer is drawn inline (symbol and layer name, no heading): placed after a layer
    # with a heading it would read as one of that layer's classes. Inline layers come first.
    inline = [model.legendNodeEmbeddedInParent(node) is not None for node in nodes]
    if any(inline) and not all(inline):
        ordered = [n.layer() for n, i in zip(nodes, inline, strict=True) if i]
        ordered += [n.layer() for n, i in zip(nodes, inline, strict=True) if not i]
        root.removeAllChildren()
        for layer in ordered:
            root.addLayer(layer)
    legend.setWrapString("\n")
    layout.addLayoutItem(legend)
    place(legend, page, *rect)
    _fit_legend(legend, rect[2], rect[3])
    legend.setResizeToContents(False)
    place(legend, page, *rect)
    return legend


def add_scale_bar(layout, page: int, x: float, y: float, linked_map: QgsLayoutItemMap) -> QgsLayoutItemScaleBar:
    """A metric scale bar (m or km) linked to the map."""
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(linked_map)
    width_m = linked_map.extent().width()
    if width_m >= 5000:
        bar.setUnits(QgsUnitTypes.DistanceUnit.DistanceKilometers)
        bar.setUnitLabel("km")
        bar.setMapUnitsPerScaleBarUnit(1000.0)
    else:
        bar.setUnits(QgsUnitTypes.DistanceUnit.DistanceMeters)
        bar.setUnitLabel("m")
        bar.setMapUnitsPerScaleBarUnit(1.0)
    bar.setNumberOfSegments(2)
    bar.setNumberOfSegmentsLeft(0)
    bar.setTextFormat(text_format(8))
    bar.applyDefaultSize()
    bar.setBackgroundEnabled(True)
    bar.setBackgroundColor(QColor(255, 255, 255, 200))
    layout.addLayoutItem(bar)
    bar.attemptMove(QgsLayoutPoint(x, y, MM), page=page)
    return bar


def add_north_arrow(layout, page: int, rect, linked_map: QgsLayoutItemMap) -> QgsLayoutItemPicture:
    """A north arrow (our SVG) turning with the map."""
    picture = QgsLayoutItemPicture(layout)
    picture.setPicturePath(NORTH_ARROW_SVG)
    picture.setLinkedMap(linked_map)
    picture.setNorthMode(QgsLayoutItemPicture.NorthMode.TrueNorth)
    layout.addLayoutItem(picture)
    place(picture, page, *rect)
    return picture


def add_table(
    layout, page: int, rect, headers: Sequence[tuple[str, float]], rows: Sequence[Sequence[str]], size: float = 8
) -> QgsLayoutItemManualTable:
    """A table of text cells (Japanese font) in one frame; ``headers`` = (title, width mm)."""
    table = QgsLayoutItemManualTable.create(layout)
    columns = []
    for title, width in headers:
        column = QgsLayoutTableColumn(title)
        column.setWidth(width)
        columns.append(column)
    table.setHeaders(columns)
    table.setColumnWidths([width for _title, width in headers])
    table.setIncludeTableHeader(True)
    # Cell padding takes about 3 mm of each column.
    table.setTableContents(
        [
            [
                QgsTableCell(wrap_text(str(value), width - 3.0, size))
                for value, (_t, width) in zip(row, headers, strict=True)
            ]
            for row in rows
        ]
    )
    table.setContentTextFormat(text_format(size))
    table.setHeaderTextFormat(text_format(size, bold=True))
    table.setWrapBehavior(QgsLayoutTable.WrapBehavior.WrapText)
    table.setResizeMode(QgsLayoutMultiFrame.ResizeMode.UseExistingFrames)
    table.setCellMargin(1.2)
    layout.addMultiFrame(table)
    frame = QgsLayoutFrame(layout, table)
    place(frame, page, *rect)
    table.addFrame(frame)
    return table
