"""Skip a regular expression on a note that cannot match it, exactly.

Python's regular expression engine tries a pattern at every position of the text; a pattern
compiled with ``re.IGNORECASE`` whose first element is a word boundary or a look-behind gets no
first-character scan, so the reader's ~60 patterns cost several milliseconds a note even where
nothing matches. Most patterns need a word ("swelling", "alcohol", "/40") that most notes do not
contain: :func:`required_literals` reads, from the parsed pattern, a set of strings one of which
every match contains, and :class:`Prefiltered` runs the pattern only when the note contains one.

Exact by construction: the strings are taken only from parts every match must pass through
(a run of literal characters; every alternative of a group; a repeat of at least once), and a
part whose case rules differ from the pattern's (``(?-i:...)``) or that has a non-ASCII literal
is not used. For ``IGNORECASE`` the note is compared in lower case after folding the few
non-ASCII characters that Python's case-insensitive matching equates with ASCII letters
(``FOLD_TO_ASCII``; ``tests/text/test_prefilter`` checks every code point).
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterator
from typing import Any

# The parser of Python's own ``re`` (``sre_parse`` before 3.11; tohip needs 3.11+). Its output
# format is internal to Python: tests/text/test_prefilter checks it on every reader pattern.
C: Any = importlib.import_module("re._constants")
P: Any = importlib.import_module("re._parser")

# Non-ASCII characters that re.IGNORECASE matches to an ASCII letter: LATIN CAPITAL LETTER I WITH
# DOT ABOVE, LATIN SMALL LETTER DOTLESS I, LATIN SMALL LETTER LONG S, KELVIN SIGN.
FOLD_TO_ASCII = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
# Longer patterns (the MR signal grammar of signal.yaml, ~6,000-10,000 characters) are not
# parsed: parsing them costs start-up time (0.05 s) and their strings ("low", "high", "t2") are
# in most notes anyway.
MAX_PARSED = 2_000
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}

Literals = frozenset[str]


def _best(candidates: list[Literals]) -> Literals | None:
    """The most selective set: longest shortest string, then fewest strings."""
    if not candidates:
        return None
    return max(candidates, key=lambda s: (min(map(len, s)), -len(s)))


def _sequence(items: Any, flags: int) -> Literals | None:
    candidates: list[Literals] = []
    run: list[str] = []

    def close() -> None:
        if run:
            candidates.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        if op is C.LITERAL and av < 128:
            char = chr(av)
            run.append(char.lower() if flags & re.IGNORECASE else char)
            continue
        close()
        found = _element(op, av, flags)
        if found:
            candidates.append(found)
    close()
    return _best(candidates)


def _element(op: Any, av: Any, flags: int) -> Literals | None:
    if op is C.SUBPATTERN:
        _group, add_flags, del_flags, body = av
        if (add_flags | del_flags) & (re.IGNORECASE | re.LOCALE | re.ASCII):
            return None
        return _sequence(body, flags)
    if op is C.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            found = _sequence(branch, flags)
            if not found:
                return None
            union |= found
        return frozenset(union)
    if op in _REPEATS:
        low, _high, body = av
        return _sequence(body, flags) if low >= 1 else None
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _sequence(av, flags)
    return None


def required_literals(pattern: re.Pattern[str]) -> Literals | None:
    """Strings one of which every match of ``pattern`` contains (lower case if the pattern
    ignores case), or None if none can be read."""
    if pattern.flags & re.LOCALE or len(pattern.pattern) > MAX_PARSED:
        return None
    found = _sequence(P.parse(pattern.pattern, pattern.flags), pattern.flags)
    if found is not None and not all(found):
        return None
    return found


class Prefiltered:
    """``pattern``, run only on texts that contain one of its required strings."""

    __slots__ = ("ignore_case", "literals", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.literals = required_literals(pattern)
        self.ignore_case = bool(pattern.flags & re.IGNORECASE)

    def possible(self, text: str, folded: str | None = None) -> bool:
        """False only if no match can exist in ``text``. ``folded`` is ``fold(text)`` when the
        caller has it already."""
        if self.literals is None:
            return True
        if self.ignore_case:
            text = folded if folded is not None else fold(text)
        return any(s in text for s in self.literals)

    def finditer(self, text: str, folded: str | None = None) -> Iterator[re.Match[str]]:
        if self.possible(text, folded):
            yield from self.pattern.finditer(text)


@functools.lru_cache(maxsize=8)
def fold(text: str) -> str:
    """``text`` as compared with an IGNORECASE pattern's lower-case ASCII literals (kept for the
    last few texts: every pattern of a note folds the same note)."""
    return text.translate(FOLD_TO_ASCII).lower()


@functools.cache
def prefiltered(pattern: re.Pattern[str]) -> Prefiltered:
    return Prefiltered(pattern)


def finditer(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, skipped when ``text`` cannot match."""
    return prefiltered(pattern).finditer(text)
