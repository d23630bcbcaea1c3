"""City-OS errors in words the user understands (Japanese or English through tr)."""

from __future__ import annotations

from smartcity_qgis.i18n import tr


def error_message(exc: BaseException) -> str:
    """A translated explanation of ``exc``, followed by the broker's own description."""
    from smartcity_qgis.cityos_client import errors

    kinds = (
        (
            errors.RedirectRefusedError,
            tr("The city OS redirected to another host; the credentials were not sent there."),
        ),
        (errors.MissingDependencyError, tr("A Python package this connection needs is not installed.")),
        (errors.AuthError, tr("The city OS refused the credentials.")),
        (errors.NotFoundError, tr("The city OS does not know this entity or type.")),
        (errors.BadRequestError, tr("The city OS refused the request.")),
        (errors.TooManyResultsError, tr("The query matched more entities than the city OS will answer.")),
        (errors.RequestTimeoutError, tr("The city OS did not answer in time.")),
        (errors.CityOSConnectionError, tr("The city OS cannot be reached.")),
        (errors.ResponseTooLargeError, tr("The city OS answer is too large.")),
        (errors.ServerError, tr("The city OS reported an error.")),
        (errors.InvalidConfigError, tr("The connection settings cannot be used.")),
        (errors.CancelledError, tr("Cancelled.")),
    )
    for kind, text in kinds:
        if isinstance(exc, kind):
            detail = getattr(exc, "description", None) or str(exc)
            return f"{text} ({detail})" if detail else text
    return tr("Unexpected error: {0}").format(exc)
