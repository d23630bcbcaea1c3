"""JSON-LD terms as NGSI-LD brokers apply them: @context processing, IRI expansion and compaction.

Only what NGSI-LD needs of JSON-LD 1.1 (W3C Recommendation, "JSON-LD 1.1 Processing Algorithms"):
term definitions (simple and expanded, ``@id``, ``@prefix``), compact IRIs (``prefix:suffix``),
``@vocab``, and vocabulary-relative IRI expansion (§5.2) and compaction (§6.2, without the container
and type-mapping preferences of term selection, which NGSI-LD names never depend on). The core
context (ETSI GS CIM 009 Annex B) is processed first and its terms cannot be redefined (it is
``@protected``); a user context's own ``@vocab`` replaces the default one.

Remote contexts are fetched with a timeout and kept; copies of the core context and of the Smart Data
Models contexts the demo uses are shipped (``resources/jsonld``), so they never need the network.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections import OrderedDict
from pathlib import Path
from typing import Any

from smartcity_qgis import PLUGIN_DIR

CORE_CONTEXT_URL = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"
DEFAULT_VOCAB = "https://uri.etsi.org/ngsi-ld/default-context/"
LOCAL_DIR = PLUGIN_DIR / "resources" / "jsonld"
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
MAX_REMOTE_CONTEXTS = 32  # per request: a context that includes contexts that include ... stops here
_GEN_DELIMS = (":", "/", "?", "#", "[", "]", "@")
_IGNORED_KEYWORDS = ("@base", "@version", "@protected", "@language", "@direction", "@propagate", "@import")


class ContextError(Exception):
    """An @context that cannot be used: ``status`` and ``kind`` as the NGSI-LD API reports it."""

    def __init__(self, status: int, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.detail = detail


def _unavailable(detail: str) -> ContextError:
    return ContextError(503, "LdContextNotAvailable", detail)


def _invalid(detail: str) -> ContextError:
    return ContextError(400, "InvalidRequest", detail)


def is_keyword(value: str) -> bool:
    return value.startswith("@") and value[1:].isalpha()


class ActiveContext:
    """Term definitions in force: term -> IRI, the terms usable as prefixes, and ``@vocab``."""

    def __init__(self) -> None:
        self.terms: dict[str, str] = {}
        self.prefixes: dict[str, str] = {}
        self.vocab: str | None = None
        self.protected: frozenset[str] = frozenset()
        self._inverse: dict[str, str] | None = None
        self._compacted: dict[str, str] = {}
        self._lock = threading.Lock()

    def copy(self) -> ActiveContext:
        other = ActiveContext()
        other.terms = dict(self.terms)
        other.prefixes = dict(self.prefixes)
        other.vocab = self.vocab
        other.protected = self.protected
        return other

    # ------------------------------------------------------------ processing

    def process(self, local: dict[str, Any]) -> None:
        """Apply one local context (a JSON object of term definitions)."""
        if "@vocab" in local:
            vocab = local["@vocab"]
            if vocab is None:
                self.vocab = None
            elif isinstance(vocab, str):
                self.vocab = self.expand(vocab) if vocab else self.vocab
            else:
                raise _invalid("invalid @vocab mapping in the @context: it must be a string or null")
        defining: set[str] = set()
        for term in local:
            if not (is_keyword(term) and term in ("@vocab", *_IGNORED_KEYWORDS)):
                self._define(local, term, defining)
        self._inverse = None
        self._compacted = {}

    def _define(self, local: dict[str, Any], term: str, defining: set[str]) -> None:
        """JSON-LD's "create term definition", for the parts NGSI-LD uses (dependencies first)."""
        if term in defining:
            return
        defining.add(term)
        if not term or is_keyword(term):
            raise _invalid(f"invalid term definition in the @context: {term!r} is a keyword")
        value = local[term]
        simple = isinstance(value, str)
        if value is None or (isinstance(value, dict) and value.get("@id", "") is None):
            if term not in self.protected:
                self.terms.pop(term, None)
                self.prefixes.pop(term, None)
            return
        if isinstance(value, str):
            iri_text: str | None = value
            prefix_flag: bool | None = None
        elif isinstance(value, dict):
            iri_text = value.get("@id")
            prefix_flag = value.get("@prefix")
            if iri_text is not None and not isinstance(iri_text, str):
                raise _invalid(f"invalid IRI mapping for the term {term!r} in the @context")
        else:
            raise _invalid(f"invalid term definition for {term!r} in the @context: not a string or an object")
        # A prefix this definition refers to may be defined later in the same object: define it first.
        for text in (iri_text, term):
            if text and ":" in text:
                prefix = text.split(":", 1)[0]
                if prefix in local and prefix != term:
                    self._define(local, prefix, defining)
        if iri_text is not None:
            iri = iri_text if is_keyword(iri_text) else self.expand(iri_text)
        elif ":" in term:
            iri = self.expand(term)
        elif self.vocab is not None:
            iri = self.vocab + term
        else:
            raise _invalid(f"the term {term!r} has no IRI mapping and the @context has no @vocab")
        if term in self.protected:
            return  # the core context is protected: its terms keep their meaning
        self.terms[term] = iri
        usable_as_prefix = bool(prefix_flag) if prefix_flag is not None else simple and iri.endswith(_GEN_DELIMS)
        if usable_as_prefix and ":" not in term and not is_keyword(iri):
            self.prefixes[term] = iri
        else:
            self.prefixes.pop(term, None)

    # ------------------------------------------------------------ expansion and compaction

    def expand(self, value: str) -> str:
        """The IRI of a type or attribute name (vocabulary-relative IRI expansion)."""
        if is_keyword(value):
            return value
        iri = self.terms.get(value)
        if iri is not None:
            return iri
        if ":" in value:
            prefix, suffix = value.split(":", 1)
            if prefix == "_" or suffix.startswith("//"):
                return value  # an absolute IRI (or a blank node)
            base = self.prefixes.get(prefix)
            if base is not None:
                return base + suffix
            return value  # an absolute IRI of another scheme (urn:, mailto: ...)
        if self.vocab is not None:
            return self.vocab + value
        return value

    def _inverse_map(self) -> dict[str, str]:
        inverse = self._inverse
        if inverse is None:
            inverse = {}
            # The shortest term wins, then the lexicographically least (JSON-LD's inverse context order).
            for term in sorted(self.terms, key=lambda t: (len(t), t)):
                iri = self.terms[term]
                if not is_keyword(iri):
                    inverse.setdefault(iri, term)
            self._inverse = inverse
        return inverse

    def compact(self, iri: str) -> str:
        """The name an IRI takes under this context (vocabulary-relative IRI compaction)."""
        cached = self._compacted.get(iri)
        if cached is not None:
            return cached
        result = self._compact(iri)
        with self._lock:
            if len(self._compacted) > 50_000:
                self._compacted = {}
            self._compacted[iri] = result
        return result

    def _compact(self, iri: str) -> str:
        term = self._inverse_map().get(iri)
        if term is not None:
            return term
        vocab = self.vocab
        if vocab is not None and iri.startswith(vocab) and len(iri) > len(vocab):
            suffix = iri[len(vocab) :]
            if suffix not in self.terms:
                return suffix
        best: str | None = None
        for prefix, base in self.prefixes.items():
            if iri.startswith(base) and len(iri) > len(base):
                candidate = f"{prefix}:{iri[len(base) :]}"
                if candidate in self.terms and self.terms[candidate] != iri:
                    continue
                if best is None or (len(candidate), candidate) < (len(best), best):
                    best = candidate
        return best if best is not None else iri


