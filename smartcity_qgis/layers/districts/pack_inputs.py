"""What the fact sheet and the planning pack draw on, found in the project, and the pack's last choices.

The district dock and the planning pack use the same inputs (`project_fact_inputs`), so the counts in
the panel and in the printed pack agree. The pack dialog opens with those inputs, overridden by the
choices of the last pack made in this project (`remember_pack_choices`), which are saved with it.
"""

from __future__ import annotations

import json
from typing import Any

from qgis.core import QgsMapLayer, QgsProject, QgsVectorLayer

from smartcity_qgis.layers.districts.factsheet import DAY_FIELDS, ENTITY_TYPE_PROPERTY, NIGHT_FIELDS, FactSheetInputs
from smartcity_qgis.layers.districts.layer import is_district_layer

SCOPE = "SmartCity"
LAST_PACK_KEY = "planning_pack/last"
# Parameters of smartcity:planningpack that hold layers, and those that hold lists of layers.
LAYER_PARAMETERS = ("DISTRICTS", "PEOPLE_FLOW", "HAZARD", "RIVER_STATIONS")
LAYER_LIST_PARAMETERS = ("LAYERS", "ENTITY_LAYERS")
VALUE_PARAMETERS = (
    "TITLE",
    "SUBTITLE",
    "ORGANISATION",
    "PAGE_SIZE",
    "ORIENTATION",
    "DAY_FIELD",
    "NIGHT_FIELD",
    "RANK_FIELD",
    "ALERT_FIELD",
    "RIVER_DISTANCE",
    "LIVE_LABELS",
    "BASE_MAP",
)


def project_fact_inputs(project: QgsProject) -> FactSheetInputs:
    """Fact-sheet inputs found in the project: people flow, flood zones, river stations, entity layers."""
    inputs = FactSheetInputs()
    entities = []
    for layer in project.mapLayers().values():
        if not isinstance(layer, QgsVectorLayer) or is_district_layer(layer):
            continue
        names = layer.fields().names()
        if layer.customProperty("smartcity/hazard_kind") and inputs.hazard is None:
            inputs.hazard = layer
        elif "alert_level" in names and inputs.stations is None:
            inputs.stations = layer
        elif layer.customProperty(ENTITY_TYPE_PROPERTY):
            entities.append(layer)
        elif inputs.people_flow is None and (
            set(names) & {"population", *DAY_FIELDS, *NIGHT_FIELDS} or layer.customProperty("smartcity/people_flow")
        ):
            inputs.people_flow = layer
    inputs.entity_layers = entities
    return inputs


def _visible_layers(project: QgsProject) -> list[QgsMapLayer]:
    """Layers switched on in the layer tree, top first, without district layers."""
    return [
        node.layer()
        for node in project.layerTreeRoot().findLayers()
        if node.layer() is not None and node.isVisible() and not is_district_layer(node.layer())
    ]


def remember_pack_choices(project: QgsProject, values: dict[str, Any]) -> None:
    """Keep the pack's parameters (layers by id) in the project, for the next pack."""
    kept: dict[str, Any] = {}
    for key, value in values.items():
        if key in LAYER_PARAMETERS:
            kept[key] = value.id() if isinstance(value, QgsMapLayer) else None
        elif key in LAYER_LIST_PARAMETERS:
            kept[key] = [layer.id() for layer in value or [] if isinstance(layer, QgsMapLayer)]
        elif key in VALUE_PARAMETERS and isinstance(value, (str, int, float, bool)):
            kept[key] = value
    project.writeEntry(SCOPE, LAST_PACK_KEY, json.dumps(kept, ensure_ascii=False))


def _last_choices(project: QgsProject) -> dict[str, Any]:
    text, ok = project.readEntry(SCOPE, LAST_PACK_KEY, "")
    if not ok or not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def pack_parameters(project: QgsProject, active: QgsMapLayer | None = None) -> dict[str, Any]:
    """Initial values for the planning pack dialog: the project's inputs, then the last pack's choices
    where their layers still exist."""
    inputs = project_fact_inputs(project)
    districts = active if is_district_layer(active) else None
    districts = districts or next((lyr for lyr in project.mapLayers().values() if is_district_layer(lyr)), None)
    values: dict[str, Any] = {"LAYERS": _visible_layers(project)}
    for key, layer in (
        ("DISTRICTS", districts),
        ("PEOPLE_FLOW", inputs.people_flow),
        ("HAZARD", inputs.hazard),
        ("RIVER_STATIONS", inputs.stations),
    ):
        if layer is not None:
            values[key] = layer
    if inputs.entity_layers:
        values["ENTITY_LAYERS"] = list(inputs.entity_layers)
    for key, value in _last_choices(project).items():
        if key in LAYER_PARAMETERS:
            layer = project.mapLayer(value) if isinstance(value, str) else None
            if layer is not None:
                values[key] = layer
        elif key in LAYER_LIST_PARAMETERS and isinstance(value, list):
            layers = [project.mapLayer(i) for i in value if isinstance(i, str)]
            layers = [layer for layer in layers if layer is not None]
            if layers or not value:
                values[key] = layers
        elif key in VALUE_PARAMETERS:
            values[key] = value
    return values
