"""A bounded table of numbers from an uploaded CSV file: the checks every data kind shares.

`read_table(data, shape)` refuses what no data kind accepts (too large, NUL bytes, not UTF-8, no rows,
too many or too few rows, a wrong column count, an empty cell) and hands each row's cells to the
kind's `RowShape.parse`. core/data/data2d.py (x1,x2,label) and core/data/data1d.py (x,y) each add a row shape.
Every refusal is a DataError with an "err.csv.*" code (core/i18n.py) and 1-based file line numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from core.i18n import UserFacingError


class DataError(UserFacingError):
    """A refused data file or setting ("err.csv.*", "err.pairs.*" codes)."""


CSV_MAX_BYTES = 2_000_000
CSV_MAX_ROWS = 20_000
CSV_MIN_ROWS = 4
SHOW_CHARS = 20  # echo at most this much of a bad value back to the user

# Largest |coordinate| accepted. The model, its standardisation and the boundary grid compute in
# float32 (max 3.4e38). At 1e15 even the worst case stays far below that: a float32 sum of
# squares over 20,000 rows of a 2e15 span is 8e34, and the padded grid spans 2.4e15.
# tests/test_data2d.py trains, builds and draws at ±1e15 and is refused just past it.
COORD_LIMIT = 1e15
COORD_LIMIT_TEXT = "1e15"

# Plain decimal numbers only: float() would also take "1_000", "nan", "infinity" and non-ASCII digits.
DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # not str.splitlines: it also breaks at \x1c, \u2028...

def show(value: str) -> str:
    """`value` fit for an error message: at most SHOW_CHARS characters, control characters replaced."""
    # control and format characters (NUL, bidi overrides) would garble the message
    value = "".join(ch if ch.isprintable() else "\ufffd" for ch in value[:SHOW_CHARS + 1])
    return value if len(value) <= SHOW_CHARS else value[:SHOW_CHARS] + "…"


def number(text: str) -> float | None:
    """The value of a plain decimal number (may be huge or overflow to inf); None for anything else."""
    return float(text) if DECIMAL.fullmatch(text) else None


def coordinate(text: str, lineno: int, column: str) -> float:
    """A plain decimal number with |v| <= COORD_LIMIT in the column named `column`; DataError otherwise."""
    v = number(text)
    if v is None:
        raise DataError("err.csv.not_numeric", line=lineno, value=show(text))
    if not abs(v) <= COORD_LIMIT:  # also inf, from an exponent past float64's range
        raise DataError("err.csv.out_of_range", line=lineno, column=column, value=show(text),
                        limit=COORD_LIMIT_TEXT)
    return v


@dataclass(frozen=True)
class RowShape:
    """One data kind's rows: its column names (a header is a first line of that many non-numbers), the
    error code for a wrong column count, and parse(cells, lineno) -> the row, raising DataError."""

    columns: tuple[str, ...]
    columns_code: str
    parse: Callable[[list[str], int], object]


def read_table(data: bytes, shape: RowShape, max_bytes: int = CSV_MAX_BYTES,
               max_rows: int = CSV_MAX_ROWS) -> list:
    """The parsed rows of `data`, a header line skipped. Blank lines are skipped; at least CSV_MIN_ROWS
    and at most max_rows rows. The checks run in this order, so the first refusal is the one reported."""
    if len(data) > max_bytes:  # before decoding anything
        raise DataError("err.csv.too_large", size=len(data), limit=max_bytes)
    if b"\x00" in data:  # UTF-16 text or a binary file; UTF-8 would decode the NULs silently
        raise DataError("err.csv.binary")
    try:
        text = bytes(data).decode("utf-8-sig")  # tolerate the BOM that Excel writes
    except UnicodeDecodeError:
        raise DataError("err.csv.encoding") from None
    lines = [(i, ln) for i, ln in enumerate(LINE_BREAK.split(text), start=1) if ln.strip()]
    if not lines:
        raise DataError("err.csv.empty")

    # Header: a first line of non-numbers, one per column (the column names or any others).
    first = [c.strip() for c in lines[0][1].split(",")]
    if len(first) == len(shape.columns) and all(c and number(c) is None for c in first):
        lines = lines[1:]
    if len(lines) > max_rows:
        raise DataError("err.csv.too_many_rows", rows=len(lines), limit=max_rows)

    rows = []
    for lineno, ln in lines:
        cells = [c.strip() for c in ln.split(",")]
        if len(cells) != len(shape.columns):
            raise DataError(shape.columns_code, line=lineno, found=len(cells))
        if any(not c for c in cells):
            raise DataError("err.csv.missing", line=lineno)
        rows.append(shape.parse(cells, lineno))
    if len(rows) < CSV_MIN_ROWS:
        raise DataError("err.csv.too_few_rows", rows=len(rows), minimum=CSV_MIN_ROWS)
    return rows
