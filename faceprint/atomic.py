"""Writing outputs safely: owner-only (0600) from the first byte, and never half-written.

Card outputs hold the individual number, so each file is created with mode 0600 under a
temporary name in the target folder, flushed to disk, then renamed over the final name: a
crash leaves either the old file or the new one, never a torn file. Folders faceprint creates
are owner-only too (0700). A process killed mid-write (SIGKILL, power loss) leaves its temporary
behind; the next faceprint process writing into that folder removes it, once it is sure the
temporary is stale: its owner process is gone, or it is older than any write can take.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import socket
import time
from pathlib import Path

from PIL import Image

from .png_encode import png_encode

OUTPUT_MODE = 0o600
OUTPUT_DIR_MODE = 0o700  # folders faceprint creates: the files in them hold personal data
# A temporary older than this is stale whoever wrote it: every write is of bytes already in memory
# and takes seconds at most, even on a slow network share. Another host's process cannot be asked
# whether it still lives, so for its temporaries this age is the only test. Project choice.
STALE_TEMP_SECONDS = 15 * 60
# ".<final name>.<host>.<pid>.<8 hex>.tmp" (write_atomic) and ".faceprint-probe-<hex>.tmp" (the Dask
# client's probe): only files of these names are ever removed.
_TEMP_NAME = re.compile(r"\.(?P<stem>.+)\.(?P<pid>[0-9]+)\.[0-9a-f]{8}\.tmp")
_PROBE_NAME = re.compile(r"\.faceprint-probe-[0-9a-f]+\.tmp")
_prepared_dirs: set[str] = set()
# zlib level for PNGs Pillow encodes (modes png_encode leaves to it): level 1 is ~20 % faster than 3
# for ~3 % more bytes (measured on a 600 dpi face).
PNG_COMPRESS_LEVEL = 1


def ensure_output_dir(folder: Path) -> None:
    """Create ``folder`` (and missing parents) owner-only; clear its stale temporaries once per process."""
    key = os.path.abspath(folder)
    if key in _prepared_dirs:
        return
    make_private_dirs(folder)
    remove_stale_temporaries(folder)
    _prepared_dirs.add(key)


def make_private_dirs(folder: Path) -> None:
    """``mkdir -p`` with mode 0700 for every folder created here; existing folders keep their mode."""
    missing: list[Path] = []
    current = Path(os.path.abspath(folder))
    while not current.is_dir():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=OUTPUT_DIR_MODE)
        except FileExistsError:
            if created.is_dir():
                continue  # a concurrent worker made it: its mode is its maker's business
            raise
        os.chmod(created, OUTPUT_DIR_MODE)  # mkdir's mode is masked by the umask; make it exact


def remove_stale_temporaries(folder: Path, *, now: float | None = None) -> int:
    """Remove the temporaries of faceprint's own naming that no live writer owns; return how many.

    A temporary of this host is stale once its process is gone; any is stale after
    ``STALE_TEMP_SECONDS``. A live writer's temporary (a concurrent batch worker's) is never touched.
    """
    now = time.time() if now is None else now
    host = socket.gethostname()
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        name = entry.name
        if not (name.startswith(".") and name.endswith(".tmp")):
            continue
        match = _TEMP_NAME.fullmatch(name)
        if match is None and _PROBE_NAME.fullmatch(name) is None:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        old = now - st.st_mtime > STALE_TEMP_SECONDS
        ours_dead = match is not None and match["stem"].endswith(f".{host}") and not _alive(int(match["pid"]))
        if old or ours_dead:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
                removed += 1
    return removed


def _alive(pid: int) -> bool:
    """Whether a process of this host has this pid (a reused pid only delays removal to the age test)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # it exists but belongs to someone else, or cannot be asked: leave it
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether ``pid`` has exited and only waits to be reaped: a killed batch's worker whose parent
    died with it stays a zombie until an init that is slow to reap gets to it, and writes nothing."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat_line = fh.read()
    except OSError:
        return False  # no /proc (not Linux) or gone: the signal test decided
    return stat_line[stat_line.rfind(b")") + 2 : stat_line.rfind(b")") + 3] == b"Z"


def write_atomic(path: Path, data: bytes, *, mode: int = OUTPUT_MODE) -> None:
    ensure_output_dir(path.parent)
    # host, process and a random token: writers on several machines may share one output folder (Dask)
    tmp = path.with_name(f".{path.name}.{socket.gethostname()}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # O_CREAT's mode is masked by the umask; make it exact
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def png_bytes(image: Image.Image, dpi: float) -> bytes:
    """PNG bytes by the project's encoder (unfiltered rows, zlib level 1: see ``png_encode``)."""
    return png_encode(image, dpi, fallback_level=PNG_COMPRESS_LEVEL)


def image_file_bytes(image: Image.Image, path: Path, dpi: float) -> bytes:
    """The image encoded in the format its file name asks for (``.png``, ``.jpg`` …), for ``write_atomic``."""
    fmt = Image.registered_extensions().get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"unknown image file extension {path.suffix!r}")
    buf = io.BytesIO()
    image.save(buf, fmt, dpi=(dpi, dpi))
    return buf.getvalue()
