"""Print colour: RGB through the output intent's ICC profile, CMYK and spots untouched, black K only.

The RIP tests read the print PDFs with Ghostscript (``tiffsep``), a renderer faceprint does not
share code with, and check every plate region by region against values computed here from the
profiles directly.
"""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms

from faceprint.backends.pdf import PdfOptions, render_pdf
from faceprint.backends.pdf.prepress import print_margin
from faceprint.color import Color, ColourManagement, parse_color
from faceprint.errors import LayoutError, UsageError
from faceprint.icc import cmyk_converter
from faceprint.images import ImageLoadError, load_pixels, to_pil
from faceprint.records import load_record
from faceprint.render import CardRenderer
from faceprint.scene import Box

from .conftest import LAYOUT, SAMPLES
from .separations import ICC, PROCESS, RIP_DPI, WIDE_RGB_ICC, composite, lab, region, require_profile, separate

COLOUR_LAYOUT = Path(__file__).parent / "layouts" / "colour.yaml"
RECORD = SAMPLES / "records" / "08-hepburn-namba.json"
LABEL_BLUE = "#3b4f66"
ART_RGB = (90, 150, 60)  # a green that Adobe RGB and sRGB put far apart, inside both gamuts
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _converter(settings_: ColourManagement = ColourManagement()):  # noqa: B008  # frozen dataclass
    return cmyk_converter(require_profile(), settings_)


def _icc_cmyk(rgb: tuple[int, int, int], source: ImageCms.ImageCmsProfile, *, bpc: bool = True) -> np.ndarray:
    """The profile's CMYK for one pixel, straight from LittleCMS (relative colorimetric)."""
    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION if bpc else ImageCms.Flags.NONE
    t = ImageCms.buildTransform(
        source, ImageCms.getOpenProfile(str(require_profile())), "RGB", "CMYK", ImageCms.Intent.RELATIVE_COLORIMETRIC, flags=flags
    )
    return np.array(list(t.apply(Image.new("RGB", (1, 1), rgb)).tobytes())) / 255.0


def _ops(pdf: bytes) -> list[tuple[list[object], str]]:
    out = []
    with pikepdf.Pdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            out.extend((list(operands), str(op)) for operands, op in pikepdf.parse_content_stream(page))
    return out


def _fills(pdf: bytes) -> set[tuple[float, ...]]:
    return {tuple(round(float(v), 4) for v in operands) for operands, op in _ops(pdf) if op == "k"}


# -- the conversion itself ------------------------------------------------------------------------


def test_label_blue_is_the_profiles_colour_not_the_naive_formula() -> None:
    blue = parse_color(LABEL_BLUE)
    assert blue is not None
    default = _converter().color(blue)
    assert default.space == "cmyk"
    assert default.components == pytest.approx((0.80, 0.65, 0.41, 0.25), abs=0.01)  # relative + BPC
    plain = _converter(ColourManagement("relative-colorimetric", False)).color(blue)
    assert plain.components == pytest.approx((0.88, 0.71, 0.41, 0.29), abs=0.01)  # the figure issue 13 quotes
    # and it prints the designer's colour: CIELAB of the CMYK through the profile is the sRGB colour's (ΔE76 < 3)
    cmyk_img = Image.new("CMYK", (1, 1), tuple(round(v * 255) for v in plain.components))
    printed = lab(cmyk_img, ImageCms.getOpenProfile(str(ICC)), "CMYK")
    wanted = lab(Image.new("RGB", (1, 1), (0x3B, 0x4F, 0x66)), SRGB, "RGB")
    assert float(np.linalg.norm(np.subtract(printed, wanted))) < 3.0
    # the naive formula's colour would be far off
    naive = Image.new("CMYK", (1, 1), tuple(round(v * 255) for v in (0.4216, 0.2255, 0.0, 0.6)))
    assert float(np.linalg.norm(np.subtract(lab(naive, ImageCms.getOpenProfile(str(ICC)), "CMYK"), wanted))) > 6.0


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 255), st.integers(0, 255))
def test_neutrals_print_from_the_black_plate_only(a: int, b: int) -> None:
    conv = _converter()
    dark, light = sorted((a, b))
    k_dark = conv.color(Color("rgb", (dark / 255,) * 3)).components
    k_light = conv.color(Color("rgb", (light / 255,) * 3)).components
    assert k_dark[:3] == (0.0, 0.0, 0.0) and k_light[:3] == (0.0, 0.0, 0.0)
    assert k_dark[3] >= k_light[3]  # darker grey, more black


