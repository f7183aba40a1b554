"""The office's audit key: the secret that turns an individual number into a keyed hash for the log.

A plain SHA-256 of a 12-digit number whose last digit is a check digit is reversed by trying the 10^11
candidates: minutes on one GPU. HMAC-SHA-256 with a 256-bit secret kept outside the log cannot be
reversed without the secret, yet the same number always gives the same value, so ``faceprint audit
find`` (with the key) lists one card's lines. The key file is made by ``faceprint audit keygen``,
owner-only (0600), and refused when others can read it.

File format (text, two lines)::

    faceprint-audit-key 1
    <64 hex digits: 32 random bytes>
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, UsageError
from ..rules import mynumber

KEY_HEADER = "faceprint-audit-key 1"
KEY_BYTES = 32  # 256 bits, HMAC-SHA-256's block-size-safe, full-strength key length (RFC 2104 §3)
KEY_MODE = 0o600


@dataclass(frozen=True)
class AuditKey:
    secret: bytes = field(repr=False)
    source: str

    @property
    def key_id(self) -> str:
        """A short public name of the key, logged on each line: says which key a log needs, reveals nothing."""
        return hmac.new(self.secret, b"faceprint audit key id", hashlib.sha256).hexdigest()[:16]

    def number_mac(self, number: str) -> str:
        """HMAC-SHA-256 of the number in its canonical form (12 ASCII digits, separators removed)."""
        canonical = mynumber.validate(number)
        return hmac.new(self.secret, canonical.encode("ascii"), hashlib.sha256).hexdigest()


def keygen(path: Path) -> AuditKey:
    """Write a new key to ``path`` (0600, never over an existing file: that key may hash a log already)."""
    secret = secrets.token_bytes(KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_MODE)
    except FileExistsError:
        raise UsageError(f"{path} exists: a key may already hash a log; keep it, or move it away first") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot create the key file: {exc.strerror or exc}") from None
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(f"{KEY_HEADER}\n{secret.hex()}\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(path, KEY_MODE)  # the umask may have narrowed O_CREAT's mode; make it exact
    return AuditKey(secret, str(path))


def load_key(path: Path) -> AuditKey:
    """The key in ``path``; a usage error if it is missing, malformed or readable by others."""
    try:
        st = path.stat()
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise UsageError(f"audit key {path}: no such file (make one with 'faceprint audit keygen FILE')") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"audit key {path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise UsageError(f"audit key {path}: not a regular file")
    if st.st_mode & 0o077:
        raise UsageError(f"audit key {path}: readable by others (mode {st.st_mode & 0o777:o}); chmod 600 it")
    lines = text.split("\n")
    if len(lines) < 2 or lines[0] != KEY_HEADER or len(lines[1]) != 2 * KEY_BYTES:
        raise UsageError(f"audit key {path}: not a faceprint audit key (expected '{KEY_HEADER}' and 64 hex digits)")
    try:
        secret = bytes.fromhex(lines[1])
    except ValueError:
        raise UsageError(f"audit key {path}: the key line is not hexadecimal") from None
    return AuditKey(secret, str(path))


def mac_or_none(key: AuditKey, number: object) -> str | None:
    """The keyed hash of a number that validates; None for a missing or invalid one (a failed record)."""
    if not isinstance(number, str):
        return None
    try:
        return key.number_mac(number)
    except (ValueError, DataError):
        return None
