"""Plugin: load the Processing provider and report what it offers."""

from __future__ import annotations

import json
from pathlib import Path

from smartcity_qgis import plugin_version
from smartcity_qgis.demo.context import DemoContext


def run(ctx: DemoContext) -> list[Path]:
    from qgis.core import Qgis, QgsApplication

    from smartcity_qgis.algorithms.provider import SmartCityProvider

    provider = SmartCityProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    ctx.on_close(lambda: QgsApplication.processingRegistry().removeProvider(provider))
    algorithms = sorted(a.id() for a in provider.algorithms())
    summary = {
        "plugin_version": plugin_version(),
        "qgis_version": Qgis.QGIS_VERSION,
        "processing_algorithms": algorithms,
    }
    path = ctx.output / "plugin.json"
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"  SmartCity QGIS {summary['plugin_version']} on QGIS {summary['qgis_version']}")
    print(f"  Processing algorithms: {', '.join(algorithms) or '(none yet)'}")
    return [path]