def test_black_is_solid_k_and_greys_keep_their_lightness() -> None:
    conv = _converter()
    assert conv.color(Color("rgb", (0.0, 0.0, 0.0))).components == (0.0, 0.0, 0.0, 1.0)
    assert conv.color(Color("rgb", (1.0, 1.0, 1.0))).components == (0.0, 0.0, 0.0, 0.0)
    press = ImageCms.getOpenProfile(str(ICC))
    for v in (0x40, 0x80, 0xC0):
        k = conv.color(Color("rgb", (v / 255,) * 3)).components[3]
        k_only = lab(Image.new("CMYK", (1, 1), (0, 0, 0, round(k * 255))), press, "CMYK")[0]
        managed = lab(Image.new("CMYK", (1, 1), tuple(round(c * 255) for c in _icc_cmyk((v, v, v), SRGB))), press, "CMYK")[0]
        assert k_only == pytest.approx(managed, abs=1.5)


@settings(max_examples=60, deadline=None)
@given(st.tuples(*[st.integers(0, 100)] * 4), st.integers(0, 100))
def test_cmyk_and_grey_colours_pass_through_untouched(cmyk: tuple[int, ...], grey: int) -> None:
    conv = _converter()
    colour = parse_color("cmyk({},{},{},{})".format(*cmyk))
    assert colour is not None and conv.color(colour) == colour
    g = parse_color(f"gray({grey}%)")
    assert g is not None and conv.color(g) == g


def test_a_profile_that_is_not_cmyk_is_a_usage_error(tmp_path: Path) -> None:
    rgb_profile = tmp_path / "srgb.icc"
    rgb_profile.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    with pytest.raises(UsageError, match="must be CMYK, this one is RGB") as info:
        cmyk_converter(rgb_profile, ColourManagement())
    assert info.value.exit_code == 2


# -- the real card's print PDF --------------------------------------------------------------------


@pytest.fixture(scope="module")
def card_scene():
    return CardRenderer(LAYOUT).scene(load_record(RECORD))


def test_print_pdf_paints_profile_colours(card_scene) -> None:
    pdf = render_pdf(card_scene, PdfOptions(print_ready=True, output_intent=require_profile()))
    fills = _fills(pdf)
    blue = _converter().color(Color("rgb", (0x3B / 255, 0x4F / 255, 0x66 / 255))).components
    assert tuple(round(v, 4) for v in blue) in fills
    assert (0.4216, 0.2255, 0.0, 0.6) not in fills
    assert not {op for _, op in _ops(pdf)} & {"rg", "RG"}


def test_without_an_output_intent_the_naive_formula_stays(card_scene) -> None:
    fills = _fills(render_pdf(card_scene, PdfOptions(print_ready=True)))
    assert (0.4216, 0.2255, 0.0, 0.6) in fills  # 1 - max(r,g,b) black, the rest relative to it (README)


def test_print_pdf_passes_ghostscript_with_exactly_its_plates(card_scene, tmp_path: Path) -> None:
    pdf = render_pdf(card_scene, PdfOptions(print_ready=True, output_intent=require_profile()))
    pages = separate(pdf, tmp_path / "rip", dpi=50)
    for number, face in enumerate(card_scene.faces, start=1):
        used = {item.layer for item in face.items}
        spots = {ink.name for ink in card_scene.inks if ink.process == "spot" and ink.layer in used}
        assert set(pages[number]) == PROCESS | spots, f"page {number}"
    assert "TactileVarnish" in pages[2] and "UV" in pages[1]


@pytest.mark.parametrize(("layer", "page"), [("tactile", 2), ("uv", 1)])
def test_a_special_layer_is_on_its_own_plate_only(card_scene, tmp_path: Path, layer: str, page: int) -> None:
    """With and without the layer, every process plate is identical: the spot overprints, never knocks out."""
    ink = next(i for i in card_scene.inks if i.layer == layer)
    every = frozenset(item.layer for face in card_scene.faces for item in face.items_for("print"))
    opts = PdfOptions(print_ready=True, output_intent=require_profile())
    with_layer = separate(render_pdf(card_scene, replace(opts, layers=every)), tmp_path / "with", dpi=50)[page]
    without = separate(render_pdf(card_scene, replace(opts, layers=every - {layer})), tmp_path / "without", dpi=50)[page]
    for plate in PROCESS:
        assert np.array_equal(with_layer[plate], without[plate]), plate
    margin = print_margin(card_scene.faces[page - 1].bleed)
    face = card_scene.faces[page - 1]
    inside = region(with_layer[ink.name], (0, 0, face.width, face.height), margin, dpi=50)
    assert inside.max() == pytest.approx(1.0)  # the mark is on its plate, at full tint


