"""An exclusive lock on a file that dies with its process, waited for a bounded time.

Used for a card's annotation state (two clerks on one card, issue #14 §5) and the audit log (batch
workers and clerks appending to one chain, issue #16). It is a POSIX record lock (``fcntl.lockf``, i.e.
``fcntl(F_SETLK)``), not ``flock``: record locks are what NFS (through its lock manager, NLM or NFSv4's
built-in locking) and SMB/CIFS mounts pass on to the server, so two PCs sharing the card folder over
the network exclude each other too. The kernel drops the lock when the process exits, however it
exits (SIGKILL, power cut of the client: the server's lease), so a crashed run never blocks the card.

One rule of POSIX record locks: closing *any* descriptor of the file in the same process drops the
process's lock on it, so the lock file is a file of its own that nothing else opens (``<file>.lock``),
and a process takes one lock per file at a time.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import DataError

# Project choice: a card update (render the job, write it) takes about a second; a clerk waits up to
# this long for another clerk's update of the same card to finish, then is told to try again.
LOCK_WAIT_SECONDS = 20.0
LOCK_POLL_SECONDS = 0.05  # how often a waiting process tries again
LOCK_MODE = 0o600


class Busy(DataError):
    """Another process holds the lock and did not let go in time."""


def lock_path(path: Path) -> Path:
    """The lock file beside ``path``: ``S02.annotations.json`` → ``S02.annotations.json.lock``."""
    return path.with_name(f"{path.name}.lock")


@contextlib.contextmanager
def exclusive(path: Path, *, what: str, wait: float | None = None) -> Iterator[None]:
    """Hold the lock of ``path`` (its lock file) for the block; ``Busy`` naming ``what`` after ``wait`` s.

    The lock file is left in place: removing it would race with a process about to lock it.
    """
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    lock = lock_path(path)
    lock.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, LOCK_MODE)
    except OSError as exc:
        raise DataError(f"{what}: cannot open the lock file {lock}: {exc.strerror or exc}") from None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EACCES, errno.EAGAIN):
                    raise DataError(f"{what}: cannot lock {lock}: {exc.strerror or exc}") from None
            if time.monotonic() >= deadline:
                raise Busy(f"{what} is being updated by another run (lock {lock} held for over {wait:g} s); try again")
            time.sleep(LOCK_POLL_SECONDS)
        yield
    finally:
        os.close(fd)  # closing drops the lock
