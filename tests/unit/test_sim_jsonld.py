"""JSON-LD term expansion and compaction of the embedded city OS, case by case (JSON-LD 1.1
Processing Algorithms §4.2 create term definition, §5.2 IRI expansion, §6.2 IRI compaction, with the
NGSI-LD core context first and protected)."""

from __future__ import annotations

import pytest

from smartcity_qgis.cityos_sim.jsonld import CORE, ContextError, ContextLoader
from smartcity_qgis.cityos_sim.ld_names import LdNames, stored_name

NGSI = "https://uri.etsi.org/ngsi-ld/"
DEFAULT = NGSI + "default-context/"


@pytest.fixture(scope="module")
def loader():
    return ContextLoader(timeout=1.0)


@pytest.mark.parametrize(
    ("term", "iri"),
    [
        ("location", NGSI + "location"),  # a core term
        ("waterLevel", DEFAULT + "waterLevel"),  # the core's @vocab: the default context
        ("ngsi-ld:foo", NGSI + "foo"),  # a compact IRI through a core prefix
        ("https://example.city/x#y", "https://example.city/x#y"),  # absolute
        ("urn:ngsi-ld:Thing", "urn:ngsi-ld:Thing"),  # another scheme
        ("description", "http://purl.org/dc/terms/description"),
    ],
)
def test_core_expansion_and_back(term, iri):
    assert CORE.expand(term) == iri
    assert CORE.compact(iri) == term


def test_a_user_context_over_the_core(loader):
    ctx = loader.active(
        {
            "@vocab": "https://example.city/vocab/",
            "level": "w:level",  # uses a prefix defined further down the same object
            "w": "https://example.city/water#",
            "lvl": "https://example.city/water#level",  # a second, shorter term for the same IRI
            "location": "https://example.city/not-the-core-location",  # the core is protected
            "Gauge": {"@id": "w:Gauge"},
        }
    )
    assert ctx.expand("level") == "https://example.city/water#level"
    assert ctx.expand("unknown") == "https://example.city/vocab/unknown"  # the user's @vocab wins
    assert ctx.expand("location") == NGSI + "location"
    assert ctx.expand("Gauge") == "https://example.city/water#Gauge"
    # two terms for one IRI: the shortest (then lexicographically least) compacts it
    assert ctx.compact("https://example.city/water#level") == "lvl"
    assert ctx.compact("https://example.city/water#depth") == "w:depth"  # a compact IRI
    assert ctx.compact("https://example.city/vocab/unknown") == "unknown"
    # a default-context name is no longer reachable through @vocab: it stays an IRI or a core compact IRI
    assert ctx.compact(DEFAULT + "note") == "ngsi-ld:default-context/note"


def test_a_compact_iri_never_shadows_a_term(loader):
    ctx = loader.active({"w": "https://example.city/water#", "w:depth": "https://example.city/other#depth"})
    assert ctx.compact("https://example.city/water#depth") == "https://example.city/water#depth"
    assert ctx.compact("https://example.city/other#depth") == "w:depth"


def test_null_resets_to_the_core_context(loader):
    ctx = loader.active([{"level": "https://example.city/water#level"}, None])
    assert ctx.expand("level") == DEFAULT + "level"


def test_stored_names_and_request_names():
    assert stored_name(DEFAULT + "waterLevel") == "waterLevel"
    assert stored_name(NGSI + "location") == "location"
    assert stored_name("https://example.city/water#level") == "https://example.city/water#level"
    assert stored_name(NGSI + "foo") == NGSI + "foo"  # the core writes it ngsi-ld:foo, not a plain term
    names = LdNames(CORE.copy(), {"level": "https://example.city/water#level"})
    names.ctx.process({"level": "https://example.city/water#level"})
    assert names.stored("level") == "https://example.city/water#level"
    assert names.stored("type") == "type" and names.stored("id") == "id"  # keyword aliases stay
    assert names.shown("https://example.city/water#level") == "level"
    assert names.shown("waterLevel") == "waterLevel"


@pytest.mark.parametrize(
    ("context", "kind"),
    [
        ({"@vocab": 3}, "InvalidRequest"),
        ({"level": 42}, "InvalidRequest"),
        ({"@id": "x"}, "InvalidRequest"),  # a keyword is no term
        ("ftp://example.city/context.jsonld", "BadRequestData"),
    ],
)
def test_refused_contexts(loader, context, kind):
    with pytest.raises(ContextError) as err:
        loader.active(context)
    assert err.value.kind == kind and err.value.status == 400
