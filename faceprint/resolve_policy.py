"""What a resolver does when an element cannot be resolved for a record: the one place where
rendering, ``faceprint lint`` and ``faceprint validate`` differ (issue 17 §1).

The resolver asks its policy at three points only: an element whose resolution raised a data
error, a ``when:`` that could not be decided, and a template that failed on the record's data.
Every element kind passes through those points, so a policy covers every kind by construction
(lint's old subclass forgot microtext and guilloches, and stopped with a raw error there).
Layout errors are never a policy's business: they always propagate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import DataError, LabelDoesNotFit


@dataclass
class RaiseErrors:
    """Rendering a card: the first data error stops this record (the batch goes on with the next).

    ``strict_names``: the context is a complete record, so a template naming a variable that no
    record has is the layout's typo (a layout error), not a field this record lacks; names in
    ``optional_names`` (``records.OPTIONAL_CONTEXT_FIELDS``) may still be missing from a record.
    """

    strict_names: bool = False
    optional_names: frozenset[str] = frozenset()

    def element_failed(self, exc: DataError) -> None:
        raise exc

    def label_failed(self, exc: LabelDoesNotFit) -> None:
        raise exc

    def when_failed(self, exc: DataError) -> bool:
        """Whether to draw the element after all (only reached when not raising)."""
        raise exc

    def template_failed(self, exc: DataError) -> str:
        """The text to go on with in place of the failed template (only reached when not raising)."""
        raise exc


@dataclass
class CollectFindings(RaiseErrors):
    """``faceprint lint``: every element's data error is kept, the element left out, and the card goes on,
    so one pass lists all of a record's problems. Labels that do not fit are reported once by
    ``lint.lint_labels``, not once per record."""

    problems: list[DataError] = field(default_factory=list)

    def element_failed(self, exc: DataError) -> None:
        self.problems.append(exc)

    def label_failed(self, exc: LabelDoesNotFit) -> None:
        return None

    def when_failed(self, exc: DataError) -> bool:
        self.problems.append(exc)
        return False


@dataclass
class PassOverData(RaiseErrors):
    """``faceprint validate``: a complete specimen record, so unknown names are layout errors; what depends
    on a record's values (text that does not fit, a glyph no font has) is lint's business and passed over."""

    strict_names: bool = True

    def element_failed(self, exc: DataError) -> None:
        return None

    def when_failed(self, exc: DataError) -> bool:
        return False

    def template_failed(self, exc: DataError) -> str:
        return ""


ErrorPolicy = RaiseErrors
