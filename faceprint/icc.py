"""ICC colour management: RGB colours and images into a print file's output-intent CMYK.

A print file with an output intent (PDF/X-4) says its CMYK numbers are meant for that profile's
printing condition, so RGB is converted through LittleCMS (Pillow's ``ImageCms``) from sRGB, or
from an image's own embedded profile, into that profile, with the layout's rendering intent
(``print_colour``). CMYK and greyscale colours are device colours the designer chose: they pass
through untouched (greyscale paints the K plate only).

Neutral RGB (r = g = b, pure black included) becomes K only, at the tint whose printed lightness
(L*, through the same profile) matches what the colour-managed conversion would print: small
text and hairlines then come from one plate with no registration fringe (no rich black).

Converters, their LittleCMS transforms and every converted colour are cached per process: a batch
converts each layout colour once, not once per card.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import io
from collections.abc import Iterable
from pathlib import Path

from PIL import Image, ImageCms

from .color import Color, ColourManagement
from .errors import UsageError

INTENTS = {
    "perceptual": ImageCms.Intent.PERCEPTUAL,
    "relative-colorimetric": ImageCms.Intent.RELATIVE_COLORIMETRIC,
    "saturation": ImageCms.Intent.SATURATION,
    "absolute-colorimetric": ImageCms.Intent.ABSOLUTE_COLORIMETRIC,
}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_LAB = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB"))
COMPONENT_DIGITS = 4  # CMYK written to 1e-4; LittleCMS's 8-bit path is exact to 1/255 anyway


def _profile_from_bytes(data: bytes) -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(io.BytesIO(data))


def profile_colour_space(data: bytes) -> str:
    """The ICC header's data colour space ('RGB', 'CMYK', 'GRAY'…); raises ``OSError`` if unreadable."""
    try:
        return str(_profile_from_bytes(data).profile.xcolor_space).strip()
    except ImageCms.PyCMSError as exc:
        raise OSError(f"not an ICC profile: {exc}") from None


@functools.lru_cache(maxsize=16)
def _to_srgb_transform(icc: bytes, mode: str) -> ImageCms.ImageCmsTransform:
    intent = ImageCms.Intent.RELATIVE_COLORIMETRIC
    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION
    return ImageCms.buildTransform(_profile_from_bytes(icc), _SRGB, mode, "RGB", intent, flags=flags)


def to_srgb(img: Image.Image, icc: bytes | None) -> Image.Image:
    """An RGB (or CMYK) image described by ``icc`` as sRGB pixels, for screens and RGB proofs."""
    if icc is None:
        return img if img.mode in ("RGB", "L") else img.convert("RGB")
    return _apply(_to_srgb_transform(icc, img.mode), img)


