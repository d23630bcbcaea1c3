"""Reading a sensor: map tips, identify aliases, an HTML summary and the stale style.

Entity text never becomes expression text: the map tip template refers to
fields only (names quoted by QGIS), every value is HTML-escaped by an
expression at display time, and static labels (attribute names, unit symbols)
are escaped in Python with ``[`` and ``%`` neutralised so they cannot open an
expression block.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

from qgis.core import (
    QgsExpression,
    QgsFeature,
    QgsProperty,
    QgsSymbolLayer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDateTime, QVariant

from smartcity_qgis.cityos_client.names import short_name
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.entity_features import schema_of_layer
from smartcity_qgis.layers.cityos.entity_layer_meta import LayerMeta
from smartcity_qgis.layers.cityos.entity_schema import (
    DATETIME,
    ENTITY_ID,
    OBSERVED_AT,
    RECEIVED_AT,
    ROLE_OBSERVED,
)
from smartcity_qgis.layers.cityos.units import unit_symbol
from smartcity_qgis.local_time import local_text, show_local_times


def static_html(text: str) -> str:
    """``text`` safe to place in a map tip template outside expression blocks."""
    return html.escape(str(text), quote=True).replace("[", "&#91;").replace("%", "&#37;")


def _escaped(expression: str) -> str:
    """An expression yielding the HTML-escaped text of ``expression``."""
    inner = f"coalesce(to_string({expression}), '')"
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#39;")):
        inner = f"replace({inner}, {QgsExpression.quotedString(char)}, {QgsExpression.quotedString(entity)})"
    return inner


def _age_expression(field: str) -> str:
    ref = QgsExpression.quotedColumnRef(field)
    minutes = f"minute(age(now(), {ref}))"
    return (
        f"CASE WHEN {ref} IS NULL THEN '' "
        f"WHEN {minutes} < 1 THEN {QgsExpression.quotedString(tr('just now'))} "
        f"WHEN {minutes} < 120 THEN replace({QgsExpression.quotedString(tr('{0} min ago'))}, '{{0}}', "
        f"to_string(floor({minutes}))) "
        f"ELSE replace({QgsExpression.quotedString(tr('{0} h ago'))}, '{{0}}', to_string(floor({minutes} / 60))) END"
    )


def _local_time_ref(field: str) -> str:
    """The field's time as QGIS displays it: in the project's zone, labelled (see local_time)."""
    return f"represent_value({QgsExpression.quotedColumnRef(field)})"


def _observed_ref() -> str:
    observed = QgsExpression.quotedColumnRef(OBSERVED_AT)
    received = QgsExpression.quotedColumnRef(RECEIVED_AT)
    return f"coalesce({observed}, {received})"


def map_tip_template(layer: QgsVectorLayer) -> str:
    """An HTML map tip for an entity layer: values with units, observation time and age."""
    schema = schema_of_layer(layer)
    meta = LayerMeta.from_layer(layer)
    units = meta.units if meta else {}
    rows = []
    title = _escaped(QgsExpression.quotedColumnRef(ENTITY_ID))
    if schema is not None:
        for spec in schema.value_specs():
            ref = QgsExpression.quotedColumnRef(spec.name)
            if spec.kind == DATETIME:
                ref = _local_time_ref(spec.name)
            unit = unit_symbol(units.get(spec.attr, ""))
            observed = schema.spec(spec.attr, ROLE_OBSERVED)
            when = ""
            if observed is not None:
                when = f" <small>[% {_escaped(_age_expression(observed.name))} %]</small>"
            rows.append(
                f"<tr><th align='left'>{static_html(short_name(spec.attr))}</th>"
                f"<td>[% {_escaped(ref)} %] {static_html(unit)}{when}</td></tr>"
            )
    observed_ref = _observed_ref()
    observed = QgsExpression.quotedColumnRef(OBSERVED_AT)
    time_expr = f"if({observed} IS NULL, {_local_time_ref(RECEIVED_AT)}, {_local_time_ref(OBSERVED_AT)})"
    age = _age_expression(OBSERVED_AT).replace(QgsExpression.quotedColumnRef(OBSERVED_AT), observed_ref)
    footer = f"<p><small>{static_html(tr('Observed'))}: [% {_escaped(time_expr)} %] ([% {_escaped(age)} %])</small></p>"
    return f"<p><b>[% {title} %]</b></p><table>{''.join(rows)}</table>{footer}"


def apply_map_tip(layer: QgsVectorLayer) -> None:
    """Set the map tip template and display expression of an entity layer (times in the project's zone)."""
    show_local_times(layer)
    layer.setMapTipTemplate(map_tip_template(layer))
    layer.setDisplayExpression(QgsExpression.quotedColumnRef(ENTITY_ID))


def _plain(value: object) -> object:
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    if isinstance(value, QDateTime):
        return datetime.fromtimestamp(value.toMSecsSinceEpoch() / 1000, UTC) if value.isValid() else None
    return value


def _age_text(moment: datetime, now: datetime) -> str:
    minutes = (now - moment).total_seconds() / 60
    if minutes < 1:
        return tr("just now")
    if minutes < 120:
        return tr("{0} min ago").format(int(minutes))
    return tr("{0} h ago").format(int(minutes // 60))


def feature_html(layer: QgsVectorLayer, feature: QgsFeature, now: datetime | None = None) -> str:
    """The same summary as the map tip, built in Python (docks, reports); every value escaped."""
    now = now or datetime.now(UTC)
    project = layer.project()
    schema = schema_of_layer(layer)
    meta = LayerMeta.from_layer(layer)
    units = meta.units if meta else {}
    names = layer.fields().names()
    values = dict(zip(names, (_plain(v) for v in feature.attributes()), strict=False))
    rows = []
    for spec in schema.value_specs() if schema else []:
        value = values.get(spec.name)
        if isinstance(value, datetime):
            value = local_text(value, project=project)
        unit = unit_symbol(units.get(spec.attr, ""))
        shown = "" if value is None else str(value)
        label = html.escape(short_name(spec.attr))
        rows.append(f"<tr><th align='left'>{label}</th><td>{html.escape(shown)} {html.escape(unit)}</td></tr>")
    observed = values.get(OBSERVED_AT) or values.get(RECEIVED_AT)
    footer = ""
    if isinstance(observed, datetime):
        footer = "<p><small>{}: {} ({})</small></p>".format(
            html.escape(tr("Observed")),
            html.escape(local_text(observed, project=project)),
            html.escape(_age_text(observed, now)),
        )
    title = html.escape(str(values.get(ENTITY_ID) or ""))
    return f"<p><b>{title}</b></p><table>{''.join(rows)}</table>{footer}"


def stale_expression(max_age_minutes: float) -> str:
    """True for features not observed within ``max_age_minutes``."""
    ref = _observed_ref()
    return f"({ref} IS NULL OR minute(age(now(), {ref})) > {float(max_age_minutes)})"


def apply_stale_style(layer: QgsVectorLayer, max_age_minutes: float = 30.0, enabled: bool = True) -> None:
    """Grey out features whose last observation is older than ``max_age_minutes`` (or undo it)."""
    renderer = layer.renderer()
    if renderer is None:
        return
    stale = stale_expression(max_age_minutes)
    for symbol in renderer.symbols(_render_context()):
        for symbol_layer in symbol.symbolLayers():
            for key, grey in (
                (QgsSymbolLayer.Property.PropertyFillColor, "'190,190,190,160'"),
                (QgsSymbolLayer.Property.PropertyStrokeColor, "'150,150,150,200'"),
            ):
                if enabled:
                    # NULL falls back to the symbol's own colour
                    expression = f"if({stale}, {grey}, NULL)"
                    symbol_layer.setDataDefinedProperty(key, QgsProperty.fromExpression(expression))
                else:
                    symbol_layer.setDataDefinedProperty(key, QgsProperty())
    layer.setCustomProperty("smartcity/stale_minutes", float(max_age_minutes) if enabled else "")
    layer.triggerRepaint()


def _render_context():
    from qgis.core import QgsRenderContext

    return QgsRenderContext()


__all__ = [
    "apply_map_tip",
    "apply_stale_style",
    "feature_html",
    "map_tip_template",
    "stale_expression",
    "static_html",
]
