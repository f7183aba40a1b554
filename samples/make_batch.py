"""Build samples/batch.jsonl and samples/batch.csv from the records in samples/records/*.json.

The JSON files are the source. The batch files hold the same records, one per line or row, with photo
paths relative to samples/ (``portraits/pNN.jpg`` instead of ``../portraits/pNN.jpg``). The CSV uses
the dotted column names that ``faceprint.records.unflatten`` reads (``name.kanji``,
``annotations.0.date``, …). It is UTF-8 without a BOM and has a fixed set of columns; a record leaves
the cells it does not use empty. There are no organ-donation columns: issuance records refuse them.

Every record is checked three ways, or the script fails: the JSON file with ``load_record``, each JSONL
line and each CSV row (after ``unflatten``) with ``validate_record(..., base_dir=samples/)``. All three
must give the same ``Record`` apart from the photo path, which resolves to the same file anyway.

Run: ``python samples/make_batch.py``
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

from faceprint.records import FIELDS, load_record, load_record_file, unflatten, validate_record

SAMPLES = Path(__file__).resolve().parent
RECORDS = SAMPLES / "records"
IVS_ESCAPES = {"\U000e0100": "\\udb40\\udd00"}  # keep invisible variation selectors visible in JSON text

ANNOTATION_COLUMNS = 5  # room for five entries (the samples have up to two)
COLUMNS = [
    "id",
    "name.kanji",
    "name.kana",
    "name.romaji",
    "alias.kanji",
    "alias.kana",
    "former_surname",
    "birth_date",
    "sex",
    "address",
    "photo",
    "my_number",
    "issuer",
    "issued_on",
    "valid_until",
    "collation_number",
    *(f"annotations.{i}.{key}" for i in range(ANNOTATION_COLUMNS) for key in ("date", "text")),
]


def batch_form(raw: dict[str, Any]) -> dict[str, Any]:
    """The record with its photo path relative to samples/ instead of samples/records/."""
    out = dict(raw)
    photo = (RECORDS / raw["photo"]).resolve().relative_to(SAMPLES)
    out["photo"] = photo.as_posix()
    return out


def flatten(raw: dict[str, Any]) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    for key, value in raw.items():
        if key == "annotations":
            if len(value) > ANNOTATION_COLUMNS:
                raise ValueError(f"{raw['id']}: more than {ANNOTATION_COLUMNS} annotations")
            for index, entry in enumerate(value):
                for sub, text in entry.items():
                    row[f"annotations.{index}.{sub}"] = str(text)
        elif isinstance(value, dict):
            for sub, inner in value.items():
                row[f"{key}.{sub}"] = str(inner)
        else:
            row[key] = str(value)
    unknown = set(row) - set(COLUMNS)
    if unknown:
        raise ValueError(f"{raw['id']}: no CSV column for {sorted(unknown)}")
    return row


def json_line(raw: dict[str, Any]) -> str:
    text = json.dumps(raw, ensure_ascii=False, separators=(", ", ": "))
    for char, escape in IVS_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def main() -> int:
    paths = sorted(RECORDS.glob("*.json"))
    if not paths:
        sys.stderr.write(f"no records in {RECORDS}\n")
        return 1
    raws = []
    for path in paths:
        raw = load_record_file(path)
        if list(raw) != [f for f in FIELDS if f in raw]:
            sys.stderr.write(f"{path.name}: fields not in the order of records.FIELDS\n")
            return 1
        raws.append((path, raw))

    lines = [json_line(batch_form(raw)) for _, raw in raws]
    (SAMPLES / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for _, raw in raws:
        writer.writerow(flatten(batch_form(raw)))
    (SAMPLES / "batch.csv").write_text(buffer.getvalue(), encoding="utf-8")

    # Read back what was written and check that all three forms give the same records.
    with (SAMPLES / "batch.jsonl").open(encoding="utf-8") as handle:
        from_jsonl = [validate_record(json.loads(line), base_dir=SAMPLES) for line in handle if line.strip()]
    with (SAMPLES / "batch.csv").open(encoding="utf-8", newline="") as handle:
        from_csv = [validate_record(unflatten(row), base_dir=SAMPLES) for row in csv.DictReader(handle)]
    from_files = [load_record(path) for path, _ in raws]
    for single, line, row in zip(from_files, from_jsonl, from_csv, strict=True):
        if not single == line == row:
            sys.stderr.write(f"{single.id}: the JSON file, the JSONL line and the CSV row differ\n")
            return 1
    sys.stdout.write(f"{len(raws)} records: batch.jsonl and batch.csv written and validated\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
