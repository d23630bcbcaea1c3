"""Planning outputs: district fact sheet, GeoPackage export, map figure and the planning pack.

Uses whatever the earlier steps left (people flow, flood zones, river stations, city OS
layers); each figure without its data is marked 「—（データなし）」 rather than invented.
"""

from __future__ import annotations

from pathlib import Path

from smartcity_qgis.demo.context import DemoContext

TITLE = "岡崎市 乙川リバーフロント地区（QURUWA） 現況図"
PACK_TITLE = "岡崎市スマートシティ 先行地区 計画資料"
SUBTITLE = "人流・浸水想定・河川水位・都市OSデータ（デモ用の合成データ）"
ORGANISATION = "岡崎市 デモ（架空の作成者）"


def _inputs(ctx: DemoContext):
    from smartcity_qgis.layers.districts.factsheet import FactSheetInputs

    hazard = next(
        (layer for layer in ctx.project.mapLayers().values() if layer.customProperty("smartcity/hazard_kind")),
        None,
    )
    entities = [layer for layer in (ctx.shared.get("cityos_layers") or {}).values() if layer.isValid()]
    return FactSheetInputs(
        people_flow=ctx.shared.get("peopleflow_layer"),
        hazard=hazard,
        entity_layers=entities,
        stations=ctx.shared.get("river_stations"),
        station_distance_m=1500.0,
    )


def _kpi_page_png(layout, path: Path) -> Path:
    """The first district's KPI page (page 4: after the cover, its map and its fact sheet) as a PNG."""
    from qgis.core import QgsLayoutExporter
    from qgis.PyQt.QtCore import QSize

    image = QgsLayoutExporter(layout).renderPageToImage(3, QSize(1240, 1754))
    image.save(str(path))
    return path


def run(ctx: DemoContext) -> list[Path]:
    from smartcity_qgis.export.figure import FigureSpec, build_figure, export_layout
    from smartcity_qgis.export.layers_export import export_layers, suggest_export_crs
    from smartcity_qgis.export.planning_pack import build_planning_pack, export_planning_pack
    from smartcity_qgis.layers.districts.factsheet import district_fact_sheets, write_fact_sheet_csv

    districts = ctx.shared.get("districts_layer")
    if districts is None:
        from smartcity_qgis.demo.step_50_districts import define_districts

        districts, _path = define_districts(ctx)
    inputs = _inputs(ctx)
    out = ctx.output / "planning"
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    sheets = district_fact_sheets(districts, inputs)
    written.append(write_fact_sheet_csv(sheets, out / "district_factsheet.csv"))
    for sheet in sheets:
        facts = {row.key: row.value for row in sheet.rows}
        print(
            f"  {sheet.name}: {facts['area_ha']} ha (EPSG:{sheet.epsg}), 昼 {facts['population_day']} 人, "
            f"夜 {facts['population_night']} 人"
        )

    map_layers = [
        layer
        for layer in (inputs.stations, *inputs.entity_layers, inputs.hazard, inputs.people_flow)
        if layer is not None
    ]
    export = export_layers(
        [districts, *map_layers],
        out / "planning_layers.gpkg",
        "gpkg",
        crs=suggest_export_crs([districts]),
        overwrite=True,
    )
    written.extend(export.paths)
    for name, count in export.suppressed.items():
        print(f"  {name}: {count} cells under k=10 not exported")

    spec = FigureSpec(
        title=TITLE,
        subtitle=SUBTITLE,
        layers=map_layers,
        page_size="A4",
        orientation="landscape",
        districts=districts,
        district_ids=[sheets[0].fid],
        project=ctx.project,
    )
    figure = build_figure(spec)
    written.append(export_layout(figure, out / "quruwa_figure.pdf", "pdf", 300))
    written.append(export_layout(figure, out / "quruwa_figure.png", "png", 150))

    pack = build_planning_pack(
        districts,
        map_layers,
        PACK_TITLE,
        SUBTITLE,
        inputs,
        project=ctx.project,
        organisation=ORGANISATION,
        kpi_periods=ctx.shared.get("kpi_periods"),
    )
    written.append(export_planning_pack(pack, out / "planning_pack.pdf"))
    print(f"  planning pack: {pack.pageCollection().pageCount()} pages for {len(sheets)} districts")
    written.append(_kpi_page_png(pack, out / "planning_pack_kpi.png"))
    return written
