"""City OS: start the embedded demo city OS (Okazaki scenario) and report what it serves.

The server runs for the rest of the demo (``ctx.shared["sim"]``): later steps load its entities,
subscribe to its changes and read its history. A two-hour storm began 55 minutes ago (the last
hour is replayed into the history at start), so during the demo the flood wave is at its crest:
several river stations stand above 避難判断水位 or 氾濫危険水位.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from smartcity_qgis.cityos_sim import start_server
from smartcity_qgis.cityos_sim.model import iso
from smartcity_qgis.demo.context import DemoContext

STORM_MINUTES = 120.0
REPLAYED_MINUTES = 55.0


def run(ctx: DemoContext) -> list[Path]:
    started = time.time() - REPLAYED_MINUTES * 60
    sim = start_server(host="127.0.0.1", port=0, scenario="okazaki", speed=1.0, start_time=started,
                       storm_minutes=STORM_MINUTES)  # fmt: skip
    ctx.on_close(sim.stop)
    sim.advance(REPLAYED_MINUTES * 60)
    ctx.shared["sim"] = sim
    summary = sim.describe()
    start, peak, end = sim.scenario.storm_window()
    summary["storm"] = {"start": iso(start), "peak": iso(peak), "end": iso(end)}
    print(f"  embedded city OS at {sim.url} — {summary['note']}")
    print(f"  NGSI-v2 {summary['ngsi_v2']}, NGSI-LD {summary['ngsi_ld']}, time series {summary['timeseries']}")
    for tenant, types in summary["tenants"].items():
        label = f"{tenant} (default)" if tenant == summary["default_tenant"] else tenant
        listing = ", ".join(f"{name} {count}" for name, count in types.items())
        print(f"  tenant {label}: {sum(types.values())} entities — {listing}")
    print(f"  storm: peak at {summary['storm']['peak']}, over at {summary['storm']['end']}")
    path = ctx.output / "cityos.json"
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return [path]
