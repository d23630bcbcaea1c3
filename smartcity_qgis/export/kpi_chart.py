"""A KPI's chart for print: the series, the baseline and evaluation periods shaded with their values,
and the target line; Japanese labels, drawn by matplotlib as SVG (vector in the PDF)."""

from __future__ import annotations

import datetime as dt
import io

import matplotlib
from matplotlib import dates as mdates
from matplotlib import font_manager, ticker
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from smartcity_qgis.layers.districts.kpi_evaluation import KpiEvaluation, target_level

CJK_FONTS = ("Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic", "Yu Gothic", "Meiryo")
BASELINE_COLOUR = "#78909c"
EVALUATION_COLOUR = "#ffa000"
LINE_COLOUR = "#1f5fa8"
TARGET_COLOUR = "#d7003a"
MM_PER_INCH = 25.4


def _fonts() -> list[str]:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [*[name for name in CJK_FONTS if name in installed][:1], "DejaVu Sans", "sans-serif"]


def _span(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime.combine(first, dt.time()), dt.datetime.combine(last + dt.timedelta(days=1), dt.time())


def kpi_chart_svg(result: KpiEvaluation, width_mm: float = 90.0, height_mm: float = 55.0) -> bytes:
    """The chart as SVG bytes (text drawn as outlines, so it prints the same everywhere)."""
    kpi = result.kpi
    with matplotlib.rc_context({"font.family": _fonts(), "svg.fonttype": "path", "font.size": 7}):
        figure = Figure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH))
        FigureCanvasSVG(figure)
        axes = figure.add_subplot(111)
        comparison = result.comparison
        for period, colour, label, value in (
            (result.baseline, BASELINE_COLOUR, "基準期間", comparison.baseline_value if comparison else None),
            (result.evaluation, EVALUATION_COLOUR, "評価期間", comparison.evaluation_value if comparison else None),
        ):
            if period is None:
                continue
            left, right = _span(*period)
            axes.axvspan(left, right, color=colour, alpha=0.18, linewidth=0, label=label)
            if value is not None:
                axes.hlines(value, left, right, colors=colour, linestyles=":", linewidth=1.4)
        if result.series:
            axes.plot(
                [dt.datetime.combine(p.start, dt.time(12)) for p in result.series],
                [p.value for p in result.series],
                color=LINE_COLOUR,
                linewidth=1.0,
                marker="." if len(result.series) <= 40 else None,
                markersize=3,
                label="実績",
            )
        else:
            axes.text(0.5, 0.5, "データなし", ha="center", va="center", transform=axes.transAxes)
        target = target_level(result)
        if target is not None:
            axes.axhline(target, color=TARGET_COLOUR, linestyle="--", linewidth=1.0, label="目標")
        if kpi.unit:
            axes.set_ylabel(kpi.unit)
        # Values as a Japanese document prints them: 44,000, not 44000.
        axes.yaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _pos: f"{value:,.10g}"))
        axes.grid(True, alpha=0.3, linewidth=0.5)
        if result.series or result.baseline or result.evaluation:
            axes.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=6))
            axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d" if kpi.per == "day" else "%Y-%m"))
            for label in axes.get_xticklabels():
                label.set_rotation(20)
                label.set_horizontalalignment("right")
        axes.legend(fontsize=6, loc="upper center", bbox_to_anchor=(0.5, -0.28), frameon=False, ncol=4)
        figure.tight_layout(pad=0.4)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg")
    return buffer.getvalue()
