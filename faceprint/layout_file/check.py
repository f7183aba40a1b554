"""``faceprint validate``'s second half: the layout resolved against the built-in specimen record.

Reading and model validation catch what a layout says; some mistakes only show when its templates
run: a ``when:`` naming a variable no record has (``vars.numbr_qr`` silently dropped the number's
QR code), artwork that is not there, a font stack whose fallback face is missing, a template that
runs over a limit. The specimen (``faceprint.specimen.specimen_record``) has every record field, so a
name it lacks is the layout's error. What depends on a record's values (text that does not fit,
a glyph a font lacks) stays with ``faceprint lint``; here such data errors are passed over.
"""

from __future__ import annotations

from ..resolve import Resolver
from ..resolve_policy import PassOverData
from .loader import LoadedLayout


def check_with_specimen(loaded: LoadedLayout) -> None:
    """Resolve both faces with the specimen record; raise the first ``LayoutError`` found."""
    from ..specimen import SPECIMEN_ID, specimen_record

    record = specimen_record()
    Resolver(loaded, policy=PassOverData()).resolve(record.template_context(), record_id=SPECIMEN_ID)
