"""Names of types and attributes between an NGSI-LD request's @context and the store.

The store keeps one name per type and attribute for both APIs. A name is kept as the core context
compacts its IRI when that gives a plain term (``waterLevel`` for
``https://uri.etsi.org/ngsi-ld/default-context/waterLevel``, ``location`` for the core's
``ngsi-ld:location``), otherwise as the full IRI: the expanded name, written short where the short
form means the same IRI to every client. NGSI-v2 names (no ``:``) are thus default-context terms,
as Orion-LD treats them; names created under a user context (``https://smartdatamodels.org/...``)
are kept expanded and are reached under another context only by their IRI.
"""

from __future__ import annotations

import json
import re
from typing import Any

from smartcity_qgis.cityos_sim.jsonld import CORE, CORE_CONTEXT_URL, ActiveContext

JSONLD_REL = "http://www.w3.org/ns/json-ld#context"
_LINK_ITEM = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]+)*)")


def link_header(url: str) -> str:
    """The ``Link`` header value naming ``url`` as the JSON-LD context."""
    return f'<{url}>; rel="{JSONLD_REL}"; type="application/ld+json"'


def stored_name(iri: str) -> str:
    """The store's name for an expanded name (see the module's docstring)."""
    short = CORE.compact(iri)
    if ":" not in short and CORE.expand(short) == iri:
        return short
    return iri


def name_iri(stored: str) -> str:
    """The expanded name of a stored name."""
    return CORE.expand(stored)


def context_from_link(value: str | None) -> str | None:
    """The context URL of a ``Link`` header (the link whose rel is JSON-LD's context), or None.

    ValueError when a JSON-LD context link is there but unusable.
    """
    if not value:
        return None
    for match in _LINK_ITEM.finditer(value):
        url, params = match.group(1).strip(), match.group(2)
        rels = re.findall(r'rel\s*=\s*"?([^";]+)"?', params)
        if any(r.strip() == JSONLD_REL for rel in rels for r in rel.split()):
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"the JSON-LD context link {url!r} is not an http:// or https:// URL")
            return url
    return None


class LdNames:
    """How one request (or subscription) names things: its context expands names to the store's,
    and compacts the store's names back for the answer."""

    def __init__(self, ctx: ActiveContext = CORE, user: Any = None) -> None:
        self.ctx = ctx
        self.user = user  # the @context as the client gave it; None: the core context only
        self.key = "" if user is None else json.dumps(user, sort_keys=True, ensure_ascii=False)
        self._stored: dict[str, str] = {}
        self._shown: dict[str, str] = {}

    @property
    def core_only(self) -> bool:
        return self.user is None

    def stored(self, term: str) -> str:
        """The store's name for a type or attribute name of this request."""
        if self.user is None and ":" not in term:
            return term  # a plain term under the core context is its own stored name
        found = self._stored.get(term)
        if found is None:
            iri = self.ctx.expand(term)
            # A keyword alias ("id", "type") is no type or attribute name: it stays as it is.
            found = self._stored[term] = term if iri.startswith("@") else stored_name(iri)
        return found

    def shown(self, stored: str) -> str:
        """The name a stored type or attribute takes in the answer to this request."""
        if self.user is None and ":" not in stored:
            return stored
        found = self._shown.get(stored)
        if found is None:
            found = self._shown[stored] = self.ctx.compact(name_iri(stored))
        return found

    def context_value(self) -> Any:
        """The ``@context`` member of an ``application/ld+json`` answer."""
        return CORE_CONTEXT_URL if self.user is None else self.user

    def link(self) -> str:
        """The ``Link`` header of an ``application/json`` answer: the client's context URL when it sent
        one, else the core context (an inline context has no URL to name)."""
        if isinstance(self.user, str):
            return link_header(self.user)
        if isinstance(self.user, list) and len(self.user) == 1 and isinstance(self.user[0], str):
            return link_header(self.user[0])
        return link_header(CORE_CONTEXT_URL)


CORE_NAMES = LdNames()