def _read_local(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _unavailable(f"the local copy {path.name} of a JSON-LD context cannot be read: {exc}") from exc


def _local_index() -> dict[str, Path]:
    """URL -> file of the contexts shipped with the plugin (``resources/jsonld/index.json``)."""
    index = _read_local(LOCAL_DIR / "index.json")
    return {url: LOCAL_DIR / name for url, name in index.items()}


def _core() -> ActiveContext:
    document = _read_local(_local_index()[CORE_CONTEXT_URL])
    ctx = ActiveContext()
    ctx.process(document["@context"])
    ctx.protected = frozenset(ctx.terms)
    return ctx


CORE = _core()


class ContextLoader:
    """Turns the @context a client sends into an active context: remote documents fetched (with a
    timeout) and kept, shipped copies used for the contexts they cover, results reused."""

    def __init__(self, timeout: float = 5.0, max_cached: int = 256) -> None:
        self.timeout = timeout
        self.max_cached = max_cached
        self.local = _local_index()
        self._documents: OrderedDict[str, Any] = OrderedDict()
        self._active: OrderedDict[str, ActiveContext] = OrderedDict()
        self._lock = threading.Lock()
        self.fetched: list[str] = []  # URLs fetched over the network, oldest first (for the tests' eyes)

    def active(self, user: Any) -> ActiveContext:
        """The core context followed by ``user`` (a URL, a context object, or a list of them)."""
        if user is None:
            return CORE
        key = json.dumps(user, sort_keys=True, ensure_ascii=False)
        with self._lock:
            ctx = self._active.get(key)
            if ctx is not None:
                self._active.move_to_end(key)
                return ctx
        ctx = CORE.copy()
        self._apply(ctx, user, [0])
        with self._lock:
            self._active[key] = ctx
            while len(self._active) > self.max_cached:
                self._active.popitem(last=False)
        return ctx

    def _apply(self, ctx: ActiveContext, value: Any, remote: list[int]) -> None:
        if value is None:
            fresh = CORE.copy()  # null resets to the initial context, which NGSI-LD makes the core one
            ctx.terms, ctx.prefixes, ctx.vocab = fresh.terms, fresh.prefixes, fresh.vocab
        elif isinstance(value, list):
            for item in value:
                self._apply(ctx, item, remote)
        elif isinstance(value, str):
            remote[0] += 1
            if remote[0] > MAX_REMOTE_CONTEXTS:
                raise _invalid(f"the @context refers to more than {MAX_REMOTE_CONTEXTS} remote contexts")
            self._apply(ctx, self.document(value), remote)
        elif isinstance(value, dict):
            ctx.process(value)
        else:
            raise _invalid("invalid local context: an @context entry must be a URL, an object or a list")

    def document(self, url: str) -> Any:
        """The ``@context`` member of the context document at ``url``."""
        with self._lock:
            if url in self._documents:
                self._documents.move_to_end(url)
                return self._documents[url]
        path = self.local.get(url)
        data = _read_local(path) if path is not None else self._fetch(url)
        if not isinstance(data, dict) or "@context" not in data:
            raise _invalid(f"the document at {url} is not a JSON-LD context (it has no @context member)")
        value = data["@context"]
        with self._lock:
            self._documents[url] = value
            while len(self._documents) > self.max_cached:
                self._documents.popitem(last=False)
        return value

    def _fetch(self, url: str) -> Any:
        if not url.startswith(("http://", "https://")):
            raise ContextError(400, "BadRequestData", f"the @context {url!r} is not an http:// or https:// URL")
        request = urllib.request.Request(url, headers={"Accept": "application/ld+json, application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as resp:
                raw = resp.read(MAX_DOCUMENT_BYTES + 1)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise _unavailable(f"the @context {url} could not be retrieved: {exc}") from exc
        self.fetched.append(url)
        if len(raw) > MAX_DOCUMENT_BYTES:
            raise _invalid(f"the @context {url} is larger than {MAX_DOCUMENT_BYTES} bytes")
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise _invalid(f"the @context {url} is not JSON: {exc}") from exc
