"""Hazards and rivers: synthetic Okazaki flood zones, hazard tiles, river stations by 警戒レベル.

Adds the synthetic flood zones (A31a schema, CP932) and the hazard / GSI tile layer
definitions to the project; when the demo city OS runs, reads its WaterObserved stations,
styles them by 警戒レベル and renders a figure of the stations over the flood zones
(no tiles are fetched for the figure).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from smartcity_qgis.demo.context import DemoContext

TENANT = "okazaki"
STATION_FIELDS = (
    "stationName", "riverName", "waterLevel", "standbyLevel", "cautionLevel", "evacuationLevel",
    "dangerLevel", "leveeCrownHeight", "dateObserved",
)  # fmt: skip


def fetch_water_stations(base_url: str, tenant: str = TENANT) -> list[dict]:
    """Every WaterObserved entity of a tenant (NGSI-v2 keyValues), page by page."""
    import requests

    entities: list[dict] = []
    seen: set[str] = set()
    offset = 0
    while True:
        response = requests.get(
            f"{base_url}/v2/entities",
            params={"type": "WaterObserved", "options": "keyValues", "limit": 100, "offset": offset,
                    "orderBy": "dateCreated"},
            headers={"Fiware-Service": tenant},
            timeout=10,
        )  # fmt: skip
        response.raise_for_status()
        page = response.json()
        for entity in page:
            if entity.get("id") not in seen:
                seen.add(entity.get("id"))
                entities.append(entity)
        if len(page) < 100:
            return entities
        offset += 100


def fetch_histories(base_url: str, ids: list[str], tenant: str = TENANT) -> dict[str, list[tuple[str, float]]]:
    """The waterLevel readings (time, value) of each station from the time-series API, oldest first."""
    import requests

    histories: dict[str, list[tuple[str, float]]] = {}
    for entity_id in ids:
        response = requests.get(
            f"{base_url}/ql/v2/entities/{entity_id}/attrs/waterLevel",
            headers={"Fiware-Service": tenant},
            timeout=10,
        )
        if response.status_code == 200:
            body = response.json()
            histories[entity_id] = list(zip(body.get("index", []), body.get("values", []), strict=False))
    return histories


def highest_readings(entities: list[dict], histories: dict[str, list[tuple[str, float]]]) -> list[dict]:
    """The stations as they stood at their highest reading in the history."""
    peaks = []
    for entity in entities:
        readings = [(t, v) for t, v in histories.get(entity["id"], []) if isinstance(v, (int, float))]
        if not readings:
            continue
        when, level = max(readings, key=lambda r: r[1])
        peaks.append({**entity, "waterLevel": level, "dateObserved": when})
    return peaks


def stations_layer(entities: list[dict]):
    """A memory point layer of the stations with the city OS's attribute names."""
    from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsPointXY, QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    from smartcity_qgis.i18n import tr

    layer = QgsVectorLayer("Point?crs=EPSG:4326", tr("River water levels"), "memory")
    numeric = {"waterLevel", "standbyLevel", "cautionLevel", "evacuationLevel", "dangerLevel", "leveeCrownHeight"}
    fields = [QgsField("entity_id", QVariant.String)] + [
        QgsField(name, QVariant.Double if name in numeric else QVariant.String) for name in STATION_FIELDS
    ]
    layer.dataProvider().addAttributes(fields)
    layer.updateFields()
    features = []
    for entity in entities:
        location = entity.get("location") or {}
        if location.get("type") != "Point":
            continue
        lon, lat = location["coordinates"][:2]
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(lon), float(lat))))
        feature.setAttributes([entity.get("id"), *(entity.get(name) for name in STATION_FIELDS)])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    return layer


def _scenario_now(sim, entities: list[dict]) -> datetime:
    describe = getattr(sim, "describe", None)
    if callable(describe):
        try:
            return datetime.fromisoformat(describe()["scenario_time"].replace("Z", "+00:00"))
        except (KeyError, TypeError, ValueError):
            pass
    stamps = [e.get("dateObserved") for e in entities if isinstance(e.get("dateObserved"), str)]
    if stamps:
        return max(datetime.fromisoformat(s.replace("Z", "+00:00")) for s in stamps)
    return datetime.now(UTC)


