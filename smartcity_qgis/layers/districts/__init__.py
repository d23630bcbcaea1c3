"""Pilot districts: the district GeoPackage store, the district layer, geometry helpers and fact sheets."""
