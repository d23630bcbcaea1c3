"""Pilot districts: define the QURUWA pilot district in Okazaki with its KPIs, measured before and after.

Draws the 乙川リバーフロント QURUWA district (都市計画・整備, 実証段階) and a flood-preparedness
district made from a 300 m buffer around river stations (or the castle when no stations were
loaded), through the edit buffer, and saves both in one transaction to ``districts/districts.gpkg``.
Then defines their KPIs in the same file and measures them from the embedded city OS over the 90
days before the QURUWA 社会実験 and the days since (``demo.district_kpis``), writing the comparison
to ``districts/kpi_evaluation.txt``.
"""

from __future__ import annotations

from pathlib import Path

from smartcity_qgis.demo.context import DemoContext

# Outline of the QURUWA area (岡崎城・康生・籠田公園・乙川河川緑地), simplified, lon/lat JGD2011.
QURUWA_OUTLINE = (
    (137.1555, 34.9545), (137.1600, 34.9530), (137.1660, 34.9528), (137.1720, 34.9540),
    (137.1745, 34.9575), (137.1720, 34.9610), (137.1660, 34.9622), (137.1600, 34.9615),
    (137.1560, 34.9590), (137.1555, 34.9545),
)  # fmt: skip
OKAZAKI_CASTLE = (137.1597, 34.9563)

QURUWA_ATTRIBUTES = {
    "name": "乙川リバーフロント地区（QURUWA）",
    "domain": "urban_planning",
    "phase": "demonstration",
    "vision": "乙川リバーフロントと中心市街地を公民連携でつなぎ、歩いて楽しい回遊のまちをつくる",
    "initiatives": "人流データの計測と可視化、河川空間の利活用、回遊性向上の社会実験、都市OSによるデータ連携",
    "kpi_outcome": "QURUWA地区の歩行者通行量（休日）",
    "kpi_outcome_target": 10,
    "kpi_outcome_unit": "％増（2021年比）",
    "kpi_outcome_year": 2030,
    "kpi_output": "人流センサーの設置箇所数",
    "kpi_output_target": 20,
    "kpi_output_unit": "箇所",
    "kpi_output_year": 2027,
    "lead_body": "岡崎スマートコミュニティ推進協議会",
    "notes": "デモ用の合成データ。地区界は概略であり、実際の計画区域ではありません。",
}

RIVER_ATTRIBUTES = {
    "name": "乙川沿川 水害への備えモデル地区",
    "domain": "disaster_prevention",
    "phase": "planning",
    "vision": "河川水位と浸水想定を地図で共有し、早めの避難につなげる",
    "initiatives": "水位観測所の警戒レベル配信、浸水想定区域内の人口把握",
    "kpi_output": "災害時情報配信システム登録人数",
    "kpi_output_target": 5000,
    "kpi_output_unit": "人",
    "kpi_output_year": 2028,
    "lead_body": "岡崎市 防災課（デモ）",
    "notes": "デモ用の合成データ。観測所から300 mの範囲。",
}


def _point_layer(points):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    layer = QgsVectorLayer("Point?crs=EPSG:6668", "points", "memory")
    features = []
    for lon, lat in points:
        feature = QgsFeature()
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(lon, lat)))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    layer.selectAll()
    return layer


def define_districts(ctx: DemoContext):
    """The district layer with QURUWA and the river district, saved; added to the project."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsGeometry, QgsPointXY

    from smartcity_qgis.i18n import tr
    from smartcity_qgis.layers.districts.geometry import geometry_from_selection
    from smartcity_qgis.layers.districts.layer import add_district, open_district_layer, save_districts

    path = ctx.output / "districts" / "districts.gpkg"
    path.unlink(missing_ok=True)
    layer = open_district_layer(path, tr("Pilot districts"))
    outline = QgsGeometry.fromPolygonXY([[QgsPointXY(x, y) for x, y in QURUWA_OUTLINE]])
    add_district(layer, outline, QURUWA_ATTRIBUTES, QgsCoordinateReferenceSystem("EPSG:6668"))

    stations = ctx.shared.get("river_stations")
    if stations is not None and stations.featureCount():
        near = outline.buffer(0.03, 8)
        stations.selectByIds([f.id() for f in stations.getFeatures() if f.geometry().intersects(near)])
        sources = [stations] if stations.selectedFeatureCount() else [_point_layer([OKAZAKI_CASTLE])]
    else:
        sources = [_point_layer([OKAZAKI_CASTLE])]
    river_area = geometry_from_selection(sources, 300.0, layer.crs())
    add_district(layer, river_area, RIVER_ATTRIBUTES)
    if stations is not None:
        stations.removeSelection()
    print(
        f"  {layer.editBuffer().addedFeatures().__len__()} districts in the edit buffer (undo steps: "
        f"{layer.undoStack().count()})"
    )
    count = save_districts(layer)
    ctx.project.addMapLayer(layer)
    ctx.shared["districts_layer"] = layer
    print(f"  saved {count} districts to {path.name} in one transaction")
    return layer, path


def run(ctx: DemoContext) -> list[Path]:
    from smartcity_qgis.demo.district_kpis import define_and_measure

    layer, path = define_districts(ctx)
    lines = define_and_measure(ctx, layer, path)
    report = path.parent / "kpi_evaluation.txt"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [path, report]
