"""What the NGSI-v2, NGSI-LD and QuantumLeap handlers need of the server: its clock, store,
subscriptions and JSON-LD contexts. `SimServer` is one; the handlers take this protocol so that the server can route to
them without the modules importing each other."""

from __future__ import annotations

from typing import Protocol

from smartcity_qgis.cityos_sim.jsonld import ContextLoader
from smartcity_qgis.cityos_sim.store import Store
from smartcity_qgis.cityos_sim.subscriptions import SubscriptionManager


class SimContext(Protocol):
    """The server as its API handlers see it."""

    store: Store
    subs: SubscriptionManager
    contexts: ContextLoader  # JSON-LD @context documents, fetched and kept

    def now(self) -> float: ...
