"""Local GeoPackage snapshots of entity layers, and their restoration when a project opens.

When a project is saved, each entity layer is copied to
``<project folder>/<project name>_cityos/<type>_<kind>_<hash>.gpkg`` (or, if that
folder cannot be written, the profile's ``smartcity/snapshots/`` folder). The
copy is written to a temporary file and moved into place, so a failed save
leaves the previous snapshot intact. When the project is read again, the
entity layers (memory layers, empty at that point) are filled from their
snapshots and marked stale; layers that were live resume live mode, which
catches up with the city OS as soon as it answers.

The project file itself holds only the layers' source description (connection
name, URL, type, query): never a secret.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsApplication,
    QgsFeature,
    QgsMessageLog,
    QgsProject,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QObject, QTimer

from smartcity_qgis.cityos_client.names import short_name
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.entity_layer_meta import LayerMeta, is_entity_layer, is_stale, mark_offline
from smartcity_qgis.layers.cityos.live import LiveLayerUpdater

LOG_TAG = "SmartCity"


def snapshot_file_name(meta: LayerMeta) -> str:
    """A file name that only depends on the layer's source (hostile type names are neutralised)."""
    digest = hashlib.sha1(meta.key().encode("utf-8")).hexdigest()[:12]
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", short_name(meta.entity_type))[:40] or "entities"
    return f"{safe}_{meta.geometry_kind or 'layer'}_{digest}.gpkg"


def project_snapshot_dir(project: QgsProject) -> Path | None:
    """``<project folder>/<project name>_cityos`` for a saved project, else None."""
    if not project.fileName():
        return None
    return Path(project.absolutePath()) / f"{project.baseName()}_cityos"


def profile_snapshot_dir(project: QgsProject) -> Path:
    """The profile's fallback folder for this project (or for unsaved projects)."""
    key = hashlib.sha1((project.fileName() or "unsaved").encode("utf-8")).hexdigest()[:12]
    return Path(QgsApplication.qgisSettingsDirPath()) / "smartcity" / "snapshots" / key


