"""The embedded city OS: an NGSI-v2 + NGSI-LD server with demo scenarios. Never imports qgis.

from smartcity_qgis.cityos_sim import start_server
with start_server(scenario="okazaki") as srv:
    print(srv.url)   # http://127.0.0.1:<port>: /v2, /ngsi-ld/v1, /ql (time series), /version
"""

from smartcity_qgis.cityos_sim.server import FAULT_KINDS, SimServer, start_server

__all__ = ["FAULT_KINDS", "SimServer", "start_server"]
