"""Paths drawn on the region they cover (aggdraw copying only that box in and out) give exactly the
pixels drawing on the whole canvas gives: any shape, stroke, dash, opacity, transform, also paths
reaching past the canvas edge."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ImageChops

from faceprint.backends.raster import draw_items
from faceprint.backends.raster.device import Device
from faceprint.backends.raster.shapes import draw_path
from faceprint.color import Color
from faceprint.scene import PathItem, PathOp

W, H, DPI = 40.0, 25.0, 300  # mm: a small card at a print resolution

coord = st.floats(-3.0, 43.0, allow_nan=False)
near = st.floats(-6.0, 6.0, allow_nan=False)  # mm from the start: most shapes cover a small region


@st.composite
def paths(draw: st.DrawFn) -> PathItem:
    x0, y0 = draw(coord), draw(coord) * H / W
    spread = draw(st.sampled_from([1.0, 1.0, 4.0]))  # now and then a shape across the whole card

    def point() -> tuple[float, float]:
        return (x0 + spread * draw(near), y0 + spread * draw(near))

    ops: list[PathOp] = [("M", (x0, y0))]
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            ops.append(("L", point()))
        else:
            ops.append(("C", (*point(), *point(), *point())))
    if draw(st.booleans()):
        ops.append(("Z", ()))
    rgb = Color("rgb", (draw(st.floats(0, 1)), 0.3, draw(st.floats(0, 1))))
    fill = rgb if draw(st.booleans()) else None
    stroke = rgb if fill is None or draw(st.booleans()) else None
    transform = None
    if draw(st.booleans()):
        a = draw(st.floats(0.5, 1.5))
        transform = (a, draw(st.floats(-0.3, 0.3)), draw(st.floats(-0.3, 0.3)), a, draw(st.floats(-5, 5)), draw(st.floats(-5, 5)))
    return PathItem(
        "p",
        "artwork",
        tuple(ops),
        fill,
        stroke,
        draw(st.floats(0.05, 2.0)),
        dash=draw(st.sampled_from([None, (0.6, 0.4), (1.5, 0.3, 0.2, 0.3)])),
        opacity=draw(st.sampled_from([1.0, 0.5])),
        transform=transform,
    )


def _whole_canvas(items: list[PathItem]) -> Device:
    device = Device(W, H, DPI, (250, 250, 250))
    for item in items:
        draw_path(device, item)
    device.sync()
    return device


@settings(max_examples=60, deadline=None)
@given(st.lists(paths(), min_size=1, max_size=4))
def test_a_region_draws_the_pixels_of_the_whole_canvas(items: list[PathItem]) -> None:
    regional = Device(W, H, DPI, (250, 250, 250))
    draw_items(regional, items)
    assert ImageChops.difference(regional.image, _whole_canvas(items).image).getbbox() is None


def test_a_small_path_uses_a_region() -> None:
    """The test above compares something: a small shape is drawn through a region, not the canvas."""
    device = Device(W, H, DPI, (255, 255, 255))
    square = PathItem(
        "s", "artwork", (("M", (5.0, 5.0)), ("L", (8.0, 5.0)), ("L", (8.0, 8.0)), ("Z", ())), None, Color("rgb", (0, 0, 0)), 0.3
    )
    from faceprint.backends.raster.shapes import paths_region

    device.begin_region(paths_region(device, [square]))
    assert device._region is not None and device.x(5.0) == 5.0 * device.scale - device._region[0]
    draw_path(device, square)
    device.sync()
    assert device._region is None and device.image.getbbox() is not None


def test_pillow_keeps_freed_image_blocks_for_the_next_card() -> None:
    """Importing the raster backend keeps freed canvases' memory for reuse (fewer page faults),
    unless the environment's PILLOW_BLOCKS_MAX decides."""
    import os

    from PIL import _imaging

    from faceprint.backends.raster.device import PIL_BLOCKS_KEPT

    assert "PILLOW_BLOCKS_MAX" in os.environ or _imaging.get_blocks_max() >= PIL_BLOCKS_KEPT


def test_a_fill_without_area_paints_nothing_on_a_region_or_the_whole_canvas() -> None:
    """A fill whose points lie on one line covers no area (the PDF paints none); Agg used to draw a faint
    hairline whose pixels depended on where the canvas started (found by the property test above)."""
    ops: tuple[PathOp, ...] = (("M", (1.0, 1.25)), ("L", (1.0, 13.25)), ("L", (1.0, 5.25)))
    item = PathItem("p", "artwork", ops, Color("rgb", (0, 0.3, 0)), None, 1.0)
    regional = Device(W, H, DPI, (250, 250, 250))
    draw_items(regional, [item])
    for device in (regional, _whole_canvas([item])):
        assert device.image.getextrema() == ((250, 250), (250, 250), (250, 250))
