"""Element kinds: one module each (text, image, qr, shapes, microtext, guilloche), found through
``kind_of``. Importing this package imports every module in it, and each registers its kinds: a new
kind is a new module here that calls ``register`` (see README, "Adding an element kind"); no list
of kinds is kept by hand."""

import importlib
import pkgutil

from .base import ElementKind, Where, kind_of, register


def _load_kind_modules() -> None:
    # One directory listing: measured no slower than the import list it replaces (README).
    for module in pkgutil.iter_modules(__path__):
        if module.name != "base" and not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")


_load_kind_modules()

__all__ = ["ElementKind", "Where", "kind_of", "register"]
