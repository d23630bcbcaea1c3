"""Times as a person in the project's city reads them: the project's zone, labelled (JST).

Files, layers and the city OS keep UTC (ISO 8601 with offset); only what is shown to a person
goes through here. The zone is a project setting, the project variable
``smartcity_time_zone`` (Project Properties ▸ Variables, or SmartCity ▸ Project time zone…),
Asia/Tokyo when unset. Nothing here reads the process's own time zone: a machine set to UTC
and one set to Asia/Tokyo show the same text.

For QGIS's own surfaces (attribute table, identify results, map tips through
``represent_value``) the date/time fields of the plugin's layers use the field formatter
registered here, which shows each value in the project's zone with its label.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from qgis.core import (
    QgsApplication,
    QgsEditorWidgetSetup,
    QgsExpressionContextUtils,
    QgsFieldFormatter,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QVariant

DEFAULT_ZONE = "Asia/Tokyo"
ZONE_VARIABLE = "smartcity_time_zone"
FORMATTER_ID = "SmartCityLocalTime"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
SHORT_FORMAT = "%Y-%m-%d %H:%M"
# The zones offered first in the time-zone chooser (Japan, then UTC); any IANA name is accepted.
COMMON_ZONES = ("Asia/Tokyo", "UTC")


@lru_cache(maxsize=32)
def _zone(name: str) -> tzinfo | None:
    try:
        return UTC if name in ("UTC", "Etc/UTC") else ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def is_zone_name(name: str) -> bool:
    """Whether ``name`` is an IANA time-zone name this machine knows (e.g. Asia/Tokyo)."""
    return bool(name) and _zone(str(name)) is not None


def project_zone_name(project: QgsProject | None = None) -> str:
    """The project's zone name (Asia/Tokyo unless the project says otherwise)."""
    project = project or QgsProject.instance()
    name = str(project.customVariables().get(ZONE_VARIABLE) or "").strip()
    return name if is_zone_name(name) else DEFAULT_ZONE


def project_zone(project: QgsProject | None = None) -> tzinfo:
    """The project's zone as a ``tzinfo``."""
    return _zone(project_zone_name(project)) or _zone(DEFAULT_ZONE) or UTC


def set_project_zone(name: str, project: QgsProject | None = None) -> None:
    """Make ``name`` (an IANA zone) the project's zone; raises ``ValueError`` for unknown names."""
    if not is_zone_name(name):
        raise ValueError(name)
    project = project or QgsProject.instance()
    QgsExpressionContextUtils.setProjectVariable(project, ZONE_VARIABLE, name)


def zone_names() -> list[str]:
    """Zones to choose from: the common ones first, then every zone the machine knows."""
    rest = sorted(z for z in available_timezones() if z not in COMMON_ZONES and "/" in z)
    return [*COMMON_ZONES, *rest]


def as_utc(moment: object) -> datetime | None:
    """``moment`` (datetime, QDateTime, ISO 8601 text, epoch seconds) as an aware UTC datetime.

    Naive datetimes are UTC, as everywhere in the plugin; NULL and invalid values give None.
    """
    if isinstance(moment, QVariant):
        moment = None if moment.isNull() else moment.value()
    if moment is None:
        return None
    if isinstance(moment, QDateTime):
        if not moment.isValid():
            return None
        return datetime.fromtimestamp(moment.toMSecsSinceEpoch() / 1000, UTC)
    if isinstance(moment, str):
        text = moment.strip()
        if not text:
            return None
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(moment, (int, float)) and not isinstance(moment, bool):
        return datetime.fromtimestamp(moment, UTC)
    if isinstance(moment, datetime):
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return None


def to_local(moment: object, project: QgsProject | None = None) -> datetime | None:
    """``moment`` in the project's zone (None when it is not a time)."""
    utc = as_utc(moment)
    return None if utc is None else utc.astimezone(project_zone(project))


def zone_label(moment: datetime | None = None, project: QgsProject | None = None) -> str:
    """The zone's short name at ``moment`` (now when None): JST, UTC, CEST, or UTC+05:30."""
    local = to_local(moment or datetime.now(UTC), project)
    name = local.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = local.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def local_text(
    moment: object, fmt: str = DATETIME_FORMAT, project: QgsProject | None = None, label: bool = True
) -> str:
    """``moment`` as a person in the project's zone reads it, e.g. "2024-06-01 16:23:05 JST" ("" for NULL)."""
    local = to_local(moment, project)
    if local is None:
        return ""
    text = local.strftime(fmt)
    return f"{text} {zone_label(local, project)}" if label else text


