"""After-action replay in QGIS: time-enabled readings, crossings, the peak figure, and a reopen."""

from __future__ import annotations

from datetime import timedelta

from qgis.core import QgsDateTimeRange, QgsProject
from qgis.PyQt.QtCore import QDateTime, Qt

from smartcity_qgis.analysis.gauge_replay import load_replay
from smartcity_qgis.analysis.river_gauges import CREDIT_JA
from smartcity_qgis.credits import bare_source
from smartcity_qgis.dialogs.rivers.replay_figure import crossing_lines, peak_figure
from smartcity_qgis.layers.rivers.replay import replay_layers, write_replay
from tests.unit.test_gauge_replay import START, folder  # noqa: F401  (the 48 hourly snapshots)


def qtime(when) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(int(when.timestamp() * 1000), Qt.UTC)


def test_a_replayed_storm_plays_in_the_temporal_controller_and_makes_a_figure(folder, tmp_path, qgis_app):  # noqa: F811
    replay = load_replay(folder)
    path = write_replay(replay, tmp_path / "storm_replay.gpkg")
    readings, crossings, peak = replay_layers(path, "storm")
    project = QgsProject.instance()
    project.clear()
    project.addMapLayers([readings, crossings, peak])
    assert readings.featureCount() == len(replay.readings) and crossings.featureCount() == 11
    assert peak.featureCount() == 3 and readings.metadata().rights() == [CREDIT_JA]
    assert readings.temporalProperties().isActive() and crossings.temporalProperties().isActive()

    # At 25:30 the Temporal Controller shows each gauge as it stood then: one feature per gauge.
    moment = START + timedelta(hours=25, minutes=30)
    window = QgsDateTimeRange(qtime(moment), qtime(moment + timedelta(minutes=1)))
    from qgis.core import QgsVectorLayerTemporalContext

    context = QgsVectorLayerTemporalContext()
    context.setLayer(readings)
    expression = readings.temporalProperties().createFilterString(context, window)
    shown = list(readings.getFeatures(expression))
    assert sorted((f["code"], f["level"]) for f in shown) == [
        ("2300000001", 2.2), ("2300000002", 0.2), ("2300000003", 0.5)
    ]  # fmt: skip
    times = [f["time_jst"] for f in crossings.getFeatures()]
    assert times[0] == "2025-09-12 05:00 JST" and times[-1] == "2025-09-13 16:00 JST"

    layout = peak_figure(replay, peak, project=project)
    assert layout.pageCollection().pageCount() == 2
    texts = [item.text() for item in layout.items() if hasattr(item, "text") and callable(item.text)]
    lines = crossing_lines(replay)
    assert len(lines) == 11 and any(lines[1] in t for t in texts)
    assert "2025-09-12 05:00 JST" in lines[1] and "氾濫開始水位" in lines[1]
    # One 出典 prefix for the whole line (credits.py), then the source itself.
    assert any(bare_source(CREDIT_JA) in t and "Sources" in t for t in texts), "the credit is printed"

    name = readings.name()
    saved = tmp_path / "replay.qgs"
    assert project.write(str(saved))
    project.clear()
    assert project.read(str(saved))
    back = {layer.name(): layer for layer in project.mapLayers().values()}
    again = back[name]
    assert again.featureCount() == len(replay.readings) and again.temporalProperties().isActive()
    assert again.temporalProperties().startField() == "valid_from"
    project.clear()


def test_the_menu_entry_replays_a_folder_in_the_background(folder, qgis_iface):  # noqa: F811
    import time

    from qgis.PyQt.QtCore import QCoreApplication, QEventLoop

    from smartcity_qgis.dialogs.rivers.ui_river import replay_folder

    project = QgsProject.instance()
    project.clear()
    replay_folder(qgis_iface, str(folder))
    deadline = time.monotonic() + 30
    while len(project.mapLayers()) < 3:
        assert time.monotonic() < deadline, "the replay never arrived"
        QCoreApplication.processEvents(QEventLoop.AllEvents, 50)
        time.sleep(0.02)
    assert (folder.parent / f"{folder.name}_replay.gpkg").is_file()
    assert project.layoutManager().layoutByName("River gauges at the peak of the storm") is not None or (
        len(project.layoutManager().layouts()) == 1
    )
    project.clear()
