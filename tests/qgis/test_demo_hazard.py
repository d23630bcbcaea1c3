"""The synthetic Okazaki flood zones as shipped, and the hazard demo step on the embedded city OS."""

from __future__ import annotations

from qgis.core import QgsGeometry, QgsProject
from shapely.geometry import shape

from smartcity_qgis.demo.context import DemoContext
from smartcity_qgis.demo.okazaki_flood import FLOOD_ZONES, SYNTHETIC_NOTE, flood_zone_rows, write_flood_zones
from smartcity_qgis.layers.hazards.files import load_hazard_file, shapefile_encoding


def _zones_differ(layer, rows, tolerance: float) -> list[str]:
    """How the layer's features differ from the generator's rows, in order (attributes, then areas)."""
    features = list(layer.getFeatures())
    if len(features) != len(rows):
        return [f"{len(features)} features against {len(rows)} zones"]
    problems = []
    for i, (feature, (attributes, geojson)) in enumerate(zip(features, rows, strict=True)):
        got = {name: feature[name] for name in attributes}
        if got != attributes:
            problems.append(f"zone {i}: {got} against {attributes}")
        expected = QgsGeometry.fromWkt(shape(geojson).wkt)
        # Area outside either one, relative to the zone: 0 for the same shape.
        mismatch = feature.geometry().symDifference(expected).area() / expected.area()
        if mismatch > tolerance:
            problems.append(
                f"zone {i} ({attributes['A31a_202']} rank {attributes['A31a_205']}): shape differs by {mismatch:.2e}"
            )
    return problems


def test_shipped_zones_are_cp932_a31a_labelled_synthetic(qgis_app):
    assert shapefile_encoding(FLOOD_ZONES) == "cp932"
    assert FLOOD_ZONES.with_suffix(".cpg").read_text().strip() == "CP932"
    (layer,) = load_hazard_file(FLOOD_ZONES).layers
    assert layer.customProperty("smartcity/hazard_kind") == "A31a_2"
    rows = [(f["A31a_202"], f["A31a_205"], f["NOTE"]) for f in layer.getFeatures()]
    assert {note for *_, note in rows} == {SYNTHETIC_NOTE}
    assert {rank for name, rank, _ in rows if name == "矢作川"} == {1, 2, 3, 4}
    assert {rank for name, rank, _ in rows if name == "乙川"} == {1, 2, 3}


def test_shipped_file_is_what_the_module_generates(qgis_app):
    """Same zones in the same order, same attributes, same shapes (up to the GEOS version's rounding)."""
    (shipped,) = load_hazard_file(FLOOD_ZONES).layers
    # GEOS releases round the unions and simplifications differently: up to 8e-4 of a zone between
    # GEOS 3.11 (QGIS 3.22, Debian 12) and 3.15 (QGIS 3.44, Debian forky); a changed generator moves
    # whole percent.
    assert _zones_differ(shipped, flood_zone_rows(), tolerance=2e-3) == []


def test_generator_writes_its_zones_exactly(qgis_app, tmp_path):
    path = write_flood_zones(tmp_path / FLOOD_ZONES.name)
    assert shapefile_encoding(path) == "cp932"
    (fresh,) = load_hazard_file(path).layers
    assert fresh.crs().authid() == "EPSG:6668"
    assert _zones_differ(fresh, flood_zone_rows(), tolerance=0.0) == []


def test_demo_step_renders_stations_over_flood_zones(qgis_app, tmp_path):
    from qgis.PyQt.QtGui import QImage

    from smartcity_qgis.cityos_sim.server import start_server
    from smartcity_qgis.demo import step_40_hazard
    from smartcity_qgis.layers.rivers.style import LEVEL_COLOURS

    project = QgsProject.instance()
    project.clear()
    ctx = DemoContext(output=tmp_path, project=project)
    sim = start_server(scenario="okazaki", storm_minutes=2.0, auto_advance=False)
    try:
        sim.advance(60)  # the storm's crest
        ctx.shared["sim"] = sim
        png, peak_png = step_40_hazard.run(ctx)
    finally:
        sim.stop()
    stations = ctx.shared["river_stations"]
    assert stations.featureCount() == 7
    levels = {f["stationName"]: f["alert_level"] for f in stations.getFeatures()}
    assert max(levels.values()) >= 3, levels
    image = QImage(str(png))
    assert image.width() == 1600 and image.height() == 1200
    colours = {colour_name(image.pixelColor(x, y)) for x in range(0, 1600, 3) for y in range(300, 1150, 3)}
    expected = {LEVEL_COLOURS[level].upper() for level in set(levels.values())}
    assert expected <= colours, "each level present is drawn in its colour"
    assert peak_png.name == "hazard_rivers_peak.png" and QImage(str(peak_png)).width() == 1600
    names = {layer.name() for layer in project.mapLayers().values()}
    assert len(names) >= 5  # flood zones, two tile layers, stations now and at their highest
    project.clear()


def colour_name(colour) -> str:
    return colour.name().upper()
