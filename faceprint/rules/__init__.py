"""Card-data rules, one module per job, free of layout and rendering concerns.

``romaji`` (passport Hepburn), ``dates`` (Western and Japanese-era dates), ``mynumber`` (individual
number check digit, grouping, masking), ``collation`` (6-digit collation number) and ``filters`` (the
same rules exposed as jinja2 filters). Every rule raises ``ValueError`` with a reason that never
contains an unmasked individual number; callers attach the record and field.
"""
