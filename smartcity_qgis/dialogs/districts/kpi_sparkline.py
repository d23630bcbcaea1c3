"""A KPI's series as a small picture: the line, the baseline and evaluation periods shaded, the target."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from qgis.PyQt.QtCore import QPointF, QRectF, Qt
from qgis.PyQt.QtGui import QColor, QPainter, QPainterPath, QPen, QPixmap

from smartcity_qgis.analysis.kpi import PeriodValue

BASELINE_COLOUR = QColor(120, 144, 156, 60)
EVALUATION_COLOUR = QColor(255, 160, 0, 70)
LINE_COLOUR = QColor("#1f5fa8")
TARGET_COLOUR = QColor("#d7003a")

DatePeriod = tuple[dt.date, dt.date]


def sparkline(
    series: Sequence[PeriodValue],
    width: int = 120,
    height: int = 28,
    baseline: DatePeriod | None = None,
    evaluation: DatePeriod | None = None,
    target: float | None = None,
) -> QPixmap:
    """The series as a line over time; periods shaded; the target as a dashed line when in range."""
    pixmap = QPixmap(width, height)
    pixmap.fill(Qt.GlobalColor.transparent)
    if not series:
        return pixmap
    days = [p.start for p in series]
    first, last = min(days), max(p.end for p in series)
    for period in (baseline, evaluation):
        if period is not None:
            first, last = min(first, period[0]), max(last, period[1])
    values = [p.value for p in series]
    low, high = min(values), max(values)
    if target is not None and low <= target * 1.5 and target >= 0:
        low, high = min(low, target), max(high, target)
    if high == low:
        high, low = high + 1, low - 1
    span = max((last - first).days, 1)
    pad = 2.0

    def x_of(day: dt.date) -> float:
        return pad + (width - 2 * pad) * (day - first).days / span

    def y_of(value: float) -> float:
        return height - pad - (height - 2 * pad) * (value - low) / (high - low)

    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for period, colour in ((baseline, BASELINE_COLOUR), (evaluation, EVALUATION_COLOUR)):
            if period is not None:
                left, right = x_of(period[0]), x_of(period[1] + dt.timedelta(days=1))
                painter.fillRect(QRectF(left, 0, max(right - left, 1.0), height), colour)
        if target is not None and low <= target <= high:
            pen = QPen(TARGET_COLOUR, 1.0, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(pad, y_of(target)), QPointF(width - pad, y_of(target)))
        path = QPainterPath()
        for index, item in enumerate(series):
            point = QPointF(x_of(item.start), y_of(item.value))
            if index == 0:
                path.moveTo(point)
            else:
                path.lineTo(point)
        painter.setPen(QPen(LINE_COLOUR, 1.4))
        painter.drawPath(path)
        if len(series) == 1:
            painter.setBrush(LINE_COLOUR)
            painter.drawEllipse(QPointF(x_of(series[0].start), y_of(series[0].value)), 2.0, 2.0)
    finally:
        painter.end()
    return pixmap