class CmykConverter:
    """sRGB / embedded-profile RGB → one CMYK output profile, with one rendering intent."""

    def __init__(self, profile: Path, settings: ColourManagement) -> None:
        try:
            data = Path(profile).read_bytes()
            space = profile_colour_space(data)
        except OSError as exc:
            raise UsageError(f"output intent {profile}: cannot read the ICC profile ({exc})") from None
        if space != "CMYK":
            raise UsageError(f"output intent {profile}: a print profile must be CMYK, this one is {space}")
        self.path = Path(profile)
        self.settings = settings
        self._profile = _profile_from_bytes(data)
        self._intent = INTENTS[settings.intent]
        self._flags = ImageCms.Flags.BLACKPOINTCOMPENSATION if settings.black_point_compensation else ImageCms.Flags.NONE
        self._transforms: dict[bytes, ImageCms.ImageCmsTransform] = {}
        self._colours: dict[tuple[float, ...], Color] = {}
        # L* of each K-only tint 0..255 as printed (colorimetric reading of the press's own ink)
        ramp = Image.frombytes("CMYK", (256, 1), bytes(b for k in range(256) for b in (0, 0, 0, k)))
        to_lab = ImageCms.buildTransform(self._profile, _LAB, "CMYK", "LAB", ImageCms.Intent.RELATIVE_COLORIMETRIC)
        self._to_lab = to_lab
        self._k_lightness = [px[0] for px in _pixels(_apply(to_lab, ramp))]

    def _transform(self, icc: bytes | None) -> ImageCms.ImageCmsTransform:
        key = b"" if icc is None else hashlib.blake2b(icc, digest_size=16).digest()
        transform = self._transforms.get(key)
        if transform is None:
            source = _SRGB if icc is None else _profile_from_bytes(icc)
            transform = ImageCms.buildTransform(source, self._profile, "RGB", "CMYK", self._intent, flags=self._flags)
            self._transforms[key] = transform
        return transform

    def image(self, img: Image.Image, icc: bytes | None = None) -> Image.Image:
        """RGB pixels as CMYK for the output profile; greyscale stays greyscale (the K plate)."""
        if img.mode != "RGB":
            return img
        return _apply(self._transform(icc), img)

    def color(self, color: Color) -> Color:
        """A colour for the print file: RGB converted (neutrals K only), CMYK and grey untouched."""
        if color.space != "rgb":
            return color
        cached = self._colours.get(color.components)
        if cached is None:
            self.prepare((color,))
            cached = self._colours[color.components]
        return cached if cached.alpha == color.alpha else Color("cmyk", cached.components, color.alpha)

    def prepare(self, colors: Iterable[Color | None]) -> None:
        """Convert every new RGB colour in one LittleCMS call (the layout's colours: once per process)."""
        todo = list(
            {c.components: None for c in colors if c is not None and c.space == "rgb" and c.components not in self._colours}
        )
        if not todo:
            return
        rgb8 = [tuple(min(255, max(0, round(v * 255))) for v in rgb) for rgb in todo]
        source = Image.frombytes("RGB", (len(todo), 1), bytes(v for px in rgb8 for v in px))
        cmyk = _apply(self._transform(None), source)
        lightness = [px[0] for px in _pixels(_apply(self._to_lab, cmyk))]
        for rgb, px8, ink, light in zip(todo, rgb8, _pixels(cmyk), lightness, strict=True):
            if px8[0] == px8[1] == px8[2]:
                self._colours[rgb] = Color("cmyk", (0.0, 0.0, 0.0, self._k_for_lightness(light)))
            else:
                self._colours[rgb] = Color("cmyk", tuple(round(v / 255, COMPONENT_DIGITS) for v in ink))

    def _k_for_lightness(self, lightness: int) -> float:
        """The K tint printing at ``lightness`` (8-bit L*), interpolated on the ramp; clamped to 0..1."""
        ramp = self._k_lightness  # falls as K rises
        if lightness >= ramp[0]:
            return 0.0
        if lightness <= ramp[-1]:
            return 1.0
        descending = [-v for v in ramp]
        i = bisect.bisect_left(descending, -lightness)  # first tint at least as dark
        hi, lo = ramp[i - 1], ramp[i]
        frac = (hi - lightness) / (hi - lo) if hi != lo else 0.0
        return round((i - 1 + frac) / 255, COMPONENT_DIGITS)


def _apply(transform: ImageCms.ImageCmsTransform, img: Image.Image) -> Image.Image:
    """``transform.apply`` without its tagging of the result: Pillow serialises the whole output
    profile into ``info`` on every call (12 ms for a 187 KB press profile, measured), which would
    cost more than the conversion of a portrait."""
    out = Image.new(transform.output_mode, img.size)
    transform.transform.apply(img.getim(), out.getim())
    return out


def _pixels(img: Image.Image) -> list[tuple[int, ...]]:
    data = img.tobytes()
    n = len(img.getbands())
    return [tuple(data[i : i + n]) for i in range(0, len(data), n)]


@functools.lru_cache(maxsize=8)
def _converter(path: str, mtime_ns: int, size: int, settings: ColourManagement) -> CmykConverter:
    return CmykConverter(Path(path), settings)


def cmyk_converter(profile: Path, settings: ColourManagement) -> CmykConverter:
    """The process's converter for this profile file (as it is now) and these settings."""
    try:
        st = Path(profile).stat()
    except OSError as exc:
        raise UsageError(f"output intent {profile}: {exc.strerror}") from None
    return _converter(str(Path(profile).resolve()), st.st_mtime_ns, st.st_size, settings)
