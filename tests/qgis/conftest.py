"""Fixtures for the headless QGIS level."""

from __future__ import annotations

import importlib
import sys

import pytest

from tests.conftest import REPO


@pytest.fixture
def plugin_module():
    """The plugin's root package, imported the way QGIS imports it."""
    if str(REPO.parent) not in sys.path:
        sys.path.insert(0, str(REPO.parent))
    return importlib.import_module(REPO.name)


_PROVIDERS: list = []  # the registry does not keep the Python object alive


def ensure_smartcity_processing():
    """QGIS's Processing with the SmartCity provider registered (once; re-registered if removed)."""
    if "/usr/share/qgis/python/plugins" not in sys.path:
        sys.path.append("/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing
    from qgis.core import QgsApplication

    from smartcity_qgis.algorithms.provider import SmartCityProvider

    Processing.initialize()
    registry = QgsApplication.processingRegistry()
    if registry.providerById("smartcity") is None:
        _PROVIDERS.append(SmartCityProvider())
        registry.addProvider(_PROVIDERS[-1])
    import processing

    return processing


@pytest.fixture
def processing(qgis_app):
    """The ``processing`` module, with every SmartCity algorithm available by id."""
    return ensure_smartcity_processing()


@pytest.fixture
def no_provider_registered(qgis_app):
    """Other modules keep a SmartCity provider registered; loading the plugin needs a clean registry."""
    from qgis.core import QgsApplication

    from smartcity_qgis.algorithms.provider import PROVIDER_ID

    registry = QgsApplication.processingRegistry()
    existing = registry.providerById(PROVIDER_ID)
    if existing is not None:
        registry.removeProvider(existing)
    yield
    if existing is not None:
        ensure_smartcity_processing()


@pytest.fixture
def real_layer_tree_view(qgis_iface, monkeypatch):
    """A real layer tree view on the test interface: Processing (QGIS 3.44+) puts loaded results
    in it, and pytest-qgis's stand-in answers a mock that QGIS's C++ refuses."""
    from qgis.core import QgsLayerTreeModel, QgsProject
    from qgis.gui import QgsLayerTreeView

    view = QgsLayerTreeView()
    view.setModel(QgsLayerTreeModel(QgsProject.instance().layerTreeRoot(), view))
    monkeypatch.setattr(qgis_iface, "layerTreeView", lambda: view, raising=False)
    yield view
    view.deleteLater()
