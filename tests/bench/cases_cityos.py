"""Benchmarks of the city-OS side in QGIS: ingest (v2 and LD), live updates, push latency.

The embedded city OS runs in a process of its own (`SimProcess`) so that the figures are the
plugin's alone, over real loopback HTTP and a real mosquitto.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.bench.harness import Benchmark, Side, Target, percentile
from tests.bench.sim_process import ENTITY_TYPE, TENANT, SimProcess, entity_id

SAMPLE_EVERY = 97


def _config(url: str, flavor: str, mqtt_url: str | None = None) -> Any:
    from smartcity_qgis.cityos_client import ConnectionConfig

    return ConnectionConfig(url=url, flavor=flavor, tenant=TENANT, mqtt_url=mqtt_url)


def layer_summary(layer: Any) -> dict:
    """Feature count and (x, y, no2, temperature) of every 97th entity, by entity id."""
    from qgis.core import QgsFeatureRequest

    wanted = {entity_id(i) for i in range(0, layer.featureCount(), SAMPLE_EVERY)}
    sample = {}
    for feature in layer.getFeatures(QgsFeatureRequest()):
        eid = feature["entity_id"]
        if eid in wanted:
            point = feature.geometry().asPoint()
            sample[eid] = (round(point.x(), 6), round(point.y(), 6), feature["no2"], feature["temperature"])
    return {"count": layer.featureCount(), "sample": sample, "fields": sorted(layer.fields().names())}


def layers_agree(ours: dict, baseline: dict) -> str | None:
    """None when both layers hold the same entities, fields, places and values."""
    if ours["count"] != baseline["count"]:
        return f"{ours['count']} features against {baseline['count']}"
    if ours["fields"] != baseline["fields"]:
        return f"fields {ours['fields']} against {baseline['fields']}"
    for eid, values in baseline["sample"].items():
        if ours["sample"].get(eid) != values:
            return f"entity {eid}: {ours['sample'].get(eid)} against {values}"
    return None


# ---------------------------------------------------------------- ingest


def _fetch_all(url: str, flavor: str) -> list[dict]:
    """Every entity, normalized, paged by 1000 (what a plain script would do)."""
    if flavor == "ngsi-v2":
        path, headers = "/v2/entities", {"Fiware-Service": TENANT}
    else:
        path, headers = "/ngsi-ld/v1/entities", {"NGSILD-Tenant": TENANT}
    out: list[dict] = []
    while True:
        query = f"?type={ENTITY_TYPE}&limit=1000&offset={len(out)}"
        with urllib.request.urlopen(urllib.request.Request(url + path + query, headers=headers)) as answer:
            page = json.loads(answer.read())
        out.extend(page)
        if len(page) < 1000:
            return out


def _plain_value(value: Any) -> Any:
    if isinstance(value, dict) and "@value" in value:
        return value["@value"]
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


def geojson_feature(payload: dict, flavor: str, received: str) -> dict:
    """A GeoJSON feature with the fields a city-OS layer has: values, units, observation times."""
    props: dict[str, Any] = {
        "entity_id": payload["id"],
        "entity_type": payload["type"],
        "observed_at": None,
        "modified_at": None,
        "received_at": received,
    }
    geometry = None
    for name, attr in payload.items():
        if name in ("id", "type", "@context"):
            continue
        if name == "location":
            geometry = attr["value"]
            continue
        props[name] = _plain_value(attr.get("value", attr.get("object")))
        unit = (
            attr.get("unitCode") if flavor == "ngsi-ld" else attr.get("metadata", {}).get("unitCode", {}).get("value")
        )
        if unit:
            props[f"{name}_unit"] = unit
        if flavor == "ngsi-ld" and attr.get("observedAt"):
            props[f"{name}_observed_at"] = attr["observedAt"]
    props["observed_at"] = props.get("dateObserved")
    return {"type": "Feature", "geometry": geometry, "properties": props}


def _ingest_ours_prepare(flavor: str):
    def prepare(size: int) -> dict:
        sim = SimProcess(size)
        return {"sim": sim, "config": _config(sim.url, flavor)}

    return prepare


def _ingest_ours(state: dict) -> Any:
    from smartcity_qgis.layers import load_entity_layer

    return load_entity_layer(state["config"], ENTITY_TYPE)


def _stop_sim(state: dict) -> None:
    state["sim"].stop()


def _ingest_geojson_prepare(flavor: str):
    def prepare(size: int) -> dict:
        folder = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
        with SimProcess(size) as sim:
            payloads = _fetch_all(sim.url, flavor)
        received = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        path = folder / "entities.geojson"
        collection = {"type": "FeatureCollection", "features": [geojson_feature(p, flavor, received) for p in payloads]}
        path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
        return {"path": str(path), "dir": folder}

    return prepare


def _ingest_geojson(state: dict) -> Any:
    from qgis.core import QgsFeatureRequest, QgsVectorLayer

    # Plain OGR open and copy to a memory layer; no spatial index is built on either side.
    source = QgsVectorLayer(
        state["path"], "entities", "ogr", QgsVectorLayer.LayerOptions(loadDefaultStyle=False, readExtentFromXml=False)
    )
    if not source.isValid():
        raise RuntimeError(f"OGR could not open {state['path']}")
    return source.materialize(QgsFeatureRequest())


def _remove_dir(state: dict) -> None:
    shutil.rmtree(state["dir"], ignore_errors=True)


def _ingest_bench(flavor: str, title: str, ratio: float) -> Benchmark:
    return Benchmark(
        name=f"ingest-{flavor}",
        title=title,
        full_size=100_000,
        smoke_size=300,
        make_input=lambda size: size,
        ours=Side(
            f"load_entity_layer over loopback HTTP ({flavor})",
            _ingest_ours,
            prepare=_ingest_ours_prepare(flavor),
            summarize=layer_summary,
            cleanup=_stop_sim,
        ),
        baseline=Side(
            "OGR: the same entities as a GeoJSON file → memory layer",
            _ingest_geojson,
            prepare=_ingest_geojson_prepare(flavor),
            summarize=layer_summary,
            cleanup=_remove_dir,
        ),
        target=Target(
            f"ratio ≤ {ratio} (network and all); peak memory ≤ 2×",
            lambda r: r["ratio"] <= ratio and r.get("memory_ratio", 0.0) <= 2.0,
        ),
        agree=layers_agree,
        repeats=3,
        needs_qgis=True,
        size_unit="entities",
        notes="point entities with 10 attributes, normalized; the GeoJSON file has the same entities and "
        "the same fields (values, units, observation times); the city OS runs in another process",
    )


# ---------------------------------------------------------------- helpers on the Qt event loop


def _spin_until(condition, timeout: float) -> bool:
    from qgis.PyQt.QtCore import QCoreApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        QCoreApplication.processEvents()
        time.sleep(0.001)
    return True


class Heartbeat:
    """A QTimer ticking every ``interval_ms``: the longest gap between ticks is the worst UI stall."""

    def __init__(self, interval_ms: int = 5) -> None:
        from qgis.PyQt.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.longest = 0.0
        self.ticks = 0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now
        self.ticks += 1

    def start(self) -> None:
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()


# ---------------------------------------------------------------- live


LIVE_SECONDS = {"full": 8.0, "smoke": 1.5}


def _live_prepare(size: int) -> dict:
    import copy

    from smartcity_qgis.cityos_client import CityOSClient
    from smartcity_qgis.layers import load_entity_layer
    from smartcity_qgis.layers.cityos.live import LiveLayerUpdater

    sim = SimProcess(size)
    config = _config(sim.url, "ngsi-v2")
    layer = load_entity_layer(config, ENTITY_TYPE)
    entities = list(CityOSClient(config).iter_entities(ENTITY_TYPE))
    rounds = []
    for r in range(4):  # consecutive rounds always differ, so every update changes a value
        batch = []
        for i, entity in enumerate(entities):
            changed = copy.copy(entity)
            changed.attributes = dict(entity.attributes)
            attr = copy.copy(entity.attributes["no2"])
            attr.value = round(1.0 + r * 10.0 + (i % 7) * 0.5, 2)
            changed.attributes["no2"] = attr
            batch.append(changed)
        rounds.append(batch)
    updater = LiveLayerUpdater(layer, config, mode="polling", interval=3600)
    seconds = LIVE_SECONDS["full" if size >= 10_000 else "smoke"]
    return {"sim": sim, "layer": layer, "updater": updater, "rounds": rounds, "seconds": seconds}


def _live(state: dict) -> dict:
    """Keep the applier's queue full for a while; count applied updates, watch the heartbeat."""
    from qgis.PyQt.QtCore import QEventLoop, QTimer

    applier = state["updater"].applier
    rounds, chunk = state["rounds"], 1000
    flat = [e for batch in rounds for e in batch]
    position = {"next": 0, "updated": 0}
    last_fed: dict[str, Any] = {}

    def on_updated(fids: list) -> None:
        position["updated"] += len(fids)

    def feed() -> None:
        # "As fast as they are applied": top the queue up whenever it runs low.
        while applier.pending() < 50:
            start = position["next"]
            batch = flat[start : start + chunk]
            applier.enqueue("upsert", batch)
            for entity in batch:
                last_fed[entity.id] = entity
            position["next"] = (start + chunk) % len(flat) if start + chunk < len(flat) else 0

    applier.features_updated.connect(on_updated)
    feeder = QTimer()
    feeder.setInterval(2)
    feeder.timeout.connect(feed)
    heartbeat = Heartbeat()
    feed()
    started = time.perf_counter()
    heartbeat.start()
    feeder.start()
    loop = QEventLoop()
    QTimer.singleShot(int(state["seconds"] * 1000), loop.quit)
    loop.exec_()
    elapsed = time.perf_counter() - started
    feeder.stop()
    heartbeat.stop()
    updated = position["updated"]
    applier.features_updated.disconnect(on_updated)
    applier.flush()
    # Every entity must now show the last value fed for it.
    wrong = 0
    for feature in state["layer"].getFeatures():
        expected = last_fed.get(feature["entity_id"])
        if expected is not None and feature["no2"] != expected.attributes["no2"].value:
            wrong += 1
    return {
        "updates": updated,
        "seconds": elapsed,
        "max_stall_ms": heartbeat.longest * 1000.0,
        "wrong_values": wrong,
        "features": state["layer"].featureCount(),
    }