# -- the colour test card through the RIP, region by region ---------------------------------------


@pytest.fixture(scope="module")
def colour_card(tmp_path_factory):
    """The test card (layouts/colour.yaml) beside an image tagged with a wide-gamut RGB profile."""
    work = tmp_path_factory.mktemp("colour")
    shutil.copy(COLOUR_LAYOUT, work / "colour.yaml")
    Image.new("RGB", (40, 30), ART_RGB).save(work / "tagged.png", icc_profile=require_profile(WIDE_RGB_ICC).read_bytes())
    scene = CardRenderer(work / "colour.yaml").scene(load_record(RECORD))
    return work, scene


@pytest.fixture(scope="module")
def colour_plates(colour_card, tmp_path_factory):
    _, scene = colour_card
    pdf = render_pdf(scene, PdfOptions(print_ready=True, output_intent=require_profile()))
    return separate(pdf, tmp_path_factory.mktemp("rip"))[1], print_margin(scene.faces[0].bleed)


def _box(scene, element_id: str) -> tuple[float, float, float, float]:
    b = next(e.box for e in scene.faces[0].boxes if e.element_id == element_id)
    return (b.x, b.y, b.w, b.h)


def _mean_ink(plates, box, margin) -> np.ndarray:
    return np.array([region(plates[p], box, margin).mean() for p in ("Cyan", "Magenta", "Yellow", "Black")])


def test_rip_plates_hold_the_profile_colours(colour_card, colour_plates) -> None:
    _, scene = colour_card
    plates, margin = colour_plates
    assert set(plates) == PROCESS | {"TactileVarnish", "UV"}
    blue = _mean_ink(plates, _box(scene, "blue-bar"), margin)
    assert blue == pytest.approx(_icc_cmyk((0x3B, 0x4F, 0x66), SRGB), abs=0.015)
    assert _mean_ink(plates, _box(scene, "cmyk-bar"), margin) == pytest.approx([0.10, 0.20, 0.30, 0.40], abs=0.015)
    grey = _mean_ink(plates, _box(scene, "grey-bar"), margin)
    assert grey[:3].max() == 0.0 and grey[3] > 0.4


def test_rip_shows_the_image_converted_from_its_own_profile(colour_card, colour_plates) -> None:
    _, scene = colour_card
    plates, margin = colour_plates
    art = _mean_ink(plates, _box(scene, "art"), margin)
    from_own = _icc_cmyk(ART_RGB, ImageCms.getOpenProfile(str(WIDE_RGB_ICC)))
    as_if_srgb = _icc_cmyk(ART_RGB, SRGB)
    assert np.abs(from_own - as_if_srgb).max() > 0.1  # the test can tell the two apart
    assert art == pytest.approx(from_own, abs=0.03)


@pytest.mark.parametrize("element", ["black-text", "default-text"])  # #000000, and the default gray(0)
def test_rip_small_black_text_is_on_the_black_plate_only(colour_card, colour_plates, element: str) -> None:
    _, scene = colour_card
    plates, margin = colour_plates
    box = _box(scene, element)
    assert region(plates["Black"], box, margin).max() == pytest.approx(1.0)  # solid black glyphs
    for plate in ("Cyan", "Magenta", "Yellow", "TactileVarnish", "UV"):
        assert region(plates[plate], box, margin).max() == 0.0, plate


@pytest.mark.parametrize(("plate", "element"), [("TactileVarnish", "tactile-mark"), ("UV", "uv-mark")])
def test_rip_spot_marks_only_on_their_plates(colour_card, colour_plates, plate: str, element: str) -> None:
    _, scene = colour_card
    plates, margin = colour_plates
    x, y, w, h = _box(scene, element)
    assert region(plates[plate], (x, y, w, h), margin).min() == pytest.approx(1.0)
    # nothing else on that plate inside the bleed (crop marks, in the registration colour, lie outside it)
    bleed = scene.faces[0].bleed
    face = region(plates[plate], (-bleed, -bleed, scene.faces[0].width + 2 * bleed, scene.faces[0].height + 2 * bleed), margin)
    px = 100 / 25.4
    assert face.sum() == pytest.approx(w * px * h * px, rel=0.15)
    for process in PROCESS:
        assert region(plates[process], (x, y, w, h), margin).max() == 0.0, process