def write_snapshot(layer: QgsVectorLayer, path: Path) -> Path:
    """Write ``layer`` to the GeoPackage ``path`` atomically (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp.gpkg")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
        leftover.unlink(missing_ok=True)
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = "entities"
    options.fileEncoding = "UTF-8"
    result = QgsVectorFileWriter.writeAsVectorFormatV3(
        layer, str(tmp), QgsProject.instance().transformContext(), options
    )
    error, message = result[0], result[1]
    if error != QgsVectorFileWriter.WriterError.NoError:
        tmp.unlink(missing_ok=True)
        raise OSError(tr("Could not write the snapshot {0}: {1}").format(path, message))
    try:
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OSError(tr("Could not write the snapshot {0}: {1}").format(path, exc)) from exc
    return path


def read_snapshot(layer: QgsVectorLayer, path: Path) -> int:
    """Fill ``layer`` with the features of the snapshot at ``path``; return how many were added."""
    source = QgsVectorLayer(f"{path}|layername=entities", "snapshot", "ogr")
    if not source.isValid():
        raise OSError(tr("The snapshot {0} cannot be read.").format(path))
    fields = layer.fields()
    mapping = [(fields.indexOf(f.name()), i) for i, f in enumerate(source.fields()) if fields.indexOf(f.name()) >= 0]
    features = []
    for old in source.getFeatures():
        feature = QgsFeature(fields)
        feature.setGeometry(old.geometry())
        values = old.attributes()
        row = [None] * fields.count()
        for target, origin in mapping:
            row[target] = values[origin]
        feature.setAttributes(row)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    return len(features)


def resolve_config(meta: LayerMeta) -> Any:
    """The client configuration for a layer: its saved connection (with secrets from the auth DB)
    when it names one, else its URL (a broker without authentication)."""
    if meta.connection:
        try:
            from smartcity_qgis.layers.cityos.connection_config import to_client_config
            from smartcity_qgis.layers.cityos.connections import ConnectionStore

            conn = ConnectionStore().get(meta.connection)
        except ImportError:
            conn = None
        if conn is not None:
            return to_client_config(conn, flavor=meta.flavor or None)
    from smartcity_qgis.cityos_client.config import ConnectionConfig

    return ConnectionConfig(
        url=meta.url,
        flavor=meta.flavor,
        tenant=meta.tenant or None,
        service_path=meta.service_path or None,
    )


def layer_groups(layers: list[QgsVectorLayer]) -> dict[str, dict[str, QgsVectorLayer]]:
    """Entity layers grouped by source (connection, tenant, service path, type) then geometry kind."""
    groups: dict[str, dict[str, QgsVectorLayer]] = {}
    for layer in layers:
        meta = LayerMeta.from_layer(layer)
        if meta is None:
            continue
        source = meta.key().rsplit("|", 1)[0]
        groups.setdefault(source, {})[meta.geometry_kind or "point"] = layer
    return groups


class ProjectSnapshots(QObject):
    """Writes snapshots when a project is saved, restores and resumes layers when one is read."""

    def __init__(
        self,
        project: QgsProject | None = None,
        config_resolver: Callable[[LayerMeta], Any] = resolve_config,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project or QgsProject.instance()
        self.resolve = config_resolver
        self.updaters: dict[str, LiveLayerUpdater] = {}
        self.retry_seconds = 60.0
        self._refreshing: dict[str, Any] = {}  # source -> running refresh task
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.refresh_stale)
        self.project.writeProject.connect(self._on_write)
        self.project.readProject.connect(self._on_read)
        self.project.cleared.connect(self.stop_all)

    def detach(self) -> None:
        """Disconnect from the project and stop the live layers started here."""
        self.stop_all()
        for signal, slot in (
            (self.project.writeProject, self._on_write),
            (self.project.readProject, self._on_read),
            (self.project.cleared, self.stop_all),
        ):
            with contextlib.suppress(TypeError):
                signal.disconnect(slot)

    def stop_all(self) -> None:
        """Stop every live updater started by a project read (and the refresh retries)."""
        self._retry.stop()
        for updater in self.updaters.values():
            updater.stop()
        self.updaters.clear()

    def entity_layers(self) -> list[QgsVectorLayer]:
        return [
            layer
            for layer in self.project.mapLayers().values()
            if isinstance(layer, QgsVectorLayer) and is_entity_layer(layer)
        ]

    def _on_write(self, *_args: Any) -> None:
        self.write_all()

    def write_all(self) -> list[Path]:
        """Snapshot every entity layer of the project; return the files written."""
        written = []
        for layer in self.entity_layers():
            meta = LayerMeta.from_layer(layer)
            if meta is None:
                continue
            name = snapshot_file_name(meta)
            folder = project_snapshot_dir(self.project)
            try:
                if folder is None:
                    raise OSError("unsaved project")
                written.append(write_snapshot(layer, folder / name))
            except OSError:
                try:
                    written.append(write_snapshot(layer, profile_snapshot_dir(self.project) / name))
                except OSError as exc:
                    QgsMessageLog.logMessage(str(exc), LOG_TAG)
        return written

    def find_snapshot(self, meta: LayerMeta) -> Path | None:
        """The snapshot file of a layer, in the project folder or the profile."""
        name = snapshot_file_name(meta)
        for folder in (project_snapshot_dir(self.project), profile_snapshot_dir(self.project)):
            if folder is not None and (folder / name).is_file():
                return folder / name
        return None

    def _on_read(self, *_args: Any) -> None:
        self.restore_all()

    def restore_all(self, resume: bool = True) -> int:
        """Fill empty entity layers from their snapshots, mark them stale, resume live ones."""
        restored = 0
        layers = self.entity_layers()
        for layer in layers:
            meta = LayerMeta.from_layer(layer)
            if meta is None or layer.featureCount() > 0:
                continue
            path = self.find_snapshot(meta)
            if path is None:
                continue
            try:
                restored += read_snapshot(layer, path)
            except OSError as exc:
                QgsMessageLog.logMessage(str(exc), LOG_TAG)
                continue
            mark_offline(layer, True)
        if resume:
            self.resume_live(layers)
            self.refresh_stale()
        return restored

    def refresh_stale(self) -> None:
        """Reload, in place and in the background, the stale layers that are not live.

        Retried every ``retry_seconds`` until the city OS answers, so those layers too catch
        up once the connection returns.
        """
        from qgis.core import QgsApplication

        from smartcity_qgis.layers.cityos.entity_loader import EntityLoadTask

        waiting = False
        for source, group in layer_groups(self.entity_layers()).items():
            first = next(iter(group.values()))
            meta = LayerMeta.from_layer(first)
            if meta is None or meta.live or source in self._refreshing:
                continue
            if not any(is_stale(layer) for layer in group.values()):
                continue
            waiting = True
            try:
                config = self.resolve(meta)
            except Exception as exc:  # a missing connection: the layer keeps its snapshot
                QgsMessageLog.logMessage(str(exc), LOG_TAG)
                continue
            if hasattr(config, "with_changes"):
                # This refresh is itself retried every minute: fail fast instead of backing off.
                config = config.with_changes(max_retries=1, retry_budget=2.0)
            task = EntityLoadTask(
                config,
                meta.entity_type,
                meta.bbox(),
                meta.attrs(),
                connection_name=meta.connection or None,
                q=meta.query.get("q"),
                apply_to=group,
            )
            task.loaded.connect(lambda _result, source=source: self._refreshed(source, True))
            task.failed.connect(lambda _message, source=source: self._refreshed(source, False))
            self._refreshing[source] = task
            QgsApplication.taskManager().addTask(task)
        if waiting and not self._retry.isActive():
            self._retry.start(int(self.retry_seconds * 1000))

    def _refreshed(self, source: str, ok: bool) -> None:
        task = self._refreshing.pop(source, None)
        if not ok or task is None:
            return
        for layer in (task.apply_to or {}).values():
            with contextlib.suppress(RuntimeError):
                mark_offline(layer, False)

    def resume_live(self, layers: list[QgsVectorLayer]) -> None:
        """Start live mode for the layer groups saved as live."""
        for source, group in layer_groups(layers).items():
            first = next(iter(group.values()))
            meta = LayerMeta.from_layer(first)
            if meta is None or not meta.live or source in self.updaters:
                continue
            try:
                config = self.resolve(meta)
            except Exception as exc:  # a missing connection: the layer keeps its snapshot
                QgsMessageLog.logMessage(tr("Live mode of {0} cannot resume: {1}").format(first.name(), exc), LOG_TAG)
                continue
            updater = LiveLayerUpdater(
                group,
                config,
                mode=str(meta.live.get("mode", "polling")),
                interval=float(meta.live.get("interval", 10.0)),
                parent=self,
            )
            self.updaters[source] = updater
            updater.start()


def live_settings(layer: QgsVectorLayer) -> dict[str, Any]:
    """The saved live-mode settings of a layer ({} when it is not live)."""
    raw = layer.customProperty("smartcity/live", "")
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
