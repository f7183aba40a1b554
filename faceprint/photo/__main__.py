"""``python -m faceprint.photo check|prepare ...`` (the same commands as ``faceprint photo``)."""

import sys

from faceprint.photo.cli import main

sys.exit(main())
