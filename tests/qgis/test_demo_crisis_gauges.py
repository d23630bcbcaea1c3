"""The demo's synthetic crisis-gauge storm: live crossings and the replay agree, outputs are marked synthetic."""

from __future__ import annotations

import json

from qgis.core import QgsProject, QgsVectorLayer

from smartcity_qgis.analysis.river_gauges import read_area_json
from smartcity_qgis.demo.synthetic_gauges import area_document
from tests.conftest import REPO


def test_the_shipped_synthetic_file_is_the_generators_crest_and_reads_cleanly():
    shipped = REPO / "resources" / "demo" / "rivers" / "okazaki_synthetic_23000.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == area_document(13)
    gauges = read_area_json(shipped)
    assert len(gauges) == 8 and not gauges.problems
    assert all(g.name.startswith("（合成）") for g in gauges), "every gauge says it is synthetic"
    assert {g.status for g in gauges} == {"flood", "danger", "observing"}


def test_demo_step_replays_the_storm_live_and_after_action(qgis_app, tmp_path):
    from smartcity_qgis.demo import step_47_crisis_gauges
    from smartcity_qgis.demo.context import DemoContext

    project = QgsProject.instance()
    project.clear()
    ctx = DemoContext(output=tmp_path, project=project)
    try:
        written = step_47_crisis_gauges.run(ctx)
    finally:
        ctx.close()
    names = {p.name for p in written}
    assert {"SYNTHETIC.txt", "crisis_panel.png", "crisis_snapshots_replay.gpkg", "crisis_peak.png"} <= names
    live = [(code, a, b) for code, _name, a, b in ctx.shared["crisis_live_crossings"]]
    replayed = [(c.code, c.from_stage, c.to_stage) for c in ctx.shared["crisis_replay"].crossings]
    assert live and sorted(live) == sorted(replayed), "the live layer and the replay see the same storm"
    crossings = QgsVectorLayer(
        f"{tmp_path / 'rivers' / 'crisis_snapshots_replay.gpkg'}|layername=crossings", "c", "ogr"
    )
    assert crossings.featureCount() == len(replayed)
    project.clear()
