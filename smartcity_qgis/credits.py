"""Credits that are true: each layer's source and licence from its metadata, each printed once.

A layer's credit lives in its metadata: the rights (the source, with or without a leading
「出典：」) and the licences. Sources are kept bare here and a figure puts one 「出典：」 in front
of the whole line, so no line reads 「出典：出典：」. A layer of synthetic data (custom property
``smartcity/synthetic``, or a credit that says 合成 / synthetic) is credited as synthetic and
never as the official source whose format it copies: its credit lines that do not say so are
dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from qgis.core import QgsLayerMetadata, QgsMapLayer

from smartcity_qgis.i18n import tr

SYNTHETIC_PROPERTY = "smartcity/synthetic"
# 出典 / Source prefixes as they appear in credit lines (full-width or ASCII colon, or a space).
_PREFIX = re.compile(r"^\s*(?:出典|Sources?|Credits?)\s*[：:]\s*", re.IGNORECASE)
SYNTHETIC_WORDS = ("合成", "架空", "synthetic", "simulated", "not real")


def bare_source(text: str) -> str:
    """``text`` without any leading 「出典：」 or "Source:" (repeated ones too)."""
    text = str(text or "").strip()
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def says_synthetic(text: str) -> bool:
    """True when a credit text says the data is synthetic."""
    lowered = str(text or "").lower()
    return any(word in lowered for word in SYNTHETIC_WORDS)


def _attribution(layer: QgsMapLayer) -> str:
    properties = getattr(layer, "serverProperties", None)
    if properties is not None and hasattr(properties(), "attribution"):
        return properties().attribution() or ""
    return layer.attribution() if hasattr(layer, "attribution") else ""


def _texts(layer: QgsMapLayer) -> list[str]:
    return [t for t in (*layer.metadata().rights(), _attribution(layer)) if str(t or "").strip()]


def is_synthetic(layer: QgsMapLayer) -> bool:
    """Whether ``layer`` holds synthetic data (marked so, or credited as such)."""
    flag = str(layer.customProperty(SYNTHETIC_PROPERTY, "")).lower() in ("1", "true", "yes")
    return flag or any(says_synthetic(t) for t in _texts(layer))


def set_layer_credit(
    layer: QgsMapLayer, source: str, licence: str = "", synthetic: bool = False, keep_other: bool = False
) -> None:
    """Write ``source`` (and ``licence``) into the layer's metadata; mark synthetic data as such.

    ``keep_other`` keeps the other rights lines the metadata already had (after this one).
    """
    metadata = QgsLayerMetadata(layer.metadata())
    others = [r for r in metadata.rights() if bare_source(r) != bare_source(source)] if keep_other else []
    metadata.setRights([source, *others])
    if licence:
        metadata.setLicenses([licence])
    layer.setMetadata(metadata)
    if synthetic:
        layer.setCustomProperty(SYNTHETIC_PROPERTY, True)


def layer_credit_lines(layer: QgsMapLayer) -> list[str]:
    """The credit lines of one layer: its sources (bare), each with its licence when it has one."""
    texts = [bare_source(t) for t in _texts(layer)]
    if is_synthetic(layer):
        texts = [t for t in texts if says_synthetic(t)] or [tr("Synthetic demo data (not real observations)")]
    licences = [str(lic).strip() for lic in layer.metadata().licenses() if str(lic).strip()]
    if licences and texts:
        texts[0] = tr("{0} (licence: {1})").format(texts[0], "、".join(licences))
    return texts


def credit_lines(layers: Iterable[QgsMapLayer]) -> list[str]:
    """The credit lines of ``layers``, each source once, in layer order."""
    lines: list[str] = []
    seen: set[str] = set()
    for layer in layers:
        if layer is None:
            continue
        for line in layer_credit_lines(layer):
            key = re.sub(r"\s+", "", line)
            if key and key not in seen:
                seen.add(key)
                lines.append(line)
    return lines


def credit_text(layers: Sequence[QgsMapLayer]) -> str:
    """One credit line for a figure: 「出典：A ／ B」 (one prefix, each source once)."""
    lines = credit_lines(layers)
    if not lines:
        return tr("Sources: not recorded in the layers' metadata")
    return tr("Sources: {0}").format(" ／ ".join(lines))


def synthetic_note(layer: QgsMapLayer, sample: int = 20) -> str:
    """A text attribute of the layer's first features saying the data is synthetic ("" if none).

    Synthetic demo files say so in their rows (e.g. a ``NOTE`` field 「合成データ：…」).
    """
    from qgis.core import QgsFeatureRequest, QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    if not isinstance(layer, QgsVectorLayer):
        return ""
    text_fields = [f.name() for f in layer.fields() if f.type() == QVariant.String]
    if not text_fields:
        return ""
    request = QgsFeatureRequest().setLimit(sample).setFlags(QgsFeatureRequest.Flag.NoGeometry)
    for feature in layer.getFeatures(request):
        for name in text_fields:
            value = feature[name]
            if isinstance(value, str) and says_synthetic(value):
                return value.strip()
    return ""
