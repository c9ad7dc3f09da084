"""The prefilter skips a regular expression only on a text it cannot match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.text.test_worst_case import reader_patterns
from tohip.text import prefilter
from tohip.text.prefilter import (
    DIRECT_TEXT,
    FOLD_TO_ASCII,
    Prefiltered,
    fold,
    leading_literals,
    prefiltered,
    required_literals,
    skipped_prefix,
)

REPO = Path(__file__).parents[2]


def test_fold_covers_every_character_ignorecase_equates_with_an_ascii_letter() -> None:
    letter = re.compile("[a-z]", re.I)
    missed = []
    for code in range(0x80, 0x110000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        equated = letter.fullmatch(char) or any(c.isascii() for c in char.lower())
        if equated and code not in FOLD_TO_ASCII:
            missed.append(hex(code))
    assert missed == []


def test_folding_keeps_every_character_at_its_offset() -> None:
    # a match found in the folded text starts at the same offset in the note
    folded = fold.__wrapped__  # not through the cache of recent notes
    for code in range(0x110000):
        if not 0xD800 <= code <= 0xDFFF:
            assert len(folded(chr(code))) == 1, hex(code)


def test_required_literals_come_only_from_parts_every_match_passes() -> None:
    def lits(p: str, flags: int = re.I) -> set[str] | None:
        found = required_literals(re.compile(p, flags))
        return None if found is None else set(found)

    assert lits(r"\bSwelling\s+(?:of|over)\b") == {"swelling"}
    assert lits(r"(?:alcohol|etoh)\s*\d") == {"alcohol", "etoh"}
    assert lits(r"(?:foo)?bar") == {"bar"}
    assert lits(r"(?:foo|\d+)bar") == {"bar"}  # one alternative has no literal: not the group
    assert lits(r"(?:ab)+c") == {"ab"}
    assert lits(r"(?:ab)*") is None
    # a case-sensitive group of an IGNORECASE pattern: its literals in lower case, looked for in
    # the folded text (more places than the exact case, never fewer)
    assert lits(r"(?-i:Mr)\s") == {"mr"}
    assert lits(r"(?i:Mr)\s", 0) is None  # ignoring case inside a case-sensitive pattern
    assert lits(r"(?a:Mr)\s") is None  # what "\\w" means differs inside the group
    assert lits(r"Mr\s", 0) == {"Mr"}  # case-sensitive pattern: literals as written
    assert lits(r"(?<=abc)\d") is None  # a look-behind is not part of the match
    assert lits(r"(?<=abc)x|y") == {"x", "y"}


def test_leading_literals_are_what_every_match_starts_with() -> None:
    def lead(p: str, flags: int = re.I) -> set[str] | None:
        found = leading_literals(re.compile(p, flags))
        return None if found is None else set(found)

    assert lead(r"\b(?:Normal|unremarkable)\s+study") == {"normal", "unremarkable"}
    # a word list compiled as a prefix tree is read back into its words
    assert lead(r"(?<![\w-])(?:a(?:lendronate|spirin)|b(?:x|y))(?![\w-])") == {
        "alendronate", "aspirin", "bx", "by"}  # fmt: skip
    assert lead(r"(?:foo)?bar") == {"foo", "bar"}  # an optional part or what follows it
    digits = set("0123456789")
    assert lead(r"(?:foo)?\d") == {"foo", *digits}
    assert lead(r"(?:ab)+c") == {"ab"}
    assert lead(r"(?:hip|\d+)\s") == {"hip", *digits}  # one alternative starts with a digit
    assert lead(r"(?<!\d)\d{1,2}/[0-6]") == digits
    assert lead(r"(?:[0-2]|x)\s") == {"0", "1", "2", "x"}
    assert lead(r"[0-2]/") == {"0/", "1/", "2/"}
    assert lead(r"[\d,]\s") == {",", *digits}
    assert lead(r"\w+x") is None
    assert lead(r"[\da-z]x") is None  # a range of letters: not read
    assert lead(r"x(?:a|\w)") == {"x"}  # "xa" would miss "xb"
    assert lead(r"x(?:a|\d)") == {"xa", *(f"x{d}" for d in digits)}
    assert lead(r"(?:t1|t1w)\s") == {"t1"}  # "t1w" starts with "t1": found already
    assert lead(r"(?:(?<=mild )|(?<=gross ))oedema") == {"oedema"}  # look-behinds consume nothing
    assert lead(r"(?-i:Mr)\s") == {"mr"}  # a case-sensitive group: read in lower case
    assert lead(r"(?i:Mr)\s", 0) is None  # ignoring case inside a case-sensitive pattern
    assert lead(r"Mr\s", 0) == {"Mr"}
    assert lead(r"[^ab]c") is None


def _texts() -> list[str]:
    notes = []
    for split in ("train", "dev"):
        raw = yaml.safe_load((REPO / f"benchmarks/corpus/{split}.yaml").read_text("utf-8"))
        notes += [n["text"] for n in raw["notes"]]
    notes += [n.upper() for n in notes[:40]] + [n.replace("s", "\u017f") for n in notes[:40]]
    return notes


def test_no_reader_pattern_is_skipped_on_a_text_it_matches() -> None:
    patterns = reader_patterns()
    filtered = {name: Prefiltered(p) for name, p in patterns.items()}
    assert sum(f.literals is not None for f in filtered.values()) > len(filtered) // 2
    skipped = 0
    for text in _texts():
        folded = fold(text)
        for name, f in filtered.items():
            possible = f.possible(text, folded)
            assert possible or f.pattern.search(text) is None, (name, text[:60])
            skipped += not possible
    assert skipped > 1000  # the filter does skip


WORDS = ["swelling", "SWELLING", "ſwelling", "alcohol", "3 units/week", "T1 low", "stir high",
         "reduced ROM", "normal MRI", "at 34/40", "6 weeks postpartum", "WBC 12", "Mr Smith",
         "she", "left hip", "3/52", "2 weeks ago", "oedema of the femoral head", "\n", " ", "."]  # fmt: skip


FILTERED = [(name, Prefiltered(p)) for name, p in reader_patterns().items()]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=12))
def test_filter_agrees_with_the_pattern_on_generated_texts(words: list[str]) -> None:
    text = " ".join(words)
    for name, f in FILTERED:
        assert f.possible(text) or f.pattern.search(text) is None, (name, text)


def _same_matches(f: Prefiltered, text: str) -> bool:
    want = [(m.start(), m.end(), m.groups()) for m in f.pattern.finditer(text)]
    got = [(m.start(), m.end(), m.groups()) for m in f.finditer(text)]
    return got == want


def test_finditer_finds_what_the_pattern_finds_on_every_note() -> None:
    anchored = [(name, f) for name, f in FILTERED if f.leading is not None]
    assert len(anchored) > len(FILTERED) // 2  # most patterns are tried only where they may start
    for text in _texts():
        for name, f in FILTERED:
            assert _same_matches(f, text), (name, text[:60])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*WORDS, "normal", "normal normal", "no", "-", "Mr"]), max_size=12))
def test_finditer_agrees_with_the_pattern_on_generated_texts(words: list[str]) -> None:
    text = " ".join(words)
    for name, f in FILTERED:
        assert _same_matches(f, text), (name, text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([*WORDS, "normal", "no", "-", "hips"]), max_size=10),
    st.integers(0, 80),
    st.integers(0, 80),
)
def test_finditer_and_search_within_a_range_agree_with_the_pattern(
    words: list[str], pos: int, size: int
) -> None:
    # a look-behind or "\\b" at ``pos`` sees the text before it; nothing after ``endpos`` is seen
    text = " ".join(words)
    endpos = pos + size
    for name, f in FILTERED:
        want = [m.span() for m in f.pattern.finditer(text, pos, endpos)]
        assert [m.span() for m in f.finditer(text, None, pos, endpos)] == want, (name, text)
        first = f.search(text, pos, endpos)
        assert (first.span() if first else None) == (want[0] if want else None), (name, text)


def test_frequent_leading_strings_search_the_whole_text_once() -> None:
    f = Prefiltered(re.compile(r"\b(?:a|b)x", re.I))
    # 400 tries would cost more than one search
    assert f._starts("ax " * 400, None, 0, 1200) is None
    assert f._starts("xx ax bx " * 3 + " " * 100, None, 0, 127) == [3, 6, 12, 15, 21, 24]
    assert [m.start() for m in f.finditer("ax ab bx")] == [0, 6]


def test_a_pattern_that_starts_a_word_is_not_tried_inside_words() -> None:
    side = Prefiltered(re.compile(r"\b(?:l|r|left)\s+hip", re.I))
    assert side.word_start
    text = "lateral rotation reduced, full flexion; L hip and r hip; Xl hip; _l hip; 3l hip"
    # word starts only: not the "l" of "full", "flexion", "Xl", "_l" or "3l"
    assert side._starts(text, None, 0, len(text)) == [0, 8, 17, 40, 50]
    assert [m.span() for m in side.finditer(text)] == [
        m.span() for m in side.pattern.finditer(text)
    ]
    # "-" and "/" are not word characters: "\\b" holds after them, and so does the filter
    assert [m.start() for m in side.finditer("pain-l hip, a/r hip")] == [5, 14]
    assert Prefiltered(re.compile(r"(?<![\w-])(?:ab|cd)", re.I)).word_start
    assert not Prefiltered(re.compile(r"(?:ab|cd)\b", re.I)).word_start  # the end, not the start
    ascii_words = Prefiltered(re.compile(r"\bl\s+hip", re.I | re.ASCII))
    assert not ascii_words.word_start  # "é" is no word character there: "él hip" matches
    assert [m.start() for m in ascii_words.finditer("él hip")] == [1]
    assert not Prefiltered(re.compile(r"\b(?:ab|-d)", re.I)).word_start  # "\\b-" is mid-word
    # alternatives that each start a word ("follow-up MRI|MRI ... later")
    both = Prefiltered(re.compile(r"(?<![\w-])ab\s+x|(?<![\w-])ct\s+\d", re.I))
    assert both.word_start
    assert [m.span() for m in both.finditer("fact 2, ct 2, ab x, cab x")] == [(8, 12), (14, 18)]
    assert not Prefiltered(re.compile(r"(?<![\w-])ab\s+x|ct\s+\d", re.I)).word_start


def test_a_pattern_that_starts_with_a_number_is_tried_only_at_digits() -> None:
    # "\\d" as the ten ASCII digits: a duration is tried where a number or number word starts
    duration = Prefiltered(re.compile(r"\b(?:\d+|a|two)\s*weeks?\b", re.I))
    assert duration.leading == {*"0123456789", "a", "two"}
    text = "pain for 3 weeks, a week at most; 12 weeks ago, x2 weeks, two weeks, a1 weeks"
    assert duration._starts(text, None, 0, len(text)) is not None
    assert [m.span() for m in duration.finditer(text)] == [
        m.span() for m in duration.pattern.finditer(text)
    ]
    # "\\d" also matches the digits of other scripts: a note with them is searched whole
    other = "pain for \u0663 weeks and \uff14 weeks, 2 weeks"
    assert duration._starts(other, None, 0, len(other)) is None
    assert [m.span() for m in duration.finditer(other)] == [
        m.span() for m in duration.pattern.finditer(other)
    ]
    assert len([*duration.finditer(other)]) == 3


def test_a_text_must_hold_one_string_of_each_required_set() -> None:
    postpartum = Prefiltered(re.compile(r"\d+ weeks after (?:an? )?(?:delivery|birth)", re.I))
    assert frozenset({"delivery", "birth"}) in postpartum.required
    # " weeks after " alone (the most selective string) no longer lets the pattern run
    assert not postpartum.possible("fell 2 weeks after the trip")
    assert not postpartum.possible("delivery 3 years ago, in a car")
    assert postpartum.possible("pain 2 weeks after delivery")
    assert not postpartum.possible("pain 2 weeks after delivery", None, 0, 20)
    assert [m.span() for m in postpartum.finditer("x 6 weeks after a birth")] == [(2, 23)]


def test_an_analysis_is_kept_by_pattern_object_without_hashing_it() -> None:
    # hashing a compiled pattern hashes its compiled code: the medicine names' word list
    # took ~10 us, and the reader looks a pattern's analysis up ~200 times a note
    class Unhashable:
        pattern, flags = r"\bhip\b", re.I

        def __hash__(self) -> int:
            raise AssertionError("hashed")

    shape = Unhashable()
    assert prefiltered(shape) is prefiltered(shape)  # type: ignore[arg-type]
    assert prefiltered(shape).leading == {"hip"}  # type: ignore[arg-type]


def test_a_case_sensitive_group_is_tried_only_where_its_letters_start_a_word() -> None:
    # "(?-i:...)" target expressions ("M, 45"; "Mr Smith") were searched over the whole note
    sex = Prefiltered(re.compile(r"(?-i:(?<![\w.])M(?=[ \t]*+,[ \t]*+\d{2}s?\b))", re.I))
    assert sex.leading == {"m"} and sex.word_start
    title = Prefiltered(re.compile(r"(?-i:\bMr\.?\s++[A-Z])", re.I))
    assert title.leading == {"mr"} and title.required
    text = "Mr Smith, M, 45; m, 45; MRI: mr x; Hum, 45. MR Jones, Mr. J, M , 45s \u212a, Mr K"
    text += " plain words" * 20  # few tries for its length: anchored, not searched whole
    for f in (sex, title):
        assert f._starts(text, None, 0, len(text)) is not None
        assert [m.span() for m in f.finditer(text)] == [m.span() for m in f.pattern.finditer(text)]
        assert [m.span() for m in f.finditer(text)]  # it does match here
    assert not title.possible("no title here")


def test_a_sentence_is_searched_by_the_pattern_without_folding_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # folding a sentence and looking for the pattern's strings cost more than the search
    side = Prefiltered(re.compile(r"\b(?:left|right)\s+hip", re.I))
    sentence = "MRI of the LEFT hip showed oedema; the right  hip is normal."
    assert len(sentence) <= DIRECT_TEXT

    def no_folding(text: str) -> str:
        raise AssertionError("folded")

    monkeypatch.setattr(prefilter, "fold", no_folding)
    assert [m.span() for m in side.finditer(sentence)] == [(11, 19), (39, 49)]
    assert [m.span() for m in side.finditer(sentence + " " * DIRECT_TEXT, None, 30, 60)] == [
        (39, 49)
    ]


HEADER = re.compile(r"(?im)(?:^|(?<=[.;]\s)|(?<=[.;]\s\s))[ \t\-*•]*(?:Meds|DH|Plan)\s*[:\-]")


def test_a_header_after_an_indent_or_bullet_is_tried_where_its_word_is() -> None:
    # medicines' and plans' headers start a line, perhaps after spaces or a bullet: the pattern
    # was searched over the whole note (~50-100 us); it is now tried at each header word and
    # at the starts the run of indent and bullet characters before the word allows
    f = Prefiltered(HEADER)
    assert f.skip is not None and not f.word_start
    assert f.leading == {"meds", "dh", "plan"}
    assert skipped_prefix(re.compile(r"(?m)^[a-z]*Meds:")) is None  # a letter may start it
    assert skipped_prefix(re.compile(r"(?m)^[ \t]*\w+:")) is None  # no strings to look for
    text = "HTN. DH: x\n  - Meds: y\n\t•PLAN - z. ;  dh:\nadh: not a header; meds:"
    text += " " * 400  # a few tries for its length: anchored, not searched whole
    assert f._starts(text, None, 0, len(text)) is not None
    assert [m.span() for m in f.finditer(text)] == [m.span() for m in HEADER.finditer(text)]
    assert len([*f.finditer(text)]) == 5


HEADER_PARTS = ["Meds:", "meds -", "DH", "dh:", "Plan:", "plan", ":", "-", "*", "\u2022", "\n",
                "\t", " ", ".", ";", "x", "adh", "Meds\n:", "art"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HEADER_PARTS), max_size=14), st.integers(0, 30))
def test_a_skipped_prefix_finds_what_the_pattern_finds(parts: list[str], pos: int) -> None:
    text = "".join(parts) + " " * DIRECT_TEXT  # longer than a sentence: not searched as it is
    f = Prefiltered(HEADER)
    for start in (0, min(pos, len(text))):
        want = [m.span() for m in HEADER.finditer(text, start)]
        assert [m.span() for m in f.finditer(text, None, start)] == want, (text, start)


def test_patterns_that_look_for_the_same_strings_look_once_a_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a dozen patterns start with a digit, and many need "week" or "pain": each string is
    # looked for once a text, and the answers are the patterns' own
    looked: list[str] = []
    find_all = prefilter._find_all

    def counted(s: str, *args: object) -> list[int] | None:
        looked.append(s)
        return find_all(s, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(prefilter, "_find_all", counted)
    first = Prefiltered(re.compile(r"\b\d+\s*weeks?\b", re.I))
    second = Prefiltered(re.compile(r"\b\d+\s*(?:days?|weeks?)\s+ago\b", re.I))
    anywhere = Prefiltered(re.compile(r"\d+/52", re.I))  # not only at word starts
    text = "Hip pain 3 weeks, x2 weeks, 4 days ago; 2/52. 12 weeks ago" + " plain" * 30
    for f in (first, second, anywhere, first):
        assert [m.span() for m in f.finditer(text)] == [m.span() for m in f.pattern.finditer(text)]
    assert sorted(looked) == sorted([*"0123456789"] * 2)  # word starts once, anywhere once
    assert not second.possible("Hip pain 3 weeks" + " plain" * 30)
    assert second.possible("Hip pain 3 weeks ago" + " plain" * 30)


# --- analyses kept on disk, and patterns compiled when first run (cold start) -----------------


def test_an_analysis_from_the_source_is_the_compiled_patterns() -> None:
    # a Deferred pattern is analysed from its text and the flags given; the flags the pattern
    # sets itself ("(?im)") are read from the parse, as compiling reads them
    for name, pattern in reader_patterns().items():
        deferred = prefilter.Deferred(pattern.pattern, pattern.flags)
        assert prefilter.analyse(deferred) == prefilter.analyse(pattern), name
    inline = prefilter.analyse(prefilter.Deferred(r"(?m)^\s*meds:", re.I))
    assert inline.flags == re.compile(r"(?m)^\s*meds:", re.I).flags


def test_every_reader_patterns_analysis_survives_the_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an analysis that cannot be pickled was silently never stored (the header patterns' run
    # of indent characters was capped by re's MAXREPEAT constant, which does not pickle)
    monkeypatch.setenv("TOHIP_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(prefilter, "_stored", None)
    monkeypatch.setattr(prefilter, "_stored_changed", False)
    patterns = reader_patterns()
    made = {name: prefilter.analysis(p) for name, p in patterns.items()}
    prefilter._save_stored()
    assert len(list(tmp_path.glob(f"{prefilter.STORED_KIND}-*.pickle"))) == 1

    def no_parsing(*args: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(prefilter, "_stored", None)
    monkeypatch.setattr(prefilter.P, "parse", no_parsing)
    for name, p in patterns.items():
        assert prefilter.analysis(p) == made[name], name


def test_an_analysis_is_not_read_from_another_codes_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tohip.kb import cache

    monkeypatch.setenv("TOHIP_CACHE_DIR", str(tmp_path))
    pattern = re.compile(r"\bhip\s+pain\b", re.I)
    wrong = prefilter.analyse(re.compile(r"\bknee\b", re.I))
    # an entry written by other code (another key) is never read
    cache._write(
        tmp_path / f"{prefilter.STORED_KIND}-0.pickle", {(pattern.pattern, pattern.flags): wrong}
    )
    monkeypatch.setattr(prefilter, "_stored", None)
    assert prefilter.analysis(pattern).leading == {"hip"}
    # this code's entry is read: what it holds is used (so it must only ever hold its own)
    cache.store_code_entry(prefilter.STORED_KIND, {(pattern.pattern, pattern.flags): wrong})
    monkeypatch.setattr(prefilter, "_stored", None)
    assert prefilter.analysis(pattern) == wrong


def test_a_deferred_pattern_is_compiled_only_when_a_text_may_hold_a_match() -> None:
    deferred = prefilter.Deferred(r"\b(?:stress|insufficiency)\s+fracture\b", re.I)
    f = Prefiltered(deferred)
    assert f.leading == {"stress", "insufficiency"}
    long_text = "Left hip pain for six weeks, worse on walking. " * 5
    assert not [*f.finditer(long_text)]
    assert deferred._compiled is None  # the text holds neither word: never compiled
    assert [m.span() for m in f.finditer(long_text + " Stress  fracture?")] == [(236, 252)]
    assert deferred._compiled is not None
    with pytest.raises(re.error):  # a bad expression still fails when the pipeline is built
        Prefiltered(prefilter.Deferred(r"(?:unclosed", re.I))


DEFERRED = [
    (name, Prefiltered(prefilter.Deferred(p.pattern, p.flags)))
    for name, p in reader_patterns().items()
    if name.startswith("targets.yaml")
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from([*WORDS, "stress fracture", "AVN", "no", "-", "hips"]), max_size=30)
)
def test_a_deferred_pattern_finds_what_the_compiled_one_finds(words: list[str]) -> None:
    text = " ".join(words) + " " * DIRECT_TEXT  # longer than a sentence: prefiltered
    assert DEFERRED
    for name, f in DEFERRED:
        compiled = re.compile(f.pattern.pattern, f.pattern.flags)
        want = [(m.span(), m.groups()) for m in compiled.finditer(text)]
        assert [(m.span(), m.groups()) for m in f.finditer(text)] == want, (name, text)


ABOUT_WEEKS = re.compile(r"\b(?:(?:about|~)\s*+)?(?:\d++|a|an|one|two)\s++weeks?\b", re.I)


def test_strings_that_start_a_word_are_tried_at_word_starts_the_others_anywhere() -> None:
    # "\\b" before "~" asks for a word character before it, so "~" cannot be held to word
    # starts; "a" still can. The pattern was tried anywhere, and with every "a" of a note
    # counted it was searched whole (~130 us a note for the durations that allow "~")
    f = Prefiltered(ABOUT_WEEKS)
    assert f.mixed and not f.word_start
    assert "~" not in f.at_word_starts and {"a", "one", "1"} <= f.at_word_starts
    assert f.short == ()  # "a" is not counted as a letter found anywhere
    text = "Banana bread and a salad; pain for ~3 weeks, x~2 weeks, about 2 weeks. " * 3
    text += " Nothing else was seen in the hip, the knee or the spine." * 6
    starts = f._starts(text, None, 0, len(text))
    assert starts is not None  # anchored, no longer searched whole
    assert all(text[i] == "~" or i == 0 or not text[i - 1].isalnum() for i in starts)
    assert [m.span() for m in f.finditer(text)] == [m.span() for m in ABOUT_WEEKS.finditer(text)]


MIXED_PARTS = ["~", "x~", "about", "a", "an", "banana", "2", "x2", "weeks", "week", " ", ", ",
               "-", "_a", "é", "one"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(MIXED_PARTS), max_size=24), st.integers(0, 40))
def test_mixed_leading_strings_find_what_the_pattern_finds(parts: list[str], pos: int) -> None:
    text = "".join(parts) + " plain" * 25  # longer than a sentence: prefiltered
    f = Prefiltered(ABOUT_WEEKS)
    for start in (0, min(pos, len(text))):
        want = [m.span() for m in ABOUT_WEEKS.finditer(text, start)]
        assert [m.span() for m in f.finditer(text, None, start)] == want, (text, start)
