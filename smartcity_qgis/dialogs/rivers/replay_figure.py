"""The figure of a replayed storm: the gauges at their peak on a map, and every crossing listed."""

from __future__ import annotations

from collections.abc import Sequence

from qgis.core import QgsMapLayer, QgsPrintLayout, QgsProject, QgsRectangle
from qgis.PyQt.QtCore import Qt

from smartcity_qgis.analysis.gauge_replay import Replay
from smartcity_qgis.export.figure import FigureSpec, add_map_page, figure_area, keep_in_project
from smartcity_qgis.export.layout_items import add_label, add_page, page_dimensions
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.rivers.alerts import jst_text
from smartcity_qgis.layers.rivers.schemes import CrisisGaugeScheme

LINES_PER_PAGE = 40


def crossing_lines(replay: Replay) -> list[str]:
    """One line per crossing, in time order: time (JST), gauge, what it crossed, level."""
    scheme = CrisisGaugeScheme()
    lines = []
    for c in replay.crossings:
        threshold = scheme.threshold_name(c.to_stage if c.upward else c.from_stage)
        what = tr("reached the {0}").format(threshold) if c.upward else tr("fell below the {0}").format(threshold)
        lines.append(f"{jst_text(c.time)}　{c.name}（{c.code}）　{what}　{c.level:.2f} m")
    return lines


def peak_figure(
    replay: Replay, peak_layer: QgsMapLayer, layers: Sequence[QgsMapLayer] = (), project: QgsProject | None = None
) -> QgsPrintLayout:
    """A print layout: the peak state of every gauge on a map page, then the crossings listed.

    The layout is kept in the project (replaced on re-run) for export from the Layout Designer.
    """
    project = project or QgsProject.instance()
    extent = QgsRectangle(peak_layer.extent())
    if extent.width() < 0.005 or extent.height() < 0.005:  # one gauge, or gauges in one place
        extent.grow(0.01)
    times = [g.observed_at for g in replay.readings]
    period = tr("{0} to {1}").format(jst_text(min(times)), jst_text(max(times))) if times else ""
    spec = FigureSpec(
        title=tr("River gauges at the peak of the storm"),
        subtitle=tr("Most severe reading of each gauge, {0}").format(period),
        layers=[peak_layer, *layers],
        orientation="landscape",
        extent=extent,
        extent_crs=peak_layer.crs(),
        project=project,
    )
    extent, crs = figure_area(spec)
    layout = QgsPrintLayout(project)
    layout.setName(tr("River gauges at the peak of the storm"))
    add_page(layout, spec.page_size, spec.orientation)
    add_map_page(layout, spec, 0, extent, crs)
    lines = crossing_lines(replay) or [tr("No threshold was crossed.")]
    width, _height = page_dimensions(spec.page_size, spec.orientation)
    for start in range(0, len(lines), LINES_PER_PAGE):
        page = add_page(layout, spec.page_size, spec.orientation)
        heading = tr("Crossings ({0})").format(len(replay.crossings))
        add_label(layout, heading, page, (10, 10, width - 20, 10), 16, bold=True)
        chunk = "\n".join(lines[start : start + LINES_PER_PAGE])
        add_label(layout, chunk, page, (10, 24, width - 20, 170), 9, valign=Qt.AlignmentFlag.AlignTop)
    keep_in_project(project, layout)
    return layout
