"""Layers with hand-computable contents for the district and planning tests."""

from __future__ import annotations

from qgis.core import QgsFeature, QgsGeometry, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QVariant

from smartcity_qgis.layers.cityos.entity_schema import DOUBLE, INT, STRING, qgs_field
from smartcity_qgis.layers.districts.layer import add_district, open_district_layer, save_districts

# A 1 km × 1 km square in plane-rectangular zone VII (EPSG:6675), in central Okazaki.
X0, Y0 = 0.0, -116000.0
SQUARE_6675 = f"POLYGON(({X0} {Y0},{X0 + 1000} {Y0},{X0 + 1000} {Y0 + 1000},{X0} {Y0 + 1000},{X0} {Y0}))"


def memory_layer(
    kind: str, name: str, fields: dict[str, QVariant.Type], rows: list[tuple[str, dict]], crs: str = "EPSG:6675"
) -> QgsVectorLayer:
    """A memory layer with WKT geometries and attribute dicts."""
    layer = QgsVectorLayer(f"{kind}?crs={crs}", name, "memory")
    kinds = {QVariant.String: STRING, QVariant.Int: INT, QVariant.Double: DOUBLE}
    layer.dataProvider().addAttributes([qgs_field(n, kinds[t]) for n, t in fields.items()])
    layer.updateFields()
    features = []
    for wkt, attrs in rows:
        feature = QgsFeature(layer.fields())
        if wkt:
            feature.setGeometry(QgsGeometry.fromWkt(wkt))
        for key, value in attrs.items():
            feature[key] = value
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    return layer


def box(x1: float, y1: float, x2: float, y2: float) -> str:
    return f"POLYGON(({x1} {y1},{x2} {y1},{x2} {y2},{x1} {y2},{x1} {y1}))"


def square_district(path, name: str = "QURUWA地区", **attrs) -> QgsVectorLayer:
    """A saved district layer holding the 1 km square (added to the project)."""
    from qgis.core import QgsCoordinateReferenceSystem

    layer = open_district_layer(path)
    QgsProject.instance().addMapLayer(layer)
    values = {
        "name": name,
        "domain": "urban_planning",
        "phase": "demonstration",
        "lead_body": "協議会",
        "kpi_outcome": "来街者数",
        "kpi_outcome_target": 12000,
        "kpi_outcome_unit": "人/日",
        "kpi_outcome_year": 2030,
        **attrs,
    }
    add_district(layer, QgsGeometry.fromWkt(SQUARE_6675), values, QgsCoordinateReferenceSystem("EPSG:6675"))
    save_districts(layer)
    return layer


def planning_layers() -> dict[str, QgsVectorLayer]:
    """People flow, hazard, entities and river stations around the square, added to the project."""
    layers = {
        "people": memory_layer(
            "Polygon",
            "人流",
            {"population_day": QVariant.Double, "population_night": QVariant.Double},
            [(box(X0 + 500, Y0, X0 + 1500, Y0 + 1000), {"population_day": 1000, "population_night": 200})],
        ),
        "hazard": memory_layer(
            "Polygon",
            "洪水浸水想定区域",
            {"A31a_205": QVariant.Int},
            [
                (box(X0 - 100, Y0, X0 + 250, Y0 + 1000), {"A31a_205": 2}),
                (box(X0 + 250, Y0, X0 + 500, Y0 + 500), {"A31a_205": 3}),
            ],
        ),
        "entities": memory_layer(
            "Point",
            "センサー",
            {"type": QVariant.String},
            [
                (f"POINT({X0 + 100} {Y0 + 100})", {"type": "Device"}),
                (f"POINT({X0 + 900} {Y0 + 900})", {"type": "Device"}),
                (f"POINT({X0 + 500} {Y0 + 500})", {"type": "ParkingSpot"}),
                (f"POINT({X0 + 5000} {Y0})", {"type": "Device"}),
            ],
        ),
        "stations": memory_layer(
            "Point",
            "水位観測所",
            {"name": QVariant.String, "alert_level": QVariant.Int},
            [
                (f"POINT({X0 + 1500} {Y0 + 500})", {"name": "明大寺", "alert_level": 3}),
                (f"POINT({X0 + 9000} {Y0})", {"name": "遠方", "alert_level": 1}),
            ],
        ),
    }
    for layer in layers.values():
        QgsProject.instance().addMapLayer(layer)
    return layers


def init_processing() -> None:
    """QGIS's Processing framework with the SmartCity provider (shared with the other QGIS tests)."""
    from tests.qgis.conftest import ensure_smartcity_processing

    ensure_smartcity_processing()
