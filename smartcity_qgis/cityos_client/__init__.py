"""Talking to city-OS brokers (NGSI-v2 and NGSI-LD). Pure Python: never imports qgis."""
