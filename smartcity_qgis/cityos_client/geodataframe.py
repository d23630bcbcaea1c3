"""Entities into a geopandas GeoDataFrame (for notebooks and analysis)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from smartcity_qgis.cityos_client.models import Entity

_RESERVED = ("id", "type", "geometry")


def to_geodataframe(entities: Iterable[Entity]) -> Any:
    """A GeoDataFrame in EPSG:4326: ``id``, ``type``, one column per attribute, ``geometry``.

    Attributes missing on an entity are None; an attribute named like a
    reserved column gets the suffix ``_attr``. geopandas is imported only here.
    """
    try:
        import geopandas
    except ImportError:
        raise ImportError(
            "to_geodataframe needs the Python package geopandas (pip install geopandas; Debian: python3-geopandas)"
        ) from None

    rows: list[dict[str, Any]] = []
    geometries: list[Any] = []
    columns: dict[str, None] = {"id": None, "type": None}
    for entity in entities:
        row: dict[str, Any] = {"id": entity.id, "type": entity.type}
        for name, attr in entity.attributes.items():
            column = name + "_attr" if name in _RESERVED else name
            columns.setdefault(column, None)
            row[column] = attr.value
        rows.append(row)
        geometries.append(entity.geometry)
    data = {column: [row.get(column) for row in rows] for column in columns}
    return geopandas.GeoDataFrame(data, geometry=geopandas.GeoSeries(geometries, crs="EPSG:4326"), crs="EPSG:4326")
