"""`CityOSClient`: one broker, both NGSI flavors, paged and geo-queried listing."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

from smartcity_qgis.cityos_client.config import NGSI_LD, NGSI_V2, ConnectionConfig
from smartcity_qgis.cityos_client.errors import (
    BadRequestError,
    CancelledError,
    CityOSError,
    InvalidEntityError,
    NotFoundError,
    ServerError,
)
from smartcity_qgis.cityos_client.http import HttpClient, Response
from smartcity_qgis.cityos_client.models import Entity, TypeInfo
from smartcity_qgis.cityos_client.page_ahead import PageAhead
from smartcity_qgis.cityos_client.parse import iter_features, parse_with
from smartcity_qgis.cityos_client.parse_common import ParseOptions
from smartcity_qgis.cityos_client.queries import (
    LD_ROOT,
    V2_ROOT,
    V2_SYSTEM_TIMES,
    limit_from_error,
    listing_params,
    tenancy_headers,
)

ProgressCallback = Callable[[int, "int | None"], Any]
CancelCallback = Callable[[], bool]


def _total(resp: Response) -> int | None:
    for name in ("Fiware-Total-Count", "NGSILD-Results-Count"):
        value = resp.headers.get(name)
        if value is not None and value.strip().isdigit():
            return int(value)
    return None


class CityOSClient:
    """A client for one city-OS broker (NGSI-v2 or NGSI-LD) configured by a `ConnectionConfig`."""

    def __init__(self, config: ConnectionConfig, *, sleep: Callable[[float], None] | None = None) -> None:
        self.config = config
        self.http = HttpClient(config, sleep=sleep)
        self.options = ParseOptions(config.primary_geo_attribute, config.area_of_interest)
        self._page_limit = config.max_page_size
        self.rejected: list[InvalidEntityError] = []

    # -- plumbing -----------------------------------------------------------------------------
    def close(self) -> None:
        """Release the HTTP connections."""
        self.http.close()

    def __enter__(self) -> CityOSClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def root(self) -> str:
        """The API root URL of the configured flavor."""
        return self.config.url + (LD_ROOT if self.config.is_ld else V2_ROOT)

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """Tenancy, @context and Accept headers of this connection."""
        headers = tenancy_headers(self.config)
        if extra:
            headers.update(extra)
        return headers

    def get(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        cancel: CancelCallback | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """GET ``path`` under the API root with this connection's headers."""
        return self.http.request("GET", self.root + path, params=params, headers=self.headers(headers), cancel=cancel)

    def parse(self, payload: Any, representation: str | None = None) -> Entity:
        """Parse one payload with this connection's flavor, primary geo attribute and area of interest."""
        return parse_with(payload, self.config.flavor, representation, self.options)

    def version(self) -> dict[str, Any]:
        """The broker's ``/version`` answer."""
        resp = self.http.request("GET", self.config.url + "/version", headers={"Accept": "application/json"})
        return resp.data if isinstance(resp.data, dict) else {}

    # -- types --------------------------------------------------------------------------------
    def types(self) -> list[TypeInfo]:
        """Entity types served: name, entity count (None if the broker does not say) and attributes."""
        return self._types_ld() if self.config.is_ld else self._types_v2()

    def _types_v2(self) -> list[TypeInfo]:
        result: list[TypeInfo] = []
        offset = 0
        limit = min(self._page_limit, 1000)
        while True:
            resp = self.get("/types", {"options": "count", "limit": limit, "offset": offset})
            page = resp.data if isinstance(resp.data, list) else []
            for item in page:
                if not isinstance(item, dict) or not isinstance(item.get("type"), str):
                    continue
                attrs = item.get("attrs") if isinstance(item.get("attrs"), dict) else {}
                result.append(
                    TypeInfo(
                        item["type"],
                        item.get("count") if isinstance(item.get("count"), int) else None,
                        {
                            name: list(info.get("types", [])) if isinstance(info, dict) else []
                            for name, info in attrs.items()
                        },
                    )
                )
            total = _total(resp)
            offset += len(page)
            if len(page) < limit or (total is not None and offset >= total):
                return result

    def _types_ld(self) -> list[TypeInfo]:
        resp = self.get("/types", {"details": "true"})
        data = resp.data
        names: list[str] = []
        details: dict[str, list[str]] = {}
        if isinstance(data, dict) and isinstance(data.get("typeList"), list):
            names = [t for t in data["typeList"] if isinstance(t, str)]
        elif isinstance(data, list):
            for item in data:
                if isinstance(item, dict):
                    name = item.get("typeName") or item.get("id")
                    if isinstance(name, str):
                        names.append(name)
                        details[name] = [a for a in item.get("attributeNames", []) if isinstance(a, str)]
        result = []
        for name in names:
            info = TypeInfo(name, None, {a: [] for a in details.get(name, [])})
            try:
                one = self.get("/types/" + quote(name, safe=""))
            except CityOSError as exc:
                if exc.status not in (400, 404, 501):
                    raise
                one = None
            if one is not None and isinstance(one.data, dict):
                count = one.data.get("entityCount")
                info.count = count if isinstance(count, int) else None
                for attr in one.data.get("attributeDetails", []) or []:
                    if isinstance(attr, dict) and isinstance(attr.get("attributeName"), str):
                        info.attributes[attr["attributeName"]] = [
                            t for t in attr.get("attributeTypes", []) if isinstance(t, str)
                        ]
            if info.count is None:
                counted = self.get("/entities", {"type": name, "count": "true", "limit": 0})
                info.count = _total(counted)
            result.append(info)
        return result

    # -- entities -----------------------------------------------------------------------------
    def count(
        self,
        type: str | None = None,  # noqa: A002 - NGSI parameter name
        bbox: Sequence[float] | None = None,
        q: str | None = None,
    ) -> int | None:
        """How many entities a query matches (None if the broker does not say)."""
        params = listing_params(self.config, type=type, bbox=bbox, q=q, attrs=None)
        params.pop("orderBy", None)
        resp = self.get("/entities", {**params, "limit": 1 if not self.config.is_ld else 0})
        return _total(resp)

    def iter_entities(
        self,
        type: str | Sequence[str] | None = None,  # noqa: A002 - NGSI parameter name
        bbox: Sequence[float] | None = None,
        q: str | None = None,
        attrs: Sequence[str] | None = None,
        page_size: int | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelCallback | None = None,
        *,
        id_pattern: str | None = None,
        georel: str = "intersects",
        representation: str = "normalized",
        on_invalid: Callable[[InvalidEntityError], Any] | None = None,
        sys_attrs: bool = False,
        prefetch: bool = False,
    ) -> Iterator[Entity]:
        """Every entity matching the query, page by page, each id once.

        ``bbox`` is (min_lon, min_lat, max_lon, max_lat); the broker is asked for
        the entities whose primary location intersects it. ``progress(done, total)``
        is called after each page (``total`` from the broker's count header, or
        None); ``cancel()`` is checked between pages and raises `CancelledError`.
        Entities that cannot be used go to ``on_invalid`` (and ``self.rejected``)
        and the rest still arrives. ``representation`` is 'normalized',
        'keyValues' or (NGSI-LD) 'geojson'. ``sys_attrs`` asks the broker for each
        entity's modification time (`Entity.modified_at`): NGSI-LD ``modifiedAt``,
        NGSI-v2 ``dateModified`` (kept out of the attributes unless named in ``attrs``).
        ``prefetch`` asks for the next page on a thread of its own while this one is used (one
        page ahead, the same requests); ``cancel`` is then also called from that thread, and a
        cancelled or abandoned listing drops the page in flight.
        """
        key_values = representation == "keyValues"
        geojson = representation == "geojson"
        if geojson and not self.config.is_ld:
            raise ValueError("GeoJSON answers are an NGSI-LD feature; use 'normalized' or 'keyValues'")
        params = listing_params(
            self.config,
            type=type,
            bbox=bbox,
            q=q,
            attrs=attrs,
            id_pattern=id_pattern,
            georel=georel,
            key_values=key_values,
            sys_attrs=sys_attrs,
        )
        # NGSI-v2 answers the built-in times as attributes: only asked for to fill modified_at.
        hidden = [n for n in V2_SYSTEM_TIMES if n not in (attrs or ())] if sys_attrs and not self.config.is_ld else []
        extra = {"Accept": "application/geo+json"} if geojson else None
        limit = min(page_size or self.config.page_size or self._page_limit, self._page_limit)
        offset = 0
        seen: set[str] = set()
        total: int | None = None
        self.rejected = []
        rep = "keyValues" if key_values else "normalized"
        flavor, options = self.config.flavor, self.options
        rescan = False  # a second pass over the pages when fewer entities came than announced

        def fetch(at: int, size: int, stop: CancelCallback | None) -> Response:
            return self.get("/entities", {**params, "limit": size, "offset": at}, stop, extra)

        ahead = PageAhead(fetch, cancel) if prefetch else None
        try:
            while True:
                if cancel is not None and cancel():
                    raise CancelledError("cancelled")
                try:
                    resp = ahead.take(offset, limit) if ahead is not None else None
                    if resp is None:
                        resp = fetch(offset, limit, cancel)
                except BadRequestError as exc:
                    smaller = limit_from_error(f"{exc.error} {exc.description}", limit)
                    if smaller is None or smaller >= limit:
                        raise
                    limit = self._page_limit = smaller
                    continue
                if total is None:
                    total = _total(resp)
                if geojson:
                    items = list(iter_features(resp.data, self.config.flavor, self.options))
                    page_len = len(resp.data.get("features", [])) if isinstance(resp.data, dict) else 0
                else:
                    if not isinstance(resp.data, list):
                        raise ServerError(f"the broker's entity list is not a JSON array ({resp.url})", url=resp.url)
                    items = resp.data
                    page_len = len(items)
                if ahead is not None and page_len >= limit:
                    # A full page: the next one is asked for now, while this one is used.
                    ahead.start(offset + page_len, limit)
                repeated = 0
                for item in items:
                    if isinstance(item, Entity):
                        entity = item
                    else:
                        try:
                            if isinstance(item, InvalidEntityError):
                                raise item
                            entity = parse_with(item, flavor, rep, options)
                        except InvalidEntityError as exc:
                            self.rejected.append(exc)
                            if on_invalid is not None:
                                on_invalid(exc)
                            continue
                    if entity.id in seen:
                        repeated += 1
                        continue
                    seen.add(entity.id)
                    for name in hidden:
                        entity.attributes.pop(name, None)
                    yield entity
                # Entities seen before mean the window slid back (entities removed before it, or a
                # broker's unstable order): step on by the new ones only, or the ones the slide
                # pushed to the next window would never be asked for.
                fresh = page_len - repeated
                offset += page_len if rescan or fresh <= 0 else fresh
                if progress is not None:
                    progress(len(seen) + len(self.rejected), total)
                # Not stopping at the announced total: entities created while paging push
                # others onto later pages, and only a short page proves the end.
                if page_len < limit:
                    got = len(seen) + len(self.rejected)
                    if rescan or total is None or got >= total:
                        return
                    # Fewer than announced: go over the pages once more for the ones a window
                    # skipped (those deleted meanwhile simply stay missing).
                    rescan, offset = True, 0
        finally:
            if ahead is not None:
                ahead.drop()

    def entities(self, *args: Any, **kwargs: Any) -> list[Entity]:
        """`iter_entities` as a list."""
        return list(self.iter_entities(*args, **kwargs))

    def entity(self, entity_id: str, attrs: Sequence[str] | None = None) -> Entity:
        """One entity by id; raises `NotFoundError` or `InvalidEntityError`."""
        params = {"attrs": ",".join(attrs)} if attrs else None
        resp = self.get("/entities/" + quote(entity_id, safe=""), params)
        return self.parse(resp.data, "normalized")

    # -- history and push (in their own modules) ----------------------------------------------
    def history(
        self,
        entity_id: str,
        attr: str,
        start: datetime | None = None,
        end: datetime | None = None,
        last_n: int | None = None,
    ) -> list[tuple[datetime, Any]]:
        """Past values of one attribute, oldest first (LD temporal API, or QuantumLeap for v2)."""
        from smartcity_qgis.cityos_client.history import fetch_history

        return fetch_history(self, entity_id, attr, start, end, last_n)

    def subscribe(
        self,
        type: str,  # noqa: A002 - NGSI parameter name
        on_change: Callable[[Entity], Any],
        transport: str = "mqtt",
        **options: Any,
    ) -> Any:
        """Ask the broker to push changes of ``type`` entities; returns a `Subscription` (close it)."""
        from smartcity_qgis.cityos_client.push import Subscription

        return Subscription.create(self, type, on_change, transport, **options)


