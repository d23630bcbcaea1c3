"""Choosing the crisis-management gauges to show: prefectures, source URL and polling interval."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsProject,
    QgsRectangle,
    QgsSettings,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
)

from smartcity_qgis.analysis.gauge_polling import MIN_INTERVAL, PREFECTURES, area_url, prefectures_for_extent
from smartcity_qgis.analysis.river_gauges import CREDIT_JA, DEFAULT_SOURCE_URL
from smartcity_qgis.i18n import tr

SOURCE_URL_KEY = "smartcity/rivers/crisis_source_url"
INTERVAL_KEY = "smartcity/rivers/crisis_interval_minutes"


def extent_prefectures(iface, project: QgsProject | None = None) -> list[str]:
    """The prefecture(s) under the map (Aichi when there is no map to look at)."""
    canvas = iface.mapCanvas() if iface is not None else None
    if canvas is None:
        return ["23000"]
    extent: QgsRectangle = canvas.extent()
    source = canvas.mapSettings().destinationCrs()
    transform = QgsCoordinateTransform(
        source, QgsCoordinateReferenceSystem("EPSG:4326"), project or QgsProject.instance()
    )
    try:
        box = transform.transformBoundingBox(extent)
    except Exception:  # an extent outside the CRS's area of use
        return ["23000"]
    if box.isEmpty() or not (-180 <= box.xMinimum() <= 180 and -90 <= box.yMinimum() <= 90):
        return ["23000"]
    return prefectures_for_extent(box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum())


class CrisisGaugeDialog(QDialog):
    """Prefectures (pre-chosen from the map), the source URL (a mirror is fine) and the interval."""

    def __init__(self, chosen: list[str], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Crisis-management gauges (川の水位情報)"))
        self.setObjectName("SmartCityCrisisGaugeDialog")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Prefectures to show (the ones under the map are ticked):"), self))
        self.list = QListWidget(self)
        self.list.setObjectName("prefectures")
        for code, (name, _box) in PREFECTURES.items():
            item = QListWidgetItem(f"{name}（{code}）")
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        first = next(
            (i for i in range(self.list.count()) if self.list.item(i).checkState() == Qt.CheckState.Checked), 0
        )
        self.list.scrollToItem(self.list.item(first))
        layout.addWidget(self.list, 1)
        form = QFormLayout()
        settings = QgsSettings()
        self.url = QLineEdit(settings.value(SOURCE_URL_KEY, DEFAULT_SOURCE_URL, type=str), self)
        self.url.setObjectName("source_url")
        self.url.setToolTip(tr("A mirror or a prefecture's own service works too; {prefCode} stands for 23000 etc."))
        form.addRow(tr("Source URL"), self.url)
        self.interval = QSpinBox(self)
        self.interval.setObjectName("interval")
        self.interval.setRange(int(MIN_INTERVAL // 60), 24 * 60)
        self.interval.setValue(max(int(MIN_INTERVAL // 60), settings.value(INTERVAL_KEY, 10, type=int)))
        self.interval.setSuffix(" " + tr("min"))
        self.interval.setToolTip(tr("The source updates every 10 minutes: it is never asked more often."))
        form.addRow(tr("Ask every"), self.interval)
        layout.addLayout(form)
        credit = QLabel(CREDIT_JA, self)
        credit.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(credit)
        self.error = QLabel(self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #B00020")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def prefectures(self) -> list[str]:
        items = (self.list.item(i) for i in range(self.list.count()))
        return [item.data(Qt.ItemDataRole.UserRole) for item in items if item.checkState() == Qt.CheckState.Checked]

    def accept(self) -> None:
        if not self.prefectures():
            self.error.setText(tr("Choose at least one prefecture."))
            return
        try:
            area_url(self.url.text().strip(), "23000")
        except ValueError:
            self.error.setText(tr("The source URL must contain {prefCode}."))
            return
        settings = QgsSettings()
        settings.setValue(SOURCE_URL_KEY, self.url.text().strip())
        settings.setValue(INTERVAL_KEY, self.interval.value())
        super().accept()
