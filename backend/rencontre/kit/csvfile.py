"""CSV files people open in a spreadsheet: UTF-8 with BOM, formulas neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

# A cell starting with one of these is read as a formula by spreadsheet programs
# (OWASP "CSV injection"); a leading apostrophe makes it plain text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
MEDIA_TYPE = "text/csv; charset=utf-8"


def neutralise(value: object) -> str:
    """The cell as text, prefixed with ``'`` when a spreadsheet would evaluate it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[object]], *, delimiter: str = ",") -> bytes:
    """RFC 4180 CSV (CRLF, quotes as needed), UTF-8 with a byte-order mark.

    French spreadsheets read ``;`` as the separator, the comma being the decimal mark.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return (BOM + buffer.getvalue()).encode("utf-8")