def local_today(project: QgsProject | None = None) -> date:
    """Today's date in the project's zone (a figure's 作成日)."""
    return datetime.now(UTC).astimezone(project_zone(project)).date()


def local_date_text(project: QgsProject | None = None) -> str:
    """Today's date in the project's zone as yyyy-MM-dd."""
    return local_today(project).isoformat()


def local_qdate(project: QgsProject | None = None) -> QDate:
    """Today's date in the project's zone as a QDate."""
    today = local_today(project)
    return QDate(today.year, today.month, today.day)


# -- QGIS's own surfaces: attribute table, identify, represent_value() in map tips ---------------


class LocalTimeFormatter(QgsFieldFormatter):
    """Shows date/time values in the project's zone, labelled ("2024-06-01 16:23:05 JST")."""

    def id(self) -> str:
        return FORMATTER_ID

    def representValue(self, layer, field_index, config, cache, value) -> str:
        project = layer.project() if layer is not None else None
        text = local_text(value, project=project or QgsProject.instance())
        if text or value is None:
            return text
        return "" if isinstance(value, QVariant) and value.isNull() else str(value)

    def sortValue(self, layer, field_index, config, cache, value):
        return value


_formatter: LocalTimeFormatter | None = None


def local_time_display_registered() -> bool:
    """Whether the field formatter is registered in this QGIS session."""
    return QgsApplication.fieldFormatterRegistry().fieldFormatter(FORMATTER_ID).id() == FORMATTER_ID


def register_local_time_display() -> None:
    """Register the formatter (and the form widget, where QGIS has a GUI); idempotent."""
    global _formatter
    if not local_time_display_registered():
        _formatter = LocalTimeFormatter()
        QgsApplication.fieldFormatterRegistry().addFieldFormatter(_formatter)
    with contextlib.suppress(ImportError):  # no qgis.gui: no feature forms to serve either
        from smartcity_qgis.local_time_widget import register_local_time_widget

        register_local_time_widget(FORMATTER_ID, local_text)


def unregister_local_time_display(project: QgsProject | None = None) -> None:
    """Give the project's layers back QGIS's own date/time display, then drop the formatter.

    The fields are switched back first: an open attribute table reloads its formatters when
    a layer's fields change, so none keeps a pointer to the formatter being deleted.
    """
    global _formatter
    project = project or QgsProject.instance()
    for layer in project.mapLayers().values():
        if isinstance(layer, QgsVectorLayer):
            for index in range(layer.fields().count()):
                if layer.editorWidgetSetup(index).type() == FORMATTER_ID:
                    layer.setEditorWidgetSetup(index, QgsEditorWidgetSetup("DateTime", {}))
    if local_time_display_registered():
        QgsApplication.fieldFormatterRegistry().removeFieldFormatter(FORMATTER_ID)
    _formatter = None


def show_local_times(layer: QgsVectorLayer) -> int:
    """Display the date/time fields of ``layer`` in the project's zone; returns how many fields.

    Only fields left at QGIS's default display are changed (a user's own choice stays).
    """
    register_local_time_display()
    changed = 0
    for index, field in enumerate(layer.fields()):
        if field.type() != QVariant.DateTime:
            continue
        current = layer.editorWidgetSetup(index).type()
        if current in ("", "DateTime"):
            layer.setEditorWidgetSetup(index, QgsEditorWidgetSetup(FORMATTER_ID, {}))
            changed += 1
    return changed


__all__ = [
    "DEFAULT_ZONE",
    "FORMATTER_ID",
    "ZONE_VARIABLE",
    "LocalTimeFormatter",
    "as_utc",
    "is_zone_name",
    "local_date_text",
    "local_qdate",
    "local_text",
    "local_today",
    "project_zone",
    "project_zone_name",
    "register_local_time_display",
    "set_project_zone",
    "show_local_times",
    "to_local",
    "unregister_local_time_display",
    "zone_label",
    "zone_names",
]