def _live_stop(state: dict) -> None:
    state["sim"].stop()


def _live_metrics(summaries: list[dict]) -> dict:
    rates = sorted(s["updates"] / s["seconds"] for s in summaries)
    return {
        "updates/s": round(rates[len(rates) // 2]),
        "max stall ms": round(max(s["max_stall_ms"] for s in summaries), 1),
    }


def _live_consistent(ours: dict, _baseline: Any) -> str | None:
    if ours["updates"] <= 0:
        return "no update was applied"
    if ours["wrong_values"]:
        return f"{ours['wrong_values']} features do not show the last value pushed"
    return None


LIVE = Benchmark(
    name="live",
    title="live updates",
    full_size=10_000,
    smoke_size=300,
    make_input=lambda size: size,
    ours=Side("LiveLayerUpdater's applier, queue kept full", _live, prepare=_live_prepare, cleanup=_live_stop),
    baseline=None,
    target=Target(
        "≥ 5,000 updates/s applied; longest UI stall ≤ 50 ms",
        lambda r: r["metrics"]["updates/s"] >= 5000 and r["metrics"]["max stall ms"] <= 50,
    ),
    agree=_live_consistent,
    metrics=_live_metrics,
    repeats=3,
    needs_qgis=True,
    size_unit="sensors",
    timed=False,
    notes="changed entities are handed to the live updater's applier as fast as it applies them, for 8 s a run; "
    "a 5 ms QTimer heartbeat measures the longest event-loop stall; the layer is not drawn (headless)",
)


# ---------------------------------------------------------------- push latency

PUSH_CHANGES = {"full": 200, "smoke": 10}


def _start_mosquitto() -> tuple[subprocess.Popen, int, Path]:
    from tests.conftest import free_port, wait_for_port

    exe = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    port = free_port()
    conf = Path(tempfile.mkdtemp(prefix="bench-mqtt-")) / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
    proc = subprocess.Popen([exe, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port)
    return proc, port, conf


def _push_prepare(size: int) -> dict:
    from smartcity_qgis.layers import load_entity_layer
    from smartcity_qgis.layers.cityos.live import LIVE as LIVE_STATE
    from smartcity_qgis.layers.cityos.live import LiveLayerUpdater

    mosquitto, port, conf = _start_mosquitto()
    mqtt_url = f"mqtt://127.0.0.1:{port}"
    sim = SimProcess(size, mqtt_url=mqtt_url)
    config = _config(sim.url, "ngsi-v2", mqtt_url)
    layer = load_entity_layer(config, ENTITY_TYPE)
    updater = LiveLayerUpdater(layer, config, mode="mqtt", interval=3600)
    synced = []
    updater.synced.connect(lambda: synced.append(True))
    updater.start()
    if not _spin_until(lambda: synced and updater.state == LIVE_STATE, 60):
        raise RuntimeError(f"live mode did not come up over MQTT (state {updater.state}: {updater.last_error})")
    changes = PUSH_CHANGES["full" if size >= 10_000 else "smoke"]
    return {
        "sim": sim,
        "mosquitto": mosquitto,
        "conf": conf,
        "updater": updater,
        "layer": layer,
        "changes": changes,
        "size": size,
    }


def _patch(url: str, eid: str, value: float) -> None:
    body = json.dumps({"no2": {"type": "Number", "value": value}}).encode()
    request = urllib.request.Request(
        f"{url}/v2/entities/{eid}/attrs",
        data=body,
        method="PATCH",
        headers={"Content-Type": "application/json", "Fiware-Service": TENANT},
    )
    with urllib.request.urlopen(request) as answer:
        answer.read()


def _push(state: dict) -> dict:
    """Change a value in the city OS, time until the feature shows it; ``changes`` times."""
    updater, url = state["updater"], state["sim"].url
    seen: dict[str, float] = {}

    def on_change(eid: str, name: str, _old: Any, new: Any) -> None:
        if name == "no2":
            seen[f"{eid}={new}"] = time.perf_counter()

    updater.value_changed.connect(on_change)
    latencies, missed = [], 0
    try:
        for n in range(state["changes"]):
            eid = entity_id((n * 7919) % state["size"])
            value = round(1000.0 + n + time.time() % 1, 3)
            key = f"{eid}={value}"
            sent = time.perf_counter()
            # The city OS is changed from another thread, as another client would.
            threading.Thread(target=_patch, args=(url, eid, value), daemon=True).start()
            if _spin_until(lambda key=key: key in seen, 10):
                latencies.append(seen[key] - sent)
            else:
                missed += 1
            _spin_until(lambda: False, 0.02)
    finally:
        updater.value_changed.disconnect(on_change)
    return {"latencies": latencies, "missed": missed}


def _push_stop(state: dict) -> None:
    state["updater"].stop()
    state["sim"].stop()
    state["mosquitto"].terminate()
    state["mosquitto"].wait(timeout=10)
    shutil.rmtree(state["conf"].parent, ignore_errors=True)


def _push_metrics(summaries: list[dict]) -> dict:
    latencies = [x for s in summaries for x in s["latencies"]]
    if not latencies:
        return {"changes": 0}
    return {
        "p50 ms": round(percentile(latencies, 0.5) * 1000, 1),
        "p95 ms": round(percentile(latencies, 0.95) * 1000, 1),
        "max ms": round(max(latencies) * 1000, 1),
        "changes": len(latencies),
    }


def _push_complete(ours: dict, _baseline: Any) -> str | None:
    return f"{ours['missed']} changes never reached the layer" if ours["missed"] else None


PUSH = Benchmark(
    name="push",
    title="push latency",
    full_size=10_000,
    smoke_size=200,
    make_input=lambda size: size,
    ours=Side("city OS PATCH → MQTT → LiveLayerUpdater → feature", _push, prepare=_push_prepare, cleanup=_push_stop),
    baseline=None,
    target=Target("p95 ≤ 500 ms", lambda r: r["metrics"].get("p95 ms", 1e9) <= 500),
    agree=_push_complete,
    metrics=_push_metrics,
    repeats=1,
    needs_qgis=True,
    size_unit="sensors",
    timed=False,
    notes="200 changes, one at a time, through a mosquitto on loopback; time from the PATCH to the "
    "layer's value_changed signal",
)

BENCHMARKS = [
    _ingest_bench("ngsi-v2", "ingest NGSI-v2", 2.0),
    _ingest_bench("ngsi-ld", "ingest NGSI-LD", 2.5),
    LIVE,
    PUSH,
]
