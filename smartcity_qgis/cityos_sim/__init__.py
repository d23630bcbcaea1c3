"""The embedded city OS: an NGSI-v2 + NGSI-LD server with demo scenarios. Never imports qgis."""
