"""PDF text that extracts as the characters written.

Qt's PDF writer maps each glyph of an embedded font back to *one* Unicode character for the PDF's
text layer (the ToUnicode CMap), and it takes the lowest code point that the font maps to that
glyph. CJK fonts such as Noto Sans CJK JP draw 人 (U+4EBA) and the Kangxi radical ⼈ (U+2F08) with
the same glyph, and ・ (U+30FB) and the hyphenation point ‧ (U+2027) too: the printed page is
right, but copying, searching, screen readers and accessibility checks read ⼈流 for 人流.

`repair_pdf_text` rewrites those CMaps: for a glyph that several code points share, the text layer
gets the code point a Japanese document means (a CJK ideograph, kana or full-width form rather
than a radical or Western punctuation). The fix is appended as an incremental update, so the
pages and their drawing are left byte for byte as QGIS wrote them.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterable
from pathlib import Path

from qgis.PyQt.QtGui import QFont, QRawFont

# Where the code points a Japanese text means live; a glyph shared with one of these is read as it.
_PREFERRED = (
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0x3400, 0x4DBF),  # extension A
    (0x20000, 0x2FFFF),  # extensions B and later
    (0x3000, 0x30FF),  # CJK punctuation, hiragana, katakana
    (0xFF00, 0xFFEF),  # full-width forms
)
# Never chosen while another code point shares the glyph: radicals and compatibility ideographs.
_AVOIDED = ((0x2E80, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))


def _in(cp: int, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


def _rank(cp: int) -> int:
    if _in(cp, _PREFERRED):
        return 0
    if _in(cp, _AVOIDED):
        return 2
    return 1


def parse_cmap_table(table: bytes) -> dict[int, int]:
    """Code point → glyph id from an OpenType ``cmap`` table (formats 4 and 12, Unicode subtables)."""
    mapping: dict[int, int] = {}
    if len(table) < 4:
        return mapping
    _version, count = struct.unpack_from(">HH", table, 0)
    subtables = []
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", table, 4 + 8 * i)
        if (platform, encoding) in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3)):
            subtables.append(offset)
    for offset in subtables:
        fmt = struct.unpack_from(">H", table, offset)[0]
        if fmt == 12:
            n_groups = struct.unpack_from(">I", table, offset + 12)[0]
            for g in range(n_groups):
                start, end, glyph = struct.unpack_from(">III", table, offset + 16 + 12 * g)
                for cp in range(start, end + 1):
                    mapping.setdefault(cp, glyph + cp - start)
        elif fmt == 4:
            seg_x2 = struct.unpack_from(">H", table, offset + 6)[0]
            ends = offset + 14
            starts = ends + seg_x2 + 2
            deltas = starts + seg_x2
            ranges = deltas + seg_x2
            for s in range(seg_x2 // 2):
                end = struct.unpack_from(">H", table, ends + 2 * s)[0]
                start = struct.unpack_from(">H", table, starts + 2 * s)[0]
                delta = struct.unpack_from(">h", table, deltas + 2 * s)[0]
                range_offset = struct.unpack_from(">H", table, ranges + 2 * s)[0]
                for cp in range(start, min(end, 0xFFFE) + 1):
                    if range_offset == 0:
                        glyph = (cp + delta) & 0xFFFF
                    else:
                        at = ranges + 2 * s + range_offset + 2 * (cp - start)
                        glyph = struct.unpack_from(">H", table, at)[0]
                        glyph = (glyph + delta) & 0xFFFF if glyph else 0
                    if glyph:
                        mapping.setdefault(cp, glyph)
    return mapping


def preferred_code_points(cmap: dict[int, int]) -> dict[int, int]:
    """For every code point that shares its glyph with a better one: code point → the better one."""
    by_glyph: dict[int, list[int]] = {}
    for cp, glyph in cmap.items():
        by_glyph.setdefault(glyph, []).append(cp)
    better: dict[int, int] = {}
    for cps in by_glyph.values():
        if len(cps) < 2:
            continue
        best = min(cps, key=lambda cp: (_rank(cp), cp))
        if _rank(best) == 0:
            for cp in cps:
                # Below U+2000 (Latin, Greek, Cyrillic, Hangul jamo ...) a character is what it says.
                if cp != best and _rank(cp) > 0 and cp >= 0x2000:
                    better[cp] = best
    return better


def font_aliases(families: Iterable[str]) -> dict[str, dict[int, int]]:
    """Per font (normalised family name of the font Qt really uses): code point → preferred one."""
    out: dict[str, dict[int, int]] = {}
    for family in families:
        for bold in (False, True):
            font = QFont(family)
            font.setBold(bold)
            raw = QRawFont.fromFont(font)
            if not raw.isValid():
                continue
            key = _normalise(raw.familyName())
            if key in out:
                continue
            out[key] = preferred_code_points(parse_cmap_table(bytes(raw.fontTable(b"cmap"))))
    return out


def _normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


_HEX = re.compile(rb"<([0-9A-Fa-f]{4,8})>")


def _decode(hex_bytes: bytes) -> int | None:
    text = bytes.fromhex(hex_bytes.decode()).decode("utf-16-be", errors="strict") if len(hex_bytes) % 4 == 0 else ""
    return ord(text) if len(text) == 1 else None


def _encode(cp: int) -> bytes:
    return b"<" + chr(cp).encode("utf-16-be").hex().upper().encode() + b">"


def repair_cmap(cmap: bytes, better: dict[int, int]) -> tuple[bytes, int]:
    """A ToUnicode CMap with each destination replaced by its preferred code point; and how many."""
    changed = 0

    def fix_destinations(block: bytes) -> bytes:
        nonlocal changed

        def one(match: re.Match) -> bytes:
            nonlocal changed
            cp = _decode(match.group(1))
            if cp is not None and cp in better:
                changed += 1
                return _encode(better[cp])
            return match.group(0)

        return _HEX.sub(one, block)

    def bfchar(match: re.Match) -> bytes:
        lines = []
        for line in match.group(2).split(b"\n"):
            parts = _HEX.findall(line)
            if len(parts) == 2:
                line = line.replace(b"<" + parts[1] + b">", fix_destinations(b"<" + parts[1] + b">"), 1)
            lines.append(line)
        return match.group(1) + b"\n".join(lines) + match.group(3)

    def bfrange(match: re.Match) -> bytes:
        lines = []
        for line in match.group(2).split(b"\n"):
            head = re.match(rb"\s*<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*", line)
            if head and b"[" in line:  # <lo> <hi> [<dst> ...]: every destination is its own
                line = line[: head.end()] + fix_destinations(line[head.end() :])
            elif head:  # <lo> <hi> <dst>: consecutive code points; only a one-glyph range can change
                parts = _HEX.findall(line)
                if len(parts) == 3 and parts[0].lower() == parts[1].lower():
                    line = line[: head.end()] + fix_destinations(line[head.end() :])
            lines.append(line)
        return match.group(1) + b"\n".join(lines) + match.group(3)

    cmap = re.sub(rb"(beginbfchar)(.*?)(endbfchar)", bfchar, cmap, flags=re.S)
    cmap = re.sub(rb"(beginbfrange)(.*?)(endbfrange)", bfrange, cmap, flags=re.S)
    return cmap, changed


def _latest_object(data: bytes, number: int) -> tuple[int, int] | None:
    """Start and end of the newest definition of object ``number`` (incremental updates come later)."""
    found = list(re.finditer(rb"(?<![0-9])%d 0 obj\b" % number, data))
    if not found:
        return None
    start = found[-1].start()
    end = data.find(b"endobj", start)
    return (start, end + len(b"endobj")) if end > 0 else None


def _stream(data: bytes, span: tuple[int, int]) -> tuple[bytes, bytes] | None:
    """Dictionary and decoded content of a stream object."""
    body = data[span[0] : span[1]]
    at = body.find(b"stream")
    if at < 0:
        return None
    dictionary = body[:at]
    length = re.search(rb"/Length\s+(\d+)(\s+0\s+R)?", dictionary)
    if length is None:
        return None
    size = int(length.group(1))
    if length.group(2):  # indirect length
        ref = _latest_object(data, size)
        if ref is None:
            return None
        size = int(re.search(rb"obj\s+(\d+)", data[ref[0] : ref[1]]).group(1))
    content_start = at + len(b"stream")
    if body[content_start : content_start + 2] == b"\r\n":
        content_start += 2
    elif body[content_start : content_start + 1] in (b"\n", b"\r"):
        content_start += 1
    content = body[content_start : content_start + size]
    if b"/FlateDecode" in dictionary:
        content = zlib.decompress(content)
    elif b"/Filter" in dictionary:
        return None  # a filter Qt does not write: leave it alone
    return dictionary, content


def _font_of_cmap(data: bytes, cmap_number: int) -> str:
    """The base font name of the font whose ToUnicode is ``cmap_number`` (without a subset tag)."""
    for match in re.finditer(rb"/ToUnicode\s+%d\s+0\s+R" % cmap_number, data):
        start = data.rfind(b" obj", 0, match.start())
        name = re.search(rb"/BaseFont\s*/([^\s/<>\[\]]+)", data[start : match.end() + 200])
        if name:
            return re.sub(r"^[A-Z]{6}\+", "", name.group(1).decode("latin-1"))
    return ""


def _last_startxref(data: bytes) -> int:
    return int(re.findall(rb"startxref\s+(\d+)", data)[-1])


def _trailer_values(data: bytes) -> dict[str, bytes]:
    trailer = data[data.rfind(b"trailer") :]
    values = {}
    for key in (b"Root", b"Info"):
        m = re.search(rb"/" + key + rb"\s+(\d+\s+\d+\s+R)", trailer)
        if m:
            values[key.decode()] = m.group(1)
    size = re.search(rb"/Size\s+(\d+)", trailer)
    values["Size"] = size.group(1) if size else b"0"
    return values


def repair_pdf_text(path: str | Path, families: Iterable[str]) -> int:
    """Rewrite the text layer of the PDF at ``path`` so its CJK text extracts as written.

    ``families`` are the font families the document was drawn with. Returns the number of glyph
    mappings changed (0 leaves the file untouched).
    """
    path = Path(path)
    data = path.read_bytes()
    aliases = font_aliases(families)
    if not aliases:
        return 0
    updates: list[tuple[int, bytes]] = []
    total = 0
    for number in sorted({int(n) for n in re.findall(rb"/ToUnicode\s+(\d+)\s+0\s+R", data)}):
        base = _normalise(_font_of_cmap(data, number))
        better = next((table for family, table in aliases.items() if family and base.startswith(family)), None)
        if not better:
            continue
        span = _latest_object(data, number)
        stream = span and _stream(data, span)
        if not stream:
            continue
        content, changed = repair_cmap(stream[1], better)
        if changed:
            total += changed
            updates.append((number, content))
    if not updates:
        return 0
    # An incremental update: the new CMaps, a cross-reference section for them and a trailer that
    # points back to the previous one. Everything QGIS wrote stays as it was.
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets = []
    for number, content in updates:
        offsets.append((number, len(out)))
        out += b"%d 0 obj\n<< /Length %d >>\nstream\n" % (number, len(content))
        out += content + b"\nendstream\nendobj\n"
    xref_at = len(out)
    out += b"xref\n"
    for number, offset in offsets:
        out += b"%d 1\n%010d 00000 n \n" % (number, offset)
    trailer = _trailer_values(data)
    out += b"trailer\n<< /Size " + trailer["Size"]
    for key in ("Root", "Info"):
        if key in trailer:
            out += b" /" + key.encode() + b" " + trailer[key]
    out += b" /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (_last_startxref(data), xref_at)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(bytes(out))
    tmp.replace(path)
    return total
