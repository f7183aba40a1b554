"""Japanese text: font lookup, per-character fallback, line breaking, fitting and ruby.

In: strings and text-element properties. Out: lines of positioned glyphs (font file, glyph id,
x in mm) that both backends draw unchanged; neither backend measures or wraps text again.
"""
