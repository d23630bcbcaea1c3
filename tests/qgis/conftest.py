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
