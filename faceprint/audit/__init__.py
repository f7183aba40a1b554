"""The audit log (issue #16): who printed which card, when, from which layout, provably unedited.

``key`` (the office's secret, and the keyed hash of the individual number) → ``log`` (the line format,
the hash chain, locked append-only writing) → ``recorder`` (what commands call: one line per card)
→ ``verify`` (checking the chain, finding one card's lines) → ``cli`` (``faceprint audit …`` and the
``--audit-log``/``--audit-key``/``--operator`` options).
"""

from __future__ import annotations

from .key import AuditKey, keygen, load_key
from .recorder import Auditor
from .verify import Verdict, find, verify

__all__ = ["AuditKey", "Auditor", "Verdict", "find", "keygen", "load_key", "verify"]
