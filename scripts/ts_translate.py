#!/usr/bin/env python3
"""Fill Japanese translations into i18n/smartcity_qgis_ja.ts.

usage: scripts/ts_translate.py FILE.tsv [FILE.tsv ...]
Each TSV line is ``source<TAB>translation`` (``\\n`` and ``\\t`` escaped). Messages whose
source matches get the translation and lose their "unfinished" mark. Prints the sources
still unfinished. Takes the same lock as scripts/i18n.sh.
"""

from __future__ import annotations

import fcntl
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TS = Path(__file__).resolve().parent.parent / "i18n" / "smartcity_qgis_ja.ts"


def unescape(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\t", "\t")


def load(paths: list[str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            source, _, translation = line.partition("\t")
            if translation:
                table[unescape(source)] = unescape(translation)
    return table


def main(argv: list[str]) -> int:
    table = load(argv)
    with open(TS.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        tree = ET.parse(TS)
        unfinished = []
        for message in tree.getroot().iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            if source in table:
                translation.text = table[source]
                translation.attrib.pop("type", None)
            if translation.get("type") == "unfinished" or not (translation.text or "").strip():
                unfinished.append(source)
        ET.indent(tree, space="    ")
        body = ET.tostring(tree.getroot(), encoding="unicode")
        TS.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")
    for source in unfinished:
        print("unfinished:", source.replace("\n", "\\n"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
