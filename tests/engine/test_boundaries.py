"""Dependencies point down: ``production/`` orchestrates batches on top of the core, never the reverse.

Only the command line (``cli.py``, ``__main__``) may reach into ``production/``. Checked two ways: no
core module names it in an import statement (including imports inside functions), and rendering one
card in a fresh interpreter loads none of it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import faceprint

PACKAGE = Path(faceprint.__file__).parent
ALLOWED = {"faceprint.cli", "faceprint.__main__"}  # the entry points wire every command together


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)  # ``from . import production``
    return found


def _core_modules() -> list[Path]:
    return [
        p
        for p in sorted(PACKAGE.rglob("*.py"))
        if "production" not in p.relative_to(PACKAGE).parts and _module_name(p) not in ALLOWED
    ]


def test_the_import_reader_resolves_relative_imports() -> None:
    """The check below could pass vacuously if relative imports were misread: read known ones."""
    assert "faceprint.outputs" in _imports(PACKAGE / "render.py")
    assert "faceprint.outputs.OutputSpec" in _imports(PACKAGE / "production" / "batch.py")
    assert "faceprint.production.cli" in _imports(PACKAGE / "cli.py")


def test_no_core_module_imports_production() -> None:
    modules = _core_modules()
    assert len(modules) > 50  # the walk found the package
    offenders = {
        _module_name(p): sorted(i for i in _imports(p) if i == "faceprint.production" or i.startswith("faceprint.production."))
        for p in modules
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_rendering_a_card_loads_no_production_module() -> None:
    code = "import json, sys\nimport faceprint.render, faceprint.outputs\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = json.loads(out)
    assert "faceprint.outputs" in loaded
    assert [m for m in loaded if m.startswith("faceprint.production")] == []


def test_only_the_pdf_backend_uses_reportlab_and_only_its_document_makes_a_canvas() -> None:
    """Render, imposition and annotation pages all get their PDF file from ``backends/pdf/document.py``."""
    pdf_backend = PACKAGE / "backends" / "pdf"
    outside = {
        _module_name(p): sorted(i for i in _imports(p) if i.split(".")[0] == "reportlab")
        for p in sorted(PACKAGE.rglob("*.py"))
        if pdf_backend not in p.parents
    }
    assert {name: found for name, found in outside.items() if found} == {}
    makers = sorted(
        _module_name(p)
        for p in pdf_backend.glob("*.py")
        if "reportlab.pdfgen.canvas.Canvas" in _imports(p) and "Canvas(" in p.read_text()
    )
    assert makers == ["faceprint.backends.pdf.document"]


# The layout format sits below the tools that use it: lint, the preview, annotation, photo checks and
# batches may import layout_file/, never the reverse (layout_file/check.py once imported lint for the
# specimen record, which now lives in the core as faceprint/specimen.py).
TOOLS_ABOVE_THE_FORMAT = ("lint", "preview", "annotate", "photo", "production", "cli")


def test_layout_file_imports_none_of_the_tools_above_it() -> None:
    modules = sorted((PACKAGE / "layout_file").rglob("*.py"))
    assert len(modules) > 3
    above = tuple(f"faceprint.{tool}" for tool in TOOLS_ABOVE_THE_FORMAT)
    offenders = {
        _module_name(p): sorted(i for i in _imports(p) if i in above or i.startswith(tuple(a + "." for a in above)))
        for p in modules
    }
    assert {name: found for name, found in offenders.items() if found} == {}
