"""The pilot district (先行地区) layer: a GeoPackage with a Japanese attribute form.

Districts are edited through QGIS's edit buffer (undo/redo) and saved with
:func:`save_districts`, which writes the whole state in one SQLite transaction.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDefaultValue,
    QgsEditorWidgetSetup,
    QgsFieldConstraints,
    QgsFillSymbol,
    QgsGeometry,
    QgsProject,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
    QgsVectorLayerUtils,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDateTime, QVariant

from smartcity_qgis.analysis.district_schema import (
    DOMAINS,
    PHASES,
    REQUIRED_FIELDS,
    YEAR_FIELDS,
    YEAR_MAX,
    YEAR_MIN,
    validate_district,
)
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.districts.kpi_store import ensure_kpi_tables
from smartcity_qgis.layers.districts.store import (
    DISTRICT_TABLE,
    DistrictRecord,
    DistrictStoreError,
    create_district_store,
    recover_district_store,
    write_districts,
)

DISTRICT_FILE_NAME = "districts.gpkg"
DISTRICT_LAYER_PROPERTY = "smartcity/districts"


class DistrictError(Exception):
    """A district operation the user asked for cannot be done (translated message)."""


def field_aliases() -> dict[str, str]:
    """Field name -> label shown in the form and the attribute table."""
    return {
        "name": tr("District name"),
        "domain": tr("Domain"),
        "phase": tr("Phase"),
        "vision": tr("Goal and vision"),
        "initiatives": tr("Main initiatives"),
        "kpi_outcome": tr("KPI (outcome)"),
        "kpi_outcome_target": tr("KPI (outcome) target value"),
        "kpi_outcome_unit": tr("KPI (outcome) unit"),
        "kpi_outcome_year": tr("KPI (outcome) target year"),
        "kpi_output": tr("KPI (output)"),
        "kpi_output_target": tr("KPI (output) target value"),
        "kpi_output_unit": tr("KPI (output) unit"),
        "kpi_output_year": tr("KPI (output) target year"),
        "lead_body": tr("Lead body"),
        "notes": tr("Notes"),
        "created": tr("Created"),
        "updated": tr("Updated"),
    }


def default_district_path(project: QgsProject | None = None) -> Path | None:
    """``districts.gpkg`` beside the project file; None for a project not saved yet.

    An unsaved project keeps its districts with it until it is saved (layers/districts/unsaved),
    never in the home folder.
    """
    project = project or QgsProject.instance()
    folder = project.absolutePath()
    return Path(folder) / DISTRICT_FILE_NAME if folder else None


def _sql_list(codes) -> str:
    return ", ".join("'" + code.replace("'", "''") + "'" for code, _label in codes)


def configure_district_layer(layer: QgsVectorLayer) -> None:
    """Aliases, drop-downs (Japanese labels, stable codes), constraints and automatic times."""
    fields = layer.fields()
    for name, alias in field_aliases().items():
        index = fields.indexOf(name)
        if index >= 0:
            layer.setFieldAlias(index, alias)

    def value_map(table) -> QgsEditorWidgetSetup:
        return QgsEditorWidgetSetup("ValueMap", {"map": [{label: code} for code, label in table]})

    for name, table in (("domain", DOMAINS), ("phase", PHASES)):
        index = fields.indexOf(name)
        layer.setEditorWidgetSetup(index, value_map(table))
        layer.setConstraintExpression(
            index, f'"{name}" IS NULL OR "{name}" IN ({_sql_list(table)})', tr("Choose a value from the list")
        )
    for name in REQUIRED_FIELDS:
        index = fields.indexOf(name)
        layer.setFieldConstraint(
            index,
            QgsFieldConstraints.Constraint.ConstraintNotNull,
            QgsFieldConstraints.ConstraintStrength.ConstraintStrengthHard,
        )
    layer.setConstraintExpression(
        fields.indexOf("name"), '"name" IS NOT NULL AND trim("name") <> \'\'', tr("A district needs a name")
    )
    for name in YEAR_FIELDS:
        index = fields.indexOf(name)
        layer.setConstraintExpression(
            index,
            f'"{name}" IS NULL OR ("{name}" >= {YEAR_MIN} AND "{name}" <= {YEAR_MAX})',
            tr("A target year between {0} and {1}").format(YEAR_MIN, YEAR_MAX),
        )
        layer.setEditorWidgetSetup(
            index,
            QgsEditorWidgetSetup(
                "Range", {"Min": YEAR_MIN, "Max": YEAR_MAX, "Step": 1, "Style": "SpinBox", "AllowNull": True}
            ),
        )
    for name in ("vision", "initiatives", "notes"):
        layer.setEditorWidgetSetup(fields.indexOf(name), QgsEditorWidgetSetup("TextEdit", {"IsMultiline": True}))
    # "created" is set once when the feature is made; "updated" on every change.
    layer.setDefaultValueDefinition(fields.indexOf("created"), QgsDefaultValue("now()", False))
    layer.setDefaultValueDefinition(fields.indexOf("updated"), QgsDefaultValue("now()", True))
    form = layer.editFormConfig()
    for name in ("created", "updated"):
        form.setReadOnly(fields.indexOf(name), True)
    layer.setEditFormConfig(form)
    layer.setDisplayExpression('"name"')
    # An outline that reads over base maps and hazard colours alike.
    layer.setRenderer(
        QgsSingleSymbolRenderer(
            QgsFillSymbol.createSimple({"color": "215,0,58,25", "outline_color": "#d7003a", "outline_width": "0.8"})
        )
    )
    layer.setCustomProperty(DISTRICT_LAYER_PROPERTY, True)


def open_district_layer(path: str | Path, name: str | None = None, create: bool = True) -> QgsVectorLayer:
    """The district layer of ``path`` (created with the schema if missing), form configured."""
    path = Path(path)
    if not path.exists():
        if not create:
            raise DistrictError(tr("District file not found: {0}").format(str(path)))
        try:
            create_district_store(path)
        except DistrictStoreError as exc:
            raise DistrictError(tr("Cannot create the district file: {0}").format(str(exc))) from exc
        fresh = True
    else:
        fresh = False
        recover_district_store(path)
    layer = QgsVectorLayer(f"{path}|layername={DISTRICT_TABLE}", name or tr("Pilot districts"), "ogr")
    if not layer.isValid() or layer.fields().indexOf("domain") < 0:
        raise DistrictError(tr("{0} is not a district GeoPackage").format(str(path)))
    try:
        # Files made before KPIs existed gain their tables here (a read-only file is left alone).
        ensure_kpi_tables(path)
    except (DistrictStoreError, sqlite3.Error) as exc:
        raise DistrictError(tr("The KPI tables cannot be added to {0}: {1}").format(str(path), str(exc))) from exc
    configure_district_layer(layer)
    if fresh:
        # Keep the form with the data, so it comes back in any project.
        layer.saveStyleToDatabase(DISTRICT_TABLE, tr("Pilot district form"), True, "")
    return layer


def is_district_layer(layer) -> bool:
    """Whether ``layer`` is a district layer of this plugin."""
    return isinstance(layer, QgsVectorLayer) and bool(layer.customProperty(DISTRICT_LAYER_PROPERTY, False))


def district_file(layer: QgsVectorLayer) -> tuple[Path, str]:
    """GeoPackage path and table name behind a district layer."""
    source = layer.source()
    path, _, options = source.partition("|")
    table = DISTRICT_TABLE
    for option in options.split("|"):
        if option.startswith("layername="):
            table = option[len("layername=") :]
    return Path(path), table


def _python_value(value: Any) -> Any:
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    if isinstance(value, QDateTime):
        return value.toPyDateTime()
    return value


def feature_attributes(feature) -> dict[str, Any]:
    """A feature's attributes as plain Python values (NULL -> None)."""
    return {f.name(): _python_value(feature[f.name()]) for f in feature.fields()}