def detect_flavor(url: str, **config: Any) -> str:
    """'ngsi-v2' or 'ngsi-ld' for the broker at ``url`` (from ``/version``, then the API roots).

    Extra keyword arguments (tenant, auth, proxies...) are passed to `ConnectionConfig`.
    """
    probe = CityOSClient(ConnectionConfig(url=url, flavor=NGSI_V2, **config))
    try:
        try:
            info = probe.version()
        except (NotFoundError, BadRequestError, ServerError):
            info = {}  # no /version here (a proxy path, another broker): probe the API roots
        keys = " ".join(str(k).lower() for k in info)
        text = str(info).lower()
        # Orion-LD answers {"orionld version": ...}; Orion answers {"orion": {...}}.
        if "orionld" in keys or "orion-ld" in keys:
            return NGSI_LD
        if "orion" in keys:
            return NGSI_V2
        if "scorpio" in text or "stellio" in text:
            return NGSI_LD
        for flavor, path in ((NGSI_LD, LD_ROOT + "/types"), (NGSI_V2, V2_ROOT)):
            try:
                probe.http.request("GET", url.rstrip("/") + path, headers={"Accept": "application/json"})
                return flavor
            except CityOSError:
                continue
        raise ServerError(f"{url} does not look like an NGSI-v2 or NGSI-LD broker", url=url)
    finally:
        probe.close()


__all__ = ["NGSI_LD", "NGSI_V2", "CityOSClient", "detect_flavor"]
