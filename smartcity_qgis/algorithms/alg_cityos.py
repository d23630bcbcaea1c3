"""Processing algorithm "Load city OS entities" (smartcity:loadentities)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureSink,
    QgsProcessingException,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterString,
)

from smartcity_qgis.algorithms.base import SmartCityAlgorithm
from smartcity_qgis.i18n import tr

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
_MAX_LISTED = 50


def _url_config(text: str) -> Any:
    """A client config for a broker URL; ``?tenant=…&service_path=…&flavor=…`` are read, the
    flavor is detected from the broker when not given."""
    from smartcity_qgis.cityos_client import ConnectionConfig, detect_flavor

    parts = urlsplit(text.strip())
    query = {k.lower(): v[-1] for k, v in parse_qs(parts.query).items()}
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    tenant = query.get("tenant") or None
    service_path = query.get("service_path") or query.get("servicepath") or None
    flavor = query.get("flavor") or detect_flavor(url)
    return ConnectionConfig(url=url, flavor=flavor, tenant=tenant, service_path=service_path)


def resolve_connection(text: str) -> tuple[Any, str | None]:
    """(client config, saved connection name or None) for a saved connection name or a URL."""
    text = (text or "").strip()
    if not text:
        raise QgsProcessingException(tr("Give a saved connection name or a city OS URL."))
    if text.lower().startswith(("http://", "https://")):
        return _url_config(text), None
    from smartcity_qgis.layers.cityos.connection_config import to_client_config
    from smartcity_qgis.layers.cityos.connections import ConnectionStore, demo_connection

    conn = ConnectionStore().get(text)
    if conn is None and text == demo_connection().name:
        conn = demo_connection()
    if conn is None:
        raise QgsProcessingException(tr("There is no saved city OS connection named {0}.").format(text))
    flavor = None
    if conn.flavor == "auto" and not conn.demo:
        from smartcity_qgis.layers.cityos.connection_probe import detect_connection_flavor

        flavor = detect_connection_flavor(conn)  # with the connection's tenant, auth and proxy
    return to_client_config(conn, flavor=flavor), conn.name


class LoadEntitiesAlgorithm(SmartCityAlgorithm):
    """Entities of one type from a city OS (NGSI-v2 or NGSI-LD) into a vector layer."""

    NAME = "loadentities"
    GROUP_ID = "cityos"
    CONNECTION = "CONNECTION"
    ENTITY_TYPE = "ENTITY_TYPE"
    EXTENT = "EXTENT"
    ATTRIBUTES = "ATTRIBUTES"
    OUTPUT = "OUTPUT"

    def displayName(self) -> str:
        return tr("Load city OS entities")

    def group(self) -> str:
        return tr("City OS")

    def shortHelpString(self) -> str:
        return tr(
            "Loads the entities of one type from a city OS (FIWARE Orion NGSI-v2, or NGSI-LD brokers "
            "such as Orion-LD and Scorpio) into a point, line or polygon layer in EPSG:4326.\n\n"
            "CONNECTION: the name of a saved connection (credentials come from the QGIS authentication "
            "database), or a broker URL; a URL may carry ?tenant=…&service_path=…&flavor=ngsi-v2|ngsi-ld, "
            "otherwise the flavor is detected.\n"
            "ENTITY_TYPE: the NGSI entity type, e.g. WaterObserved.\n"
            "EXTENT: load only entities inside this extent (optional).\n"
            "ATTRIBUTES: comma-separated attribute names to load (optional, default all).\n\n"
            "Entities that cannot be used are listed in the log with their id and reason. When a type "
            "mixes geometry types, the output holds the most common one and the log says how many "
            "entities of the other types were left out."
        )

    def initAlgorithm(self, config: dict | None = None) -> None:
        self.addParameter(QgsProcessingParameterString(self.CONNECTION, tr("Connection name or URL")))
        self.addParameter(QgsProcessingParameterString(self.ENTITY_TYPE, tr("Entity type")))
        self.addParameter(QgsProcessingParameterExtent(self.EXTENT, tr("Extent"), optional=True))
        self.addParameter(
            QgsProcessingParameterString(self.ATTRIBUTES, tr("Attributes (comma-separated)"), optional=True)
        )
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("City OS entities")))

    def processAlgorithm(self, parameters: dict, context, feedback) -> dict:
        from smartcity_qgis.cityos_client import CityOSError
        from smartcity_qgis.layers.cityos.entity_loader import load_entity_layers
        from smartcity_qgis.layers.cityos.messages import error_message

        entity_type = (self.parameterAsString(parameters, self.ENTITY_TYPE, context) or "").strip()
        if not entity_type:
            raise QgsProcessingException(tr("Give an entity type."))
        raw_attrs = self.parameterAsString(parameters, self.ATTRIBUTES, context) or ""
        attrs = [a.strip() for a in raw_attrs.split(",") if a.strip()] or None
        extent = None
        if parameters.get(self.EXTENT) not in (None, ""):
            extent = self.parameterAsExtent(parameters, self.EXTENT, context, WGS84)
        try:
            config, name = resolve_connection(self.parameterAsString(parameters, self.CONNECTION, context))
            result = load_entity_layers(config, entity_type, extent, attrs, feedback, connection_name=name)
        except CityOSError as exc:
            raise QgsProcessingException(error_message(exc)) from exc
        except ValueError as exc:
            raise QgsProcessingException(str(exc)) from exc
        layer = result.main_layer
        for kind, other in result.layers.items():
            if other is not layer and other.featureCount():
                feedback.pushWarning(
                    tr("{0} entities with {1} geometries are not in the output.").format(other.featureCount(), kind)
                )
        for item in result.invalid[:_MAX_LISTED]:
            feedback.pushWarning(tr("Entity {0} left out: {1}").format(item.entity_id, item.reason))
        if len(result.invalid) > _MAX_LISTED:
            feedback.pushWarning(tr("… and {0} more").format(len(result.invalid) - _MAX_LISTED))
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, layer.fields(), layer.wkbType(), WGS84)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        sink.addFeatures(list(layer.getFeatures()), QgsFeatureSink.Flag.FastInsert)
        feedback.pushInfo(result.summary())
        return {self.OUTPUT: dest_id}


ALGORITHMS = [LoadEntitiesAlgorithm]
