"""Live entity layers: polling, MQTT push or HTTP push, applied in place.

`LiveLayerUpdater` runs the network side in a background thread (never the UI
thread) and hands entities to an `EntityApplier`, which changes the features in
place on the main thread in small time-boxed batches with throttled repaints.

* **polling** — every ``interval`` seconds. On brokers that filter on the
  modification time (NGSI-v2 ``q=dateModified>…`` as Orion does, NGSI-LD
  ``q=modifiedAt>"…"`` with ``options=sysAttrs`` as Orion-LD and Scorpio do)
  only the entities modified since the newest modification time seen are
  fetched; there every ``full_sync_every`` polls a complete list also removes
  entities that disappeared from the broker. A broker that does not filter on
  it (the filter is refused or does not match every entity) has every poll
  list the type completely; entities whose values did not change are filtered
  out in the background thread, so the main thread only touches what changed.
* **mqtt** / **http** — the broker pushes each change through a subscription;
  a complete poll still runs at start, after every reconnection and, as a
  safety net, every ``interval`` seconds but at most every ``PUSH_SAFETY_POLL``
  seconds (a push layer should not list a large type every few seconds), so
  nothing missed while a broker was down stays missed.

A failed request marks the layer stale (it keeps its last data) and is retried
with exponential backoff; on recovery a complete list catches up, by entity id,
so no entity is ever duplicated.

HTTP push says it is *waiting* for the broker until the first notification arrives
(a broker on another machine may not reach this computer); after ``push_silence``
seconds without one, or when the broker reports failed deliveries, the detail says
so with the likely cause. Subscriptions expire unless renewed, and are renewed while
live. Nothing here blocks the main thread: stopping returns at once, and the
background thread ends by itself (deleting its subscription) once its request returns.
"""

from __future__ import annotations

import collections
import contextlib
import queue
import random
import threading
from datetime import UTC, datetime
from typing import Any

from qgis.core import QgsVectorLayer
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from smartcity_qgis.cityos_client.values import format_datetime
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.entity_layer_meta import LayerMeta, is_stale, mark_offline
from smartcity_qgis.layers.cityos.live_apply import SYNC, UPSERT, EntityApplier

POLLING = "polling"
MQTT = "mqtt"
HTTP = "http"
MODES = (POLLING, MQTT, HTTP)
PUSH_SAFETY_POLL = 120.0  # seconds between complete listings in push modes, at least
PUSH_SILENCE = 60.0  # seconds of HTTP push without any notification before the user is told why
_DELIVERY_CHECK = 10.0  # seconds between asking the broker how its deliveries go, while waiting

# States reported by `LiveLayerUpdater.state_changed`.
CONNECTING = "connecting"
LIVE = "live"
WAITING = "waiting"  # HTTP push: subscribed, no notification from the broker yet
RECONNECTING = "reconnecting"
STOPPED = "stopped"


def _fingerprint(entity: Any) -> int:
    """A hash of what an entity shows on the map (values, units, times, geometry)."""
    from smartcity_qgis.layers.cityos.entity_features import lazy_point

    geometry = lazy_point(entity)
    if geometry is None and entity.geometry is not None:
        geometry = entity.geometry.wkb
    parts = [(name, repr(a.value), a.observed_at, a.unit_code) for name, a in sorted(entity.attributes.items())]
    return hash((geometry, entity.observed_at, entity.modified_at, tuple(parts)))


