"""The one small hierarchy of errors that renda raises on purpose.

Every kind maps to one documented CLI exit code (see ``docs/cli.md``). Anything else
that escapes is a bug and should stay a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

#: What a guard refuses, as a phrase (``"publish"``, ``"record an instruction"``) put
#: into its message (``cannot {what}: the issue is not published yet``): the catalogue
#: tool collects the literals passed to a parameter annotated so (msgctxt ``phrase``),
#: and a driver shows the phrase in its language (``docs/i18n.md``).
RefusalPhrase: TypeAlias = str

#: keys of a field error that are for the drivers' translation, not for programs
_DRIVER_KEYS = frozenset({"msgid", "params"})


class RendaError(Exception):
    """Base class: a failure the user can act on. Nothing was recorded.

    ``message`` is English. A driver that speaks another language shows
    ``msgid.format(**params)`` translated when ``msgid`` is given (a catalogued message
    id, ``docs/i18n.md``), else looks the message up as it is. ``inner``, when set, is
    the error this one reports in a context (an import's line): its ``{message}`` in
    ``params``, shown by the driver as it shows ``inner`` itself.
    """

    kind = "error"
    exit_code = 1
    inner: RendaError | None = None

    def __init__(
        self,
        message: str,
        *,
        msgid: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.msgid = msgid
        self.params = dict(params or {})

    def to_dict(self) -> dict[str, object]:
        return {"error": self.kind, "message": self.message}


class InvalidInput(RendaError):
    """Input failed validation; ``errors`` lists each field with its problem.

    Each entry has ``field``, ``message`` and, for pydantic's errors, ``type`` (pydantic's
    error type), plus the ``msgid`` and ``params`` a driver translates with, which are
    not in ``to_dict()``.
    """

    kind = "invalid_input"
    exit_code = 3

    def __init__(
        self,
        message: str,
        errors: Sequence[Mapping[str, Any]] | None = None,
        *,
        msgid: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message, msgid=msgid, params=params)
        self.errors = [dict(e) for e in errors or ()]

    def to_dict(self) -> dict[str, object]:
        fields = [{k: v for k, v in e.items() if k not in _DRIVER_KEYS} for e in self.errors]
        return {**super().to_dict(), "fields": fields}


class NotFound(RendaError):
    """The thing named does not exist."""

    kind = "not_found"
    exit_code = 4


class RuleViolated(RendaError):
    """The command is not allowed in the current state (an illegal transition)."""

    kind = "rule_violated"
    exit_code = 5


class Forbidden(RendaError):
    """The actor's role may not issue this command."""

    kind = "forbidden"
    exit_code = 6


class ConcurrentModification(RendaError):
    """Someone else changed the same record at the same time; retry the command."""

    kind = "concurrent_modification"
    exit_code = 7


class StoreUnavailable(RendaError):
    """The event store cannot be reached or its address is not understood."""

    kind = "store_unavailable"
    exit_code = 8


class ProjectionFailed(RendaError):
    """One or more adapters failed while catching up; others went on."""

    kind = "projection_failed"
    exit_code = 9


class ViewsAhead(RendaError):
    """The views are ahead of the log or were built from another log: rebuild them."""

    kind = "views_ahead"
    exit_code = 10


class LogAltered(RendaError):
    """The event log does not match its hash chain or a seal: it was altered."""

    kind = "log_altered"
    exit_code = 11


class ReportDiffers(RendaError):
    """A report recomputed from its provenance is not identical to the one given."""

    kind = "report_differs"
    exit_code = 12


ERROR_KINDS: tuple[type[RendaError], ...] = (
    InvalidInput,
    NotFound,
    RuleViolated,
    Forbidden,
    ConcurrentModification,
    StoreUnavailable,
    ProjectionFailed,
    ViewsAhead,
    LogAltered,
    ReportDiffers,
)
