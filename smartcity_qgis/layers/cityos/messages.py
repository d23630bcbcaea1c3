"""City-OS errors in words the user understands (Japanese or English through tr): what happened
and what the user can do about it.

The client's own English text (a raw HTTP connection error, for instance) says nothing a user
can act on: it goes to the SmartCity log instead, once for each distinct text, so that a city OS
that stays down does not fill the log.
"""

from __future__ import annotations

import threading

from qgis.core import Qgis, QgsMessageLog

from smartcity_qgis.i18n import tr

LOG_TAG = "SmartCity"
_logged_lock = threading.Lock()
_last_logged = ""


def is_unreachable(exc: BaseException) -> bool:
    """True when ``exc`` says the city OS could not be reached or did not answer (network, not request)."""
    from smartcity_qgis.cityos_client import errors

    if isinstance(exc, errors.RedirectRefusedError) or _is_tls(exc):
        return False
    return isinstance(exc, (errors.CityOSConnectionError, errors.RequestTimeoutError))


def _is_tls(exc: BaseException) -> bool:
    return "TLS" in str(getattr(exc, "message", "") or exc)


def _address(url: str | None) -> str:
    """The scheme, host and port of ``url`` (the address tried), without path, query or user info."""
    from urllib.parse import urlsplit

    if not url:
        return ""
    try:
        parts = urlsplit(str(url))
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return ""
    return f"{parts.scheme}://{host}{port}" if parts.scheme and host else ""


def _log_once(text: str) -> None:
    """Write the technical detail to the SmartCity log, skipping a repeat of the previous one."""
    global _last_logged
    with _logged_lock:
        if text == _last_logged:
            return
        _last_logged = text
    QgsMessageLog.logMessage(text, LOG_TAG, Qgis.MessageLevel.Info)


def error_message(exc: BaseException) -> str:
    """A translated explanation of ``exc`` and what to do; the broker's own description when it gave one."""
    from smartcity_qgis.cityos_client import errors

    if (
        isinstance(exc, errors.CityOSConnectionError)
        and not isinstance(exc, errors.RedirectRefusedError)
        and _is_tls(exc)
    ):
        _log_once(str(exc))
        return tr(
            "The city OS's certificate could not be verified. Set the CA bundle of your organisation in the "
            "connection (SmartCity ▸ City OS connections…)."
        )
    if is_unreachable(exc):
        _log_once(str(exc))
        if isinstance(exc, errors.RequestTimeoutError):
            return tr(
                "The city OS did not answer in time. It may be busy or the network slow: try again later, "
                "or raise the timeout of the connection."
            )
        text = tr(
            "The city OS cannot be reached. Check the network (VPN, proxy under Settings ▸ Options ▸ Network) "
            "and that the city OS is running; layers keep their last data and catch up when it answers."
        )
        address = _address(getattr(exc, "url", None))
        return f"{text} ({address})" if address else text
    kinds = (
        (
            errors.RedirectRefusedError,
            tr("The city OS redirected to another host; the credentials were not sent there."),
        ),
        (errors.MissingDependencyError, tr("A Python package this connection needs is not installed.")),
        (
            errors.AuthError,
            tr("The city OS refused the credentials. Check the connection's authentication."),
        ),
        (errors.NotFoundError, tr("The city OS does not know this entity or type.")),
        (errors.BadRequestError, tr("The city OS refused the request.")),
        (
            errors.TooManyResultsError,
            tr("The query matched more entities than the city OS will answer: load only the map extent."),
        ),
        (errors.ResponseTooLargeError, tr("The city OS answer is too large.")),
        (errors.ServerError, tr("The city OS reported an error.")),
        (errors.InvalidConfigError, tr("The connection settings cannot be used.")),
        (errors.CancelledError, tr("Cancelled.")),
    )
    for kind, text in kinds:
        if isinstance(exc, kind):
            # The broker's own description says what it refused (kept as the broker wrote it).
            detail = getattr(exc, "description", None) or ""
            if not detail and isinstance(exc, (errors.InvalidConfigError, errors.MissingDependencyError)):
                detail = str(exc)  # names the setting to fix, or the package to install
            if not detail:
                _log_once(str(exc))
            return f"{text} ({detail})" if detail else text
    _log_once(f"{type(exc).__name__}: {exc}")
    return tr("The request to the city OS failed ({0}); the details are in the SmartCity log.").format(
        type(exc).__name__
    )


def quiet_task_flags() -> object:
    """Flags for the plugin's network tasks: cancellable and, where QGIS can (3.26+), silent.

    The plugin tells what a task's failure means itself ("the city OS cannot be reached …");
    QGIS's generic "Task failed: Loading …" notice would only repeat it without the why.
    """
    from qgis.core import QgsTask

    flags = QgsTask.Flag.CanCancel
    silent = getattr(QgsTask, "Silent", None)
    return flags | silent if silent is not None else flags
