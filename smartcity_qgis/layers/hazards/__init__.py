"""Hazard zones: 国土数値情報 hazard files with their official colours, GSI hazard and base-map tiles."""
