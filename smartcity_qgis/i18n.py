"""Translation helpers for the QGIS-facing rooms.

Every user-visible string is written as ``tr("literal")`` with this ``tr``: pylupdate5
files calls of a plain ``tr(...)`` under the ``@default`` context, which is the context
this function asks for, so the extracted ``.ts`` and the runtime lookup always agree.
(``self.tr`` would use the class name and must not be used.)
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

from smartcity_qgis import PLUGIN_DIR

I18N_DIR = Path(PLUGIN_DIR) / "i18n"
_CONTEXT = "@default"


def tr(message: str) -> str:
    """Translate a user-visible string into the user's language."""
    return QCoreApplication.translate(_CONTEXT, message)


def user_locale() -> str:
    """QGIS's locale setting as a two-letter language code (e.g. ``ja``)."""
    settings = QgsSettings()
    override = settings.value("locale/overrideFlag", False, type=bool)
    name = settings.value("locale/userLocale", "", type=str) if override else ""
    if not name:
        name = settings.value("locale/globalLocale", "", type=str) or QLocale().name()
    return (name or "en")[:2]


def install_translator(locale: str | None = None) -> QTranslator | None:
    """Load ``i18n/smartcity_qgis_<lang>.qm`` for QGIS's locale; return the translator."""
    lang = locale or user_locale()
    qm = I18N_DIR / f"smartcity_qgis_{lang}.qm"
    if not qm.exists():
        return None
    translator = QTranslator()
    if not translator.load(str(qm)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def remove_translator(translator: QTranslator | None) -> None:
    if translator is not None:
        QCoreApplication.removeTranslator(translator)
