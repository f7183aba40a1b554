"""Print production for card manufacturers: batch runs, print-ready files, imposition, engraving.

``reader`` streams records from JSON Lines or CSV (UTF-8 or Shift_JIS/CP932); ``batch`` runs many
records over worker processes with an error report and resumable, atomic outputs; ``impose`` lays
cards out on press sheets. The files of one card (``faceprint.outputs``, engraving bitmaps
included) belong to the core: production orchestrates, and the core never imports it (a test checks).
"""
