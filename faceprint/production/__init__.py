"""Print production for card manufacturers: batch runs, print-ready files, imposition, engraving.

``reader`` streams records from JSON Lines or CSV (UTF-8 or Shift_JIS/CP932); ``outputs`` turns
one scene into the requested files; ``batch`` runs many records over worker processes with an
error report and resumable, atomic outputs; ``impose`` lays cards out on press sheets;
``engrave`` makes the laser-engraving bitmaps of the personalisation layer.
"""
