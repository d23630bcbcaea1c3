"""The demo districts' KPIs (効果検証): defined in the district GeoPackage, measured from the embedded
city OS before and after the QURUWA 社会実験, and compared.

QURUWA: 歩行者通行量（休日） (people counters, 土日祝, daily sum) with a target of +10 %, and
駐車場利用率 (car parks, 10–18時, mean occupancy) with a target of 80 %, plus the number of people
counters as a value typed in. The river district: 災害時情報配信システム登録人数, typed in. All values
are synthetic.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from smartcity_qgis.analysis.kpi import JST
from smartcity_qgis.analysis.kpi_schema import KpiDefinition
from smartcity_qgis.demo.context import DemoContext

SOURCE_NAME = "デモ都市OS（岡崎市・合成データ）"
BASELINE_DAYS = 90


def quruwa_kpis(fid: int) -> list[KpiDefinition]:
    return [
        KpiDefinition(
            fid, "歩行者通行量（休日）", kind="outcome", unit="人/日", target=10, target_type="change_pct",
            target_year=2030, method="cityos", entity_type="CrowdFlowObserved", attribute="peopleCount",
            how="sum", days="holiday", stat="mean", people=True,
            notes="QURUWA地区内の人流センサーの日別合計（土日祝）の平均",
        ),
        KpiDefinition(
            fid, "駐車場利用率", kind="output", unit="%", target=80, target_year=2028, method="cityos",
            entity_type="OffStreetParking", attribute="availableSpotNumber", denominator="totalSpotNumber",
            transform="occupancy", how="mean", hour_from=10, hour_to=18,
            notes="地区内の駐車場の利用率（(1−空き台数÷総台数)×100、10–18時の平均）",
        ),
        KpiDefinition(fid, "人流センサーの設置箇所数", kind="output", unit="箇所", target=20, target_year=2027),
    ]  # fmt: skip


def river_kpis(fid: int) -> list[KpiDefinition]:
    return [
        KpiDefinition(fid, "災害時情報配信システム登録人数", kind="output", unit="人", target=5000, target_year=2028,
                      how="mean", notes="防災課の集計（デモ用の値）"),
    ]  # fmt: skip


#: Registrations typed in at the end of each period (demo values).
RIVER_REGISTRATIONS = (3200, 3650)


def periods(sim: Any) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    """Before: the 90 days up to the 社会実験; after: from its first day to yesterday (JST)."""
    experiment = sim.scenario.experiment_date
    yesterday = dt.datetime.now(JST).date() - dt.timedelta(days=1)
    return (experiment - dt.timedelta(days=BASELINE_DAYS), experiment - dt.timedelta(days=1)), (experiment, yesterday)


def define_and_measure(ctx: DemoContext, layer, path) -> list[str]:
    """Write the KPIs, measure them over both periods and print the comparison; returns the report lines."""
    from smartcity_qgis.cityos_client import CityOSClient, ConnectionConfig
    from smartcity_qgis.layers.districts.kpi_evaluation import evaluate_kpi, format_number, format_pct
    from smartcity_qgis.layers.districts.kpi_local import district_area
    from smartcity_qgis.layers.districts.kpi_measure import entities_inside, manual_values
    from smartcity_qgis.layers.districts.kpi_store import read_kpis, read_values, write_kpis, write_values
    from smartcity_qgis.layers.districts.kpi_task import district_jobs, measure_jobs

    sim = ctx.shared.get("sim")
    if sim is None:
        from smartcity_qgis.cityos_sim.server import start_server

        sim = start_server(host="127.0.0.1", port=0, scenario="okazaki")
        ctx.shared["sim"] = sim
        ctx.on_close(sim.stop)
    config = ConnectionConfig(url=sim.url, flavor="ngsi-v2", tenant="okazaki", timeseries_url=sim.url + "/ql")
    features = {str(f["name"]): f for f in layer.getFeatures()}
    quruwa = next(f for name, f in features.items() if "QURUWA" in name)
    river = next(f for name, f in features.items() if "QURUWA" not in name)
    write_kpis(path, quruwa.id(), quruwa_kpis(quruwa.id()))
    write_kpis(path, river.id(), river_kpis(river.id()))
    baseline, evaluation = periods(sim)
    ctx.shared["kpi_periods"] = (baseline, evaluation)
    print(f"  社会実験 from {evaluation[0]}: baseline {baseline[0]}–{baseline[1]}, evaluation to {evaluation[1]}")

    # The number of counters is typed in, as a planner would after counting them on the map.
    counters = read_kpis(path, quruwa.id())[2]
    area = district_area(quruwa.geometry(), layer.crs())
    with CityOSClient(config) as client:
        placed = entities_inside(client, KpiDefinition(0, "", entity_type="CrowdFlowObserved",
                                                       attribute="peopleCount"), area.lonlat)  # fmt: skip
    write_values(path, counters, manual_values(counters, [(evaluation[1], len(placed))], "手入力（地図上で確認）"))
    registrations = read_kpis(path, river.id())[0]
    typed = list(zip((baseline[1], evaluation[1]), RIVER_REGISTRATIONS, strict=True))
    write_values(path, registrations, manual_values(registrations, typed, "手入力（デモ用の値）"))

    jobs = district_jobs(layer, baseline[0], evaluation[1])
    outcomes = measure_jobs(path, jobs, config, SOURCE_NAME, ctx.project)
    lines = []
    for outcome in outcomes:
        if outcome.error:
            print(f"  {outcome.error}")
            continue
        note = f", {len(outcome.left_out)} periods under k=10 left out" if outcome.left_out else ""
        print(f"  measured {outcome.kpi.name}: {outcome.stored} days from {outcome.source}{note}")
    for kpi in read_kpis(path):
        result = evaluate_kpi(kpi, read_values(path, kpi), baseline, evaluation)
        comparison = result.comparison
        if comparison is None:
            line = f"{kpi.name}: latest {format_number(result.current_value)} {kpi.unit} {result.problem}".rstrip()
        else:
            line = (
                f"{kpi.name}: {format_number(comparison.baseline_value)} → {format_number(comparison.evaluation_value)}"
                f" {kpi.unit} ({format_pct(comparison.change_pct)}; {comparison.n_baseline} / "
                f"{comparison.n_evaluation} days), attainment {format_pct(result.attainment, signed=False)}"
            )
        print(f"  {line}")
        lines.append(line)
    return lines
