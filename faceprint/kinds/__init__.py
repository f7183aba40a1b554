"""Element kinds: one module each (text, image, qr, shapes, microtext, guilloche), found through
``kind_of``. Importing this package imports every module in it, and each registers its kind; a new
kind is a new module here that calls ``register``, with no list to edit (see README, "Adding an
element kind"). A kind defined outside the package registers the same way when its module is imported.
"""

import importlib
from pathlib import Path

from .base import ElementKind, Where, kind_of, register, unregister

# Every module beside base.py is a kind; sorted so registration (and so any error) is reproducible.
BUILTIN_KIND_MODULES = tuple(
    sorted(p.stem for p in Path(__file__).parent.glob("*.py") if p.stem not in ("__init__", "base"))
)
for _name in BUILTIN_KIND_MODULES:
    importlib.import_module(f"{__name__}.{_name}")

__all__ = ["BUILTIN_KIND_MODULES", "ElementKind", "Where", "kind_of", "register", "unregister"]
