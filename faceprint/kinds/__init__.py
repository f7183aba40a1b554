"""Element kinds: one module each (text, image, qr, shapes, microtext, guilloche), found through
``kind_of``. Importing this package registers the built-in kinds; a new kind is a new module that
calls ``register`` (see README, "Adding an element kind")."""

from . import guilloche, image, microtext, qr, shapes, text
from .base import ElementKind, Where, kind_of, register

__all__ = ["ElementKind", "Where", "guilloche", "image", "kind_of", "microtext", "qr", "register", "shapes", "text"]
