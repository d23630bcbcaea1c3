"""The tree of the City OS dock: connections → entity types → attributes, filter and drag."""

from __future__ import annotations

import json
from typing import Any

from qgis.gui import QgsCustomDropHandler
from qgis.PyQt.QtCore import QMimeData, Qt
from qgis.PyQt.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem

from smartcity_qgis.cityos_client.names import short_name
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.connection_status import ConnectionState
from smartcity_qgis.layers.cityos.entity_builder import type_label

MIME_TYPE = "application/x-smartcity-entity-type"
ROLE_KIND = Qt.ItemDataRole.UserRole + 1
ROLE_CONNECTION = Qt.ItemDataRole.UserRole + 2
ROLE_TYPE = Qt.ItemDataRole.UserRole + 3
ROLE_ATTR = Qt.ItemDataRole.UserRole + 4
CONNECTION, TYPE, ATTRIBUTE, PLACEHOLDER = "connection", "type", "attribute", "placeholder"
GEO_TYPES = {"geo:json", "geo:point", "geo:line", "geo:polygon", "geo:box", "GeoProperty"}


class CityOSTree(QTreeWidget):
    """Connections with their entity types (count, attributes); types can be dragged onto the map."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("SmartCityCityOSTree")
        self.setColumnCount(2)
        self.setHeaderLabels([tr("City OS"), tr("Entities / state")])
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setUniformRowHeights(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

    # -- items --------------------------------------------------------------------------
    def connection_item(self, name: str) -> QTreeWidgetItem | None:
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            if item.data(0, ROLE_CONNECTION) == name:
                return item
        return None

    def type_item(self, connection: str, type_name: str) -> QTreeWidgetItem | None:
        parent = self.connection_item(connection)
        if parent is None:
            return None
        for i in range(parent.childCount()):
            child = parent.child(i)
            if child.data(0, ROLE_KIND) == TYPE and child.data(0, ROLE_TYPE) == type_name:
                return child
        return None

    def set_connections(self, names: list[str]) -> None:
        """One top-level item per connection, keeping the types already listed."""
        existing = {self.topLevelItem(i).data(0, ROLE_CONNECTION): i for i in range(self.topLevelItemCount())}
        for name in list(existing):
            if name not in names:
                self.takeTopLevelItem(self.indexOfTopLevelItem(self.connection_item(name)))
        for index, name in enumerate(names):
            item = self.connection_item(name)
            if item is None:
                item = QTreeWidgetItem([name, ""])
                item.setData(0, ROLE_KIND, CONNECTION)
                item.setData(0, ROLE_CONNECTION, name)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                placeholder = QTreeWidgetItem([tr("Expand to connect…"), ""])
                placeholder.setData(0, ROLE_KIND, PLACEHOLDER)
                placeholder.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.addChild(placeholder)
                self.insertTopLevelItem(index, item)

    def set_state(self, name: str, state: ConnectionState) -> None:
        item = self.connection_item(name)
        if item is None:
            return
        item.setText(1, state.describe())
        item.setToolTip(1, state.message or state.describe())

    def set_types(self, connection: str, types: list[Any]) -> None:
        """Replace the types under ``connection`` (TypeInfo list); ticked attributes are kept."""
        parent = self.connection_item(connection)
        if parent is None:
            return
        unticked: dict[str, set[str]] = {}
        for i in range(parent.childCount()):
            child = parent.child(i)
            if child.data(0, ROLE_KIND) == TYPE:
                unticked[child.data(0, ROLE_TYPE)] = {
                    child.child(j).data(0, ROLE_ATTR)
                    for j in range(child.childCount())
                    if child.child(j).checkState(0) == Qt.CheckState.Unchecked
                }
        parent.takeChildren()
        for info in types:
            label = type_label(info.name)
            shown = short_name(info.name)  # an IRI (no @context defining it) shows its last segment
            text = f"{label} ({shown})" if label else shown
            count = "" if info.count is None else f"{info.count:,}"
            item = QTreeWidgetItem([text, count])
            item.setData(0, ROLE_KIND, TYPE)
            item.setData(0, ROLE_CONNECTION, connection)
            item.setData(0, ROLE_TYPE, info.name)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
            attrs = sorted(info.attributes.items())
            item.setToolTip(0, "\n".join(f"{name}: {', '.join(kinds)}" for name, kinds in attrs) or info.name)
            for name, kinds in attrs:
                child = QTreeWidgetItem([short_name(name), ", ".join(kinds)])
                child.setToolTip(0, name)
                child.setData(0, ROLE_KIND, ATTRIBUTE)
                child.setData(0, ROLE_CONNECTION, connection)
                child.setData(0, ROLE_TYPE, info.name)
                child.setData(0, ROLE_ATTR, name)
                child.setData(1, ROLE_ATTR, list(kinds))
                child.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                off = name in unticked.get(info.name, set())
                child.setCheckState(0, Qt.CheckState.Unchecked if off else Qt.CheckState.Checked)
                item.addChild(child)
            parent.addChild(item)
        if not types:
            empty = QTreeWidgetItem([tr("No entity types"), ""])
            empty.setData(0, ROLE_KIND, PLACEHOLDER)
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            parent.addChild(empty)

    def set_message(self, connection: str, message: str) -> None:
        """Show ``message`` (e.g. an error) in place of the types of ``connection``."""
        parent = self.connection_item(connection)
        if parent is None:
            return
        if any(parent.child(i).data(0, ROLE_KIND) == TYPE for i in range(parent.childCount())):
            return  # keep the types already listed; the state column tells what went wrong
        parent.takeChildren()
        item = QTreeWidgetItem([message, ""])
        item.setToolTip(0, message)
        item.setData(0, ROLE_KIND, PLACEHOLDER)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        parent.addChild(item)

    def chosen_attributes(self, connection: str, type_name: str) -> list[str] | None:
        """The ticked attributes of a type (None when all are ticked); geo attributes always included."""
        item = self.type_item(connection, type_name)
        if item is None:
            return None
        ticked, geo = [], []
        for i in range(item.childCount()):
            child = item.child(i)
            name = child.data(0, ROLE_ATTR)
            kinds = set(child.data(1, ROLE_ATTR) or [])
            if kinds & GEO_TYPES or name == "location":
                geo.append(name)
            elif child.checkState(0) == Qt.CheckState.Checked:
                ticked.append(name)
        if len(ticked) + len(geo) == item.childCount():
            return None
        return ticked + geo

    # -- filter -------------------------------------------------------------------------
    def apply_filter(self, text: str) -> None:
        """Show the types whose name, readable name or attributes contain ``text``."""
        needle = text.strip().lower()
        for i in range(self.topLevelItemCount()):
            conn = self.topLevelItem(i)
            conn_match = not needle or needle in conn.text(0).lower()
            any_child = False
            for j in range(conn.childCount()):
                child = conn.child(j)
                if child.data(0, ROLE_KIND) != TYPE:
                    child.setHidden(bool(needle) and not conn_match)
                    continue
                attrs = [child.child(k).text(0).lower() for k in range(child.childCount())]
                match = conn_match or needle in child.text(0).lower() or any(needle in a for a in attrs)
                child.setHidden(not match)
                any_child = any_child or match
            conn.setHidden(not (conn_match or any_child))
            if needle and any_child:
                conn.setExpanded(True)

    # -- drag ---------------------------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, items: list[QTreeWidgetItem]) -> QMimeData:
        chosen = [
            {"connection": it.data(0, ROLE_CONNECTION), "type": it.data(0, ROLE_TYPE)}
            for it in items
            if it.data(0, ROLE_KIND) == TYPE
        ]
        data = QMimeData()
        data.setData(MIME_TYPE, json.dumps(chosen, ensure_ascii=False).encode("utf-8"))
        return data


def dropped_types(data: QMimeData) -> list[tuple[str, str]]:
    """(connection, type) pairs carried by a drag from the tree; [] for anything else."""
    if data is None or not data.hasFormat(MIME_TYPE):
        return []
    try:
        items = json.loads(bytes(data.data(MIME_TYPE)).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return []
    if not isinstance(items, list):
        return []
    return [
        (str(i["connection"]), str(i["type"]))
        for i in items
        if isinstance(i, dict) and isinstance(i.get("connection"), str) and isinstance(i.get("type"), str)
    ]


class EntityTypeDropHandler(QgsCustomDropHandler):
    """Entity types dragged from the dock onto the map window are loaded as layers."""

    def __init__(self, add_type) -> None:
        super().__init__()
        self._add_type = add_type

    def customUriProviderKey(self) -> str:
        return "smartcity-entity-type"

    def canHandleMimeData(self, data: QMimeData) -> bool:
        return bool(dropped_types(data))

    def handleMimeDataV2(self, data: QMimeData) -> bool:
        pairs = dropped_types(data)
        for connection, type_name in pairs:
            self._add_type(connection, type_name)
        return bool(pairs)
