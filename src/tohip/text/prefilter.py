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

Where every match *starts* with one of a few strings (``\\b(?:normal|unremarkable)\\s+...``:
:func:`leading_literals`), the pattern is not run over the whole note at all: it is tried only
where one of those strings occurs (``pattern.match(text, pos)``, which sees the text before
``pos`` for look-behinds and ``\\b`` as a search does), in order, each from the end of the
previous match, as ``finditer`` would. An ``IGNORECASE`` pattern gets no first-character scan in
Python's engine, so a whole-note search costs some 0.1-0.2 ms; a few ``str.find`` calls and a
handful of anchored tries cost a few microseconds. Where the strings are frequent (more than
one try per ``TEXT_PER_TRY`` characters) the pattern runs over the whole note as before, so a
hostile note costs no more than it did.

A header pattern whose strings come after assertions and a run of indent or bullet characters
(``(?m)^[ \\t*•-]*(?:Meds|Plan)\\s*:``: :func:`skipped_prefix`) is tried at each string and at
the starts the run allows before it. Whether a note holds a string, and where, is worked out once
a note for all the patterns that ask (``_contains``, ``_places``): many need the same ones.

For a cold start, a pattern's analysis is kept on disk between runs (:func:`analysis`), and a
pattern made with :class:`Deferred` is compiled only when a note may hold a match.
"""

from __future__ import annotations

import atexit
import functools
import importlib
import re
import sys
from collections.abc import Iterator
from typing import Any, NamedTuple, Protocol

# The parser of Python's own ``re`` (``sre_parse`` before 3.11; tohip needs 3.11+). Its output
# format is internal to Python: tests/text/test_prefilter checks it on every reader pattern.
C: Any = importlib.import_module("re._constants")
P: Any = importlib.import_module("re._parser")

# Non-ASCII characters that re.IGNORECASE matches to an ASCII letter: LATIN CAPITAL LETTER I WITH
# DOT ABOVE, LATIN SMALL LETTER DOTLESS I, LATIN SMALL LETTER LONG S, KELVIN SIGN.
FOLD_TO_ASCII = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
# Required strings are not read from longer patterns (the MR signal grammar of signal.yaml,
# ~6,000-10,000 characters): their strings ("low", "high", "t2") are in most notes anyway. Their
# leading strings are read: the grammar is then tried only where a phrase of it may start.
MAX_PARSED = 2_000
# characters of text per anchored try at most; beyond that one search of the whole text is cheaper
TEXT_PER_TRY = 16
# characters of text up to which the pattern is run as it is: folding a sentence and looking for
# its strings costs more than the search (measured on the reader's calls: 2.6x at <= 50
# characters, 1.4x at <= 100, even at ~150)
DIRECT_TEXT = 120
MAX_LEADING = 64  # strings a pattern's leading set may grow to before it stops growing
DIGITS = frozenset("0123456789")
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}

Literals = frozenset[str]


class Source(Protocol):
    """What the analysis reads of a pattern: a compiled one, or a ``Deferred`` one."""

    @property
    def pattern(self) -> str: ...

    @property
    def flags(self) -> int: ...


def _best(candidates: list[Literals]) -> Literals | None:
    """The most selective set: longest shortest string, then fewest strings."""
    if not candidates:
        return None
    return max(candidates, key=lambda s: (min(map(len, s)), -len(s)))


def _same_case_rules(add_flags: int, del_flags: int) -> bool:
    """Whether a group's literals may be read with the pattern's flags. A group that only turns
    ignoring case off (``(?-i:Mr)``) may: in a case-sensitive pattern it changes nothing, and in
    an ``IGNORECASE`` one its literals, read in lower case, are looked for in the folded text,
    which holds them wherever the text holds them as written (more places, never fewer). A
    group that turns ignoring case on, or changes what ``\\w`` means, may not."""
    return not add_flags & (re.IGNORECASE | re.LOCALE | re.ASCII) and not del_flags & (
        re.LOCALE | re.ASCII
    )


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
        if not _same_case_rules(add_flags, del_flags):
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


def _conjunction(items: Any, flags: int) -> list[Literals]:
    """Sets of strings such that every match contains one string of *each* set: the literal
    runs and groups of the sequence that every match passes through, looked into where they
    are groups or repeats of at least once (an alternative gives one set, its union)."""
    out: list[Literals] = []
    run: list[str] = []
    for op, av in items:
        if op is C.LITERAL and av < 128:
            char = chr(av)
            run.append(char.lower() if flags & re.IGNORECASE else char)
            continue
        if run:
            out.append(frozenset({"".join(run)}))
            run.clear()
        if op is C.SUBPATTERN:
            if _same_case_rules(av[1], av[2]):
                out += _conjunction(av[3], flags)
        elif op in _REPEATS:
            if av[0] >= 1:
                out += _conjunction(av[2], flags)
        elif op is getattr(C, "ATOMIC_GROUP", None):
            out += _conjunction(av, flags)
        elif found := _element(op, av, flags):
            out.append(found)
    if run:
        out.append(frozenset({"".join(run)}))
    return [s for s in out if all(s)]


_ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}


def _leading_sequence(items: Any, flags: int) -> tuple[set[str], bool]:
    """(strings, whole): every match of ``items`` starts with one of ``strings``; with
    ``whole``, every match *is* one of them (so what follows may extend them)."""
    out = {""}
    items = list(items)
    for i, (op, av) in enumerate(items):
        if op in _ZERO_WIDTH:  # "\\b", look-arounds: they consume nothing
            continue
        if op in _REPEATS and av[0] == 0:  # "(?:femoral\\s+)?(?:neck|head)": either may start
            body, _ = _leading_sequence(av[2], flags)
            rest, _ = _leading_sequence(items[i + 1 :], flags)
            grown = {a + b for a in out for b in body | rest}
            return (out if len(grown) > MAX_LEADING else grown), False
        found, whole = _leading_element(op, av, flags)
        grown = {a + b for a in out for b in found}
        if not found or len(grown) > MAX_LEADING:
            return out, False
        out = grown
        if not whole:
            return out, False
    return out, True


def _leading_element(op: Any, av: Any, flags: int) -> tuple[set[str], bool]:
    if op is C.LITERAL and av < 128:
        char = chr(av)
        return {char.lower() if flags & re.IGNORECASE else char}, True
    if op is C.IN:
        # a class of letters (also what the parser makes of single-letter alternatives) or
        # of digits ("\\d", "[0-6]")
        chars = _class_characters(av, flags)
        return (chars, True) if chars else (set(), False)
    if op is C.SUBPATTERN:
        _group, add_flags, del_flags, body = av
        if not _same_case_rules(add_flags, del_flags):
            return set(), False
        return _leading_sequence(body, flags)
    if op is C.BRANCH:
        union: set[str] = set()
        every_whole = True
        for branch in av[1]:
            # an alternative that may start with anything gives "": nothing is added to what
            # came before the group
            found, whole = _leading_sequence(branch, flags)
            union |= found
            every_whole &= whole
        if len(union) > MAX_LEADING:  # a lexicon of hundreds of words: too many to look for
            return set(), False
        return union, every_whole
    if op in _REPEATS and av[0] >= 1:
        found, _whole = _leading_sequence(av[2], flags)
        return found, False
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _leading_sequence(av, flags)
    return set(), False


def _class_characters(items: Any, flags: int) -> set[str] | None:
    """The characters a class matches, if it is only ASCII literals, ranges of ASCII digits and
    ``\\d``. ``\\d`` also matches the decimal digits of other scripts ("\u0663"): a leading
    string with a digit is looked for only in a text without them (``_other_digits``)."""
    out: set[str] = set()
    for op, av in items:
        if op is C.LITERAL and av < 128:
            out.add(chr(av).lower() if flags & re.IGNORECASE else chr(av))
        elif op is C.CATEGORY and av is C.CATEGORY_DIGIT:
            out.update(DIGITS)
        elif op is C.RANGE and chr(av[0]) in DIGITS and chr(av[1]) in DIGITS:
            out.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
    return out


def leading_literals(pattern: Source, parsed: Any = None) -> Literals | None:
    """Strings one of which every match of ``pattern`` starts with (lower case if the pattern
    ignores case), or None if none can be read. ``parsed``: the pattern parsed already."""
    if pattern.flags & re.LOCALE:
        return None
    parsed = parsed if parsed is not None else P.parse(pattern.pattern, pattern.flags)
    found, _whole = _leading_sequence(parsed, pattern.flags)
    if not found or "" in found:
        return None
    # drop a string that another one starts with: its occurrences are found already
    return frozenset(s for s in found if not any(s != t and s.startswith(t) for t in found))


def _zero_width(op: Any, av: Any) -> bool:
    """Whether an element consumes nothing: an assertion, or a group or alternatives of them
    ("(?:^|(?<=[.;]\\s))")."""
    if op in _ZERO_WIDTH:
        return True
    if op is C.BRANCH:
        return all(all(_zero_width(o, a) for o, a in branch) for branch in av[1])
    if op is C.SUBPATTERN:
        return all(_zero_width(o, a) for o, a in av[3])
    return False


def skipped_prefix(
    pattern: Source, parsed: Any = None
) -> tuple[frozenset[str], int, Literals] | None:
    """(characters, most, strings) where every match of ``pattern`` is assertions, then at most
    ``most`` of ``characters``, then one of ``strings`` (lower case if the pattern ignores case):
    a header at the start of a line after an optional indent or bullet
    (``(?m)(?:^|(?<=[.;]\\s))[ \\t\\-*•]*(?:Medications|Meds)\\s*:``). The characters are
    ones that case does not change and that are no word characters; else None."""
    if pattern.flags & re.LOCALE:
        return None
    items = list(parsed if parsed is not None else P.parse(pattern.pattern, pattern.flags))
    i = 0
    while i < len(items) and _zero_width(*items[i]):
        i += 1
    if i + 1 >= len(items) or items[i][0] not in _REPEATS or items[i][1][0] != 0:
        return None
    _low, most, body = items[i][1]
    body = list(body)
    if len(body) != 1:
        return None
    op, av = body[0]
    if op is C.LITERAL:
        codes = [av]
    elif op is C.IN and all(o is C.LITERAL for o, _ in av):
        codes = [a for _, a in av]
    else:
        return None
    chars = frozenset(chr(c) for c in codes)
    if any(_is_word_character(c) or c.lower() != c or c.upper() != c for c in chars):
        return None
    found, _whole = _leading_sequence(items[i + 1 :], pattern.flags)
    if not found or "" in found:
        return None
    strings = frozenset(s for s in found if not any(s != t and s.startswith(t) for t in found))
    return chars, int(most), strings  # a plain int: MAXREPEAT is an unpicklable constant


def _starts_a_word(parsed: Any) -> bool:
    """Whether the pattern asserts, where a match starts, that no word character comes before
    (a ``\\b`` before a word, or ``(?<![\\w-])``): a leading string found in the middle of a
    word ("l" in "lateral", for "L hip") is then no place to try."""
    for op, av in parsed:
        if op is C.SUBPATTERN and _same_case_rules(av[1], av[2]):
            return _starts_a_word(av[3])  # "(?-i:(?<![\\w.])M...)": what it starts with
        if op is C.BRANCH:  # "(?<![\\w-])later...|(?<![\\w-])mri...": each alternative does
            return all(_starts_a_word(branch) for branch in av[1])
        if op is C.AT and av is C.AT_BOUNDARY:
            return True
        if op is C.ASSERT_NOT and av[0] == -1 and len(av[1]) == 1:
            inner_op, inner = av[1][0]
            if inner_op is C.IN and (C.CATEGORY, C.CATEGORY_WORD) in inner:
                return True
        if op not in _ZERO_WIDTH:
            return False
    return False


def _is_word_character(char: str) -> bool:
    return char.isalnum() or char == "_"  # what ``\\w`` matches in a str pattern


def required_literals(pattern: Source, parsed: Any = None) -> Literals | None:
    """Strings one of which every match of ``pattern`` contains (lower case if the pattern
    ignores case), or None if none can be read. ``parsed``: the pattern parsed already."""
    if pattern.flags & re.LOCALE or len(pattern.pattern) > MAX_PARSED:
        return None
    parsed = parsed if parsed is not None else P.parse(pattern.pattern, pattern.flags)
    found = _sequence(parsed, pattern.flags)
    if found is not None and not all(found):
        return None
    return found


MAX_REQUIRED = 3  # sets of required strings a text is checked for: the most selective ones


def required_sets(pattern: Source, parsed: Any = None) -> tuple[Literals, ...]:
    """Sets of strings, most selective first, such that every match of ``pattern`` contains
    one string of each ("\\d+ weeks after (delivery|birth)": "after", and "delivery" or
    "birth"); at most ``MAX_REQUIRED``. Empty if none can be read."""
    if pattern.flags & re.LOCALE or len(pattern.pattern) > MAX_PARSED:
        return ()
    parsed = parsed if parsed is not None else P.parse(pattern.pattern, pattern.flags)
    found = sorted(
        set(_conjunction(parsed, pattern.flags)), key=lambda s: (-min(map(len, s)), len(s))
    )
    return tuple(found[:MAX_REQUIRED])


class Analysis(NamedTuple):
    """What the prefilter reads from a pattern (the functions above), all from one parse."""

    literals: Literals | None
    required: tuple[Literals, ...]
    leading: Literals | None
    skip: tuple[frozenset[str], int, Literals] | None  # only where ``leading`` is None
    starts_a_word: bool
    flags: int  # the compiled pattern's: those given, those set in it, ``re.UNICODE``


class _Shape(NamedTuple):
    pattern: str
    flags: int


def analyse(source: Source) -> Analysis:
    """The analysis of ``re.compile(source.pattern, source.flags)``, from one parse."""
    parsed = P.parse(source.pattern, source.flags)
    # the flags compiling gives (``re.compile`` takes them from the parse as well)
    pattern = _Shape(source.pattern, parsed.state.flags)
    leading = leading_literals(pattern, parsed)
    return Analysis(
        literals=required_literals(pattern, parsed),
        required=required_sets(pattern, parsed),
        leading=leading,
        skip=skipped_prefix(pattern, parsed) if leading is None else None,
        starts_a_word=_starts_a_word(parsed),
        flags=int(pattern.flags),
    )


# Analyses kept on disk between runs (``tohip.kb.cache``, keyed by tohip's code and Python's
# version): parsing the reader's ~160 patterns again took ~0.2 s of every cold ``tohip assess
# note.txt``. An analysis depends only on the pattern's text and flags and this module's code.
STORED_KIND = "prefilter-analyses"
MAX_STORED = 20_000  # analyses written to disk at most (a program making patterns without end)
_stored: dict[tuple[str, int], Analysis] | None = None
_stored_changed = False


def analysis(pattern: Source) -> Analysis:
    """``analyse(pattern)``, read from the analyses kept on disk when this code made it before;
    a new one is kept there when the process ends."""
    global _stored, _stored_changed
    if _stored is None:
        _stored = _load_stored()
    key = (pattern.pattern, pattern.flags)
    found = _stored.get(key) if isinstance(key[0], str) else None
    if found is None:
        found = analyse(pattern)
        if isinstance(key[0], str) and len(_stored) < MAX_STORED:
            _stored[key] = found
            if not _stored_changed:
                _stored_changed = True
                atexit.register(_save_stored)
    return found


def _load_stored() -> dict[tuple[str, int], Analysis]:
    from tohip.kb.cache import read_code_entry

    stored = read_code_entry(STORED_KIND, dict)
    return stored if stored is not None else {}


def _save_stored() -> None:
    """Write the analyses (all of them: another run's new ones are merged in, not lost)."""
    from tohip.kb.cache import store_code_entry

    if _stored is not None and _stored_changed:
        store_code_entry(STORED_KIND, {**_load_stored(), **_stored})


class Deferred:
    """``re.compile(source, flags)``, compiled when first run rather than when made.

    The prefilter needs only a pattern's analysis to skip it, and that is kept on disk
    (``analysis``); on a given note most of the pipeline's target expressions are skipped, so a
    cold ``tohip assess note.txt`` need not compile them. A pattern that does not compile still
    fails when its ``Prefiltered`` is made: analysing it parses it."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.pattern = source
        self.flags = flags  # as given (the analysis has the compiled pattern's)
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(text, pos, endpos)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(text, pos, endpos)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text, pos, endpos)


class Prefiltered:
    """``pattern``, run only on texts that contain one of its required strings, and only where
    one of its leading strings occurs when it has them."""

    __slots__ = (
        "at_word_starts", "digits", "ignore_case", "leading", "literals", "mixed", "pattern",
        "required", "short", "skip", "word_start",
    )  # fmt: skip

    def __init__(self, pattern: re.Pattern[str] | Deferred) -> None:
        self.pattern = pattern
        found = analysis(pattern)
        self.literals, self.required, self.leading = found.literals, found.required, found.leading
        # a match starts at one of the leading strings or up to ``most`` of ``chars`` before it
        self.skip: tuple[frozenset[str], int] | None = None
        if found.skip is not None:
            chars, most, self.leading = found.skip
            self.skip = (chars, most)
        self.ignore_case = bool(found.flags & re.IGNORECASE)
        # a leading digit may stand for "\\d", which other scripts' digits match too
        self.digits = self.leading is not None and any(DIGITS.intersection(s) for s in self.leading)
        # where the pattern asserts that a match starts a word ("\\b", "(?<![\\w-])"), a
        # leading string that starts with a word character is tried only where a word starts;
        # one that does not ("~" of "~5 weeks", where "\\b" asks for a word character before
        # it) is tried wherever it is
        asserts = (
            self.leading is not None
            and self.skip is None  # a match may start before its string
            and not found.flags & re.ASCII  # where "\\w" is ASCII only, "é" is no word
            and found.starts_a_word
        )
        self.at_word_starts = frozenset(
            s for s in self.leading or () if asserts and _is_word_character(s[0])
        )
        self.word_start = bool(self.at_word_starts) and self.at_word_starts == self.leading
        self.mixed = bool(self.at_word_starts) and not self.word_start
        # one-letter leading strings tried anywhere, not only at word starts: counted first
        self.short = tuple(
            s
            for s in self.leading or ()
            if len(s) == 1 and s.isalpha() and s not in self.at_word_starts
        )

    def possible(
        self, text: str, folded: str | None = None, pos: int = 0, endpos: int | None = None
    ) -> bool:
        """False only if no match can exist in ``text[pos:endpos]``. ``folded`` is
        ``fold(text)`` when the caller has it already."""
        if not self.required:
            return True
        if self.ignore_case:
            text = folded if folded is not None else fold(text)
        if pos == 0 and (endpos is None or endpos >= len(text)):  # the whole text
            # many patterns need the same strings ("week", "pain"): each is looked for once
            known = _contains(text)
            for group in self.required:
                for s in group:
                    found = known.get(s)
                    if found is None:
                        found = known[s] = s in text
                    if found:
                        break
                else:
                    return False
            return True
        return all(any(text.find(s, pos, endpos) != -1 for s in group) for group in self.required)

    def finditer(
        self, text: str, folded: str | None = None, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text, pos, endpos)``: the same matches, found with less work."""
        endpos = len(text) if endpos is None else min(endpos, len(text))
        pattern = self.pattern
        if endpos - pos <= DIRECT_TEXT:  # a sentence: the pattern costs less than the checks
            yield from pattern.finditer(text, pos, endpos)
            return
        if not self.possible(text, folded, pos, endpos):
            return
        starts = self._starts(text, folded, pos, endpos) if self.leading is not None else None
        if type(pattern) is Deferred:  # a note may hold a match: compiled now, and kept
            pattern = self.pattern = pattern.compiled
        if starts is None:
            yield from pattern.finditer(text, pos, endpos)
            return
        end = pos
        for start in starts:
            if start >= end and (m := pattern.match(text, start, endpos)) is not None:
                end = m.end()  # finditer goes on from the end of a match
                yield m

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """``pattern.search(text, pos, endpos)``."""
        return next(self.finditer(text, None, pos, endpos), None)

    def _starts(self, text: str, folded: str | None, pos: int, endpos: int) -> list[int] | None:
        """Where in ``text[pos:endpos]`` a match may start, in order; None if that is so often
        that one search of the whole range costs less."""
        assert self.leading is not None
        note = text
        if self.digits and _other_digits(note):
            return None
        if self.ignore_case:
            text = folded if folded is not None else fold(text)
        limit = (endpos - pos) // TEXT_PER_TRY + 4
        # a pattern tried anywhere, not only at word starts, with a one-letter leading string
        # ("a", of "a|an|one|two ..."): that letter is counted first (str.count misses
        # overlaps: a lower bound), and the loop below is not started where it would give up
        if self.short and sum(text.count(s, pos, endpos) for s in self.short) > limit:
            return None
        seen = 0  # occurrences looked at, word starts or not: bounded too
        most_seen = 4 * limit
        word_start = self.word_start
        mixed, at_word_starts = self.mixed, self.at_word_starts
        find = text.find
        found: list[int] = []  # no two strings start at one place: none starts another
        known = None
        if pos == 0 and endpos == len(text):
            # the whole text: where each string is (at word starts, or anywhere) is worked out
            # once for all the patterns that look for it (the ten digits: a dozen patterns)
            known = _places(text, note, word_start)
            for s in self.leading:
                if mixed:
                    word_start = s in at_word_starts
                    known = _places(text, note, word_start)
                places = known.get(s, _UNKNOWN)
                if places is _UNKNOWN:
                    places = known[s] = _find_all(s, text, note, word_start, most_seen)
                if places is None:
                    return None
                found += places
                if len(found) > limit:
                    return None
        for s in self.leading if known is None else ():
            if mixed:
                word_start = s in at_word_starts
            i = find(s, pos, endpos)
            while i != -1:
                seen += 1
                if seen > most_seen:
                    return None
                # not after a word character ("\\w": alphanumeric or "_")
                if not word_start or i == 0 or not ((c := note[i - 1]).isalnum() or c == "_"):
                    found.append(i)
                i = find(s, i + 1, endpos)
            if len(found) > limit:
                return None
        if self.skip is not None:
            # where the string is, and before it each start the run of skipped characters
            # allows ("  - Meds:" is tried at "M", "-", " " and " "); ``match`` checks the rest
            chars, most = self.skip
            starts = set(found)
            for i in found:
                j = i
                while j > pos and i - j < most and note[j - 1] in chars:
                    j -= 1
                    starts.add(j)
            if len(starts) > limit:
                return None
            found = list(starts)
        found.sort()
        return found


_UNKNOWN: list[int] = []  # a string not looked for yet (``_places``)


@functools.lru_cache(maxsize=8)
def _contains(text: str) -> dict[str, bool]:
    """Whether ``text`` holds each string asked about so far (kept for the last few texts)."""
    return {}


@functools.lru_cache(maxsize=16)
def _places(text: str, note: str, word_start: bool) -> dict[str, list[int] | None]:
    """Where in ``text`` each string asked about so far is (``_find_all``), for the last few
    texts; ``note`` is the text as written (``text`` may be it folded)."""
    return {}


def _find_all(s: str, text: str, note: str, word_start: bool, most: int) -> list[int] | None:
    """Every place of ``s`` in ``text``, in order; with ``word_start`` only where no word
    character comes before it in ``note``; None past ``most`` places, word starts or not (one
    search of the whole text then costs less than the tries)."""
    out: list[int] = []
    find = text.find
    seen = 0
    i = find(s)
    while i != -1:
        seen += 1
        if seen > most:
            return None
        # not after a word character ("\\w": alphanumeric or "_")
        if not word_start or i == 0 or not ((c := note[i - 1]).isalnum() or c == "_"):
            out.append(i)
        i = find(s, i + 1)
    return out


@functools.lru_cache(maxsize=8)
def fold(text: str) -> str:
    """``text`` as compared with an IGNORECASE pattern's lower-case ASCII literals (kept for the
    last few texts: every pattern of a note folds the same note)."""
    return text.translate(FOLD_TO_ASCII).lower()


@functools.lru_cache(maxsize=8)
def _other_digits(text: str) -> bool:
    """Whether ``text`` holds a decimal digit that is not ASCII ("\\d" matches it, "0"-"9"
    do not)."""
    return not text.isascii() and any(c.isdecimal() for c in set(text) if not c.isascii())


_PREFILTERED: dict[int, tuple[re.Pattern[str], Prefiltered]] = {}
MAX_KEPT = 4096  # patterns analysed and kept; beyond that the analyses are made afresh


def prefiltered(pattern: re.Pattern[str]) -> Prefiltered:
    """The analysis of ``pattern``, made once per pattern object. Kept by the object's id, not
    by its hash: hashing a compiled pattern hashes its whole compiled code (some 10 us for the
    medicine names' word list), and the reader asks for a pattern's analysis ~200 times a
    note. The pattern is kept with it, so its id is not reused while the entry lives."""
    entry = _PREFILTERED.get(id(pattern))
    if entry is None or entry[0] is not pattern:
        if len(_PREFILTERED) >= MAX_KEPT:
            _PREFILTERED.clear()
        entry = _PREFILTERED[id(pattern)] = (pattern, Prefiltered(pattern))
    return entry[1]


def finditer(
    pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, pos, endpos)``, with less work (see the module docstring)."""
    return prefiltered(pattern).finditer(text, None, pos, endpos)


def search(
    pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
) -> re.Match[str] | None:
    """``pattern.search(text, pos, endpos)``, with less work (see the module docstring)."""
    return prefiltered(pattern).search(text, pos, endpos)
