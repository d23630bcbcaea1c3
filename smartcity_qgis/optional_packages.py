"""Python packages the plugin can do without, and what to tell a user who needs one.

QGIS for Windows (the standalone installer and OSGeo4W) ships numpy, shapely, requests and
matplotlib but not paho-mqtt, geopandas or rasterio. The plugin loads without them; a feature
that needs one says which package and how to install it (the OSGeo4W shell, or pip into the
user's QGIS profile with their consent), never with a traceback.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

from smartcity_qgis.i18n import tr

# package (as pip names it) -> (module to import, Debian package)
OPTIONAL = {
    "paho-mqtt": ("paho.mqtt.client", "python3-paho-mqtt"),
    "geopandas": ("geopandas", "python3-geopandas"),
    "rasterio": ("rasterio", "python3-rasterio"),
}
PROFILE_PACKAGES = "smartcity_packages"  # folder of the QGIS profile where consented installs go


class MissingPackageError(ValueError):
    """A feature needs a package this Python does not have; the message says how to install it."""

    def __init__(self, package: str, message: str) -> None:
        super().__init__(message)
        self.package = package


def features(package: str) -> str:
    """What needs ``package``, in the user's language."""
    return {
        "paho-mqtt": tr("MQTT push (live layers over MQTT)"),
        "geopandas": tr("GeoDataFrames of city OS entities (notebooks)"),
        "rasterio": tr("GeoTIFF heatmaps and hazard exposure from rasters"),
    }[package]


def available(package: str) -> bool:
    """Whether ``package`` can be imported here (an import that fails for any reason counts as missing)."""
    try:
        importlib.import_module(OPTIONAL[package][0])
    except Exception:  # ImportError, or a broken install raising something else
        return False
    return True


def install_hint(package: str) -> str:
    """Which package a feature needs and how to install it, for the user."""
    return tr(
        "{0} needs the Python package {1}, which this QGIS does not have. On Windows, open the OSGeo4W Shell (Start menu, QGIS folder) and run: python -m pip install {1} — or use SmartCity ▸ Install optional packages… to install it into your QGIS profile. On Debian or Ubuntu: sudo apt install {2}. Then restart QGIS."  # noqa: E501
    ).format(features(package), package, OPTIONAL[package][1])


def require(package: str) -> None:
    """Raise `MissingPackageError` with the install hint unless ``package`` is importable."""
    if not available(package):
        raise MissingPackageError(package, install_hint(package))


def missing() -> list[str]:
    """The optional packages this Python lacks."""
    return [name for name in OPTIONAL if not available(name)]


def profile_packages_dir() -> Path:
    """Where packages installed with the user's consent go: a folder of the QGIS profile."""
    from qgis.core import QgsApplication

    return Path(QgsApplication.qgisSettingsDirPath()) / "python" / PROFILE_PACKAGES


def add_profile_packages_to_path() -> None:
    """Make the packages installed into the profile importable (plugin start)."""
    folder = profile_packages_dir()
    if folder.is_dir() and str(folder) not in sys.path:
        sys.path.append(str(folder))


def pip_install_command(packages: list[str], target: Path) -> list[str]:
    """The pip command installing ``packages`` into ``target`` with this QGIS's Python."""
    python = Path(sys.executable)
    if python.name.lower().startswith("qgis"):  # on Windows sys.executable is qgis-bin.exe
        python = Path(sys.exec_prefix) / ("python.exe" if sys.platform == "win32" else "bin/python3")
    return [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--target", str(target), *packages]


def install_into_profile(packages: list[str]) -> tuple[bool, str]:
    """Run pip (only after the user agreed); returns (ok, pip's last lines). Blocks: run it in a task."""
    target = profile_packages_dir()
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(pip_install_command(packages, target), capture_output=True, text=True, check=False)
    tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-5:])
    if done.returncode == 0:
        add_profile_packages_to_path()
    return done.returncode == 0, tail
