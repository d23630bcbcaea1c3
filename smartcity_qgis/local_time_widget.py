"""The feature-form side of ``local_time``: a read-only box showing a time in the project's zone.

QGIS keys a field's display (attribute table, identify) and its form widget by the same id, so
the formatter of ``local_time`` needs a form widget of the same id; without one the form would
say it failed to create the widget. QGIS offers no way to unregister an editor widget, so the
factory stays for the session and only ever shows text (it never changes a value).
``local_time`` hands in the id and its text function (this module imports nothing of it).
"""

from __future__ import annotations

from collections.abc import Callable

from qgis.gui import QgsEditorConfigWidget, QgsEditorWidgetFactory, QgsEditorWidgetWrapper, QgsGui
from qgis.PyQt.QtWidgets import QLineEdit

from smartcity_qgis.i18n import tr


class LocalTimeWrapper(QgsEditorWidgetWrapper):
    """A read-only line edit with the value in the project's zone; the value itself is kept."""

    def __init__(self, layer, field_index, editor, parent, text_of: Callable[..., str]) -> None:
        super().__init__(layer, field_index, editor, parent)
        self._value = None
        self._text_of = text_of

    def createWidget(self, parent):
        return QLineEdit(parent)

    def initWidget(self, editor) -> None:
        if isinstance(editor, QLineEdit):
            editor.setReadOnly(True)

    def valid(self) -> bool:
        return isinstance(self.widget(), QLineEdit)

    def value(self):
        return self._value

    def _show(self, value) -> None:
        self._value = value
        editor = self.widget()
        if isinstance(editor, QLineEdit):
            layer = self.layer()
            editor.setText(self._text_of(value, project=layer.project() if layer is not None else None))

    # QGIS 3.22 calls setValue; later versions call updateValues (where Python can override it).
    def setValue(self, value) -> None:
        self._show(value)

    def updateValues(self, value, additional_values=None) -> None:
        self._show(value)


class LocalTimeConfigWidget(QgsEditorConfigWidget):
    """Nothing to configure: the zone is the project's."""

    def config(self) -> dict:
        return {}

    def setConfig(self, config) -> None:
        """Accepts any stored configuration: the widget has no settings of its own."""


class LocalTimeWidgetFactory(QgsEditorWidgetFactory):
    def __init__(self, name: str, text_of: Callable[..., str]) -> None:
        super().__init__(name)
        self._text_of = text_of

    def create(self, layer, field_index, editor, parent):
        return LocalTimeWrapper(layer, field_index, editor, parent, self._text_of)

    def configWidget(self, layer, field_index, parent):
        return LocalTimeConfigWidget(layer, field_index, parent)

    def fieldScore(self, layer, field_index) -> int:
        return 0  # never chosen by QGIS on its own


_factory: LocalTimeWidgetFactory | None = None


def register_local_time_widget(widget_id: str, text_of: Callable[..., str]) -> None:
    """Register the form widget ``widget_id`` once per session; ``text_of(value, project=…)`` gives its text."""
    global _factory
    registry = QgsGui.editorWidgetRegistry()
    if widget_id in registry.factories():
        return
    _factory = LocalTimeWidgetFactory(tr("Date/time in the project's time zone"), text_of)
    registry.registerWidget(widget_id, _factory)
