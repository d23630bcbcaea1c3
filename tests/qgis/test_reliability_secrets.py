"""Issue 9.5: a token configured in the QGIS authentication database is found in no file we write.

The secret is used for real (the embedded city OS refuses requests without it), then the project is
saved (with its snapshots), the connections are exported, the layer is exported in every format and
a figure is made; every file written, QGIS's settings and the message log are searched for it.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsProject, QgsSettings

from smartcity_qgis.cityos_client import AuthError, CityOSClient
from smartcity_qgis.cityos_sim import start_server
from smartcity_qgis.export.figure import FigureSpec, build_figure, export_layout
from smartcity_qgis.export.layers_export import FORMATS, export_layers
from smartcity_qgis.layers import load_entity_layer
from smartcity_qgis.layers.cityos.connection_config import TOKEN_USER, to_client_config
from smartcity_qgis.layers.cityos.connections import Connection, ConnectionStore
from smartcity_qgis.layers.cityos.snapshot import ProjectSnapshots
from tests.conftest import record_reliability


def _files_under(*roots: Path) -> list[Path]:
    found = []
    for root in roots:
        if root.is_file():
            found.append(root)
        elif root.exists():
            found.extend(p for p in root.rglob("*") if p.is_file())
    return found


def _contains(path: Path, needles: list[bytes]) -> bool:
    data = path.read_bytes()
    return any(needle in data for needle in needles)


@pytest.mark.timeout(300)
def test_a_configured_secret_is_written_nowhere(qgis_auth_manager, tmp_path):
    secret = "tok-" + uuid.uuid4().hex
    # The forms a leak could take: plain, and as QGIS or JSON might escape it.
    needles = [secret.encode(), json.dumps(secret).encode(), secret.encode("utf-16-le")]
    log: list[str] = []
    QgsApplication.messageLog().messageReceived.connect(lambda message, *_: log.append(message))

    cfg = QgsAuthMethodConfig("Basic")
    cfg.setName("smartcity secret test")
    cfg.setConfig("username", TOKEN_USER)
    cfg.setConfig("password", secret)
    assert qgis_auth_manager.storeAuthenticationConfig(cfg)
    root = f"SmartCityTest/{uuid.uuid4().hex}/connections"
    store = ConnectionStore(root=root)
    project = QgsProject.instance()
    project.clear()
    snapshots = ProjectSnapshots(project)
    server = start_server(scenario="okazaki", require_token=secret, auto_advance=False)
    try:
        conn = Connection(name="秘密のテスト", url=server.url, flavor="ngsi-v2", tenant="okazaki", authcfg=cfg.id())
        store.save(conn)
        # The secret is really needed, and really used.
        with (
            pytest.raises(AuthError),
            CityOSClient(to_client_config(Connection(name="x", url=server.url, flavor="ngsi-v2"))) as bare,
        ):
            list(bare.iter_entities("WaterObserved"))
        layer = load_entity_layer(to_client_config(store.get(conn.name)), "WaterObserved")
        assert layer.featureCount() > 0
        project.addMapLayer(layer)

        written = tmp_path / "written"
        written.mkdir()
        assert project.write(str(written / "project.qgz"))
        assert project.write(str(written / "project.qgs"))
        (written / "connections.json").write_text(store.export_json(), encoding="utf-8")
        for fmt in FORMATS:
            target = written / "export" / fmt
            destination = target / "layers.gpkg" if fmt == "gpkg" else target
            target.mkdir(parents=True)
            export_layers([layer], destination, fmt)
        layout = build_figure(FigureSpec(title="秘密のテスト", layers=[layer], project=project))
        for fmt in ("pdf", "png", "svg"):
            export_layout(layout, written / f"figure.{fmt}", fmt, dpi=72)
        QgsSettings().sync()
        log_file = written / "message-log.txt"
        log_file.write_text("\n".join(log), encoding="utf-8")

        control = tmp_path / "control.bin"  # the search itself must be able to find a leak
        control.write_bytes(b"x" + secret.encode("utf-16-le") + b"y")
        assert _contains(control, needles)
        settings_file = Path(QgsSettings().fileName())
        files = _files_under(written, settings_file)
        leaks = [str(p) for p in files if _contains(p, needles)]
        record_reliability("secrets", "configured secret", {"files_searched": len(files), "secrets_found": len(leaks)})
        assert len(files) >= 15, [str(f) for f in files]
        assert leaks == []
        assert cfg.id() in (written / "connections.json").read_text(encoding="utf-8"), "only the authcfg id"
    finally:
        server.stop()
        snapshots.detach()
        project.clear()
        QgsSettings().remove(root.rsplit("/", 1)[0])
        qgis_auth_manager.removeAuthenticationConfig(cfg.id())
