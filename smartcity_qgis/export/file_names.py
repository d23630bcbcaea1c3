"""Safe file and table names from layer names (Japanese kept, path tricks removed)."""

from __future__ import annotations

import re
import unicodedata

_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_DOTS = re.compile(r"\.{2,}")
_SPACES = re.compile(r"\s+")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_file_name(name: str, default: str = "layer", max_bytes: int = 120) -> str:
    """A name usable as a file name on Windows, macOS and Linux, keeping Japanese characters.

    Path separators, ``..``, control and reserved characters become ``_``; leading dots are
    dropped (no hidden files); Windows device names get a ``_`` prefix; the UTF-8 length is
    capped without cutting a character in half.
    """
    text = unicodedata.normalize("NFC", str(name or ""))
    text = _FORBIDDEN.sub("_", text)
    text = _DOTS.sub("_", text)
    text = _SPACES.sub("_", text)
    text = re.sub("_{2,}", "_", text).strip(" ._")
    if text.split(".")[0].upper() in _RESERVED:
        text = "_" + text
    encoded = text.encode("utf-8")[:max_bytes]
    text = encoded.decode("utf-8", errors="ignore").rstrip(" ._")
    return text or default


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name_2``, ``name_3``… whichever is not in ``taken`` (case-insensitive)."""
    lowered = {t.lower() for t in taken}
    candidate, number = name, 1
    while candidate.lower() in lowered:
        number += 1
        candidate = f"{name}_{number}"
    return candidate
