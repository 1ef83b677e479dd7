"""Reading an uploaded CSV file into rows, with errors that name the line and the column.

Shared by every import so that they all refuse bad files the same way: the
whole file is checked first and nothing is written unless every row is good.
Every CSV export writes through ``write_csv`` / ``safe_row`` / ``safe_dict``, which
neutralise cells a spreadsheet would run as formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models


@dataclass(frozen=True)
class RowError:
    """One reason a file was refused, located by line (1 = the header) and column."""

    line: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = [f"line {self.line}"] if self.line is not None else []
        where += [f"column {self.column}"] if self.column else []
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


class ImportRefused(Exception):
    """The file was refused; ``errors`` says every reason, nothing was written."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class Row:
    """One data row: its line number and its cells by column name (stripped)."""

    line: int
    cells: dict[str, str]
    errors: list[RowError] = field(default_factory=list)

    def get(self, column: str) -> str:
        """The cell's text, empty when the column is absent."""
        return self.cells.get(column, "")

    def error(self, column: str | None, reason: str) -> None:
        """Record a reason this row is refused."""
        self.errors.append(RowError(self.line, column, reason))


def _decode(data: bytes) -> str:
    """The file as text; raises ImportRefused naming the first line that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        for number, line in enumerate(data.split(b"\n"), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                byte = line[exc.start]
                raise ImportRefused(
                    [
                        RowError(
                            number,
                            None,
                            f"byte 0x{byte:02x} at position {exc.start + 1} is not UTF-8; "
                            "save the file as CSV UTF-8",
                        )
                    ]
                ) from None
        raise  # pragma: no cover - a decode error is always on some line


def _unclosed_quote(text: str, delimiter: str) -> int | None:
    """The line where a quoted cell opens and never closes, or None.

    The lenient reader that reads the rows would take the rest of the file as that one cell,
    and the refusal would name the next line's empty columns instead. Python's strict reader
    says "unexpected end of data" for it; its other complaints (a quote inside a cell, as in
    ``"Acme" Inc``) are left to the lenient reader, which takes such cells as they are.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            next(reader)
        except StopIteration:
            return None
        except csv.Error as error:
            if "unexpected end of data" in str(error):
                return start
        start = reader.line_num + 1


def read_rows(data: bytes, *, required: list[str], optional: list[str]) -> Iterator[Row]:
    """Rows of a CSV file (comma, semicolon or tab separated, UTF-8), checked for its header.

    Raises ImportRefused for an empty file, a file that is not UTF-8, a quote that is never
    closed, a header with unknown, repeated or missing columns, or a row with too many cells.
    """
    text = _decode(data)
    if not text.strip():
        expected = ", ".join(required + optional)
        raise ImportRefused(
            [
                RowError(
                    1, None, f"the file is empty; the first line must name the columns: {expected}"
                )
            ]
        )
    first_line = text.split("\n", 1)[0]
    # French spreadsheets save CSV with semicolons, and "text" exports separate with tabs: take
    # whichever the header uses most.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    unclosed = _unclosed_quote(text, delimiter)
    if unclosed is not None:
        raise ImportRefused(
            [
                RowError(
                    unclosed,
                    None,
                    'a cell opens with a quote (") that is never closed; the rest of the file '
                    "would be read as that one cell",
                )
            ]
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader)]
    known = set(required) | set(optional)
    errors = [
        RowError(
            1,
            name or f"#{i + 1}",
            f"unknown column; expected some of {', '.join(required + optional)}",
        )
        for i, name in enumerate(header)
        if name not in known
    ]
    errors += [
        RowError(1, name, "this column appears twice")
        for i, name in enumerate(header)
        if name in header[:i]
    ]
    errors += [
        RowError(1, name, "required column is missing") for name in required if name not in header
    ]
    if errors:
        raise ImportRefused(errors)
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        row = Row(line=reader.line_num, cells={})
        if len(cells) > len(header):
            row.error(None, f"{len(cells)} cells but the header names {len(header)} columns")
        row.cells = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
        yield row


def check_field(
    row: Row, model: type[models.Model], column: str, attribute: str | None = None
) -> str:
    """The cell's value after the model field's own validation; records an error if refused."""
    value = row.get(column)
    model_field = model._meta.get_field(attribute or column)
    # Imports fill the model's own columns, never the reverse side of a relation.
    assert isinstance(model_field, models.Field), f"{column} is not a column of {model}"
    if not value:
        if not model_field.blank:
            row.error(column, "required, but empty")
        return value
    try:
        model_field.clean(value, None)
    except ValidationError as exc:
        row.error(column, " ".join(str(m) for m in exc.messages))
    return value


def check_int(row: Row, column: str, *, minimum: int) -> int | None:
    """The cell as an integer of at least ``minimum`` (None when empty); records an error if not."""
    value = row.get(column)
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        row.error(column, f"{value!r} is not a whole number")
        return None
    if number < minimum:
        row.error(column, f"{number} is below the minimum of {minimum}")
    return number


def check_choice(row: Row, column: str, choices: Iterable[str], default: str) -> str:
    """The cell if it is one of ``choices`` (``default`` when empty); records an error if not."""
    allowed = list(choices)
    value = row.get(column).lower()
    if not value:
        return default
    if value not in allowed:
        row.error(column, f"{row.get(column)!r} is not one of {', '.join(allowed)}")
    return value


def refuse_if_any(rows: Iterable[Row], extra: Iterable[RowError] = ()) -> None:
    """Raise ImportRefused with every error of every row, in line order, if there is one."""
    errors = [e for row in rows for e in row.errors] + list(extra)
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: e.line or 0))


# A spreadsheet reads a cell starting with one of these as a formula (or, for tab and
# carriage return, strips them and then does): exported text must never run as one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The cell as a spreadsheet must show it: text that would start a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable[object]) -> list[object]:
    """A row for ``csv.writer``, every cell made safe."""
    return [safe_cell(value) for value in row]


def safe_dict(row: Mapping[str, object]) -> dict[str, object]:
    """A row for ``csv.DictWriter``, every cell made safe."""
    return {key: safe_cell(value) for key, value in row.items()}


def write_csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """An export as CSV text: the header, then every row with its cells made safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in rows)
    return out.getvalue()
