"""UN/CEFACT unit codes (NGSI ``unitCode``) to the symbols shown to users."""

from __future__ import annotations

# Common Recommendation 20 codes met in the Smart Data Models and city-OS payloads.
_SYMBOLS = {
    "MTR": "m",
    "CMT": "cm",
    "MMT": "mm",
    "KMT": "km",
    "CEL": "°C",
    "FAH": "°F",
    "KEL": "K",
    "P1": "%",
    "A86": "GHz",
    "HTZ": "Hz",
    "A97": "hPa",
    "PAL": "Pa",
    "MBR": "mbar",
    "GQ": "µg/m³",
    "GP": "mg/m³",
    "59": "ppm",
    "61": "ppb",
    "MQS": "m³/s",
    "MQH": "m³/h",
    "LTR": "L",
    "MTS": "m/s",
    "KMH": "km/h",
    "DD": "°",
    "KGM": "kg",
    "GRM": "g",
    "WTT": "W",
    "KWT": "kW",
    "KWH": "kWh",
    "VLT": "V",
    "AMP": "A",
    "LUX": "lx",
    "SEC": "s",
    "MIN": "min",
    "HUR": "h",
    "DAY": "d",
    "C62": "",
    "IE": "人",
    "E50": "",
    "MMH": "mm/h",  # not in Rec 20 but used by rainfall sensors
    "H67": "mm/h",
    "2N": "dB",
}


def unit_symbol(code: str | None) -> str:
    """The symbol for a unit code; unknown codes are shown as they are."""
    if not code:
        return ""
    return _SYMBOLS.get(code.strip(), code.strip())
