"""The KPI editor: one KPI's definition with live validation, a preview of its series, and the values
typed in for a manual KPI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from qgis.PyQt.QtCore import QDate, Qt
from qgis.PyQt.QtGui import QDoubleValidator
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from smartcity_qgis.analysis.district_schema import YEAR_MAX, YEAR_MIN
from smartcity_qgis.analysis.kpi_schema import (
    DAY_LABELS,
    DIRECTIONS,
    HOW_LABELS,
    KINDS,
    METHODS,
    PER_LABELS,
    STAT_LABELS,
    TARGET_TYPES,
    TRANSFORMS,
    KnownTypes,
    KpiDefinition,
    validate_kpi,
)
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.districts.kpi_evaluation import daily_series, format_number

PreviewRunner = Callable[[KpiDefinition, Callable[[object], None], Callable[[str], None]], bool]


def _combo(table: Sequence[tuple[str, str]], current: str, object_name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(object_name)
    for code, label in table:
        combo.addItem(label, code)
    index = combo.findData(current)
    combo.setCurrentIndex(max(index, 0))
    return combo


class KpiEditorDialog(QDialog):
    """Edit one KPI; OK stays disabled while the definition has problems."""

    def __init__(
        self,
        kpi: KpiDefinition,
        known: KnownTypes | None = None,
        layers: dict[str, list[str]] | None = None,
        manual_entries: Sequence[tuple[dt.date, float]] = (),
        preview: PreviewRunner | None = None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("KPI"))
        self.setObjectName("SmartCityKpiEditor")
        self.original = kpi
        self.known = known
        self.layers = layers or {}
        self.preview_runner = preview
        self.preview_outcome = None
        body = QVBoxLayout(self)
        body.addWidget(self._definition_box(kpi))
        body.addWidget(self._measure_box(kpi))
        self.manual_box = self._manual_box(manual_entries)
        body.addWidget(self.manual_box)
        self.problems = QLabel()
        self.problems.setObjectName("SmartCityKpiProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020")
        body.addWidget(self.problems)
        preview_row = QHBoxLayout()
        self.preview_button = QPushButton(tr("Preview the last 14 days"))
        self.preview_button.setObjectName("SmartCityKpiPreview")
        self.preview_button.clicked.connect(self.run_preview)
        self.preview_label = QLabel()
        self.preview_label.setObjectName("SmartCityKpiPreviewText")
        self.preview_label.setWordWrap(True)
        self.preview_picture = QLabel()
        self.preview_picture.setObjectName("SmartCityKpiPreviewPicture")
        preview_row.addWidget(self.preview_button)
        preview_row.addWidget(self.preview_picture)
        preview_row.addWidget(self.preview_label, 1)
        body.addLayout(preview_row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        body.addWidget(self.buttons)
        for widget in self.findChildren(QComboBox):
            widget.currentTextChanged.connect(self.check)
        for widget in self.findChildren((QSpinBox, QDoubleSpinBox)):
            widget.valueChanged.connect(self.check)
        for widget in self.findChildren(QCheckBox):
            widget.toggled.connect(self.check)
        for widget in (self.name, self.target, self.unit, self.mesh_field):
            widget.textChanged.connect(self.check)
        self.method.currentIndexChanged.connect(self._show_method)
        self.entity_type.currentTextChanged.connect(self._fill_attributes)
        self._show_method()
        self.check()

    # -- building ---------------------------------------------------------------------------------
    def _definition_box(self, kpi: KpiDefinition) -> QGroupBox:
        box = QGroupBox(tr("Indicator"))
        form = QFormLayout(box)
        self.name = QLineEdit(kpi.name)
        self.name.setObjectName("SmartCityKpiName")
        self.kind = _combo(KINDS, kpi.kind, "SmartCityKpiKind")
        self.unit = QLineEdit(kpi.unit)
        self.target = QLineEdit("" if kpi.target is None else f"{kpi.target:g}")
        self.target.setObjectName("SmartCityKpiTarget")
        self.target.setValidator(QDoubleValidator())
        self.target_type = _combo(TARGET_TYPES, kpi.target_type, "SmartCityKpiTargetType")
        self.target_year = QSpinBox()
        self.target_year.setRange(YEAR_MIN - 1, YEAR_MAX)
        self.target_year.setSpecialValueText("—")
        self.target_year.setValue(kpi.target_year or YEAR_MIN - 1)
        self.direction = _combo(DIRECTIONS, kpi.direction, "SmartCityKpiDirection")
        self.notes = QPlainTextEdit(kpi.notes)
        self.notes.setMaximumHeight(48)
        for label, widget in (
            (tr("Name"), self.name),
            (tr("Kind"), self.kind),
            (tr("Unit"), self.unit),
            (tr("Target"), self.target),
            (tr("Target is"), self.target_type),
            (tr("Target year"), self.target_year),
            (tr("Better when"), self.direction),
            (tr("Notes"), self.notes),
        ):
            form.addRow(label, widget)
        return box

    def _measure_box(self, kpi: KpiDefinition) -> QGroupBox:
        box = QGroupBox(tr("How it is measured"))
        form = QFormLayout(box)
        self.method = _combo(METHODS, kpi.method, "SmartCityKpiMethod")
        self.entity_type = QComboBox()
        self.entity_type.setObjectName("SmartCityKpiEntityType")
        self.entity_type.setEditable(True)
        self.entity_type.addItems(sorted((self.known.attributes if self.known else {}).keys()))
        self.entity_type.setCurrentText(kpi.entity_type)
        self.attribute = QComboBox()
        self.attribute.setObjectName("SmartCityKpiAttribute")
        self.attribute.setEditable(True)
        self.denominator = QComboBox()
        self.denominator.setEditable(True)
        self._fill_attributes()
        self.attribute.setCurrentText(kpi.attribute)
        self.denominator.setCurrentText(kpi.denominator)
        self.transform = _combo(TRANSFORMS, kpi.transform, "SmartCityKpiTransform")
        self.source_layer = QComboBox()
        self.source_layer.setEditable(True)
        self.source_layer.setCurrentText(kpi.source_layer)
        self.mesh_field = QLineEdit(kpi.mesh_field)
        self.event_level = QSpinBox()
        self.event_level.setRange(1, 5)
        self.event_level.setPrefix(tr("Level "))
        self.event_level.setValue(int(kpi.event_level or 3))
        self.distance = QDoubleSpinBox()
        self.distance.setRange(0, 50000)
        self.distance.setSuffix(" m")
        self.distance.setValue(float(kpi.distance_m or 0))
        self.per = _combo(PER_LABELS, kpi.per, "SmartCityKpiPer")
        self.how = _combo(HOW_LABELS, kpi.how, "SmartCityKpiHow")
        self.stat = _combo(STAT_LABELS, kpi.stat, "SmartCityKpiStat")
        self.days = _combo(DAY_LABELS, kpi.days, "SmartCityKpiDays")
        hours = QHBoxLayout()
        self.use_hours = QCheckBox(tr("Only from"))
        self.use_hours.setObjectName("SmartCityKpiUseHours")
        self.hour_from, self.hour_to = QSpinBox(), QSpinBox()
        self.hour_from.setRange(0, 23)
        self.hour_to.setRange(1, 24)
        self.use_hours.setChecked(kpi.hours is not None)
        self.hour_from.setValue(kpi.hour_from if kpi.hour_from is not None else 10)
        self.hour_to.setValue(kpi.hour_to if kpi.hour_to is not None else 18)
        for widget in (self.use_hours, self.hour_from, QLabel(tr("to")), self.hour_to, QLabel(tr("o'clock (JST)"))):
            hours.addWidget(widget)
        self.people = QCheckBox(tr("The values count people (k = 10 rule)"))
        self.people.setChecked(kpi.people)
        self._rows = {}
        for key, label, widget in (
            ("method", tr("Measured from"), self.method),
            ("cityos", tr("Entity type"), self.entity_type),
            ("cityos", tr("Attribute"), self.attribute),
            ("cityos", tr("As"), self.transform),
            ("cityos", tr("Divided by"), self.denominator),
            ("layer", tr("Layer"), self.source_layer),
            ("mesh", tr("Population field"), self.mesh_field),
            ("events", tr("Alert level reached"), self.event_level),
            ("events", tr("Gauges within"), self.distance),
            ("series", tr("Per"), self.per),
            ("series", tr("Aggregated by"), self.how),
            ("series", tr("Period value"), self.stat),
            ("series", tr("Days"), self.days),
            ("series", tr("Hours"), hours),
            ("cityos", "", self.people),
        ):
            form.addRow(label, widget)
            self._rows.setdefault(key, []).append(widget)
        self._form = form
        return box

    def _manual_box(self, entries: Sequence[tuple[dt.date, float]]) -> QGroupBox:
        box = QGroupBox(tr("Values typed in (date, value)"))
        layout = QVBoxLayout(box)
        self.manual = QTableWidget(0, 2)
        self.manual.setObjectName("SmartCityKpiManualValues")
        self.manual.setHorizontalHeaderLabels([tr("Date (YYYY-MM-DD)"), tr("Value")])
        for day, value in entries:
            self.add_manual_row(day.isoformat(), f"{value:g}")
        add = QPushButton(tr("Add a row"))
        add.clicked.connect(lambda: self.add_manual_row(QDate.currentDate().toString("yyyy-MM-dd"), ""))
        layout.addWidget(self.manual)
        layout.addWidget(add)
        self.manual.itemChanged.connect(self.check)
        return box

    def add_manual_row(self, day: str, value: str) -> None:
        row = self.manual.rowCount()
        self.manual.insertRow(row)
        self.manual.setItem(row, 0, QTableWidgetItem(day))
        self.manual.setItem(row, 1, QTableWidgetItem(value))

    def _fill_attributes(self, *_args) -> None:
        attrs = sorted((self.known.attributes if self.known else {}).get(self.entity_type.currentText(), ()))
        for combo in (self.attribute, self.denominator):
            text = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(attrs)
            combo.setCurrentText(text)
            combo.blockSignals(False)

    def _show_method(self, *_args) -> None:
        method = self.method.currentData()
        visible = {"method", "series"} | ({method} if method in ("cityos", "mesh", "events") else set())
        if method in ("mesh", "events"):
            visible.add("layer")
            names = self.layers.get(method, [])
            text = self.source_layer.currentText()
            self.source_layer.clear()
            self.source_layer.addItems(names)
            self.source_layer.setCurrentText(text if text in names or not names else names[0])
        if method == "manual":
            visible -= {"series"}
        for key, widgets in self._rows.items():
            for widget in widgets:
                shown = key in visible
                label = self._form.labelForField(widget)
                for item in (widget, label):
                    if item is None:
                        continue
                    if hasattr(item, "setVisible"):
                        item.setVisible(shown)
                    else:  # a layout: its widgets
                        for i in range(item.count()):
                            if item.itemAt(i).widget() is not None:
                                item.itemAt(i).widget().setVisible(shown)
        self.manual_box.setVisible(method == "manual")
        self.preview_button.setEnabled(method != "manual")

    # -- reading ------------------------------------------------------------------------------------
    def kpi(self) -> KpiDefinition:
        """The definition as the form shows it (not yet validated)."""
        target_text = self.target.text().strip().replace(",", "")
        try:
            target = float(target_text) if target_text else None
        except ValueError:
            target = target_text  # validate_kpi names it
        year = self.target_year.value()
        method = self.method.currentData()
        return self.original.copy(
            name=self.name.text().strip(),
            kind=self.kind.currentData(),
            unit=self.unit.text().strip(),
            target=target,
            target_type=self.target_type.currentData(),
            target_year=None if year < YEAR_MIN else year,
            direction=self.direction.currentData(),
            notes=self.notes.toPlainText().strip(),
            method=method,
            entity_type=self.entity_type.currentText().strip() if method == "cityos" else "",
            attribute=self.attribute.currentText().strip() if method == "cityos" else "",
            transform=self.transform.currentData() if method == "cityos" else "",
            denominator=self.denominator.currentText().strip() if method == "cityos" else "",
            source_layer=self.source_layer.currentText().strip() if method in ("mesh", "events") else "",
            mesh_field=self.mesh_field.text().strip() if method == "mesh" else "",
            event_level=self.event_level.value(),
            distance_m=self.distance.value(),
            per=self.per.currentData(),
            how=self.how.currentData(),
            stat=self.stat.currentData(),
            days=self.days.currentData(),
            hour_from=self.hour_from.value() if self.use_hours.isChecked() else None,
            hour_to=self.hour_to.value() if self.use_hours.isChecked() else None,
            people=self.people.isChecked() or method == "mesh",
        )

    def manual_entries(self) -> tuple[list[tuple[dt.date, float]], list[str]]:
        """The typed-in values and, for rows that cannot be read, a message each."""
        entries, problems = [], []
        for row in range(self.manual.rowCount()):
            day_item, value_item = self.manual.item(row, 0), self.manual.item(row, 1)
            day_text = day_item.text().strip() if day_item else ""
            value_text = value_item.text().strip().replace(",", "") if value_item else ""
            if not day_text and not value_text:
                continue
            try:
                entries.append((dt.date.fromisoformat(day_text), float(value_text)))
            except ValueError:
                problems.append(tr("Row {0}: give a date (YYYY-MM-DD) and a number").format(row + 1))
        return entries, problems

    def problem_texts(self) -> list[str]:
        """What keeps the KPI from being saved, in the user's language."""
        texts = [self._problem_text(p.field, p.message) for p in validate_kpi(self.kpi(), self.known)]
        if self.method.currentData() == "manual":
            texts += self.manual_entries()[1]
        return texts

    def _problem_text(self, field: str, message: str) -> str:
        kpi = self.kpi()
        known = {
            "name": tr("Give the KPI a name"),
            "entity_type": tr("The city OS has no entity type {0}").format(kpi.entity_type)
            if kpi.entity_type
            else tr("Choose an entity type"),
            "attribute": tr("{0} has no attribute {1}").format(kpi.entity_type, kpi.attribute)
            if kpi.attribute
            else tr("Choose an attribute"),
            "denominator": tr("Choose the attribute to divide by"),
            "hours": tr("The hours must differ and lie in 0–24"),
            "target": tr("The target must be a number"),
            "target_year": tr("A target year between {0} and {1}").format(YEAR_MIN, YEAR_MAX),
        }
        return known.get(field, message)

    def check(self, *_args) -> list[str]:
        """Show the problems; OK only when there are none."""
        texts = self.problem_texts()
        self.problems.setText("\n".join(texts))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not texts)
        return texts

    # -- preview --------------------------------------------------------------------------------
    def run_preview(self) -> bool:
        """Measure the last 14 days without storing (through the panel's runner)."""
        if self.preview_runner is None or self.check():
            return False
        self.preview_label.setText(tr("Measuring…"))
        return self.preview_runner(self.kpi(), self.show_preview, self.preview_label.setText)

    def show_preview(self, outcome) -> None:
        """The preview's figures: days with data, the latest value, warnings."""
        from smartcity_qgis.dialogs.districts.kpi_sparkline import sparkline

        self.preview_outcome = outcome
        series = daily_series(outcome.values)
        if not series:
            self.preview_label.setText("\n".join([tr("No data in the last 14 days"), *outcome.warnings]))
            return
        self.preview_picture.setPixmap(sparkline(series, 160, 32))
        text = tr("{0} days with data; latest {1}: {2}").format(
            len(series), series[-1].key, format_number(series[-1].value)
        )
        if outcome.left_out:
            text += "\n" + tr("{0} days of fewer than 10 people left out").format(len(outcome.left_out))
        self.preview_label.setText(text)
        self.preview_label.setToolTip("\n".join(outcome.warnings))
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
