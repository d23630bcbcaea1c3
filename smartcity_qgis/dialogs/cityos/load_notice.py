"""The message bar notice after a load, with a "Details" button listing left-out entities."""

from __future__ import annotations

from qgis.core import Qgis
from qgis.gui import QgsMessageBar
from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smartcity_qgis.i18n import tr


class LoadDetailsDialog(QDialog):
    """A table of the entities that could not be used (id, reason), and the warnings."""

    def __init__(self, result, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SmartCityLoadDetails")
        self.setWindowTitle(tr("Entities that could not be used"))
        layout = QVBoxLayout(self)
        rows = [(i.entity_id or tr("(no id)"), i.reason, tr("left out")) for i in result.invalid]
        rows += [(w.entity_id or tr("(no id)"), w.reason, tr("warning")) for w in result.warnings]
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setObjectName("details")
        self.table.setHorizontalHeaderLabels([tr("Entity id"), tr("Reason"), tr("Kind")])
        for row, values in enumerate(rows):
            for col, value in enumerate(values):
                # QTableWidgetItem shows plain text: hostile ids are never rendered as HTML.
                self.table.setItem(row, col, QTableWidgetItem(str(value)))
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)
        self.text = QPlainTextEdit(result.details_text(), self)
        self.text.setReadOnly(True)
        self.text.setVisible(False)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 360)

    def rows(self) -> list[tuple[str, str, str]]:
        return [
            tuple(self.table.item(r, c).text() for c in range(3))  # type: ignore[misc]
            for r in range(self.table.rowCount())
        ]


def show_load_notice(bar, result, parent: QWidget | None = None) -> LoadDetailsDialog | None:
    """Push the load summary to ``bar``; with left-out entities, a "Details" button opens the list.

    Returns the details dialog (not shown yet) when there is something to detail.
    """
    level = Qgis.MessageLevel.Warning if result.invalid else Qgis.MessageLevel.Success
    details = LoadDetailsDialog(result, parent) if (result.invalid or result.warnings) else None
    if not hasattr(bar, "pushWidget"):  # a message bar without widgets (scripts)
        bar.pushMessage(tr("City OS"), result.summary(), level, 10)
        return details
    widget = QgsMessageBar.createMessage(tr("City OS"), result.summary())
    if details is not None:
        button = QPushButton(tr("Details"), widget)
        button.setObjectName("SmartCityLoadDetailsButton")
        button.clicked.connect(details.show)
        widget.layout().addWidget(button)
    bar.pushWidget(widget, level, 15)
    return details