def save_districts(layer: QgsVectorLayer) -> int:
    """Write the layer's current districts (with unsaved edits) in one transaction; return the count.

    The edit buffer is then cleared and the layer re-read from disk. An interrupted or failed
    save leaves the GeoPackage as it was before; a district failing its checks stops the save.
    """
    records = []
    for feature in layer.getFeatures():
        attrs = feature_attributes(feature)
        problems = validate_district(attrs)
        if problems:
            raise DistrictError(
                tr("District {0} cannot be saved: {1}").format(
                    attrs.get("name") or feature.id(), "; ".join(p.message for p in problems)
                )
            )
        geometry = feature.geometry()
        if not geometry.isNull():
            geometry.convertToMultiType()
        records.append(
            DistrictRecord(
                feature.id() if feature.id() >= 0 else None,
                bytes(geometry.asWkb()) if not geometry.isNull() else None,
                attrs,
            )
        )
    path, table = district_file(layer)
    try:
        write_districts(path, records, table)
    except DistrictStoreError as exc:
        raise DistrictError(tr("The districts were not saved: {0}").format(str(exc))) from exc
    if layer.isEditable():
        layer.rollBack()
    layer.dataProvider().reloadData()
    layer.updateExtents()
    layer.triggerRepaint()
    return len(records)


def add_district(
    layer: QgsVectorLayer,
    geometry: QgsGeometry,
    attributes: dict[str, Any] | None = None,
    crs: QgsCoordinateReferenceSystem | None = None,
) -> int:
    """Add a district to the edit buffer (one undoable step); return its (temporary) feature id.

    ``geometry`` is in ``crs`` (the layer's CRS when omitted); created/updated are filled in.
    """
    if geometry is None or geometry.isEmpty():
        raise DistrictError(tr("The district has no area"))
    if QgsWkbTypes.geometryType(geometry.wkbType()) != QgsWkbTypes.GeometryType.PolygonGeometry:
        raise DistrictError(tr("A district must be a polygon"))
    geometry = QgsGeometry(geometry)
    if crs is not None and crs.isValid() and crs != layer.crs():
        geometry.transform(QgsCoordinateTransform(crs, layer.crs(), QgsProject.instance()))
    geometry.convertToMultiType()
    if not layer.isEditable() and not layer.startEditing():
        raise DistrictError(tr("The district layer cannot be edited"))
    fields = layer.fields()
    values = {fields.indexOf(k): v for k, v in (attributes or {}).items() if fields.indexOf(k) >= 0}
    feature = QgsVectorLayerUtils.createFeature(layer, geometry, values)
    layer.beginEditCommand(tr("Add district"))
    if not layer.addFeature(feature):
        layer.destroyEditCommand()
        raise DistrictError(tr("The district could not be added"))
    layer.endEditCommand()
    return feature.id()
