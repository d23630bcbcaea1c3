"""Districts of a project that has no file yet: kept with the project, written beside it on save.

Until the project is saved its districts live in a temporary GeoPackage (the system's
temporary folder, never the home folder). When the project is saved, each such district
layer is written beside the project file (``districts.gpkg``, or ``<project>_districts.gpkg``
when a districts file of another project is already there; never replaced) and the layer is
pointed at it before the project file is written, so the saved project refers to the file
beside it. ``moved(path)`` tells where.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from qgis.core import QgsDataProvider, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QObject, pyqtSignal

from smartcity_qgis.layers.districts.layer import (
    DISTRICT_FILE_NAME,
    DistrictError,
    district_file,
    is_district_layer,
    open_district_layer,
    save_districts,
)

TEMPORARY_PROPERTY = "smartcity/districts_temporary"


def temporary_district_path() -> Path:
    """A new ``districts.gpkg`` in a folder of its own under the system's temporary folder."""
    return Path(tempfile.mkdtemp(prefix="smartcity-districts-")) / DISTRICT_FILE_NAME


def free_district_path(folder: Path, project_stem: str) -> Path:
    """``districts.gpkg`` in ``folder``, or a name no file has yet (an existing file is never replaced)."""
    candidates = [folder / DISTRICT_FILE_NAME, folder / f"{project_stem}_{DISTRICT_FILE_NAME}"]
    candidates += [folder / f"{project_stem}_districts_{n}.gpkg" for n in range(2, 100)]
    return next(path for path in candidates if not path.exists())


def copy_geopackage(source: Path, target: Path) -> None:
    """A consistent copy of a GeoPackage (SQLite's online backup; written beside, then renamed)."""
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(str(source))) as src, contextlib.closing(sqlite3.connect(partial)) as dst:
        src.backup(dst)
    partial.replace(target)


def _project_text(path: Path) -> str:
    """The XML of a .qgs, or of the .qgs inside a .qgz."""
    if path.suffix.lower() == ".qgz":
        with zipfile.ZipFile(path) as archive:
            name = next((n for n in archive.namelist() if n.endswith(".qgs")), None)
            return archive.read(name).decode("utf-8", "replace") if name else ""
    return path.read_text(encoding="utf-8", errors="replace")


class UnsavedProjectDistricts(QObject):
    """Keeps the districts of an unsaved project with it, and writes them beside it when it is saved."""

    moved = pyqtSignal(str, str)  # layer id, the GeoPackage beside the project
    failed = pyqtSignal(str)  # why the districts could not be written beside the project

    def __init__(self, project: QgsProject | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project or QgsProject.instance()
        self._left: list[Path] = []  # temporary files whose move must be checked after the save
        self.project.writeProject.connect(self._writing)
        self.project.projectSaved.connect(self._saved)

    def detach(self) -> None:
        for signal, slot in ((self.project.writeProject, self._writing), (self.project.projectSaved, self._saved)):
            with contextlib.suppress(TypeError):
                signal.disconnect(slot)

    def new_layer(self) -> QgsVectorLayer:
        """A district layer kept with the unsaved project (a temporary GeoPackage)."""
        layer = open_district_layer(temporary_district_path())
        layer.setCustomProperty(TEMPORARY_PROPERTY, True)
        return layer

    def temporary_layers(self) -> list[QgsVectorLayer]:
        return [
            layer
            for layer in self.project.mapLayers().values()
            if is_district_layer(layer) and layer.customProperty(TEMPORARY_PROPERTY, False)
        ]

    def _writing(self, *_args) -> None:
        """The project is being written (its file name is known): move the districts beside it.

        Runs before QGIS writes the layers into the project file (the layers then point at the
        new files); `_saved` checks that, should a QGIS version order it differently.
        """
        folder = self.project.absolutePath()
        if not folder:
            return
        stem = Path(self.project.fileName()).stem or "project"
        for layer in self.temporary_layers():
            source, _table = district_file(layer)
            try:
                if layer.isEditable() and layer.isModified():
                    save_districts(layer)  # the edit buffer goes with them
                target = free_district_path(Path(folder), stem)
                copy_geopackage(source, target)
            except (DistrictError, OSError, sqlite3.Error) as exc:
                self.failed.emit(str(exc))
                continue
            if layer.isEditable():
                layer.rollBack()
            options = QgsDataProvider.ProviderOptions()
            layer.setDataSource(layer.source().replace(str(source), str(target)), layer.name(), "ogr", options)
            layer.removeCustomProperty(TEMPORARY_PROPERTY)
            self._left.append(source)
            self.moved.emit(layer.id(), str(target))

    def _saved(self, *_args) -> None:
        left, self._left = self._left, []
        path = Path(self.project.fileName())
        if left and path.is_file():
            text = _project_text(path)
            if any(str(source.parent) in text for source in left):
                self.project.write()  # this QGIS wrote the layers first: once more, with the new sources
        for source in left:
            shutil.rmtree(source.parent, ignore_errors=True)
