"""Readable names for the expanded names an NGSI-LD broker may answer with.

A broker compacts type and attribute names with the @context the client sends. Names the context
does not define (or all of them, when no context is sent) come back as IRIs
(``https://smartdatamodels.org/dataModel.Environment/waterLevel``) or compact IRIs (``sdm:waterLevel``).
The client keeps the broker's name for every query; these functions give the short name to show.
"""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_expanded(name: str) -> bool:
    """True for an IRI or a compact IRI (``scheme:...`` / ``prefix:term``), not a plain term."""
    return bool(_SCHEME.match(name))


def short_name(name: str) -> str:
    """The last segment of an IRI (after its last ``/``, ``#`` or ``:``); a plain term as it is.

    ``https://example.city/water#level`` → ``level``, ``ngsi-ld:default-context/note`` → ``note``,
    ``urn:x:Station`` → ``Station``. A trailing separator is skipped (``https://a.example/b/`` → ``b``).
    """
    if not is_expanded(name):
        return name
    trimmed = name.rstrip("/#:")
    cut = max(trimmed.rfind("/"), trimmed.rfind("#"), trimmed.rfind(":"))
    return trimmed[cut + 1 :] or name
