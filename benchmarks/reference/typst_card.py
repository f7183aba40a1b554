"""Reference: the next-gen card as a Typst template (card.typ) compiled per card through PyPI ``typst``.

    python benchmarks/reference/typst_card.py RECORDS.jsonl --out DIR [--tags] [--png PPI]

What a Typst user would write instead of faceprint: one ``typst.Compiler`` made once (fonts from
fonts/ and IPAmj Mincho via ``font_paths``, system fonts ignored), then per card the record passed
as JSON in ``sys_inputs`` and one ``compile(format="pdf")`` returning the bytes of a two-page PDF.
The files a card needs are written into the compiler's root folder under fixed names before each
compile (the installed typst 0.15 Python API takes a path or bytes for the main file only, no
dict of files): the portrait as a greyscale JPEG (prepared in Python exactly as the reportlab
reference does, see common.py; Typst cannot make an image greyscale) and both QR codes as SVGs
made by segno (Typst draws them as vectors). The compiler re-reads changed files on every compile.

PDF tagging (Typst's default, ``pdf_tags=True``) is off unless ``--tags``: faceprint's and
reportlab's PDFs are untagged, and a user after speed would turn it off.

``--png PPI``: instead of the PDF, ``compile(format="png", ppi=PPI)``, one PNG per page written as
``<id>-front.png`` and ``<id>-back.png`` (the PNG peer of faceprint's PNG output).
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import segno
import typst

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import FONTS, ipamj_path, portrait_jpeg, run, write_file

TEMPLATE = Path(__file__).resolve().parent / "card.typ"


def qr_svg(value: str, quiet: int) -> bytes:
    buf = io.BytesIO()
    segno.make(value, error="m", micro=False, boost_error=False).save(
        buf, kind="svg", scale=1, border=quiet, dark="#000", light="#fff", xmldecl=False
    )
    return buf.getvalue()


def setup(args: argparse.Namespace) -> Callable[[dict[str, Any], Path], None]:
    root = Path(tempfile.mkdtemp(prefix="typst-card-"))
    shutil.copy(TEMPLATE, root / "card.typ")
    font_paths = [str(FONTS)]
    ipamj = ipamj_path()
    if ipamj is not None:
        font_paths.append(str(ipamj.parent))
    compiler = typst.Compiler(root / "card.typ", root=root, font_paths=font_paths, ignore_system_fonts=True)
    files = {"photo": "photo.jpg", "qr-collation": "qr-collation.svg", "qr-number": "qr-number.svg"}
    tags = bool(args.tags)
    ppi = float(args.png) if args.png else None

    def draw_card(rec: dict[str, Any], path: Path) -> None:
        jpeg, _, _ = portrait_jpeg(rec["photo"])
        write_file(root / files["photo"], jpeg)
        write_file(root / files["qr-collation"], qr_svg(rec["collation_number"], 2))
        write_file(root / files["qr-number"], qr_svg(rec["my_number"], 4))
        inputs = {"record": json.dumps(rec, ensure_ascii=False), **files}
        if ppi is not None:
            pages = compiler.compile(format="png", ppi=ppi, sys_inputs=inputs)
            assert isinstance(pages, list) and len(pages) == 2, "the card template has two pages"
            for face, png in zip(("front", "back"), pages, strict=True):
                write_file(path.with_name(f"{path.stem}-{face}.png"), png)
            return
        data = compiler.compile(format="pdf", sys_inputs=inputs, pdf_tags=tags)
        assert isinstance(data, bytes)
        write_file(path, data)

    import atexit

    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return draw_card


def _args(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--tags", action="store_true", help="write tagged PDF (Typst's default)")
    ap.add_argument("--png", type=float, default=0, metavar="PPI", help="write both faces as PNGs at PPI instead")


if __name__ == "__main__":
    run(__doc__.splitlines()[0], setup, _args)
