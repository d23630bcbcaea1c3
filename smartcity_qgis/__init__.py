"""SmartCity QGIS: city-OS data, people flow, hazards and planning figures for QGIS.

The sub-packages ``cityos_client``, ``cityos_sim`` and ``analysis`` are pure Python
(no ``qgis`` import) and usable on their own; the others need QGIS.
"""

from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def plugin_version() -> str:
    """The version declared in metadata.txt."""
    for line in (PLUGIN_DIR / "metadata.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("version="):
            return line.split("=", 1)[1].strip()
    return "0"
