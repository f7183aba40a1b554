"""``faceprint preview`` (live page for designers) and ``faceprint diff`` (two layouts compared)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError

# Below ~75 dpi a QR module is under one pixel and the raster backend cannot draw it; above 1200 a
# preview stops being quick.
MIN_DPI, MAX_DPI = 100, 1200


def _cmd_preview(args: argparse.Namespace) -> int:
    from .server import PreviewServer
    from .session import PreviewSession

    layout = Path(args.layout)
    if not layout.is_file():
        raise UsageError(f"layout not found: {layout}")
    data = Path(args.data) if args.data else None
    if data is not None and not data.exists():
        raise UsageError(f"--data not found: {data}")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must lie between 0 and 65535, got {args.port}")
    if not MIN_DPI <= args.dpi <= MAX_DPI:
        raise UsageError(f"--dpi must lie between {MIN_DPI} and {MAX_DPI}, got {args.dpi:g}")
    try:
        server = PreviewServer(PreviewSession(layout, data, dpi=args.dpi), port=args.port)
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}") from None
    print(f"faceprint preview: {server.url}  (127.0.0.1 only; Ctrl-C stops)", flush=True)
    if args.open:
        import webbrowser

        webbrowser.open(server.url)
    server.serve_until_interrupted()
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from ..atomic import png_bytes, write_atomic
    from ..layout_file.loader import load_layout
    from .diff import diff_layouts, load_diff_record

    if not MIN_DPI <= args.dpi <= MAX_DPI:
        raise UsageError(f"--dpi must lie between {MIN_DPI} and {MAX_DPI}, got {args.dpi:g}")
    layout_a, layout_b = load_layout(args.layout_a), load_layout(args.layout_b)
    record = load_diff_record(Path(args.data) if args.data else None)
    result = diff_layouts(layout_a, layout_b, record, dpi=args.dpi)
    for change in result.changes:
        print(change)
    if not result.changes:
        print("no element or setting changed")
    for face in result.faces:
        share = 100 * face.changed_pixels / max(1, face.total_pixels)
        print(f"{face.face}: {face.changed_pixels} pixels changed ({share:.2f} %)")
    out = Path(args.out)
    write_atomic(out, png_bytes(result.image, args.dpi))
    print(out)
    return 0


def add_preview_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``preview`` and ``diff`` to the ``faceprint`` command line."""
    p = sub.add_parser(
        "preview",
        help="serve a live preview of a layout on 127.0.0.1 (re-renders on every save, with guides and lint)",
    )
    p.add_argument("layout", help="layout file (YAML)")
    p.add_argument("--data", help="a record file, or a folder of records to pick from (default: a built-in specimen)")
    p.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765; 0 picks a free one)")
    p.add_argument("--dpi", type=float, default=200, help="resolution of the preview images (default 200)")
    p.add_argument("--open", action="store_true", help="open the page in the default browser")
    p.set_defaults(func=_cmd_preview)

    p = sub.add_parser("diff", help="compare two layouts: a picture of the changed pixels and a list of changed elements")
    p.add_argument("layout_a", help="the layout before")
    p.add_argument("layout_b", help="the layout after")
    p.add_argument("--data", help="record file to render both with (default: a built-in specimen)")
    p.add_argument("--out", required=True, help="the diff image (PNG)")
    p.add_argument("--dpi", type=float, default=150, help="resolution of the renders (default 150)")
    p.set_defaults(func=_cmd_diff)