class LiveLayerUpdater(QObject):
    """Keeps the layers of one entity type up to date with the city OS."""

    state_changed = pyqtSignal(str, str)  # state, detail (translated)
    features_updated = pyqtSignal(list)
    features_added = pyqtSignal(list)
    features_removed = pyqtSignal(list)
    value_changed = pyqtSignal(str, str, object, object)  # entity id, attribute, old, new
    synced = pyqtSignal()  # a complete list from the broker has been applied

    def __init__(
        self,
        layers: QgsVectorLayer | dict[str, QgsVectorLayer],
        config: Any,
        mode: str = POLLING,
        interval: float = 10.0,
        *,
        full_sync_every: int = 10,
        max_backoff: float = 60.0,
        push_options: dict[str, Any] | None = None,
        push_silence: float = PUSH_SILENCE,
        client_factory: Any = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if mode not in MODES:
            raise ValueError(tr("Unknown live mode: {0}").format(mode))
        if isinstance(layers, QgsVectorLayer):
            layers = {layers.customProperty("smartcity/geometry_kind") or "point": layers}
        self.layers = layers
        first = next(iter(layers.values()))
        meta = LayerMeta.from_layer(first)
        if meta is None:
            raise ValueError(tr("Layer {0} is not a city OS layer.").format(first.name()))
        self.meta = meta
        self.config = config
        self.mode = mode
        self.interval = max(0.2, float(interval))
        self.full_sync_every = max(1, full_sync_every)
        self.max_backoff = max_backoff
        self.push_options = dict(push_options or {})
        self.push_silence = float(push_silence)
        self.subscription: Any = None  # the push subscription while live (read-only outside the thread)
        self._client_factory = client_factory
        self.state = STOPPED
        self.last_error = ""
        self.applier = EntityApplier(layers, parent=self)
        self.applier.features_updated.connect(self.features_updated)
        self.applier.features_added.connect(self.features_added)
        self.applier.features_removed.connect(self.features_removed)
        self.applier.value_changed.connect(self.value_changed)
        self._inbox: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._take_inbox)
        self._fingerprints: dict[str, int] = {}
        # (kind, entities received) of the latest polls: kind is "full" or "changes".
        self.poll_log: collections.deque[tuple[str, int]] = collections.deque(maxlen=100)
        self.incremental: bool | None = None  # whether polls fetch only modified entities
        self._ld_quoted_time = True  # NGSI-LD q: modifiedAt>"…" (else modifiedAt>…)
        for layer in layers.values():
            layer.willBeDeleted.connect(self._layer_deleted)

    # -- control --------------------------------------------------------------------
    def start(self) -> None:
        """Start live mode (a complete poll first, then the chosen mode)."""
        if self._thread is not None:
            return
        # Fresh primitives per run: a thread left over from a previous run (stuck in a slow
        # request) keeps its own, already set, stop event and can no longer post anything.
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._fingerprints = {}
        self._set_state(CONNECTING, "")
        for layer in self.layers.values():
            layer.setCustomProperty("smartcity/live", self._live_property())
        self._thread = threading.Thread(target=self._run, name=f"live-{self.meta.entity_type}", daemon=True)
        self._thread.start()
        self._timer.start()

    def stop(self, forget: bool = False) -> None:
        """Stop live mode at once; the layers keep their data. ``forget`` also clears the saved
        live setting. The background thread is not waited for: it may be blocked in a request
        and ends by itself when that returns, posting nothing more."""
        self._stop.set()
        self._wake.set()
        self._timer.stop()
        self._thread = None
        self._take_inbox()
        if forget:
            for layer in self.layers.values():
                layer.setCustomProperty("smartcity/live", "")
        self._set_state(STOPPED, "")

    def _layer_deleted(self) -> None:
        """A layer of the group goes away (project cleared, layer removed): live mode ends."""
        self._stop.set()
        self._wake.set()
        self._timer.stop()
        self._thread = None
        self.layers = dict(self.applier.layers)
        self._set_state(STOPPED, "")

    def poll_now(self) -> None:
        """Ask for a poll without waiting for the interval."""
        self._wake.set()

    def is_running(self) -> bool:
        """True while live mode runs."""
        return self._thread is not None

    def flush(self) -> None:
        """Apply whatever has arrived now (scripts, tests)."""
        self._take_inbox()
        self.applier.flush()

    def _live_property(self) -> str:
        import json

        return json.dumps({"mode": self.mode, "interval": self.interval})

    # -- main-thread side -----------------------------------------------------------
    def _take_inbox(self) -> None:
        while True:
            try:
                kind, payload = self._inbox.get_nowait()
            except queue.Empty:
                return
            if kind == "state":
                self._set_state(*payload)
                if payload[0] == STOPPED:  # the thread gave up for good (a missing package)
                    self._thread = None
                    self._timer.stop()
            elif kind == SYNC:
                entities, all_ids = payload
                self.applier.enqueue(SYNC, entities, all_ids)
            elif kind == "synced":
                self.applier.batch_applied.connect(self._emit_synced_once)
                self.applier.enqueue(UPSERT, [])
            else:
                self.applier.enqueue(kind, payload)

    def _emit_synced_once(self) -> None:
        self.applier.batch_applied.disconnect(self._emit_synced_once)
        self.synced.emit()

    def _set_state(self, state: str, detail: str) -> None:
        if state == self.state and detail == self.last_error:
            return
        self.state = state
        self.last_error = detail
        for layer in self.layers.values():
            try:
                if state == RECONNECTING:
                    mark_offline(layer, True, format_datetime(datetime.now(UTC)))
                elif state == LIVE and is_stale(layer):
                    mark_offline(layer, False)
            except RuntimeError:  # the layer was deleted under us
                continue
        self.state_changed.emit(state, detail)

    # -- background thread ----------------------------------------------------------
    def _poster(self, stop: threading.Event) -> Any:
        inbox = self._inbox

        def post(kind: str, payload: Any) -> None:
            if not stop.is_set():
                inbox.put((kind, payload))

        return post

    def _make_client(self) -> Any:
        config = self.config
        if hasattr(config, "with_changes"):
            # Live mode is itself the retry loop: fail fast, mark the layer stale, back off.
            config = config.with_changes(
                max_retries=min(config.max_retries, 1), retry_budget=min(config.retry_budget, 5.0)
            )
        if self._client_factory is not None:
            return self._client_factory(config)
        from smartcity_qgis.cityos_client import CityOSClient

        return CityOSClient(config)

    def _query(self, q: str | None) -> str | None:
        """The layer's own ``q`` AND ``q`` (an NGSI-LD OR in the layer's query stays grouped)."""
        user_q = self.meta.query.get("q")
        if user_q and q and self.config.is_ld and "|" in user_q:
            user_q = f"({user_q})"
        return ";".join(p for p in (user_q, q) if p) or None

    def _list(self, client: Any, stop: threading.Event, q: str | None = None) -> tuple[list[Any], int]:
        """The layer's entities (those matching ``q`` too), with the broker's modification times,
        and how many of them came in the first page.

        Pages are read one after the other while the broker keeps changing: a change made
        after the first page was read, to an entity of that page, is only in the next poll.
        It is newer than everything the first page holds, so the newest time of the first
        page (not of the whole list) is the one the next poll may ask after.
        """
        meta = self.meta
        entities: list[Any] = []
        first_page: list[int] = []

        def progress(_done: int, _total: int | None = None) -> None:
            if not first_page:
                first_page.append(len(entities))

        for entity in client.iter_entities(
            meta.entity_type,
            bbox=meta.bbox(),
            q=self._query(q),
            attrs=meta.attrs(),
            cancel=stop.is_set,
            progress=progress,
            sys_attrs=True,
        ):
            entities.append(entity)
        return entities, first_page[0] if first_page else len(entities)

    def _modified_since(self, moment: datetime) -> str:
        """The ``q`` term selecting entities modified after ``moment`` in this broker's flavor."""
        if self.config.is_ld:
            # Orion-LD and Scorpio take the date-time quoted; some NGSI-LD brokers only bare.
            value = f'"{format_datetime(moment)}"' if self._ld_quoted_time else format_datetime(moment)
            return f"modifiedAt>{value}"
        return f"dateModified>{format_datetime(moment)}"

    def _modified_filter_works(self, client: Any) -> bool | None:
        """Whether the broker filters on modification times (None: no entity yet to tell).

        A broker that refuses the filter, or matches fewer entities with it than without
        (one that does not know the system attribute), gets complete listings instead.
        On NGSI-LD a bare date-time is tried when the quoted one is refused.
        """
        from smartcity_qgis.cityos_client.errors import CityOSError

        try:
            everything = client.count(self.meta.entity_type, q=self._query(None))
        except CityOSError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return False  # no count here: complete listings tell what changed
            raise
        if everything is None:
            return False
        if everything == 0:
            return None
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        for quoted in (True, False) if self.config.is_ld else (True,):
            self._ld_quoted_time = quoted
            try:
                filtered = client.count(self.meta.entity_type, q=self._query(self._modified_since(epoch)))
            except CityOSError as exc:
                if exc.status is not None and 400 <= exc.status < 500:
                    continue
                raise  # the broker is down: decide once it answers
            if filtered is not None and filtered >= everything:  # entities may be created in between
                return True
        self._ld_quoted_time = True
        return False

    def _changed_only(self, seen: dict[str, int], entities: list[Any], complete: bool = False) -> list[Any]:
        """The entities that differ from what this updater last passed on (worker thread).

        Comparing here keeps the main thread's work proportional to what changed, not to
        the size of the layer. The first complete list passes everything: the layer may
        come from a snapshot or an older load, so the main thread compares it feature by feature.
        """
        changed = []
        first = not seen
        for entity in entities:
            fingerprint = _fingerprint(entity)
            if first or seen.get(entity.id) != fingerprint:
                changed.append(entity)
            seen[entity.id] = fingerprint
        if complete and len(seen) > len(entities):
            present = {e.id for e in entities}
            for gone in [k for k in seen if k not in present]:
                del seen[gone]
        return changed

    def _run(self) -> None:
        import time

        from smartcity_qgis.cityos_client.errors import CancelledError, CityOSError, MissingDependencyError
        from smartcity_qgis.layers.cityos.messages import error_message

        stop, wake, seen = self._stop, self._wake, self._fingerprints
        post = self._poster(stop)
        client = None
        subscription: Any = None
        failures = 0
        incremental: bool | None = None
        watermark: datetime | None = None
        polls = 0
        need_full = True
        push = self.mode != POLLING
        next_poll = 0.0
        push_was_up = False
        waiting = PushWait(self.push_silence)
        while not stop.is_set():
            wait = 0.5 if push else self.interval
            try:
                if client is None:
                    client = self._make_client()
                if push:
                    if subscription is None:
                        subscription = self.subscription = self._subscribe(client, post)
                        waiting.start(subscription if self.mode == HTTP else None)
                    subscription.renew_if_due()
                    up = subscription.connected.is_set()
                    if up and not push_was_up:
                        need_full = True  # (re)connected: catch up with what was missed
                    elif push_was_up and not up:
                        post("state", (RECONNECTING, tr("The push connection was lost.")))
                    push_was_up = up
                if incremental is None and not push:
                    incremental = self.incremental = self._modified_filter_works(client)
                now = time.monotonic()
                full_poll = not incremental or watermark is None or polls >= self.full_sync_every
                if need_full or (push and now >= next_poll) or (not push and full_poll):
                    entities, settled = self._list(client, stop)
                    post(SYNC, (self._changed_only(seen, entities, complete=True), [e.id for e in entities]))
                    post("synced", None)
                    self.poll_log.append(("full", len(entities)))
                    polls, need_full = 0, False
                    next_poll = now + max(self.interval, PUSH_SAFETY_POLL)
                elif not push:
                    # Strictly after the newest time seen: nothing already here comes again. A change
                    # stamped with that same time but made after this poll (a broker that keeps whole
                    # seconds) is caught by the complete list every `full_sync_every` polls.
                    q = self._modified_since(watermark)
                    entities, settled = self._list(client, stop, q=q)
                    post(UPSERT, self._changed_only(seen, entities))
                    self.poll_log.append(("changes", len(entities)))
                    polls += 1
                else:
                    entities, settled = [], 0
                stamps = [e.modified_at for e in entities[:settled] if e.modified_at is not None]
                if stamps:
                    watermark = max([*stamps, watermark] if watermark else stamps)
                if not push or push_was_up:
                    detail = waiting.detail(now)
                    post("state", (LIVE, "") if detail is None else (WAITING, detail))
                failures = 0
            except CancelledError:
                break
            except MissingDependencyError as exc:  # not cured by retrying: say it once and stop
                post("state", (STOPPED, error_message(exc)))
                break
            except Exception as exc:  # CityOSError or a bug: never kill live mode silently
                failures += 1
                need_full = True
                push_was_up = False
                subscription = self.subscription = _close(subscription)
                post("state", (RECONNECTING, error_message(exc)))
                wait = min(self.max_backoff, 0.5 * 2 ** min(failures, 10)) * random.uniform(0.8, 1.2)
                if not isinstance(exc, CityOSError):
                    wait = max(wait, 1.0)
            wake.wait(wait)
            wake.clear()
        self.subscription = _close(subscription)
        if client is not None:
            client.close()

    def _subscribe(self, client: Any, post: Any) -> Any:
        def on_change(entity: Any) -> None:
            post(UPSERT, [entity])

        options = dict(self.push_options)
        if "owner" not in options:
            from smartcity_qgis.layers.cityos.profile_owner import profile_owner

            options["owner"] = profile_owner()  # stale subscriptions of a crashed QGIS go on next use
        return client.subscribe(self.meta.entity_type, on_change, transport=self.mode, **options)


