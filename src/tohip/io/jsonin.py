"""Parsing JSON input strictly and within bounds.

Python's ``json.loads`` recurses once per nesting level (a document 2,000 levels deep raises
``RecursionError``), turns a 400-digit integer into a 400-digit ``int`` (which overflows when it
meets a float), accepts ``NaN`` and ``Infinity`` (not JSON at all), and keeps the last of two
duplicate keys silently. Clinical input gets none of that: the nesting depth is measured by a
linear scan *before* parsing, numbers are checked as text before they are converted, and any
duplicate key, non-finite number or over-long number is an error naming where it is.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, NoReturn

from tohip.errors import CaseFileError

MAX_DEPTH = 20  # a case is 4 levels deep; 20 leaves room and stays far from recursion limits
MAX_NUMBER_CHARS = 24  # "-1.2345678901234567e-300" is 24 characters; no clinical value needs more
MAX_INTEGER_DIGITS = 15  # exactly representable as a float, and far beyond any clinical value

# Only the characters that matter for depth: quotes (strings hide brackets), backslashes
# (escaped quotes) and brackets. One pass of a single character class cannot backtrack.
_STRUCTURE = re.compile(r'["\\\[\]{}]')


def _fail(origin: str, message: str) -> NoReturn:
    raise CaseFileError(f"{origin}: {message}")


def _line_col(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {column}"


def check_depth(text: str, origin: str, max_depth: int = MAX_DEPTH) -> None:
    """Refuse JSON nested deeper than ``max_depth``, without parsing it (linear time)."""
    depth = 0
    in_string = False
    escaped_at = -1
    for match in _STRUCTURE.finditer(text):
        char, at = match.group(), match.start()
        if in_string:
            if at == escaped_at:
                continue
            if char == "\\":
                escaped_at = at + 1
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                _fail(
                    origin,
                    f"JSON nested more than {max_depth} levels deep ({_line_col(text, at)})",
                )
        elif char in "]}":
            depth -= 1


def _unique_object(origin: str) -> Any:
    def build(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                _fail(origin, f"duplicate key {json.dumps(key)[:80]} in a JSON object")
            result[key] = value
        return result

    return build


def _integer(origin: str) -> Any:
    def convert(text: str) -> int:
        if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
            _fail(origin, f"the number {text[:20]}... has more than {MAX_INTEGER_DIGITS} digits")
        return int(text)

    return convert


def _real(origin: str) -> Any:
    def convert(text: str) -> float:
        if len(text) > MAX_NUMBER_CHARS:
            _fail(origin, f"the number {text[:20]}... is longer than {MAX_NUMBER_CHARS} characters")
        value = float(text)
        if not math.isfinite(value):
            _fail(origin, f"the number {text} is too large")
        return value

    return convert


def _constant(origin: str) -> Any:
    def refuse(name: str) -> NoReturn:
        _fail(origin, f"{name} is not a number JSON allows")

    return refuse


def parse_json(text: str, origin: str, max_depth: int = MAX_DEPTH) -> Any:
    """The JSON value in ``text``; ``CaseFileError`` naming ``origin`` for anything refused."""
    if not text.strip():
        _fail(origin, "the file is empty")
    check_depth(text, origin, max_depth)
    try:
        return json.loads(
            text,
            object_pairs_hook=_unique_object(origin),
            parse_int=_integer(origin),
            parse_float=_real(origin),
            parse_constant=_constant(origin),
        )
    except json.JSONDecodeError as exc:
        _fail(origin, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
    except RecursionError:  # the depth check makes this unreachable; kept as a last guard
        _fail(origin, "JSON nested too deeply")
