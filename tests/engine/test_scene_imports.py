"""The scene and the stages before it stay backend-free: importing them in a fresh interpreter loads
neither reportlab, aggdraw nor FreeType (nor Pillow's drawing and font modules)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

BACKEND_MODULES = ("reportlab", "aggdraw", "freetype", "faceprint.backends", "PIL.ImageDraw", "PIL.ImageFont")


def _modules_after(*imports: str) -> set[str]:
    code = "import json, sys\n" + "".join(f"import {m}\n" for m in imports) + "print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out))


def _loaded(modules: set[str], prefix: str) -> bool:
    return any(m == prefix or m.startswith(prefix + ".") for m in modules)


@pytest.fixture(scope="module")
def pipeline_modules() -> set[str]:
    return _modules_after("faceprint.scene", "faceprint.resolve", "faceprint.layout_file.loader", "faceprint.layout_file.model")


@pytest.mark.parametrize("backend", BACKEND_MODULES)
def test_resolving_imports_no_backend(pipeline_modules: set[str], backend: str) -> None:
    assert "faceprint.resolve" in pipeline_modules  # the import did happen
    assert not _loaded(pipeline_modules, backend)


def test_the_scene_alone_needs_no_imaging_library() -> None:
    modules = _modules_after("faceprint.scene")
    assert not _loaded(modules, "PIL")  # only images.py decodes pixels, and the scene does not import it
    assert not any(_loaded(modules, b) for b in BACKEND_MODULES)
