"""Turning entities and files into QGIS layers, with their styles."""
