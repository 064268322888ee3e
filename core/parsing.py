"""Strict parsing of values from paths and query strings: what a careful client sends, nothing else.

Python's own parsers are generous where a URL must not be: `int()` reads Arabic-Indic and
fullwidth digits as numbers, and "1_000" as a thousand; `str.isdigit()` is true for a superscript
two, which `int()` then refuses; `\\d` in a regular expression matches every script's digits.
A value that only looks like a number is not one: these helpers answer None or False for it (the
caller's "no such row" or "not a valid choice"). The API's lookups, its pagination, every
FilterSet and the pages' own query values use them; the pages' `<int:...>` paths are ASCII
already (Django's converter), and Django 5 answers an out-of-range id with no rows.
"""

import re

#: An id as the database holds it: ASCII digits, at most 18 of them, so it fits a signed 64-bit
#: integer whatever the digits are (a 19-digit id is never reached in this application).
ID_PATTERN = "[0-9]{1,18}"
_ID = re.compile(ID_PATTERN)
_INTEGER = re.compile("-?[0-9]{1,18}")
_DECIMAL = re.compile(r"-?[0-9]{1,18}(\.[0-9]{1,18})?")


def parse_id(value) -> int | None:
    """`value` as a row id (a positive integer written in ASCII digits), or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value < 10**18 else None
    text = str(value) if value is not None else ""
    return int(text) if _ID.fullmatch(text) and int(text) > 0 else None


def is_integer(text: str) -> bool:
    """Whether `text` is an integer written plainly: an optional minus and up to 18 ASCII digits."""
    return bool(_INTEGER.fullmatch(text))


def is_decimal(text: str) -> bool:
    """Whether `text` is a plain decimal number: no exponent, no NaN, no other script's digits."""
    return bool(_DECIMAL.fullmatch(text))
