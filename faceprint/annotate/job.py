"""One annotation run: the new entry's print job, the card preview and the updated card state.

In: ``AnnotateRequest`` (layout, record, entry text, date, options). Out: ``Plan``, every decision made
(where the entry goes, its glyphs, the new state) and nothing written; ``write_plan`` renders every
file in memory, then writes them. A refusal (full area, bad state, a character no font draws) comes
from ``plan_annotation``, so it writes nothing and leaves the state as it was. The state is written
last: it never claims a line whose print job was not written.

Files, in the output folder: ``<id>-entry<N>.pdf`` and ``.png`` (the print job: only the new entry, at
the card coordinates the layout gives, moved by the printer profile), ``<id>-preview-front.png`` and
``<id>-preview-back.png`` (the whole card with every entry so far: pending entries outlined, void
ones struck through), ``<id>-entry<N>.job.json`` (the job ticket ``confirm`` and ``void`` start from);
and the state file, where the new entry is *pending* until the clerk confirms it (issue #16).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..atomic import png_bytes, write_atomic
from ..backends.raster import paint
from ..errors import DataError, UsageError
from ..layout_file.loader import LoadedLayout, load_layout
from ..records import Record, load_record
from ..resolve import Resolver
from ..scene import Face, GlyphRun, Item, Scene
from .area import AnnotationArea, EntryFormatter, check_date_pattern, find_area, layout_date_pattern
from .marks import entry_marks
from .pages import face_pdf, face_png
from .placing import entry_runs, place_entry, seed_slots, shape_entry
from .printer import PrinterProfile, load_profile
from .state import CardState, Entry, check_state, default_state_path, read_state, utc_now, write_state
from .ticket import Ticket, new_job_id, ticket_name

PREVIEW_DPI = 300  # a screen preview for the clerk and the holder, not a print file
KIND_SEPARATOR = "\u3000"  # ideographic space, as between 新住所 and the address in the records


@dataclass(frozen=True)
class AnnotateRequest:
    layout: Path | LoadedLayout  # a file, or a layout already loaded (an office tool annotating many cards)
    record: Path
    entry: str
    out: Path
    kind: str = ""
    date: dt.date | None = None  # None: today
    date_pattern: str | None = None  # None: the layout's vars.annotation_date, else its template as written
    compact: bool = False
    state: Path | None = None  # None: beside the record
    printer: str | None = None


@dataclass(frozen=True)
class Plan:
    record_id: str
    area: AnnotationArea
    profile: PrinterProfile
    entry: Entry
    number: int  # 1-based position of the new entry in the state
    note: str | None
    job: Face  # only the new entry, in card coordinates (before the printer's transform)
    preview: Scene  # the whole card with every entry
    out: Path
    state_path: Path
    state: CardState
    record_file: Path | None = None
    layout_file: Path | None = None
    my_number: str = field(default="", repr=False)  # for the audit log's keyed hash only

    def ticket(self) -> Ticket:
        """The job ticket (paths absolute: a clerk may confirm from another folder)."""
        assert self.entry.job is not None and self.record_file is not None and self.layout_file is not None
        name = f"{self.record_id}-entry{self.number}"
        return Ticket(
            job=self.entry.job,
            record=self.record_id,
            entry=self.number,
            state=self.state_path.resolve(),
            record_file=self.record_file.resolve(),
            layout=self.layout_file.resolve(),
            files=(f"{name}.pdf", f"{name}.png"),
            created=self.entry.created.strftime("%Y-%m-%dT%H:%M:%SZ") if self.entry.created else "",
            path=self.out / ticket_name(self.record_id, self.number),
        )

    def files(self) -> list[tuple[Path, bytes]]:
        """The print job (PDF, PNG) and the preview (a PNG per face), rendered."""
        name = f"{self.record_id}-entry{self.number}"
        files = [
            (self.out / f"{name}.pdf", face_pdf(self.job, self.profile, title=f"faceprint annotation {name}")),
            (self.out / f"{name}.png", face_png(self.job, self.profile)),
        ]
        for f in self.preview.faces:
            image = png_bytes(paint(f, PREVIEW_DPI), PREVIEW_DPI)
            files.append((self.out / f"{self.record_id}-preview-{f.name}.png", image))
        if self.entry.job is not None and self.record_file is not None and self.layout_file is not None:
            ticket = self.ticket()
            files.append((ticket.path, ticket.to_bytes()))
        return files

    def summary(self) -> str:
        e, a = self.entry, self.area
        where = f"line {e.line}" if e.span == 1 else f"lines {e.line}–{e.last_line}"
        if e.half:
            where += f" ({e.half} half)"
        free, half = self.state.free_lines, self.state.open_half
        if free:
            left = f"{free} of {a.lines} lines free"
        elif half is not None:
            left = f"no line free, but the lower half of line {half.line} takes one more compact entry"
        else:
            left = "the area is now full: the next change needs a new card"
        text = f"{self.record_id}: entry {self.number} on {where} of the annotation area ({a.face}, layout {a.layout_name})"
        return f"{text}; {left}" + (f"\nnote: {self.note}" if self.note else "")


def _clean(value: str, option: str) -> str:
    text = value.strip()
    for ch in text:
        if unicodedata.category(ch) == "Cc":
            raise UsageError(f"{option} contains the control character U+{ord(ch):04X}; an entry is one line of text")
    return text


def _seed(area: AnnotationArea, record: Record, ctx: Mapping[str, Any], formatter: EntryFormatter) -> CardState:
    """The state of a card as issued: the record's annotations where the layout printed them."""
    state = CardState(record.id, area.layout_name, area.element_id, area.face, area.lines)
    if not record.annotations:
        return state
    items = [{"date": a.date, "text": a.text} for a in record.annotations]
    singles = [formatter.text(ctx, [item]) for item in items]
    slots = seed_slots(area, shape_entry(area, formatter.text(ctx, items)), [shape_entry(area, s) for s in singles])
    entries = tuple(
        Entry(a.date, "", a.text, printed, s.line, s.span, s.half, s.size_pt, s.hscale, "record")
        for a, printed, s in zip(record.annotations, singles, slots, strict=True)
    )
    return replace(state, entries=entries)


