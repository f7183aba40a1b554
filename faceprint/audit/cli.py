"""``faceprint audit keygen|verify|find``, and the audit options every card-producing command shares.

Exit status: ``verify`` 0 when the chain is intact, 1 at the first broken line; ``find`` 0 (lines
listed, possibly none); 2 for a usage error (no such log, a key readable by others, logging asked for
without a key).
"""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path

from ..errors import UsageError
from .key import keygen, load_key
from .recorder import Auditor
from .verify import find, other_keys, verify

LOG_ENV = "FACEPRINT_AUDIT_LOG"
KEY_ENV = "FACEPRINT_AUDIT_KEY"


def add_audit_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--audit-log", default=None, help=f"append one line per card to this audit log (default: ${LOG_ENV}; off)")
    p.add_argument("--audit-key", default=None, help=f"the office's audit key file (default: ${KEY_ENV})")
    p.add_argument("--operator", default=None, help="who runs the command, for the audit log (default: the OS user)")


def _operator(given: str | None) -> str:
    if given is not None:
        if not given.strip() or not given.isprintable():
            raise UsageError("--operator must be a printable, non-empty name")
        return given.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


def auditor_from_args(args: argparse.Namespace, command: str, layout: Path | None) -> Auditor | None:
    """The command's auditor, or None when no log is named (flag or environment)."""
    log = getattr(args, "audit_log", None) or os.environ.get(LOG_ENV)
    if not log:
        return None
    key_file = getattr(args, "audit_key", None) or os.environ.get(KEY_ENV)
    if not key_file:
        raise UsageError(
            f"the audit log {log} needs the office's key (--audit-key or ${KEY_ENV}): the log keeps the individual "
            "number only as a keyed hash; make a key once with 'faceprint audit keygen FILE'"
        )
    return Auditor(Path(log), load_key(Path(key_file)), _operator(getattr(args, "operator", None)), command, layout)


def _cmd_keygen(args: argparse.Namespace) -> int:
    key = keygen(Path(args.file))
    print(f"{args.file}: new audit key {key.key_id} (owner-only); keep it outside the log, and back it up")
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    log = Path(args.log)
    verdict = verify(log)
    print(verdict.message(log))
    return 0 if verdict.ok else 1


def _cmd_find(args: argparse.Namespace) -> int:
    key_file = args.audit_key or os.environ.get(KEY_ENV)
    if not key_file:
        raise UsageError(f"audit find needs the key the log was written with (--audit-key or ${KEY_ENV})")
    key = load_key(Path(key_file))
    log = Path(args.log)
    hits = 0
    for n, line in find(log, key, args.number):
        hits += 1
        outputs = ", ".join(f"{name} {sha[:12]}…" for name, sha in line["outputs"].items()) or "no files"
        print(f"line {n}: {line['time']} {line['operator']} {line['command']} {line['record']} {line['outcome']} ({outputs})")
    print(f"{hits} line{'s' if hits != 1 else ''} for this card")
    if not hits and (others := other_keys(log, key)):
        print(f"note: lines of this log were hashed with other keys ({', '.join(sorted(others))}), not with {key.key_id}")
    return 0


def add_audit_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("audit", help="the audit log: make its key, verify its chain, find one card's lines")
    audit = p.add_subparsers(dest="audit_command", required=True)
    k = audit.add_parser("keygen", help="make the office's audit key (a new file, owner-only)")
    k.add_argument("file")
    k.set_defaults(func=_cmd_keygen)
    v = audit.add_parser("verify", help="check the hash chain; report the first broken, edited, removed or reordered line")
    v.add_argument("log")
    v.set_defaults(func=_cmd_verify)
    f = audit.add_parser("find", help="list the lines of one card, found by its individual number with the key")
    f.add_argument("log")
    f.add_argument("--number", required=True, help="the card's individual number (12 digits; never logged)")
    f.add_argument("--audit-key", default=None, help=f"the key the log was written with (default: ${KEY_ENV})")
    f.set_defaults(func=_cmd_find)
