"""The municipal counter's cycle: print (pending), then confirm (printed) or void, under the card's lock.

``annotate_card`` plans and writes a job with the card state locked, so two clerks on one card never
both take the same lines: the second waits for the first (up to ``LOCK_WAIT_SECONDS``), then plans
below the first's entry, or is told the card is being updated (exit 1). ``confirm`` and ``void`` start
from a job ticket and change only that job's entry, also under the lock. The state is re-read inside
the lock every time: what another clerk wrote a moment ago is never overwritten.

Transitions (issue #16)::

    pending --confirm--------------> printed
    pending --void --printed-------> void      (spoiled: lines stay used)
    printed --void --printed-------> void      (a fault seen after confirming)
    pending --void --not-printed---> released  (never printed: lines free again)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import DataError, UsageError
from ..locking import exclusive
from .job import AnnotateRequest, Plan, plan_annotation, write_plan
from .state import CardState, Entry, default_state_path, read_state, utc_now, write_state
from .ticket import Ticket, read_ticket, tickets_in

PENDING_STALE = dt.timedelta(days=1)  # issue #16: a job not confirmed or voided within a day is flagged


def annotate_card(req: AnnotateRequest) -> tuple[Plan, list[Path]]:
    """Plan and write one entry, the card state locked from reading it to writing it."""
    state_path = req.state or default_state_path(req.record)
    with exclusive(state_path, what=f"this card (state {state_path})"):
        plan = plan_annotation(req)
        return plan, write_plan(plan)


@dataclass(frozen=True)
class Change:
    ticket: Ticket
    number: int
    before: Entry
    after: Entry
    outcome: str  # the audit log's: printed, void-printed, void-not-printed

    def summary(self) -> str:
        e = self.before
        where = f"line {e.line}" if e.span == 1 else f"lines {e.line}–{e.last_line}"
        text = {
            "printed": f"entry {self.number} on {where} is printed",
            "void-printed": f"entry {self.number} on {where} is void (spoiled); its lines stay used",
            "void-not-printed": f"entry {self.number} was not printed; {where} {'is' if e.span == 1 else 'are'} free again",
        }[self.outcome]
        return f"{self.ticket.record}: {text}"


def pending_ticket(job: Path) -> Ticket:
    """The ticket JOB names: a ticket file, or the one ticket in a folder whose entry is still pending."""
    paths = tickets_in(job)
    if len(paths) == 1:
        return read_ticket(paths[0])
    open_ = []
    for path in paths:
        ticket = read_ticket(path)
        state = read_state(ticket.state)
        found = state.find_job(ticket.job) if state is not None else None
        if found is not None and found[1].status == "pending":
            open_.append(ticket)
    if len(open_) == 1:
        return open_[0]
    if not open_:
        raise DataError(f"{job}: no pending job here (every job in this folder was confirmed or voided)")
    names = ", ".join(t.path.name for t in open_)
    raise UsageError(f"{job} holds {len(open_)} pending jobs ({names}); name the ticket file")


def _change(job: Path, decide: Callable[[Ticket, CardState, int, Entry], tuple[CardState, Entry, str]]) -> Change:
    ticket = pending_ticket(job)
    with exclusive(ticket.state, what=f"this card (state {ticket.state})"):
        state = read_state(ticket.state)
        found = state.find_job(ticket.job) if state is not None else None
        if state is None or found is None:
            gone = state is not None and any(e.job == ticket.job for e in state.released)
            why = "was voided as not printed already" if gone else "is not in the card state (the annotate run did not finish?)"
            raise DataError(f"job {ticket.path.name}: entry {ticket.entry} of {ticket.record} {why}")
        number, entry = found
        new_state, after, outcome = decide(ticket, state, number, entry)
        write_state(ticket.state, new_state)
    return Change(ticket, number, entry, after, outcome)


def _refuse(ticket: Ticket, number: int, entry: Entry, action: str) -> DataError:
    when = f" on {entry.changed:%Y-%m-%d %H:%M} UTC" if entry.changed else ""
    return DataError(f"job {ticket.path.name}: entry {number} of {ticket.record} is {entry.status}{when}; it cannot be {action}")


def confirm(job: Path) -> Change:
    """The card came out right: pending → printed."""

    def decide(ticket: Ticket, state: CardState, number: int, entry: Entry) -> tuple[CardState, Entry, str]:
        if entry.status != "pending":
            raise _refuse(ticket, number, entry, "confirmed")
        after = replace(entry, status="printed", changed=utc_now())
        return _replace_entry(state, number, after), after, "printed"

    return _change(job, decide)


def void(job: Path, *, printed: bool) -> Change:
    """A spoiled print (``printed``: lines stay used, marked void) or one that never happened (lines freed)."""

    def decide(ticket: Ticket, state: CardState, number: int, entry: Entry) -> tuple[CardState, Entry, str]:
        if printed:
            if entry.status == "void":
                raise _refuse(ticket, number, entry, "voided again")
            after = replace(entry, status="void", changed=utc_now())
            return _replace_entry(state, number, after), after, "void-printed"
        if entry.status != "pending":
            raise _refuse(ticket, number, entry, "freed: there is ink on its lines (use --printed)")
        if entry.half == "upper" and number < len(state.entries) and state.entries[number].half == "lower":
            raise DataError(
                f"job {ticket.path.name}: the lower half of line {entry.line} holds entry {number + 1}; the upper half "
                "cannot be freed under it: void it with --printed"
            )
        after = replace(entry, status="void", changed=utc_now())
        rest = state.entries[: number - 1] + state.entries[number:]
        return replace(state, entries=rest, released=(*state.released, after)), after, "void-not-printed"

    return _change(job, decide)


def _replace_entry(state: CardState, number: int, entry: Entry) -> CardState:
    entries = list(state.entries)
    entries[number - 1] = entry
    return replace(state, entries=tuple(entries))


def _stamp(value: dt.datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else "at issue"


def status_lines(state: CardState, source: str, now: dt.datetime | None = None) -> list[str]:
    """The card's lines, each printed / pending / void / free, with dates, for ``annotate status``."""
    now = now or utc_now()
    area = f"area '{state.element}' on the {state.face}, {state.lines} lines"
    out = [f"{state.record_id}: layout {state.layout}, {area} ({source})"]
    by_line: dict[int, list[tuple[int, Entry]]] = {}
    for n, entry in enumerate(state.entries, 1):
        for line in entry.lines_taken:
            by_line.setdefault(line, []).append((n, entry))
    for line in range(1, state.lines + 1):
        if line not in by_line:
            out.append(f"line {line}: free")
            continue
        for n, e in by_line[line]:
            half = f" ({e.half} half)" if e.half else ""
            if e.status == "pending":
                when = f"job written {_stamp(e.created)}"
                if e.created and now - e.created > PENDING_STALE:
                    when += ", over a day ago: confirm it or void it"
            elif e.status == "printed":
                when = f"printed {_stamp(e.changed or e.created)}" if e.source == "annotate" else "printed at issue"
            else:
                when = f"voided {_stamp(e.changed)} (spoiled print)"
            out.append(f"line {line}{half}: {e.status}, entry {n} dated {e.date.isoformat()}, {when}: {e.printed}")
    for e in state.released:
        out.append(f"released: entry dated {e.date.isoformat()}, voided as not printed {_stamp(e.changed)}: {e.printed}")
    return out
