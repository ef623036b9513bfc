"""How a value typed into a session is read and checked, before the model's bounds apply.

Text is taken as written: an unquoted TOML date in a text field is that text, limits count the
outer spaces too (as the schema's ``maxLength`` does), and a lone surrogate (which cannot be
stored as UTF-8) is refused at the door. Dates are TOML dates or ``YYYY-MM-DD`` from
:data:`FIRST_YEAR` to :data:`LAST_YEAR`; times carry their offset and are kept in UTC.
The model (:mod:`cjmtui.core.model`) puts these on its field types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable


def no_surrogates(value: str) -> str:
    # A lone surrogate cannot be written as UTF-8: refuse it at the door, not at save time.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains a character that cannot be stored (lone surrogate)") from None
    return value


def text_of_date(value: object) -> object:
    # An unquoted TOML date or time in a text field (name = 2025-01-01) is that text, as an
    # editor's schema check (taplo) reads it: the file and the editor agree.
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


def at_most(limit: int) -> Callable[[object], object]:
    # Limits count the text as written, outer spaces included (as the schema's maxLength does).
    def check(value: object) -> object:
        if isinstance(value, str) and len(value) > limit:
            raise ValueError(f"must be at most {limit} characters, spaces included (this one has {len(value)})")
        return value

    return check


def _not_blank_pattern() -> str:
    # "Not only spaces" for the schema, with exactly the characters str.strip() removes (a
    # schema's \\s differs: it counts U+FEFF, and not U+001C-U+001F or U+0085).
    spaces = [c for c in map(chr, range(0x3001)) if c.isspace()]
    return "[^" + "".join(f"\\u{ord(c):04x}" for c in spaces) + "]"


NOT_BLANK = _not_blank_pattern()  # the schema's way to say "not only spaces", as the app strips


FIRST_YEAR = 1900  # a workshop date before this is a typo (and editors' TOML parsers refuse years < 1000)


LAST_YEAR = 2999  # a due, review or status-change date after this is a typo


DATE_RANGE = f"from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31"


def date_or_iso(value: object) -> object:
    # A TOML date, or "YYYY-MM-DD" (JSON exports); a local date-time at midnight is that date;
    # never a number read as a Unix timestamp. Years FIRST_YEAR to LAST_YEAR (the schema agrees).
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, dt.datetime) and value.tzinfo is None and value.time() == dt.time(0, 0):
        value = value.date()
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValueError(f"must be a date {DATE_RANGE}, like 2026-11-22")
        return value
    if isinstance(value, dt.datetime):
        raise ValueError("must be a date like 2026-11-22 (a date-time only at midnight, 2026-11-22T00:00:00)")
    raise ValueError("must be a date like 2026-11-22")


def plan_date(value: object) -> object:
    # A date a fix is planned or tracked by: as date_or_iso.
    return date_or_iso(value)


def utc_time_or_iso(value: object) -> object:
    # A TOML offset date-time, or an ISO string with an offset (JSON); always an aware time.
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("must be a time with its offset, like 2026-11-29T09:30:00Z")
        if value.year < FIRST_YEAR:
            raise ValueError(f"must be a time from the year {FIRST_YEAR} on")
        return value.astimezone(dt.UTC)
    if value is None:
        return value
    raise ValueError("must be a time like 2026-11-29T09:30:00Z")
