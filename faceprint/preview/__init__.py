"""Designer tools: the live preview server (``faceprint preview``) and the visual diff (``faceprint diff``).

Standard library only (http.server, server-sent events, a stat-polling watcher), so the preview runs
wherever faceprint does; the page is plain HTML/JS/CSS from ``static/``.
"""

from __future__ import annotations