# -- layout setting, and images with their own profile on screen ----------------------------------


def test_layout_chooses_the_rendering_intent(colour_card) -> None:
    work, _ = colour_card
    text = (work / "colour.yaml").read_text(encoding="utf-8")
    plain = work / "plain.yaml"
    plain.write_text(text + "print_colour: {intent: relative-colorimetric, black_point_compensation: false}\n", encoding="utf-8")
    scene = CardRenderer(plain).scene(load_record(RECORD))
    assert scene.colour == ColourManagement("relative-colorimetric", False)
    fills = _fills(render_pdf(scene, PdfOptions(print_ready=True, output_intent=require_profile())))
    expected = tuple(round(float(v), 4) for v in _icc_cmyk((0x3B, 0x4F, 0x66), SRGB, bpc=False))
    assert expected in fills
    bad = work / "bad.yaml"
    bad.write_text(text + "print_colour: {intent: vivid}\n", encoding="utf-8")
    with pytest.raises(LayoutError, match="print_colour"):
        CardRenderer(bad)


def test_screens_see_a_tagged_image_in_srgb(colour_card) -> None:
    work, _ = colour_card
    pixels, _ = load_pixels(
        work / "tagged.png", box=Box(0, 0, 10, 7.5), fit="fill", position=(0.5, 0.5), crop=None, greyscale=False, max_dpi=100
    )
    assert pixels.icc is not None
    shown = to_pil(pixels).getpixel((5, 5))
    t = ImageCms.buildTransform(ImageCms.getOpenProfile(str(WIDE_RGB_ICC)), SRGB, "RGB", "RGB")
    expected = t.apply(Image.new("RGB", (1, 1), ART_RGB)).getpixel((0, 0))
    assert shown == expected and shown != ART_RGB


def test_a_broken_embedded_profile_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.png"
    Image.new("RGB", (4, 4), ART_RGB).save(path, icc_profile=b"not a profile at all")
    with pytest.raises(ImageLoadError, match=r"embedded ICC profile of .*broken\.png"):
        load_pixels(path, box=Box(0, 0, 4, 4), fit="fill", position=(0.5, 0.5), crop=None, greyscale=False, max_dpi=100)


def test_imposed_sheets_carry_the_same_profile_colours(card_scene, tmp_path: Path) -> None:
    from faceprint.production.impose import impose_pdf

    pdf, _ = impose_pdf([card_scene, card_scene], (320.0, 450.0), print_options=PdfOptions(output_intent=require_profile()))
    fills = _fills(pdf)
    blue = _converter().color(Color("rgb", (0x3B / 255, 0x4F / 255, 0x66 / 255))).components
    assert tuple(round(v, 4) for v in blue) in fills and (0.4216, 0.2255, 0.0, 0.6) not in fills
    sheets = separate(pdf, tmp_path / "rip", dpi=20)  # Ghostscript reads the sheets without a warning
    assert set(sheets[1]) == PROCESS | {"UV"} and set(sheets[2]) == PROCESS | {"TactileVarnish"}


@pytest.mark.parametrize("command", ["render", "batch"])
def test_cli_refuses_an_rgb_output_intent_before_any_card(tmp_path: Path, capsys, records_jsonl: Path, command: str) -> None:
    from faceprint.cli import main

    rgb_profile = tmp_path / "srgb.icc"
    rgb_profile.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    out = tmp_path / "out"
    source = RECORD if command == "render" else records_jsonl
    args = [
        command,
        str(LAYOUT),
        str(source),
        "--out",
        str(out),
        "--format",
        "pdf",
        "--print",
        "--output-intent",
        str(rgb_profile),
    ]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("must be CMYK, this one is RGB") == 1  # said once, not once per record
    assert not out.exists() or not any(out.iterdir())


