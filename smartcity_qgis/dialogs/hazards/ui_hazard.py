"""Menu entries for hazards: "Add hazard layer…" and the hazard / base map tiles submenu."""

from __future__ import annotations

import contextlib
import html
from pathlib import Path

from qgis.core import Qgis, QgsProject, QgsSettings
from qgis.PyQt.QtWidgets import QFileDialog

from smartcity_qgis.dialogs.plugin_ui import PluginUI
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.hazards.files import HazardFileError, load_hazard_file
from smartcity_qgis.layers.hazards.tiles import TILE_SOURCES, tile_access, tile_layer, tile_title

LAST_FOLDER_KEY = "smartcity/hazard/last_folder"


def add_hazard_files(paths: list[str], iface, project: QgsProject | None = None) -> int:
    """Load hazard files into the project; report refusals in the message bar. Returns layers added."""
    project = project or QgsProject.instance()
    added = 0
    bar = iface.messageBar() if iface is not None else None
    for path in paths:
        try:
            result = load_hazard_file(path)
        except HazardFileError as exc:
            if bar is not None:
                bar.pushMessage(tr("Hazard file"), str(exc), Qgis.MessageLevel.Warning, 0)
            continue
        except OSError as exc:
            if bar is not None:
                bar.pushMessage(
                    tr("Hazard file"), tr("{0} could not be read: {1}").format(path, exc), Qgis.MessageLevel.Warning, 0
                )
            continue
        for layer in result.layers:
            project.addMapLayer(layer)
            added += 1
        if result.skipped and bar is not None:
            bar.pushMessage(
                tr("Hazard file"),
                tr("Some files in {0} were not hazard layers: {1}").format(Path(path).name, " / ".join(result.skipped)),
                Qgis.MessageLevel.Info,
                10,
            )
    return added


def choose_hazard_files(iface) -> None:
    """Ask for hazard files and add them."""
    settings = QgsSettings()
    folder = settings.value(LAST_FOLDER_KEY, str(Path.home()), type=str)
    paths, _filter = QFileDialog.getOpenFileNames(
        iface.mainWindow(),
        tr("Add hazard layer"),
        folder,
        tr("国土数値情報 hazard files (*.shp *.zip *.geojson *.json);;All files (*)"),
    )
    if not paths:
        return
    settings.setValue(LAST_FOLDER_KEY, str(Path(paths[0]).parent))
    added = add_hazard_files(paths, iface)
    if added:
        iface.messageBar().pushMessage(
            tr("Hazard file"), tr("Added {0} hazard layer(s).").format(added), Qgis.MessageLevel.Success, 5
        )


def add_tile_layer(key: str, project: QgsProject | None = None):
    """Add one hazard or base map tile layer; base maps go to the bottom of the layer tree."""
    project = project or QgsProject.instance()
    layer = tile_layer(key)
    if TILE_SOURCES[key].hazard:
        project.addMapLayer(layer)
    else:
        project.addMapLayer(layer, False)
        project.layerTreeRoot().insertLayer(-1, layer)
    tile_access().check([layer])  # a server without network is told once (see tell_tiles_unreachable)
    return layer


def tiles_unreachable_text(host: str, names: list[str]) -> str:
    """What the user is told when a tile server cannot be reached (plain text)."""
    return tr(
        "The tile server {0} cannot be reached: there is no internet connection, or a proxy blocks it "
        "(Settings ▸ Options ▸ Network). {1} stay blank until the network is back."
    ).format(host, "、".join(names))


def tell_tiles_unreachable(iface):
    """A slot for `TileAccessCheck.unreachable` pushing one message to QGIS's message bar."""

    def tell(host: str, names: list) -> None:
        iface.messageBar().pushMessage(
            tr("Tiles"), html.escape(tiles_unreachable_text(host, list(names))), Qgis.MessageLevel.Warning, 0
        )

    return tell


def contribute(ui: PluginUI) -> None:
    tell = tell_tiles_unreachable(ui.iface)
    tile_access().unreachable.connect(tell)

    def stop() -> None:
        with contextlib.suppress(TypeError):
            tile_access().unreachable.disconnect(tell)

    ui.on_unload(stop)
    ui.add_action(
        tr("Add hazard layer…"),
        lambda: choose_hazard_files(ui.iface),
        icon_name="hazard.svg",
        object_name="SmartCityAddHazardLayer",
    )
    tiles_menu = ui.menu.addMenu(tr("Add hazard/base map tiles"))
    tiles_menu.setObjectName("SmartCityTilesMenu")
    previous_hazard = True
    for key, source in TILE_SOURCES.items():
        if previous_hazard and not source.hazard:
            tiles_menu.addSeparator()
        previous_hazard = source.hazard
        ui.add_action(
            tile_title(key),
            lambda key=key: add_tile_layer(key),
            icon_name="hazard.svg" if source.hazard else None,
            object_name=f"SmartCityTiles_{key}",
            menu=tiles_menu,
        )
