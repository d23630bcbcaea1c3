"""The KPI tab of the district dock: follows the selection, edits with validation, previews, measures
from the demo city OS in tasks, and shows today's partial value live."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from qgis.core import QgsApplication, QgsGeometry, QgsPointXY, QgsProject
from qgis.PyQt.QtWidgets import QDialog, QDialogButtonBox

from smartcity_qgis.analysis.kpi_schema import KnownTypes, KpiDefinition
from smartcity_qgis.demo.step_50_districts import QURUWA_OUTLINE
from smartcity_qgis.dialogs.districts.district_dock import DistrictFactSheetDock
from smartcity_qgis.dialogs.districts.kpi_editor import KpiEditorDialog
from smartcity_qgis.dialogs.districts.kpi_panel import today_jst
from smartcity_qgis.layers.cityos.connections import DEMO_CONNECTION_NAME
from smartcity_qgis.layers.cityos.demo_cityos import stop_demo_server
from smartcity_qgis.layers.districts.kpi_measure import manual_values
from smartcity_qgis.layers.districts.kpi_store import read_kpis, read_values, write_kpis, write_values
from smartcity_qgis.layers.districts.layer import add_district, open_district_layer, save_districts

KNOWN = KnownTypes({"CrowdFlowObserved": {"peopleCount", "name"}, "OffStreetParking": {"availableSpotNumber"}})


def _wait_for(condition, timeout=90.0):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        QgsApplication.processEvents()
        time.sleep(0.02)
    QgsApplication.processEvents()
    return condition()


def _idle(panel) -> bool:
    return not panel.tasks


@pytest.fixture
def dock(qgis_iface, tmp_path):
    layer = open_district_layer(tmp_path / "districts.gpkg")
    QgsProject.instance().addMapLayer(layer)
    outline = QgsGeometry.fromPolygonXY([[QgsPointXY(x, y) for x, y in QURUWA_OUTLINE]])
    add_district(layer, outline, {"name": "QURUWA", "domain": "urban_planning", "phase": "demonstration"})
    save_districts(layer)
    qgis_iface.setActiveLayer(layer)
    widget = DistrictFactSheetDock(qgis_iface)
    yield widget, layer, tmp_path / "districts.gpkg"
    widget.stop_watching()
    _wait_for(lambda: _idle(widget.kpi_panel), 30)
    QgsProject.instance().removeAllMapLayers()
    stop_demo_server()


def _cells(panel) -> list[list[str]]:
    table = panel.table
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_the_kpi_tab_follows_the_selected_district(dock):
    widget, layer, path = dock
    fid = next(layer.getFeatures()).id()
    write_kpis(path, fid, [KpiDefinition(fid, "市民満足度", unit="点", target=4.0, how="mean")])
    kpi = read_kpis(path, fid)[0]
    write_values(path, kpi, manual_values(kpi, [("2026-01-15", 3.0), ("2026-03-15", 3.2), ("2026-06-15", 3.6)]))
    panel = widget.kpi_panel
    widget.refresh()
    assert panel.table.rowCount() == 0 and widget.tabs.count() == 2
    layer.selectAll()
    widget.refresh()
    panel.set_periods((dt.date(2026, 1, 1), dt.date(2026, 3, 31)), (dt.date(2026, 4, 1), dt.date(2026, 6, 30)))
    (row,) = _cells(panel)
    assert row[:3] == ["市民満足度", "アウトカム", "3.60 点（2026-06-15）"]
    assert row[3] == "3.10（2日）" and row[4] == "3.60（1日）" and row[5] == "+16.1%"
    assert row[6] == "4 点" and row[7] == "90%"
    assert not panel.table.item(0, 8).icon().isNull()  # the sparkline
    layer.removeSelection()
    widget.refresh()
    assert panel.table.rowCount() == 0


def test_the_editor_names_what_is_wrong_and_blocks_saving(qgis_app):
    dialog = KpiEditorDialog(KpiDefinition(1, ""), KNOWN)
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    assert not ok.isEnabled() and dialog.problems.text() == "Give the KPI a name"
    dialog.name.setText("歩行者通行量（休日）")
    dialog.method.setCurrentIndex(dialog.method.findData("cityos"))
    dialog.entity_type.setCurrentText("CrowdFlow")
    assert "CrowdFlow" in dialog.problems.text() and not ok.isEnabled()
    dialog.entity_type.setCurrentText("CrowdFlowObserved")
    dialog.attribute.setCurrentText("peoplecount")
    assert "peoplecount" in dialog.problems.text() and not ok.isEnabled()
    dialog.attribute.setCurrentText("peopleCount")
    dialog.days.setCurrentIndex(dialog.days.findData("holiday"))
    dialog.use_hours.setChecked(True)
    dialog.hour_from.setValue(18)
    dialog.hour_to.setValue(18)
    assert not ok.isEnabled()
    dialog.hour_from.setValue(10)
    assert ok.isEnabled(), dialog.problems.text()
    kpi = dialog.kpi()
    assert (kpi.entity_type, kpi.attribute, kpi.days, kpi.hours, kpi.method) == (
        "CrowdFlowObserved", "peopleCount", "holiday", (10, 18), "cityos"
    )  # fmt: skip
    manual = KpiEditorDialog(KpiDefinition(1, "満足度"), KNOWN)
    manual.add_manual_row("2026-13-01", "3")
    assert not manual.buttons.button(QDialogButtonBox.Ok).isEnabled()
    manual.manual.item(0, 0).setText("2026-12-01")
    assert manual.buttons.button(QDialogButtonBox.Ok).isEnabled()
    assert manual.manual_entries() == ([(dt.date(2026, 12, 1), 3.0)], [])


def test_adding_a_typed_in_kpi_stores_it_and_its_values(dock):
    widget, layer, path = dock
    layer.selectAll()
    widget.refresh()
    panel = widget.kpi_panel

    def fill(dialog):
        dialog.name.setText("市民満足度")
        dialog.target.setText("4")
        dialog.add_manual_row("2026-04-01", "3.5")
        return QDialog.Accepted

    panel.add_kpi(run=fill)
    (kpi,) = read_kpis(path)
    assert (kpi.name, kpi.target, kpi.method) == ("市民満足度", 4.0, "manual")
    assert [(v.period, v.value) for v in read_values(path, kpi)] == [("2026-04-01", 3.5)]
    assert panel.table.rowCount() == 1
    panel.remove_kpi(0, confirm=False)
    assert read_kpis(path) == [] and panel.table.rowCount() == 0


def test_measuring_previewing_and_live_from_the_demo_city_os(dock):
    widget, layer, path = dock
    fid = next(layer.getFeatures()).id()
    write_kpis(path, fid, [KpiDefinition(fid, "歩行者通行量（休日）", method="cityos", entity_type="CrowdFlowObserved",
                                         attribute="peopleCount", days="holiday", people=True, target=10,
                                         target_type="change_pct")])  # fmt: skip
    layer.selectAll()
    widget.refresh()
    panel = widget.kpi_panel
    panel.connections.setCurrentText(DEMO_CONNECTION_NAME)
    panel.connect_city_os()
    assert _wait_for(lambda: panel.config is not None and _idle(panel)), panel.connection_status.text()
    assert "CrowdFlowObserved" in panel.known.attributes
    today = today_jst()
    experiment = today - dt.timedelta(days=60)  # the demo city OS's 社会実験 began 60 days before it started
    panel.set_periods((today - dt.timedelta(days=120), experiment - dt.timedelta(days=1)), (experiment, today))
    task = panel.measure()
    assert task is not None and _wait_for(lambda: _idle(panel)), panel.status.text()
    stored = read_values(path, read_kpis(path)[0])
    assert len(stored) > 30 and f"{len(stored)} periods stored" in panel.status.text()
    row = _cells(panel)[0]
    assert row[5].startswith("+") and row[7].endswith("%")

    dialog = panel.editor(panel.kpis[0])
    assert dialog.run_preview()
    assert _wait_for(lambda: dialog.preview_outcome is not None)
    assert "days with data; latest" in dialog.preview_label.text()
    assert dialog.preview_outcome.values and not dialog.preview_picture.pixmap().isNull()
    assert len(read_values(path, read_kpis(path)[0])) == len(stored)  # a preview stores nothing

    everyday = read_kpis(path)[0].copy(days="all")
    write_kpis(path, fid, [everyday])
    panel.refresh()
    panel.live.setChecked(True)
    assert _wait_for(lambda: _idle(panel))
    panel.live.setChecked(False)
    values = read_values(path, read_kpis(path)[0])
    assert values[-1].period == today.isoformat() and values[-1].note.startswith("partial")
    assert _cells(panel)[0][2].endswith(f"（{today.isoformat()}, partial)")