class PushWait:
    """HTTP push before the first notification: what to tell the user (worker thread)."""

    def __init__(self, silence: float) -> None:
        self.silence = silence
        self._subscription: Any = None
        self._since = 0.0
        self._checked = 0.0
        self._problem: str | None = None

    def start(self, subscription: Any) -> None:
        import time

        self._subscription = subscription
        self._since = self._checked = time.monotonic()
        self._problem = None

    def detail(self, now: float) -> str | None:
        """None once notifications arrive (or for MQTT); else the waiting message."""
        from smartcity_qgis.cityos_client.errors import CityOSError

        sub = self._subscription
        if sub is None or sub.first_notification.is_set():
            return None
        shown = _shown_url(sub.notify_url or "")
        if now - self._checked >= _DELIVERY_CHECK:
            self._checked = now
            try:
                self._problem = sub.delivery_problem()
            except CityOSError:
                self._problem = None  # a broker that does not say: rely on the silence
        if self._problem:
            return tr("The broker cannot deliver notifications to {0}: {1}").format(shown, self._problem)
        if now - self._since >= self.silence:
            return tr(
                "No notification has arrived from the broker in {0} s. If entities changed meanwhile, the broker probably cannot reach {1} (address, firewall or proxy): check the connection's push settings."  # noqa: E501
            ).format(int(now - self._since), shown)
        return tr("Waiting for the broker's first notification at {0}.").format(shown)


def _shown_url(notify_url: str) -> str:
    """The notification URL without its secret path."""
    return notify_url.split("/notify/", 1)[0] or notify_url


def _close(subscription: Any) -> None:
    """Delete a push subscription; the broker may be gone, then it dies with it."""
    if subscription is not None:
        with contextlib.suppress(Exception):
            subscription.close()
