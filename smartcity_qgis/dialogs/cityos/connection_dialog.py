"""Adding or editing one city-OS connection, with a "Test" button that never blocks the UI."""

from __future__ import annotations

from qgis.core import QgsApplication, QgsCoordinateReferenceSystem, QgsRectangle
from qgis.gui import QgsAuthConfigSelect, QgsExtentWidget, QgsFileWidget
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.connection_probe import ConnectionProbeTask, ProbeResult
from smartcity_qgis.layers.cityos.connections import Connection, ConnectionRecordError, ConnectionStore


class ConnectionDialog(QDialog):
    """Form for every field of a :class:`Connection`; saving goes through the store."""

    def __init__(
        self,
        store: ConnectionStore,
        connection: Connection | None = None,
        parent: QWidget | None = None,
        canvas=None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SmartCityConnectionDialog")
        self.store = store
        self.original_name = connection.name if connection else None
        self.saved: Connection | None = None
        self._task: ConnectionProbeTask | None = None
        self.setWindowTitle(tr("Edit city OS connection") if connection else tr("New city OS connection"))
        self._build(canvas)
        self.set_connection(connection or Connection(name="", url="http://"))

    # -- building -----------------------------------------------------------------------
    def _build(self, canvas) -> None:
        layout = QVBoxLayout(self)
        tabs = QTabWidget(self)
        layout.addWidget(tabs)

        general = QWidget(tabs)
        form = QFormLayout(general)
        self.name_edit = QLineEdit(general)
        self.name_edit.setObjectName("name")
        form.addRow(tr("Name"), self.name_edit)
        self.url_edit = QLineEdit(general)
        self.url_edit.setObjectName("url")
        self.url_edit.setPlaceholderText("https://orion.example.jp:1026")
        form.addRow(tr("URL"), self.url_edit)
        self.flavor_combo = QComboBox(general)
        self.flavor_combo.setObjectName("flavor")
        for label, value in (
            (tr("Detect from /version"), "auto"),
            ("NGSI-v2 (Orion)", "ngsi-v2"),
            ("NGSI-LD (Orion-LD, Scorpio, Stellio)", "ngsi-ld"),
        ):
            self.flavor_combo.addItem(label, value)
        form.addRow(tr("Flavor"), self.flavor_combo)
        self.tenant_edit = QLineEdit(general)
        self.tenant_edit.setObjectName("tenant")
        self.tenant_edit.setPlaceholderText(tr("Fiware-Service / NGSILD-Tenant, e.g. okazaki"))
        form.addRow(tr("Tenant"), self.tenant_edit)
        self.paths_edit = QLineEdit(general)
        self.paths_edit.setObjectName("service_paths")
        self.paths_edit.setPlaceholderText(tr("/ or /river,/crowd/# (comma-separated)"))
        form.addRow(tr("Service paths"), self.paths_edit)
        self.context_edit = QLineEdit(general)
        self.context_edit.setObjectName("context")
        self.context_edit.setPlaceholderText(tr("NGSI-LD @context URL (optional)"))
        form.addRow(tr("@context"), self.context_edit)
        self.timeseries_edit = QLineEdit(general)
        self.timeseries_edit.setObjectName("timeseries_url")
        self.timeseries_edit.setPlaceholderText(tr("QuantumLeap URL for NGSI-v2 history (optional)"))
        form.addRow(tr("Time-series URL"), self.timeseries_edit)
        self.temporal_edit = QLineEdit(general)
        self.temporal_edit.setObjectName("temporal_url")
        self.temporal_edit.setPlaceholderText(tr("NGSI-LD temporal API (Mintaka) URL, if not the broker's (optional)"))
        form.addRow(tr("Temporal API URL"), self.temporal_edit)
        self.mqtt_edit = QLineEdit(general)
        self.mqtt_edit.setObjectName("mqtt_url")
        self.mqtt_edit.setPlaceholderText(tr("mqtt://host:1883 of the broker's MQTT server, for MQTT push (optional)"))
        form.addRow(tr("MQTT URL"), self.mqtt_edit)
        tabs.addTab(general, tr("Connection"))

        push = QWidget(tabs)
        pform = QFormLayout(push)
        self.mqtt_broker_edit = QLineEdit(push)
        self.mqtt_broker_edit.setObjectName("mqtt_broker_url")
        self.mqtt_broker_edit.setPlaceholderText(
            tr("mqtt://mosquitto:1883 as the broker reaches it (if not the MQTT URL)")
        )
        pform.addRow(tr("MQTT URL for the broker"), self.mqtt_broker_edit)
        self.mqtt_auth_select = QgsAuthConfigSelect(push, "")
        self.mqtt_auth_select.setObjectName("mqtt_authcfg")
        pform.addRow(QLabel(tr("MQTT user and password (Basic authentication configuration):"), push))
        pform.addRow(self.mqtt_auth_select)
        self.push_host_edit = QLineEdit(push)
        self.push_host_edit.setObjectName("push_listen_host")
        self.push_host_edit.setPlaceholderText(tr("127.0.0.1, or 0.0.0.0 to listen on every network interface"))
        pform.addRow(tr("HTTP push: listen on"), self.push_host_edit)
        self.push_port_spin = QSpinBox(push)
        self.push_port_spin.setObjectName("push_listen_port")
        self.push_port_spin.setRange(0, 65535)
        self.push_port_spin.setSpecialValueText(tr("any free port"))
        pform.addRow(tr("HTTP push: port"), self.push_port_spin)
        self.notify_edit = QLineEdit(push)
        self.notify_edit.setObjectName("push_notify_url")
        self.notify_edit.setPlaceholderText(
            tr("http://this-pc.city.lg.jp:8765 or https://gateway/qgis as the broker reaches it")
        )
        pform.addRow(tr("HTTP push: URL for the broker"), self.notify_edit)
        note = QLabel(
            tr(
                "The broker must be able to reach this URL (firewall, proxy). A fixed port makes the firewall rule possible; the layer says so when no notification arrives."  # noqa: E501
            ),
            push,
        )
        note.setWordWrap(True)
        pform.addRow(note)
        tabs.addTab(push, tr("Push"))

        security = QWidget(tabs)
        sform = QFormLayout(security)
        self.auth_select = QgsAuthConfigSelect(security, "")
        self.auth_select.setObjectName("authcfg")
        hint = QLabel(
            tr(
                "Token or API key: API header (QGIS 3.26+), or Basic with the user name header:NAME (e.g. header:apikey for Kong) and the key as password; OAuth2 for Keyrock or Keycloak (OpenID Connect):"  # noqa: E501
            ),
            security,
        )
        hint.setWordWrap(True)
        sform.addRow(hint)
        sform.addRow(self.auth_select)
        self.verify_check = QCheckBox(tr("Verify the TLS certificate"), security)
        self.verify_check.setObjectName("verify_tls")
        sform.addRow(self.verify_check)
        self.ca_widget = QgsFileWidget(security)
        self.ca_widget.setObjectName("ca_bundle")
        self.ca_widget.setFilter(tr("Certificates (*.pem *.crt *.cer);;All files (*)"))
        sform.addRow(tr("CA bundle"), self.ca_widget)
        self.timeout_spin = QDoubleSpinBox(security)
        self.timeout_spin.setObjectName("timeout")
        self.timeout_spin.setRange(1, 600)
        self.timeout_spin.setDecimals(1)
        self.timeout_spin.setSuffix(tr(" s"))
        sform.addRow(tr("Timeout"), self.timeout_spin)
        tabs.addTab(security, tr("Security and network"))

        area = QWidget(tabs)
        aform = QVBoxLayout(area)
        note = tr("Area of interest: points outside it whose latitude and longitude look swapped are flagged.")
        aform.addWidget(QLabel(note, area))
        self.aoi_widget = QgsExtentWidget(area)
        self.aoi_widget.setObjectName("area_of_interest")
        self.aoi_widget.setNullValueAllowed(True, tr("Not set"))
        self.aoi_widget.setOutputCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
        if canvas is not None:
            self.aoi_widget.setMapCanvas(canvas)
        aform.addWidget(self.aoi_widget)
        aform.addStretch(1)
        tabs.addTab(area, tr("Area of interest"))

        self.test_button = QPushButton(tr("Test connection"), self)
        self.test_button.setObjectName("test")
        self.test_button.clicked.connect(self.test_connection)
        layout.addWidget(self.test_button)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(0)  # Qt.PlainText: broker answers are never rendered
        layout.addWidget(self.status_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    # -- values -------------------------------------------------------------------------
    def set_connection(self, conn: Connection) -> None:
        self.name_edit.setText(conn.name)
        self.url_edit.setText(conn.url)
        self.flavor_combo.setCurrentIndex(max(0, self.flavor_combo.findData(conn.flavor)))
        self.tenant_edit.setText(conn.tenant)
        self.paths_edit.setText(",".join(conn.service_paths))
        self.context_edit.setText(conn.context)
        self.timeseries_edit.setText(conn.timeseries_url)
        self.temporal_edit.setText(conn.temporal_url)
        self.mqtt_edit.setText(conn.mqtt_url)
        self.mqtt_broker_edit.setText(conn.mqtt_broker_url)
        self.mqtt_auth_select.setConfigId(conn.mqtt_authcfg)
        self.push_host_edit.setText(conn.push_listen_host)
        self.push_port_spin.setValue(int(conn.push_listen_port))
        self.notify_edit.setText(conn.push_notify_url)
        self.auth_select.setConfigId(conn.authcfg)
        self.verify_check.setChecked(conn.verify_tls)
        self.ca_widget.setFilePath(conn.ca_bundle)
        self.timeout_spin.setValue(conn.timeout)
        if conn.area_of_interest:
            self.aoi_widget.setOutputExtentFromUser(
                QgsRectangle(*conn.area_of_interest), QgsCoordinateReferenceSystem("EPSG:4326")
            )
        else:
            self.aoi_widget.clear()

    def connection(self) -> Connection:
        """The connection as the form shows it now (not saved)."""
        aoi = None
        if self.aoi_widget.isValid():
            rect = self.aoi_widget.outputExtent()
            if not rect.isNull() and not rect.isEmpty():
                aoi = (rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum())
        return Connection(
            name=self.name_edit.text().strip(),
            url=self.url_edit.text().strip(),
            flavor=self.flavor_combo.currentData(),
            tenant=self.tenant_edit.text().strip(),
            service_paths=[p.strip() for p in self.paths_edit.text().split(",") if p.strip()] or ["/"],
            context=self.context_edit.text().strip(),
            timeseries_url=self.timeseries_edit.text().strip(),
            temporal_url=self.temporal_edit.text().strip(),
            mqtt_url=self.mqtt_edit.text().strip(),
            mqtt_broker_url=self.mqtt_broker_edit.text().strip(),
            mqtt_authcfg=self.mqtt_auth_select.configId() or "",
            push_listen_host=self.push_host_edit.text().strip() or "127.0.0.1",
            push_listen_port=self.push_port_spin.value(),
            push_notify_url=self.notify_edit.text().strip(),
            authcfg=self.auth_select.configId() or "",
            verify_tls=self.verify_check.isChecked(),
            ca_bundle=self.ca_widget.filePath().strip(),
            timeout=self.timeout_spin.value(),
            area_of_interest=aoi,
        )

    # -- test ---------------------------------------------------------------------------
    def test_connection(self) -> ConnectionProbeTask | None:
        """Probe the connection as filled in, in a task; the answer appears under the button."""
        conn = self.connection()
        problems = conn.problems()
        if problems:
            self.status_label.setText("\n".join(problems))
            return None
        self.status_label.setText(tr("Connecting to {0}…").format(conn.url))
        self.test_button.setEnabled(False)
        task = ConnectionProbeTask(conn)
        task.probed.connect(self._on_probed)
        task.failed.connect(self._on_failed)
        self._task = task
        QgsApplication.taskManager().addTask(task)
        return task

    def _on_probed(self, result: ProbeResult) -> None:
        self.test_button.setEnabled(True)
        self.status_label.setText(result.summary())
        if self.flavor_combo.currentData() == "auto":
            self.status_label.setText(result.summary() + "\n" + tr("Detected flavor: {0}").format(result.flavor))

    def _on_failed(self, _name: str, message: str) -> None:
        self.test_button.setEnabled(True)
        self.status_label.setText(tr("Not connected: {0}").format(message))

    # -- saving -------------------------------------------------------------------------
    def save(self) -> Connection:
        """Save the form through the store; raises ConnectionRecordError with the reasons."""
        conn = self.connection()
        if conn.name != self.original_name and self.store.exists(conn.name):
            raise ConnectionRecordError(tr("A connection called {0} already exists.").format(conn.name))
        self.store.save(conn, previous_name=self.original_name)
        self.saved = conn
        return conn

    def accept(self) -> None:
        try:
            self.save()
        except ConnectionRecordError as exc:
            self.status_label.setText(str(exc))
            return
        super().accept()
