"""The list of city-OS connections: add, edit, duplicate, remove, test, import and export."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smartcity_qgis.dialogs.cityos.connection_dialog import ConnectionDialog
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.connection_probe import ConnectionProbeTask, ProbeResult
from smartcity_qgis.layers.cityos.connections import ConnectionRecordError, ConnectionStore


class ConnectionManagerDialog(QDialog):
    """Manage saved connections. ``connections_changed`` fires after any change."""

    connections_changed = pyqtSignal()

    def __init__(self, store: ConnectionStore | None = None, parent: QWidget | None = None, canvas=None) -> None:
        super().__init__(parent)
        self.setObjectName("SmartCityConnectionManager")
        self.setWindowTitle(tr("City OS connections"))
        self.store = store or ConnectionStore()
        self.canvas = canvas
        self._tasks: list[ConnectionProbeTask] = []
        layout = QVBoxLayout(self)
        body = QHBoxLayout()
        layout.addLayout(body)
        self.list_widget = QListWidget(self)
        self.list_widget.setObjectName("connections")
        self.list_widget.itemDoubleClicked.connect(lambda _item: self.edit_selected())
        self.list_widget.currentItemChanged.connect(lambda *_: self._update_buttons())
        body.addWidget(self.list_widget, 1)
        side = QVBoxLayout()
        body.addLayout(side)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("add", tr("Add…"), self.add),
            ("edit", tr("Edit…"), self.edit_selected),
            ("duplicate", tr("Duplicate"), self.duplicate_selected),
            ("remove", tr("Remove"), self.remove_selected),
            ("test", tr("Test"), self.test_selected),
            ("import", tr("Import…"), self.import_file),
            ("export", tr("Export…"), self.export_file),
        ):
            button = QPushButton(text, self)
            button.setObjectName(key)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            side.addWidget(button)
            self.buttons[key] = button
        self.keep_auth_check = QCheckBox(tr("Export authentication configuration ids"), self)
        self.keep_auth_check.setToolTip(
            tr("Only the id of each QGIS authentication configuration is written, never a token or password.")
        )
        self.keep_auth_check.setChecked(True)
        side.addWidget(self.keep_auth_check)
        side.addStretch(1)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.status_label)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.refresh()

    # -- list ---------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        current = select or self.selected_name()
        self.list_widget.clear()
        for name in self.store.names():
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            try:
                conn = self.store.get(name)
                item.setToolTip(tr("Embedded demo city OS") if conn.demo else conn.url)
            except ConnectionRecordError as exc:  # a damaged entry: shown, so that it can be removed
                item.setToolTip(str(exc))
                item.setText(tr("{0} (damaged)").format(name))
            self.list_widget.addItem(item)
            if name == current:
                self.list_widget.setCurrentItem(item)
        self._update_buttons()

    def selected_name(self) -> str | None:
        item = self.list_widget.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _update_buttons(self) -> None:
        name = self.selected_name()
        try:
            conn = self.store.get(name) if name else None
            damaged = False
        except ConnectionRecordError:
            conn, damaged = None, True
        editable = conn is not None and not conn.demo
        self.buttons["edit"].setEnabled(editable)
        self.buttons["remove"].setEnabled(editable or damaged)
        self.buttons["duplicate"].setEnabled(editable)
        self.buttons["test"].setEnabled(conn is not None)

    def _changed(self, select: str | None = None) -> None:
        self.refresh(select)
        self.connections_changed.emit()

    # -- actions ------------------------------------------------------------------------
    def edit_dialog(self, name: str | None = None) -> ConnectionDialog:
        """The add/edit dialog for ``name`` (a new connection when None)."""
        conn = self.store.get(name) if name else None
        return ConnectionDialog(self.store, conn, self, canvas=self.canvas)

    def add(self) -> None:
        dialog = self.edit_dialog()
        if dialog.exec() and dialog.saved is not None:
            self._changed(dialog.saved.name)

    def _selected_connection(self):
        """The selected connection (None if nothing or a damaged entry is selected)."""
        name = self.selected_name()
        try:
            return self.store.get(name) if name else None
        except ConnectionRecordError as exc:
            self.status_label.setText(str(exc))
            return None

    def edit_selected(self) -> None:
        name = self.selected_name()
        conn = self._selected_connection()
        if conn is None or conn.demo:
            return
        dialog = self.edit_dialog(name)
        if dialog.exec() and dialog.saved is not None:
            self._changed(dialog.saved.name)

    def duplicate_selected(self) -> None:
        name = self.selected_name()
        if not name:
            return
        try:
            copy = self.store.duplicate(name)
        except ConnectionRecordError as exc:
            self.status_label.setText(str(exc))
            return
        self._changed(copy.name)

    def remove_selected(self, confirm: bool = True) -> None:
        name = self.selected_name()
        if not name:
            return
        if confirm:
            answer = QMessageBox.question(self, tr("Remove connection"), tr("Remove the connection {0}?").format(name))
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            self.store.remove(name)
        except ConnectionRecordError as exc:
            self.status_label.setText(str(exc))
            return
        self._changed()

    def test_selected(self) -> ConnectionProbeTask | None:
        """Probe the selected connection in a task; its answer appears in the status line."""
        conn = self._selected_connection()
        if conn is None:
            return None
        self.status_label.setText(tr("Connecting to {0}…").format(conn.name))
        task = ConnectionProbeTask(conn)
        task.probed.connect(self._on_probed)
        task.failed.connect(lambda n, m: self.status_label.setText(tr("{0}: not connected: {1}").format(n, m)))
        task.taskCompleted.connect(lambda t=task: self._forget(t))
        task.taskTerminated.connect(lambda t=task: self._forget(t))
        self._tasks.append(task)
        QgsApplication.taskManager().addTask(task)
        return task

    def _forget(self, task: ConnectionProbeTask) -> None:
        if task in self._tasks:
            self._tasks.remove(task)

    def _on_probed(self, result: ProbeResult) -> None:
        self.status_label.setText(f"{result.connection}: {result.summary()}")

    # -- files --------------------------------------------------------------------------
    def import_file(self, path: str | None = None) -> int:
        """Import connections from a JSON file (asks for it when ``path`` is None); returns how many."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, tr("Import connections"), "", tr("Connections (*.json);;All files (*)")
            )
            if not path:
                return 0
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            self.status_label.setText(tr("Could not read {0}: {1}").format(path, exc))
            return 0
        try:
            added, messages = self.store.import_json(text)
        except ConnectionRecordError as exc:
            self.status_label.setText(str(exc))
            return 0
        lines = [tr("Imported {0} connections.").format(len(added)), *messages]
        self.status_label.setText("\n".join(lines))
        self._changed(added[0].name if added else None)
        return len(added)

    def export_file(self, path: str | None = None) -> bool:
        """Export every saved connection (without secrets) to a JSON file."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, tr("Export connections"), "smartcity-connections.json", tr("Connections (*.json)")
            )
            if not path:
                return False
        text = self.store.export_json(keep_auth_ids=self.keep_auth_check.isChecked())
        target = Path(path)
        tmp = target.with_name(target.name + ".tmp")
        try:
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            self.status_label.setText(tr("Could not write {0}: {1}").format(path, exc))
            return False
        self.status_label.setText(tr("Exported the connections to {0}.").format(path))
        return True
