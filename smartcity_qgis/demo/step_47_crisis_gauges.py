"""Crisis gauges: a synthetic 川の水位情報 storm around Okazaki, live and then replayed.

Writes one synthetic 愛知県 area file per hour of a one-day storm (``rivers/crisis_snapshots/``,
marked synthetic), serves "the current file" from a local server to a live crisis-gauge layer
(one poll per 10 minutes of storm time: the clock is moved by hand) followed by the River levels
panel, which announces and logs every crossing; then replays the saved files for the Temporal
Controller and prints the figure of the storm's peak (``rivers/crisis_peak.png``).
"""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication

from smartcity_qgis.demo.context import DemoContext
from smartcity_qgis.demo.synthetic_gauges import STORM_START, SYNTHETIC_NOTE, area_document

HOURS = 24
STEP_SECONDS = 10 * 60 * 1.1 + 1  # past the polling interval and its jitter


def _pump(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)


class _CurrentFile:
    """A stand-in for the source on loopback: serves the current area file of 23000."""

    def __init__(self) -> None:
        self.body = b'{"obss": []}'
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = outer.body
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/area_info/current/{{prefCode}}.json"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def write_snapshots(folder: Path) -> list[Path]:
    """The hourly files of the synthetic storm, as an archiving job would keep them."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "SYNTHETIC.txt").write_text(SYNTHETIC_NOTE + "\n", encoding="utf-8")
    paths = []
    for hour in range(HOURS):
        when = STORM_START + timedelta(hours=hour)  # file names in JST, as the source's times
        path = folder / f"23000_{when.strftime('%Y%m%d%H%M')}.json"
        path.write_text(json.dumps(area_document(hour), ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


def run(ctx: DemoContext) -> list[Path]:
    from smartcity_qgis.analysis.gauge_replay import load_replay
    from smartcity_qgis.dialogs.rivers.replay_figure import peak_figure
    from smartcity_qgis.dialogs.rivers.river_panel import RiverPanel
    from smartcity_qgis.export.figure import export_layout
    from smartcity_qgis.layers.rivers.crisis_layer import set_credit
    from smartcity_qgis.layers.rivers.crisis_live import CrisisGaugeProject
    from smartcity_qgis.layers.rivers.replay import replay_layers, write_replay

    out = ctx.output / "rivers"
    snapshots = write_snapshots(out / "crisis_snapshots")
    written: list[Path] = [snapshots[0].parent / "SYNTHETIC.txt"]

    # Live: the layer asks the stand-in source for the current file; the clock is storm time.
    source = _CurrentFile()
    clock = [STORM_START.timestamp()]
    gauges = CrisisGaugeProject(ctx.project, clock=lambda: clock[0])
    panel = RiverPanel(None, project=ctx.project)
    crossings: list[tuple] = []
    try:
        source.body = json.dumps(area_document(0), ensure_ascii=False).encode("utf-8")
        layer = gauges.add_layer(["23000"], source.url, tick=0.05)
        set_credit(layer, synthetic=True)
        updater = gauges.updaters[layer.id()]
        _pump(1.0)
        monitor = panel.monitors.get(layer.id())
        if monitor is not None:
            # The storm is replayed from its own day: its readings are current in storm time.
            monitor.stale_after = timedelta(days=3650)
            monitor.crossed.connect(lambda *args: crossings.append(args))
        worst = -1.0
        for hour in range(1, HOURS):
            source.body = json.dumps(area_document(hour), ensure_ascii=False).encode("utf-8")
            clock[0] += STEP_SECONDS
            updater.poll_now()
            _pump(0.45)
            states = panel.states()
            top = max((state.rank for _lid, state in states), default=-1.0)
            if top > worst:
                worst = top
                panel.resize(760, 360)
                panel.rebuild()
                panel.grab().save(str(out / "crisis_panel.png"), "PNG")
        written.append(out / "crisis_panel.png")
        print(f"  crisis gauges: {updater.requests_sent} requests for {HOURS} hourly files; "
              f"{len(crossings)} crossings announced and logged")  # fmt: skip
        for code, name, from_stage, to_stage in crossings:
            print(f"    {name} ({code}): {from_stage} → {to_stage}")
    finally:
        gauges.detach()
        panel.shutdown()
        source.stop()

    # After action: the saved files replayed, and the figure of the peak.
    replay = load_replay(snapshots[0].parent)
    gpkg = write_replay(replay, out / "crisis_snapshots_replay.gpkg")
    readings, crossing_layer, peak = replay_layers(gpkg, "合成の出水（岡崎）", synthetic=True)
    ctx.project.addMapLayers([readings, crossing_layer, peak])
    layout = peak_figure(replay, peak, project=ctx.project)
    written += [gpkg, export_layout(layout, out / "crisis_peak.png", "png", dpi=110)]
    print(f"  replay: {len(replay.readings)} readings, {len(replay.crossings)} crossings")
    ctx.shared["crisis_replay"] = replay
    ctx.shared["crisis_live_crossings"] = crossings
    return written
