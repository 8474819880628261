"""The CSV format French spreadsheets open as is (Pix Orga's exports): ``;``, UTF-8 with a BOM, a decimal comma,
« Oui »/« Non », ``NA`` where a value does not exist yet, dates ``JJ/MM/AAAA HH:MM`` in Paris time, and no cell a
spreadsheet would run as a formula.

Pure: plain values in, text out (no Django apart from the time-zone conversion).
"""

from __future__ import annotations

import csv
import datetime
import math
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

BOM = "\ufeff"
NA = "NA"
YES, NO = "Oui", "Non"
PARIS = ZoneInfo("Europe/Paris")
# A cell starting with one of these is a formula (or becomes one) in Excel / LibreOffice: CSV injection.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_neutralise(value: str) -> str:
    """``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``: the spreadsheet shows the text instead of running it."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def yes_no(value: bool) -> str:
    return YES if value else NO


def decimal_fr(value: float) -> str:
    """A fraction (0 to 1, or any non-negative number) rounded to 2 decimals: 0.6666 → "0,67", 0.5 → "0,5",
    1.0 → "1"; half up as Pix rounds (0.125 → "0,13"), a decimal comma, no trailing zero."""
    # The epsilon keeps a tie written in binary just below it (0.285 × 100 = 28.499…) a tie, as its decimal is.
    hundredths = math.floor(value * 100 + 0.5 + 1e-9)
    units, rest = divmod(hundredths, 100)
    if not rest:
        return str(units)
    return f"{units},{rest:02d}".rstrip("0")


def datetime_fr(value: datetime.datetime | None) -> str:
    """An aware datetime → "14/09/2026 23:30" in Paris time; "" for None."""
    return value.astimezone(PARIS).strftime("%d/%m/%Y %H:%M") if value else ""


class _Echo:
    """csv.writer writes to this and gets the formatted line back (nothing is buffered)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """The file line by line: the BOM and the header first, then one line per row; every cell is text, neutralised
    (a number is written by the caller, already with its decimal comma)."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield BOM + writer.writerow([cell_neutralise(str(cell)) for cell in header])
    for row in rows:
        yield writer.writerow([cell_neutralise(str(cell)) for cell in row])


def export_filename(*, code: str, at: datetime.datetime) -> str:
    """``20261123_0905_QWERTY234_resultats.csv`` (the time in Paris)."""
    return f"{at.astimezone(PARIS).strftime('%Y%m%d_%H%M')}_{code}_resultats.csv"