def job_face(area: AnnotationArea, loaded: LoadedLayout, runs: list[GlyphRun]) -> Face:
    card = loaded.layout.card
    return Face(area.face, card.width, card.height, tuple(runs), (), (), 0.0, card.safe_margin, card.corner_radius)


def preview_scene(resolver: Resolver, area: AnnotationArea, record: Record, ctx: Mapping[str, Any], state: CardState) -> Scene:
    """The whole card with the state's entries drawn where they are printed.

    The record's own annotations are left out of the template context (the layout would set them as one
    block, condensed alike), and each entry is drawn as it was printed: that is what the card shows.
    """
    scene = resolver.resolve({**ctx, "annotations": []}, record_id=record.id)
    runs: tuple[Item, ...] = ()
    for entry in state.entries:  # each entry as printed; pending ones outlined, void ones struck through
        runs += (*entry_runs(area, entry), *entry_marks(area, entry))
    faces = tuple(replace(f, items=f.items + runs) if f.name == area.face else f for f in scene.faces)
    return replace(scene, faces=faces)


def plan_annotation(req: AnnotateRequest) -> Plan:
    text = _clean(req.entry, "--entry")
    kind = _clean(req.kind, "--kind")
    if not text:
        raise UsageError("--entry is empty")
    pattern = check_date_pattern(req.date_pattern) if req.date_pattern else None
    profile = load_profile(req.printer)
    loaded = req.layout if isinstance(req.layout, LoadedLayout) else load_layout(req.layout)
    resolver = Resolver(loaded)
    area = find_area(loaded, resolver)
    profile.check_face(area.face)
    layout_pattern = layout_date_pattern(loaded)
    record = load_record(req.record)
    state_path = req.state or default_state_path(req.record)
    day = req.date or dt.date.today()
    try:
        from ..render import layout_derives_romaji

        ctx = record.template_context(derive_romaji=layout_derives_romaji(loaded))
        if record.issued_on is not None and day < record.issued_on:
            raise UsageError(
                f"--date {day.isoformat()} is before the card's issue date {record.issued_on.isoformat()}; "
                "an annotation is a later entry"
            )
        state = read_state(state_path)
        if state is None:
            state = _seed(area, record, ctx, EntryFormatter(loaded, area, layout_pattern))
        else:
            check_state(
                state,
                record_id=record.id,
                layout=area.layout_name,
                element=area.element_id,
                face=area.face,
                lines=area.lines,
                source=str(state_path),
            )
        if state.entries and day < state.entries[-1].date:
            last = state.entries[-1].date.isoformat()
            raise UsageError(f"--date {day.isoformat()} is before the last entry's date {last}; entries are listed oldest first")
        label = f"{kind}{KIND_SEPARATOR}{text}" if kind else text
        printed = EntryFormatter(loaded, area, pattern or layout_pattern).text(ctx, [{"date": day, "text": label}])
        slot, note = place_entry(area, state, shape_entry(area, printed), compact=req.compact)
        entry = Entry(
            day, kind, text, printed, slot.line, slot.span, slot.half, slot.size_pt, slot.hscale, "annotate",
            status="pending", job=new_job_id(), created=utc_now(),
        )  # fmt: skip
        new_state = state.with_entry(entry)
        number = len(new_state.entries)
        face = job_face(area, loaded, entry_runs(area, entry))
        preview = preview_scene(resolver, area, record, ctx, new_state)
    except DataError as exc:
        raise exc.with_record(record.id) from None
    layout_file = loaded.path if isinstance(req.layout, LoadedLayout) else req.layout
    return Plan(
        record.id, area, profile, entry, number, note, face, preview, req.out, state_path, new_state,
        record_file=req.record, layout_file=Path(layout_file), my_number=record.my_number,
    )  # fmt: skip


def write_plan(plan: Plan) -> list[Path]:
    """Every file rendered first, then each written atomically and owner-only; the state last."""
    files = plan.files()
    for path, data in files:
        write_atomic(path, data)
    write_state(plan.state_path, plan.state)
    return [path for path, _ in files] + [plan.state_path]