def render_figure(layers, extent_layer, path: Path, title: str, legend: list[tuple[str, str]]) -> Path:
    """Render layers (top first) to a PNG in the zone's plane-rectangular CRS, with legend and credits."""
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransform,
        QgsMapRendererSequentialJob,
        QgsMapSettings,
        QgsProject,
    )
    from qgis.PyQt.QtCore import QRectF, QSize, Qt
    from qgis.PyQt.QtGui import QColor, QFont, QPainter, QPen

    from smartcity_qgis.credits import credit_text

    crs = QgsCoordinateReferenceSystem("EPSG:6675")
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(crs)
    settings.setOutputSize(QSize(1600, 1200))
    settings.setBackgroundColor(QColor("#FFFFFF"))
    settings.setFlag(settings.Antialiasing, True)
    transform = QgsCoordinateTransform(extent_layer.crs(), crs, QgsProject.instance())
    extent = transform.transformBoundingBox(extent_layer.extent())
    extent.scale(1.08)
    settings.setExtent(extent)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(30)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#202020"))
    painter.drawText(QRectF(30, 20, 1540, 44), Qt.AlignmentFlag.AlignLeft, title)
    font.setPixelSize(19)
    font.setBold(False)
    painter.setFont(font)
    y = 80
    for label, colour in legend:
        painter.setPen(QPen(QColor("#333333"), 1.5))
        painter.setBrush(QColor(colour))
        painter.drawRect(QRectF(30, y, 26, 20))
        painter.setPen(QColor("#202020"))
        painter.drawText(QRectF(66, y - 2, 900, 26), Qt.AlignmentFlag.AlignLeft, label)
        y += 28
    font.setPixelSize(16)
    painter.setFont(font)
    credits_text = credit_text(layers)  # one 出典, each source once, synthetic data as synthetic
    painter.drawText(QRectF(30, 1160, 1540, 30), Qt.AlignmentFlag.AlignLeft, credits_text)
    painter.end()
    image.save(str(path), "PNG")
    return path


def run(ctx: DemoContext) -> list[Path]:
    from smartcity_qgis.credits import set_layer_credit
    from smartcity_qgis.demo.okazaki_flood import FLOOD_ZONES, SYNTHETIC_CREDIT
    from smartcity_qgis.i18n import tr
    from smartcity_qgis.layers.hazards.files import load_hazard_file
    from smartcity_qgis.layers.hazards.kinds import DEPTH_COLOURS, code_labels
    from smartcity_qgis.layers.hazards.tiles import tile_layer
    from smartcity_qgis.layers.rivers.style import LEVEL_COLOURS, annotate_river_layer, apply_river_style, level_label

    flood = load_hazard_file(FLOOD_ZONES).layers[0]
    set_layer_credit(flood, SYNTHETIC_CREDIT, synthetic=True)
    flood.setName(tr("Synthetic flood zones (Okazaki, A31a schema)"))
    ctx.project.addMapLayer(flood)
    for key in ("01_flood_l2_shinsuishin_data", "pale"):
        ctx.project.addMapLayer(tile_layer(key))
    print(f"  flood zones: {flood.featureCount()} synthetic A31a zones ({flood.customProperty('smartcity/encoding')})")

    layers = [flood]
    depth_word = tr("Flood depth")
    legend = [
        (f"{depth_word} {label}", DEPTH_COLOURS[code])
        for code, label in code_labels("codes_water_depth_code.csv").items()
        if code <= 4
    ]
    written: list[Path] = []
    sim = ctx.shared.get("sim")
    if sim is not None:
        base_url = getattr(sim, "url", str(sim)).rstrip("/")
        entities = fetch_water_stations(base_url)
        stations = stations_layer(entities)
        histories = fetch_histories(base_url, [e["id"] for e in entities])
        recent = {station: readings[-5:] for station, readings in histories.items()}
        report = annotate_river_layer(stations, histories=recent, now=_scenario_now(sim, entities))
        apply_river_style(stations)
        ctx.project.addMapLayer(stations)
        ctx.shared["river_stations"] = stations
        layers.insert(0, stations)
        print(f"  river stations: {stations.featureCount()}, 警戒レベル now {_levels(stations)}")
        for problem in report.problems:
            print(f"  station skipped: {problem}")
        legend = [(level_label(level), LEVEL_COLOURS[level]) for level in (5, 4, 3, 2, 1, 0)] + legend
        peaks = stations_layer(highest_readings(entities, histories))
        peaks.setName(tr("River water levels (highest reading)"))
        annotate_river_layer(peaks, stale_after=timedelta(days=7))
        apply_river_style(peaks)
        ctx.project.addMapLayer(peaks)
        print(f"  highest readings of the storm: 警戒レベル {_levels(peaks)}")
        written.append(
            render_figure(
                [peaks, flood],
                flood,
                ctx.output / "hazard_rivers_peak.png",
                tr("Highest river levels of the storm over the flood zones (Okazaki)"),
                legend,
            )
        )
    else:
        print("  (no demo city OS in this run: the figure shows the flood zones only)")
    path = render_figure(
        layers, flood, ctx.output / "hazard_rivers.png", tr("River water levels over the flood zones (Okazaki)"), legend
    )
    return [path, *written]


def _levels(layer) -> list[int]:
    return sorted((f["alert_level"] for f in layer.getFeatures() if f["alert_level"] is not None), reverse=True)
