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

_STRING = re.compile(r'"[^"]*"')  # once escapes are gone a string has no quote inside
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def _fail(origin: str, message: str) -> NoReturn:
    raise CaseFileError(f"{origin}: {message}")


def check_depth(text: str, origin: str, max_depth: int = MAX_DEPTH) -> None:
    """Refuse JSON nested deeper than ``max_depth`` without parsing it, in linear time.

    Escapes are dropped first (``\\\\`` pairs, then ``\\"``, left to right as JSON reads them),
    then strings, then everything but brackets (braces become square brackets). Each pass that
    deletes the adjacent ``[]`` pairs (one ``str.replace``, which does not rescan what it
    joins) takes exactly one level off every branch, so ``max_depth`` passes empty a document
    that is shallow enough. Brackets that never pair up are a syntax error, left for the parser
    to report with its line and column.
    """
    bare = text.replace("\\\\", "").replace('\\"', "")
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", bare))
    brackets = brackets.replace("{", "[").replace("}", "]")  # the kind does not change depth
    if "[" * (max_depth + 1) in brackets:  # the usual attack, found in one C-speed search
        _fail(origin, f"JSON nested more than {max_depth} levels deep")
    for _ in range(max_depth):
        shorter = brackets.replace("[]", "")
        if not shorter or len(shorter) == len(brackets):  # shallow enough, or never pairs up
            return
        brackets = shorter
    if "[]" in brackets:
        _fail(origin, f"JSON nested more than {max_depth} levels deep")


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
