"""faceprint: card-face layout rendering and print engine for the Japanese individual number card.

Pipeline (each stage a module whose docstring states what goes in and what comes out):
layout file (``layout_file``) → bound values (``templating``) → text fitting (``text``) →
resolved scene of positioned primitives in mm (``scene``) → backends (``backends.raster``,
``backends.pdf``) that only draw the scene.
"""

__version__ = "0.1.0"
