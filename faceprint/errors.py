"""Error types: every failure names where it happened (file/record, element/field) and why.

Exit-status mapping used by the CLI: ``DataError`` → 1 (a record is bad), ``LayoutError`` and
``UsageError`` → 2 (the layout or the command line is bad); any other exception is a bug, reported
by the CLI as an internal error with status 70 (``faceprint.cli.EXIT_INTERNAL``).
"""

from __future__ import annotations


class FaceprintError(Exception):
    """Base class; ``str()`` is the complete, user-facing message."""

    exit_code = 2


class UsageError(FaceprintError):
    """A command-line or configuration mistake."""

    exit_code = 2


class LayoutError(FaceprintError):
    """A layout file is wrong: names the file, line, element id and property where known."""

    exit_code = 2

    def __init__(
        self,
        reason: str,
        *,
        file: str | None = None,
        line: int | None = None,
        element_id: str | None = None,
        prop: str | None = None,
    ) -> None:
        from .rules.mynumber import redact

        self.reason = redact(reason)
        self.file = file
        self.line = line
        self.element_id = element_id
        self.prop = prop
        super().__init__(self._format())

    def _format(self) -> str:
        where = self.file or "<layout>"
        if self.line is not None:
            where += f":{self.line}"
        parts = [where]
        if self.element_id:
            parts.append(f"element '{self.element_id}'")
        if self.prop:
            parts.append(f"property '{self.prop}'")
        return ": ".join(parts) + f": {self.reason}"


class LabelDoesNotFit(LayoutError):
    """Static text (a label) does not fit its box at its size; labels are never condensed (issue 12 §5)."""


class DataError(FaceprintError):
    """A record cannot be rendered: names the record id, the field and the reason.

    Messages must never carry an unmasked individual number; callers pass already-masked
    values (see ``faceprint.rules.mynumber.mask``).
    """

    exit_code = 1

    def __init__(
        self,
        reason: str,
        *,
        record_id: str | None = None,
        field: str | None = None,
        element_id: str | None = None,
    ) -> None:
        # Whatever a message quotes (a filter's bad value, an id typed as a number) reaches logs,
        # stderr and preview pages: any run of 10+ digits is masked here, once for every caller.
        from .rules.mynumber import redact

        self.reason = redact(reason)
        self.record_id = redact(record_id) if record_id is not None else None
        self.field = redact(field) if field is not None else None
        self.element_id = element_id
        super().__init__(self._format())

    def _format(self) -> str:
        parts = [f"record '{self.record_id}'" if self.record_id else "record"]
        if self.field:
            parts.append(f"field '{self.field}'")
        if self.element_id:
            parts.append(f"element '{self.element_id}'")
        return ": ".join(parts) + f": {self.reason}"

    def with_record(self, record_id: str) -> DataError:
        """The same error, attributed to a record once the caller knows which one."""
        return DataError(self.reason, record_id=record_id, field=self.field, element_id=self.element_id)


def user_message(exc: BaseException) -> str:
    """The text of any exception as a user may see it: every individual number masked, printable.

    The one masking function at the error boundary (CLI, batch report, preview): whatever an
    exception quotes (a path, a field name, a value) passes through ``mynumber.redact``, and a lone
    surrogate from the input is escaped so that printing the message cannot fail.
    """
    from .rules.mynumber import redact

    text = redact(str(exc) or type(exc).__name__)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
