"""Issue 9.6: killing the process that writes a layer's snapshot never leaves a broken cache.

A writer process saves snapshots of a 2,000-feature layer again and again, each save with one version
number in every feature; it is killed at random moments. After each kill the snapshot must open and hold
exactly one complete version (the old or a new one), never a mix or a truncated file.
"""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
import time

from qgis.core import QgsVectorLayer

from tests.conftest import REPO, record_reliability

FEATURES = 2000
KILLS = 12
WRITER = textwrap.dedent(f"""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from pathlib import Path
    from qgis.core import QgsApplication, QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer
    app = QgsApplication([], False)
    app.initQgis()
    from smartcity_qgis.layers.cityos.snapshot import write_snapshot
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=entity_id:string&field=version:integer", "s", "memory")
    features = []
    for i in range({FEATURES}):
        f = QgsFeature(layer.fields())
        f.setAttributes([f"urn:ngsi-ld:Thing:{{i}}", 0])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(137 + i * 1e-5, 34.9)))
        features.append(f)
    layer.dataProvider().addFeatures(features)
    path = Path(sys.argv[1])
    version = int(sys.argv[2])
    index = layer.fields().indexOf("version")
    sys.stdout.write("ready\\n"); sys.stdout.flush()
    while os.getppid() != 1:  # an orphan (its test died) stops by itself
        version += 1
        layer.dataProvider().changeAttributeValues({{f.id(): {{index: version}} for f in layer.getFeatures()}})
        write_snapshot(layer, path)
""")


def _versions(path) -> tuple[int, set[int]]:
    layer = QgsVectorLayer(f"{path}|layername=entities", "check", "ogr")
    assert layer.isValid(), f"the snapshot {path} cannot be opened after a kill"
    versions = {f["version"] for f in layer.getFeatures()}
    return layer.featureCount(), versions


def test_killed_snapshot_writer_leaves_old_or_new_snapshot(qgis_app, tmp_path):
    path = tmp_path / "cache" / "WaterObserved.gpkg"
    rng = random.Random(11)
    seen: set[int] = set()
    start = 0
    checked = whole = 0  # snapshots read back after a kill, and those holding one complete version
    for _round in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(start)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
            time.sleep(rng.uniform(0.2, 1.5))
        finally:
            proc.kill()
            proc.wait()
        if not path.exists():  # killed before its first save finished: nothing to check yet
            continue
        count, versions = _versions(path)
        checked += 1
        assert count == FEATURES and len(versions) == 1, f"mixed or partial snapshot: {count}, {sorted(versions)[:5]}"
        whole += 1
        seen |= versions
        start = max(versions) + 1000  # the next writer's versions are new ones
    assert len(seen) >= 3, "the kills should land after different saves"
    figures = {"kills": KILLS, "checked": checked, "whole": whole, "versions_seen": len(seen)}
    record_reliability("snapshots", "snapshot writer", figures)
