"""The planning pack dialog opens with the project's inputs and the last pack's choices."""

from __future__ import annotations

from qgis.core import QgsProject

from smartcity_qgis.layers.districts.pack_inputs import pack_parameters, project_fact_inputs
from tests.qgis.planning_fixtures import init_processing, planning_layers, square_district


def test_the_dialog_is_prefilled_from_the_project_then_remembers_the_last_pack(qgis_app, tmp_path):
    import processing

    init_processing()
    project = QgsProject.instance()
    districts = square_district(tmp_path / "districts.gpkg")
    layers = planning_layers()
    layers["hazard"].setCustomProperty("smartcity/hazard_kind", "A31a")
    layers["entities"].setCustomProperty("smartcity/entity_type", "Device")
    first = pack_parameters(project)
    assert first["DISTRICTS"] is districts
    assert first["HAZARD"] is layers["hazard"]
    assert first["PEOPLE_FLOW"] is layers["people"]
    assert first["RIVER_STATIONS"] is layers["stations"]
    assert first["ENTITY_LAYERS"] == [layers["entities"]]
    assert districts not in first["LAYERS"] and layers["hazard"] in first["LAYERS"]
    # The panel and the pack count the same layers.
    assert project_fact_inputs(project).entity_layers == first["ENTITY_LAYERS"]

    processing.run(
        "smartcity:planningpack",
        {
            **first,
            "LAYERS": [layers["hazard"]],
            "TITLE": "第2版",
            "ORGANISATION": "企画課",
            "PAGE_SIZE": 1,
            "OUTPUT": str(tmp_path / "pack.pdf"),
        },
    )
    again = pack_parameters(project)
    assert again["TITLE"] == "第2版" and again["ORGANISATION"] == "企画課" and again["PAGE_SIZE"] == 1
    assert again["LAYERS"] == [layers["hazard"]], "the last choice of map layers wins over the visible ones"

    # Saved with the project: the choices come back after reopening it.
    path = tmp_path / "plan.qgz"
    assert project.write(str(path))
    project.clear()
    assert project.read(str(path))
    reopened = pack_parameters(project)
    assert reopened["TITLE"] == "第2版"
    assert [layer.name() for layer in reopened["LAYERS"]] == ["洪水浸水想定区域"]
    project.clear()


def test_choices_whose_layers_are_gone_are_dropped(qgis_app, tmp_path):
    project = QgsProject.instance()
    square_district(tmp_path / "districts.gpkg")
    project.writeEntry("SmartCity", "planning_pack/last", '{"HAZARD": "no-such-layer", "TITLE": 3, "LAYERS": ["x"]}')
    values = pack_parameters(project)
    assert "HAZARD" not in values
    assert "LAYERS" in values and all(layer is not None for layer in values["LAYERS"])
    project.writeEntry("SmartCity", "planning_pack/last", "{not json")
    assert pack_parameters(project)["DISTRICTS"] is not None
    project.clear()


def test_the_processing_dialog_shows_the_prefilled_layers(qgis_app, qgis_iface, tmp_path, monkeypatch):
    import processing
    from qgis.gui import QgsBrowserGuiModel

    # The test interface is a stand-in: give it the one real piece the dialog asks for.
    browser = QgsBrowserGuiModel()
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: browser, raising=False)

    init_processing()
    project = QgsProject.instance()
    districts = square_district(tmp_path / "districts.gpkg")
    layers = planning_layers()
    layers["hazard"].setCustomProperty("smartcity/hazard_kind", "A31a")
    dialog = processing.createAlgorithmDialog("smartcity:planningpack", pack_parameters(project))
    try:
        shown = dialog.mainWidget().createProcessingParameters()
    finally:
        dialog.deleteLater()

    def layer_id(value):
        return value.id() if hasattr(value, "id") else value

    assert layer_id(shown["DISTRICTS"]) == districts.id()
    assert layer_id(shown["HAZARD"]) == layers["hazard"].id()
    assert layer_id(shown["PEOPLE_FLOW"]) == layers["people"].id()
    project.clear()