def test_proof_pdf_shows_a_tagged_image_in_srgb(colour_card) -> None:
    _, scene = colour_card
    with pikepdf.Pdf.open(io.BytesIO(render_pdf(scene))) as doc:
        images = [pikepdf.PdfImage(img) for img in doc.pages[0].get_images().values()]
        assert len(images) == 1 and str(images[0].colorspace) == "/DeviceRGB"
        shown = images[0].as_pil_image().getpixel((2, 2))
    t = ImageCms.buildTransform(ImageCms.getOpenProfile(str(WIDE_RGB_ICC)), SRGB, "RGB", "RGB")
    expected = t.apply(Image.new("RGB", (1, 1), ART_RGB)).getpixel((0, 0))
    assert np.abs(np.subtract(shown, expected)).max() <= 3  # JPEG of a flat colour
    assert np.abs(np.subtract(shown, ART_RGB)).max() > 20


def test_the_press_shows_the_designers_colours(colour_card, tmp_path: Path) -> None:
    """Ghostscript's sRGB view of the print file (through default_cmyk.icc) against the layout's colours.

    Measured: with the profile the label blue and the mid grey come back within ΔE76 1.1; the naive
    formula is 5.7 and 8.3 off, so a bound of 3 tells the two apart.
    """
    _, scene = colour_card
    margin = print_margin(scene.faces[0].bleed)
    wanted = {"blue-bar": (0x3B, 0x4F, 0x66), "grey-bar": (128, 128, 128)}  # (the art's green is beyond the press gamut)
    for profile, within in ((require_profile(), True), (None, False)):
        page = composite(render_pdf(scene, PdfOptions(print_ready=True, output_intent=profile)), tmp_path / str(within))
        for element, rgb in wanted.items():
            x, y, w, h = _box(scene, element)
            shown = page.getpixel((round((x + w / 2 + margin) * RIP_DPI / 25.4), round((y + h / 2 + margin) * RIP_DPI / 25.4)))
            delta = float(
                np.linalg.norm(
                    np.subtract(
                        lab(Image.new("RGB", (1, 1), shown), SRGB, "RGB"), lab(Image.new("RGB", (1, 1), rgb), SRGB, "RGB")
                    )
                )
            )
            if within:
                assert delta < 3.0, (element, shown, rgb, delta)
            else:
                assert delta > 4.0, (element, shown, rgb, delta)  # the naive formula, for contrast


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("cmyk(0.1,0.2,0.3,0.4)", r"takes percentages; for fractions write cmyk\(10,20,30,40\)"),
        ("cmyk(150,0,0,0)", "between 0 and 100"),
        ("cmyk(-5,0,0,0)", "between 0 and 100"),
        ("rgb(300,0,0)", "between 0 and 100"),
        ("gray(140%)", "between 0 and 100"),
    ],
)
def test_colours_a_press_cannot_print_are_refused(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_color(text)


@settings(max_examples=100, deadline=None)
@given(st.tuples(*[st.integers(0, 100)] * 4))
def test_cmyk_percentages_parse_exactly(cmyk: tuple[int, ...]) -> None:
    colour = parse_color("cmyk({}%, {}, {}%, {})".format(*cmyk))
    assert colour is not None and colour.components == pytest.approx(tuple(v / 100 for v in cmyk))


@pytest.mark.parametrize(("look", "alternate"), [("gray(70%)", [0, 0, 0, 0.3]), ("cmyk(5,0,40,0)", [0.05, 0, 0.4, 0])])
def test_spot_alternates_reach_the_file_as_written(colour_card, look: str, alternate: list[float]) -> None:
    work, _ = colour_card
    text = (work / "colour.yaml").read_text(encoding="utf-8").replace('color: "cmyk(0,0,0,30)"', f'color: "{look}"')
    variant = work / f"alt-{len(look)}.yaml"
    variant.write_text(text, encoding="utf-8")
    scene = CardRenderer(variant).scene(load_record(RECORD))
    pdf = render_pdf(scene, PdfOptions(print_ready=True, output_intent=require_profile()))
    with pikepdf.Pdf.open(io.BytesIO(pdf)) as doc:
        spaces = [cs for _, cs in doc.pages[0].obj.Resources.ColorSpace.items() if str(cs[1]) == "/TactileVarnish"]
        assert len(spaces) == 1 and str(spaces[0][2]) == "/DeviceCMYK"
        # reportlab writes the tint transform as a PostScript function: one constant per CMYK component
        constants = re.findall(r"\d+(?:\.\d+)?", spaces[0][3].read_bytes().decode("ascii"))
        assert [float(v) for v in constants] == pytest.approx(alternate)
