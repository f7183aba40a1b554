"""Every limit that keeps a hostile or careless layout from crashing, hanging or exhausting memory.

Each limit is a named constant with the reason for its value; an error that hits one names it
(``limit_message``), so a designer who really needs more can see which figure stopped them. None
comes from a published standard: all are project choices, sized with wide headroom over the
shipped layouts (``layouts/*/card.yaml``: under 30 kB, about 150 elements, nesting depth 6).
"""

from __future__ import annotations

# -- layout files ---------------------------------------------------------------------------------
# Project choice: the shipped layouts are under 30 kB; 30 times that is still a hand-written file.
MAX_LAYOUT_BYTES = 1_000_000
# Project choice: YAML nodes after aliases are expanded. An alias bomb ("billion laughs") is a few
# lines that expand to 10^9 nodes; the shipped layouts have about 3,000.
MAX_LAYOUT_NODES = 100_000
# Project choice: mappings and lists inside each other; the shipped layouts nest 6 deep.
MAX_LAYOUT_DEPTH = 40
# Project choice: layouts extending layouts; the shipped ones use one level.
MAX_EXTENDS_DEPTH = 16
# Project choice: elements on both faces together; the shipped layouts have about 150.
MAX_ELEMENTS = 5_000
# Project choice: points of one line, path or microtext baseline.
MAX_POINTS = 10_000

# -- geometry and type ------------------------------------------------------------------------------
# Project choice: every coordinate and length lies within ±1 m. An ID-1 card is 85.60 × 53.98 mm
# (card-standards §1) and an imposed A3 sheet 420 mm; a metre is a typo, and far larger figures
# overflow pixel buffers.
MAX_LENGTH_MM = 1_000.0
# Project choice: a card's width and height. ISO/IEC 7810's largest format, ID-3, is 125 × 88 mm.
MAX_CARD_MM = 130.0
# Project choice: the bleed round a card; printers ask for 1–3 mm.
MAX_BLEED_MM = 10.0
# Project choice: pixels of one raster (PNG, engraving) image. A whole ID-1 face with 2 mm bleed at the
# command line's 4,800 dpi maximum is 185 million (555 MB in RGB).
MAX_RASTER_PIXELS = 250_000_000
# Project choice: a type size above the card's whole height (53.98 mm ≈ 153 pt) is a mistake; 300 pt
# leaves room for a poster proof of a label.
MAX_TYPE_SIZE_PT = 300.0
# Project choice: the smallest floor a ``shrink`` fit step may name. Fitting never goes below its
# floor; a floor of 0 printed a name at 0.71 pt. 4 pt is below the 6 pt universal-design floor that
# lint warns about, so a layout may still choose a small floor deliberately.
MIN_SHRINK_FLOOR_PT = 4.0
# Project choice: line pitch as a multiple of the type size.
MAX_LINE_HEIGHT = 10.0
# Project choice: microtext em height. The layout docs allow type down to 0.2 mm; half of that is
# finer than any card printer resolves (0.1 mm is 4 px at 1200 dpi).
MIN_MICROTEXT_HEIGHT_MM = 0.1
# Project choice: glyphs in one microtext element (a 0.2 mm border round an ID-1 card holds ~2,000).
MAX_MICROTEXT_GLYPHS = 100_000
# Project choice: the coarsest screen of a screened image; its threshold tile is built pixel by pixel,
# and a ghost portrait's screen is a fraction of a millimetre.
MAX_SCREEN_PITCH_MM = 5.0
# Project choice: the shortest dash or gap of a dashed line; shorter ones drew millions of segments.
MIN_DASH_MM = 0.01
# Project choice: curve points of one guilloche element (lines × samples); the shipped rosette has
# 12 × 480. Ten million points took minutes and gigabytes.
MAX_GUILLOCHE_POINTS = 1_000_000
# Project choice: light margin of a QR symbol in modules (ISO/IEC 18004 §7.3.7 asks for 4).
MAX_QR_QUIET_ZONE = 40
# Project choice: the smallest QR module. Below 0.1 mm (5 px at 1,200 dpi) no phone camera resolves
# one; the shipped layouts' QR codes have modules of 0.25 mm and more.
MIN_QR_MODULE_MM = 0.1
# Smallest QR symbol (version 1), ISO/IEC 18004 §5.3.1: 21 × 21 modules.
QR_VERSION_1_MODULES = 21
# Project choice: pixels one image element may hold (box at its max_dpi): a whole ID-1 face at
# 2,400 dpi is 41 million.
MAX_IMAGE_PIXELS = 64_000_000

# -- templates (jinja2, sandboxed) ------------------------------------------------------------------
# Project choice: characters of one template in a layout; the longest shipped one is under 300.
MAX_TEMPLATE_SOURCE_CHARS = 20_000
# Project choice: loop steps, calls and attribute reads of one template render. A card's templates
# take tens; a recursive macro or nested loops take billions.
MAX_TEMPLATE_STEPS = 100_000
# Project choice: wall-clock time of one template render, checked at every step above.
MAX_TEMPLATE_SECONDS = 2.0
# Project choice: the longest string or list a template may build (by ``*``, padding, format widths)
# and the largest number it may pass to a filter or method; ``'x' * 10**9`` took 1 GB.
MAX_TEMPLATE_SIZE = 100_000
# Project choice: the largest exponent of ``**`` in a template; ``9**9**9`` ran for hours.
MAX_TEMPLATE_EXPONENT = 1_000

# -- the preview server ---------------------------------------------------------------------------
# Project choice: the largest request body the preview reads; its requests are a record name (bytes).
MAX_REQUEST_BODY_BYTES = 64 * 1024
# Project choice: how long the preview waits for a body that is shorter than its Content-Length
# (the page's own requests arrive in one packet).
MAX_REQUEST_BODY_SECONDS = 5.0


def limit_message(name: str, value: float, what: str) -> str:
    """The words every limit error carries: which limit was hit, its value, and what it counts."""
    return f"over the limit {name} = {value:,} ({what})"
