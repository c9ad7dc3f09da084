r"""Values written as numbers and short forms: age and sex, pregnancy weeks, durations, lab
results and laterality. These are regular expressions over the raw text because they are
shapes ("42yo M", "34/40", "CRP 1.8 mg/dL"), not vocabulary; the vocabulary they use (lab names,
units, reference intervals) comes from ``labs.yaml``.

Every pattern runs in linear time on any text (issue 13): whitespace and digit runs are matched
possessively (``\s*+``, ``\d++``: what follows them never starts with a space or a digit, so no
match is lost), and a number starts only where a digit run starts (``(?<!\d)``), so a run of
50,000 digits or spaces is not tried from each of its characters. ``tests/text/test_worst_case``
holds every pattern to that on hostile strings."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tohip.text.prefilter import finditer, prefiltered
from tohip.text.rules import DurationRules, LabText

WEEKS_PER = {"day": 1 / 7, "week": 1.0, "month": 4.345, "year": 52.18}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": None,
}  # fmt: skip
NUM = (
    r"((?<!\d)\d++(?:\.\d++)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
)
UNIT = r"(day|week|month|year|wk|mo|yr)s?"
MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
OTHER_JOINT = re.compile(r"\b(knee|ankle|shoulder|wrist|elbow|foot|hand|spine)s?\b", re.I)
HIP_WORDS = re.compile(r"\b(hip|groin|thigh|buttock|femur|femoral)s?\b", re.I)


@functools.cache
def word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``words`` as whole words, longest first, case-insensitive (compiled once).

    The words are compiled as a trie ("a(?:lendronate|spirin)|...") rather than one
    alternative per word: the regular expression engine tries alternatives one by one at every
    word start, so a lexicon of hundreds of drug names cost a millisecond per note. A longer
    continuation is tried before a word ends, which keeps "longest first"."""
    return re.compile(r"(?<![\w-])(?:" + _trie(words) + r")(?![\w-])", re.I)


def _trie(words: tuple[str, ...]) -> str:
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word.lower():
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(c) + pattern(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        return "(?:" + "|".join(branches) + (")?" if "" in node else ")")

    return pattern(root)


@dataclass(frozen=True)
class Found:
    """A value read from the text, before it is placed in the case."""

    path: str
    value: Any
    start: int
    end: int
    source: str
    note: str | None = None


def _number(word: str) -> float | None:
    word = word.lower()
    if word in NUMBER_WORDS:
        n = NUMBER_WORDS[word]
        return None if n is None else float(n)
    return float(word)


def _weeks(amount: str, unit: str) -> float | None:
    n = _number(amount)
    if n is None:
        return None
    key = {"wk": "week", "mo": "month", "yr": "year", "d": "day"}.get(unit.lower(), unit.lower())
    return round(n * WEEKS_PER[key], 1)


# ------------------------------------------------------------------------------ age and sex
AGE_PATTERNS = [
    re.compile(
        r"\b(\d{1,3})\s*+(?:-|\s)?\s*+(?:yo|y/o|y\.o\.|yrs?\.?|years?|yr)(?:[\s-]*+old)?\b"
        r"(?:\s*+,?\s*+(?:a\s++)?(?P<sex>m|f|male|female|man|woman|gentleman|lady|boy|girl)\b)?",
        re.I,
    ),
    # "52M", "38 F"; not an isotope's mass number ("Tc-99M MDP bone scan")
    re.compile(r"(?<![-/])\b(\d{2})\s?(?P<sex>[MF])\b"),
    re.compile(r"\b(?P<title>mr|mrs|ms|miss)\.?\s++[A-Z][\w-]*+\.?,?\s++(\d{2,3})\b", re.I),
    # "aged 38", "Age: 45", "now aged 20", "now 19,": the age alone
    # (an age at an event, "septic arthritis of the knee aged 20", is not the patient's now)
    re.compile(
        r"(?:^|(?<=[\n.:;(])|\b(?:now|currently|patient|pt|man|woman|lady|gentleman|male|female"
        r"|boy|girl|[MF])\b,?)\s*+(?:aged|age:)\s*+(\d{2,3})\b(?![\s-]*+(?:%|/|\.\d|(?:days?|weeks?|months?|mg|kg)\b))",
        re.I,
    ),
    re.compile(r"\bnow\s++(?:aged\s++)?(\d{2,3})(?=\s*+[,;)])", re.I),
]
# a number of years that is a duration or a time since, not an age: "HIV for 10 yrs", "> 1 yr",
# "over the last 2 years", "3 years ago", "2 years after fixation", "5 years of pain"
NOT_AN_AGE_BEFORE = re.compile(
    r"(?:\b(?:for|over|x|last|past|since|about|approximately|approx|within|after|in|of|than|"
    r"nearly|almost|some)|[>~<])\s*+$",
    re.I,
)
NOT_AN_AGE_AFTER = re.compile(
    r"^\s*+(?:ago|of|history|later|after|before|earlier|previously|prior|since|post|duration|"
    r"into|on|off)\b",
    re.I,
)


def _age_in_context(text: str, m: re.Match[str]) -> bool:
    """Whether a "N years" is an age: not a duration or a time since something."""
    if m.re is not AGE_PATTERNS[0]:
        return True
    if m.group("sex") or re.search(r"old\b", m.group(0), re.I):
        return True
    before = text[max(0, m.start() - 20) : m.start()]
    after = text[m.end() : m.end() + 15]
    return not (NOT_AN_AGE_BEFORE.search(before) or NOT_AN_AGE_AFTER.match(after))


SEX_WORDS = {
    # "M, 62" / "F, 50s" as a referral's clinical line writes them
    "male": [
        r"\bman\b",
        r"\bmale\b",
        r"\bgentleman\b",
        r"\bboy\b",
        r"(?-i:\bMr\.?\s++[A-Z])",
        r"(?-i:(?<![\w.])M(?=[ \t]*+,[ \t]*+\d{2}s?\b))",
    ],
    "female": [
        r"\bwoman\b",
        r"\bfemale\b",
        r"\blady\b",
        r"(?-i:\b(?:Mrs|Ms|Miss)\.?\s++[A-Z])",
        r"(?-i:(?<![\w.])F(?=[ \t]*+,[ \t]*+\d{2}s?\b))",
    ],
}
PRONOUNS = {"male": r"\b(he|his|him|himself)\b", "female": r"\b(she|her|hers|herself)\b"}
# compiled once: the prefilter keeps its analysis per pattern object, so a pattern compiled
# afresh for each note (and dropped from re's own cache) would be analysed, and kept, again
SEX_PATTERNS = {sex: [re.compile(p, re.I) for p in ps] for sex, ps in SEX_WORDS.items()}
PRONOUN_PATTERNS = {sex: re.compile(p, re.I) for sex, p in PRONOUNS.items()}
FAMILY_WORDS = re.compile(
    r"\b(mother|father|sister|brother|aunt|uncle|son|daughter|grand\w+|wife|husband|partner)\b",
    re.I,
)


def _sex_word(word: str | None) -> str | None:
    if not word:
        return None
    w = word.lower()
    if w in ("m", "male", "man", "gentleman", "boy", "mr"):
        return "male"
    if w in ("f", "female", "woman", "lady", "girl", "mrs", "ms", "miss"):
        return "female"
    return None


def age_and_sex(text: str) -> Iterator[Found]:
    """The first stated age (of the shapes above, durations left out), and sex from words,
    titles or (failing those) pronouns."""
    ages: list[tuple[int, float, re.Match[str]]] = []
    for pattern in AGE_PATTERNS:
        for m in finditer(pattern, text):
            groups = m.groupdict()
            digits = m.group(2) if "title" in groups else m.group(1)
            age = float(digits)
            if 0 < age <= 120 and _age_in_context(text, m):
                ages.append((m.start(), age, m))
            sex = _sex_word(groups.get("sex") or groups.get("title"))
            if sex:
                yield Found("patient.sex", sex, m.start(), m.end(), "sex")
    if ages:
        _, age, m = min(ages, key=lambda a: a[0])
        yield Found("patient.age", age, m.start(), m.end(), "age")
    for sex, patterns in SEX_PATTERNS.items():
        for p in patterns:
            for m in finditer(p, text):
                if not FAMILY_WORDS.search(clause_around(text, m.start())):
                    yield Found("patient.sex", sex, m.start(), m.end(), "sex")
    counts = {
        sex: [m for m in finditer(p, text) if not _family_clause(text, m.start())]
        for sex, p in PRONOUN_PATTERNS.items()
    }
    for sex, hits in counts.items():
        other = "female" if sex == "male" else "male"
        if hits and not counts[other]:
            m = hits[0]
            yield Found("patient.sex", sex, m.start(), m.end(), "pronoun", "from pronouns")


CLAUSE_REACH = 300  # characters a clause is read to either side of a value: bounded work


def clause_around(text: str, pos: int) -> str:
    """The clause around ``pos`` (to ".", ";" or a line break), at most ``CLAUSE_REACH``
    characters to either side, so that reading every value of a one-line note stays linear."""
    low, high = max(0, pos - CLAUSE_REACH), min(len(text), pos + CLAUSE_REACH)
    start = max(max(text.rfind(c, low, pos) for c in ".;\n") + 1, low)
    ends = [i for c in ".;\n" if (i := text.find(c, pos, high)) != -1]
    return text[start : min(ends) if ends else high]


def _family_clause(text: str, pos: int) -> bool:
    """A pronoun that belongs to a relative ("her sister ... she herself") still names the
    patient's sex only when the clause says so; skip clauses about relatives."""
    clause = clause_around(text, pos)
    return bool(FAMILY_WORDS.search(clause)) and "herself" not in clause and "himself" not in clause


# ------------------------------------------------------------------------------ pregnancy
GESTATION = [
    # "34/40", "39+4/40" (weeks + days)
    re.compile(r"(?<![+\d])(\d{1,2})(?:\+([0-6]))?\s*+/\s*+40\b"),
    re.compile(
        r"\b(?:at|of)\s++(\d{1,2})(?:\+([0-6]))?\s*+(?:weeks?|wks?)(?:'|’)?"
        r"(?:\s++(?:gestation|pregnant|pregnancy))?",
        re.I,
    ),
    re.compile(
        r"\b(\d{1,2})(?:\+([0-6]))?\s*+(?:weeks?|wks?)(?:'|’)?\s++"
        r"(?:gestation|pregnant|of pregnancy|iup|intrauterine pregnancy|gestational age)",
        re.I,
    ),
]
# "at 6 wks" is a pregnancy's week only in a clause about a pregnancy
PREGNANCY_CLAUSE = re.compile(
    r"pregnan|gestation|gravid|antenatal|antepartum|obstetric|\bIUP\b|\bG\d|trimester|labou?r|"
    r"deliver|c-section|caesarean|cesarean|\bfetal|\bfoetal|\bbooking\b|/40\b",
    re.I,
)
TRIMESTER = re.compile(r"\b(first|1st|second|2nd|third|3rd|last)\s++trimester\b", re.I)
TRIMESTER_N = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "last": 3}
POSTPARTUM_WEEKS = [
    re.compile(NUM + r"\s*+" + UNIT + r"\s++(?:post[\s-]?partum|post[\s-]?natal)", re.I),
    re.compile(r"\bdelivered\s++" + NUM + r"\s*+" + UNIT + r"\s++ago", re.I),
    re.compile(
        NUM + r"\s*+" + UNIT + r"\s++after\s++(?:an?\s++)?(?:\w++\s++){0,3}(?:delivery|birth)", re.I
    ),
    # her baby's age: "her baby is now 6 weeks old"
    re.compile(
        r"\b(?:baby|infant|newborn)\s++(?:is\s++)?(?:now\s++)?(?:aged\s++)?"
        + NUM
        + r"\s*+"
        + UNIT
        + r"(?:\s++old|\s++of\s++age)",
        re.I,
    ),
    # "2 wks s/p emergent C-section", "5 weeks post caesarean section"
    re.compile(
        NUM + r"\s*+" + UNIT + r"\s++(?:s/p|post|following|since)\s++(?:an?\s++|her\s++)?"
        r"(?:\w++\s++){0,2}(?:c-section|caesarean|cesarean|c/s|lscs|vaginal delivery|delivery)",
        re.I,
    ),
]


def pregnancy(text: str) -> Iterator[Found]:
    for i, p in enumerate(GESTATION):
        for m in finditer(p, text):
            weeks = float(m.group(1)) + (round(int(m.group(2)) / 7, 1) if m.group(2) else 0)
            words_after = text[m.end() : m.end() + 12].lower().lstrip()
            if i == 1 and not (
                re.search(r"gestation|pregnan", m.group(0), re.I)
                or (PREGNANCY_CLAUSE.search(clause_around(text, m.start()))
                    and not words_after.startswith(("post", "after", "ago", "later")))
            ):  # fmt: skip
                continue
            if 4 <= weeks <= 44:
                yield Found(
                    "patient.pregnancy.gestational_weeks", weeks, m.start(), m.end(), "gestation"
                )
    for m in finditer(TRIMESTER, text):
        n = TRIMESTER_N[m.group(1).lower()]
        yield Found("patient.pregnancy.trimester", n, m.start(), m.end(), "trimester")
    for p in POSTPARTUM_WEEKS:
        for m in finditer(p, text):
            amount, unit = (g for g in m.groups() if g is not None)
            since = _weeks(amount, unit)
            if since is not None and since <= 52:
                yield Found(
                    "patient.pregnancy.postpartum_weeks", since, m.start(), m.end(), "postpartum"
                )


# ------------------------------------------------------------------------------ time
ABOUT = (
    r"(?:(?:about|around|approximately|approx\.?|roughly|nearly|almost|some|at\s++least|"
    r"more\s++than|over|the\s++last|the\s++past|~)\s*+){0,3}"
)
RANGE_END = r"(?:\s*+(?:-|–|to)\s*+(?P<to>\d++))?"
SPAN_UNIT = r"(day|week|month|year|wk|mo|yr|(?<=\d)d(?![\w/]))s?"
COMPLAINT = (
    r"(?:pain|pains|ache|aching|discomfort|symptoms|LBP|limp|(?:mono|oligo|poly)?arthritis)\b"
)
# words that may stand between a duration and its complaint ("4 months L hip pain")
COMPLAINT_QUALIFIERS = (
    r"(?:(?:of|l|r|lt|rt|left|right|bilateral|both|hip|hips|groin|thigh|buttock|back|low|"
    r"anterior|lateral|medial|deep|intermittent|progressive|worsening|atraumatic|mechanical|"
    r"throbbing|sharp|dull|severe|febrile|[a-z]++/[a-z]++)\s++){0,4}"
)
# (pattern, kind): the kind says how the number reads and which checks apply
DURATIONS = [
    (re.compile(r"\b(?:for|over|x)\s*+" + ABOUT + NUM + RANGE_END + r"\s*+" + SPAN_UNIT
                + r"\b", re.I), "span"),
    (re.compile(r"\b" + NUM + r"[\s-]*+" + UNIT + r"\s++(?:of|history)\b", re.I), "span"),
    (re.compile(r"\b(\d{1,2})/52\b"), "weeks"),
    (re.compile(r"\b(\d{1,2})/12\b"), "months"),
    (re.compile(r"\b" + NUM + r"\s*+" + UNIT + r"\s++ago\b", re.I), "ago"),
    (re.compile(r"\b(?:over|for)\s++(?:a\s++)?(fortnight)\b", re.I), "fortnight"),
    (re.compile(r"\b(\d)/7\b"), "days"),
    # "4 months L hip pain", "3 mo LBP", "5d progressive throbbing L groin pain"
    (re.compile(r"(?<![/\d])\b" + NUM + r"(?:\s*+|-)" + SPAN_UNIT + r"\s++" + COMPLAINT_QUALIFIERS
                + COMPLAINT, re.I), "span"),
    # "now some six months into groin pain", "onset approx 8 months before today's visit"
    (re.compile(r"\b" + ABOUT + NUM + r"\s*+" + UNIT + r"\s++into\b", re.I), "span"),
    (re.compile(r"\bonset\s++" + ABOUT + NUM + r"\s*+" + UNIT + r"\s++(?:before|prior\s++to)\s++"
                r"(?:today|this|the\s++(?:consultation|visit|review|appointment))", re.I), "span"),
    # "R hip pain ~5-6 weeks", "groin pain 1 yr", "hip pain of about two months"
    (re.compile(r"\b" + COMPLAINT + r"(?:\s++(?:of|for))?\s*+" + ABOUT + NUM + RANGE_END
                + r"\s*+" + SPAN_UNIT + r"\b", re.I), "span"),
]  # fmt: skip
SINCE_MONTH = re.compile(r"\bsince\s++(" + "|".join(MONTHS) + r")\b", re.I)
STUDY_TIMING = re.compile(
    r"(?:\(\s*+)?(?:at\s++)?" + NUM + r"\s*+" + UNIT + r"\s++after\s++(?:the\s++)?onset\s*+\)?",
    re.I,
)
AFTER_EVENT = re.compile(r"^\s*+(?:ago|after|post|following)\b", re.I)


def _duration_from(m: re.Match[str], kind: str) -> float | None:
    if kind == "weeks":
        return float(m.group(1))
    if kind == "months":
        return round(float(m.group(1)) * WEEKS_PER["month"], 1)
    if kind == "fortnight":
        return 2.0
    if kind == "days":
        return round(float(m.group(1)) / 7, 2)
    groups = m.groupdict()
    amount = m.group(1)
    unit = next(g for g in reversed(m.groups()) if g is not None and not g.isdigit())
    weeks = _weeks(amount, unit)
    if weeks is not None and groups.get("to"):
        upper = _weeks(groups["to"], unit)
        if upper is not None and upper >= weeks:
            weeks = round((weeks + upper) / 2, 2)
    return weeks


LOWER_BOUND = re.compile(r"\b(?:at\s++least|more\s++than|for\s++(?:well\s++)?over)\b", re.I)

ABOUT_SOMETHING_ELSE = [
    (re.compile(r"post[\s-]?partum|deliver|birth", re.I), 25, 25),  # time since delivery
    (re.compile(r"\b(kg|kilos?|lbs?|stones?|pounds)\b", re.I), 12, 0),  # weight lost over time
    (re.compile(r"^\s*+(after|from)\s++(the\s++)?onset", re.I), 0, 20),  # timing of a study
]


def _about_hip_pain(text: str, m: re.Match[str]) -> bool:
    """A duration describes the hip pain unless its clause is about another joint, a delivery,
    weight loss or when a study was done."""
    clause = clause_around(text, m.start())
    if OTHER_JOINT.search(clause) and not HIP_WORDS.search(clause):
        return False
    for pattern, before, after in ABOUT_SOMETHING_ELSE:
        if before and pattern.search(text[max(0, m.start() - before) : m.start()]):
            return False
        if after and pattern.search(text[m.end() : m.end() + after]):
            return False
    return True


def _the_complaints(text: str, m: re.Match[str], kind: str, cues: DurationRules) -> bool:
    """Whether a duration is the present complaint's (``durations.yaml``): not a treatment's
    or a plan's, not the time since an event, not an illness that is not the complaint."""
    clause = clause_around(text, m.start())
    if word_pattern(tuple(cues.treatment_cues)).search(clause):
        return False
    if cues.change_words and word_pattern(tuple(cues.change_words)).search(clause):
        return False
    complaint = word_pattern(tuple(cues.complaint_words)).search(clause) is not None
    event = word_pattern(tuple(cues.event_words)).search(clause) is not None
    if kind == "ago" or text[m.end() : m.end() + 5].lower().lstrip().startswith("ago"):
        onset = word_pattern(tuple(cues.onset_words)).search(clause) is not None
        pain_before = _PAIN.search(text[max(0, m.start() - 20) : m.start()]) is not None
        return (onset or pain_before) and not event
    after = AFTER_EVENT.match(text[m.end() : m.end() + 12])
    if after and word_pattern(tuple(cues.event_words)).search(text[m.end() : m.end() + 40]):
        return False
    return complaint and not (event and not _PAIN.search(clause))


_PAIN = re.compile(
    r"\b(?:pain|ache|aching|discomfort|symptoms?|LBP|limp\w*|(?:mono|oligo|poly)?arthritis)\b", re.I
)


def durations(
    text: str, note_date: dt.date | None, cues: DurationRules | None = None
) -> Iterator[Found]:
    """How long the present complaint has lasted, from sentences about the hip (not another
    joint); with ``cues``, only the durations that are the complaint's."""
    seen: set[int] = set()
    for p, kind in DURATIONS:
        for m in finditer(p, text):
            if m.start() in seen:
                continue
            if not _about_hip_pain(text, m):
                continue
            if cues is not None and not _the_complaints(text, m, kind, cues):
                continue
            weeks = _duration_from(m, kind)
            if weeks is not None and 0 < weeks <= 520:
                seen.add(m.start())
                # "for over 6 months", "for at least 3 weeks": a lower bound, not the duration
                bound = kind == "span" and LOWER_BOUND.search(m.group(0)) is not None
                path = "symptoms.duration_weeks_at_least" if bound else "symptoms.duration_weeks"
                yield Found(path, weeks, m.start(), m.end(), "duration")
    if note_date is not None:
        for m in finditer(SINCE_MONTH, text):
            month = MONTHS[m.group(1).lower()]
            year = note_date.year if month <= note_date.month else note_date.year - 1
            yield Found(
                "symptoms.onset_date", dt.date(year, month, 1), m.start(), m.end(), "onset_date",
                f"'since {m.group(1)}' read as the 1st of that month before the note date",
            )  # fmt: skip


def study_timing(text: str, start: int, end: int) -> float | None:
    """Weeks after onset stated in a study's text ("radiograph (5 weeks after onset)")."""
    if not prefiltered(STUDY_TIMING).possible(text):
        return None
    m = STUDY_TIMING.search(text, start, end)
    return None if m is None else _weeks(m.group(1), m.group(2))


# ------------------------------------------------------------------------------ labs
COMPARATOR = r"(?P<cmp><=|>=|<|>|≤|≥|less\s++than|below|more\s++than|greater\s++than|above)?"
BELOW = ("<", "<=", "≤", "less", "below")
VALUE = r"(?P<value>(?<![\d,])\d{1,3}(?:,\d{3})+|(?<!\d)\d++(?:\.\d++)?)"
UNIT_TEXT = (
    r"(?P<unit>x\s*+10\^?9\s*+/\s*+l|10\^?9\s*+/\s*+l|10\*9/l|mg\s*+/\s*+dl|mg\s*+/\s*+l|mm\s*+/\s*+hr?|"
    r"mm/hour|cells\s*+/\s*+u?l|cells\s*+/\s*+mm3|/\s*+ul|/\s*+mm3|/\s*+µl|k\s*+/\s*+ul|nmol\s*+/\s*+l|"
    r"ng\s*+/\s*+ml|mmol\s*+/\s*+l|ml\s*+/\s*+min(?:\s*+/\s*+1\.73\s*+m\^?2)?|°\s*+[cf]|deg\s*+[cf]|[cf]\b|g/l|"
    r"i?u\s*+/\s*+l|%)?"
)
ASPIRATE = re.compile(r"aspirat|synovial|joint fluid|tap\b", re.I)
# a laboratory printout's reference interval between the name and the result: "CRP (0-5) 12",
# "CRP (ref <5 mg/L): 12"
REFERENCE_FIRST = (
    r"(?:\s*+[(\[](?:ref\.?|normal|nr|rr)?\s*+[<>≤≥]?\s*+[\d.]++(?:\s*+[-–]\s*+[\d.]++)?"
    r"[^()\[\]\d]{0,12}[)\]])?"
)
# a number followed by a time is when, not the result: "CRP 2 days ago was 150"
TIME_AFTER = re.compile(r"\s*+(?:days?|weeks?|wks?|months?|years?|yrs?|hours?|hrs?)\b", re.I)


@functools.cache
def _lab_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(
        r"(?P<name>"
        + word_pattern(names).pattern
        + r")"
        + REFERENCE_FIRST
        + r"\s*+(?:of|was|is|:|=|-)?\s*+\(?\s*+"
        + COMPARATOR
        + r"\s*+(?:[-−–]\s*+|minus\s++)?"
        + VALUE
        + r"\s*+"
        + UNIT_TEXT,
        re.I,
    )


@functools.cache
def _value_first_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """A value before its name: "92% neutrophils"."""
    return re.compile(
        VALUE + r"\s*+" + UNIT_TEXT + r"\s*+(?P<name>" + word_pattern(names).pattern + ")", re.I
    )


NEGATIVE = re.compile(r"[-−–]|minus", re.I)


WBC_BEFORE = re.compile(
    VALUE
    + r"\s*+(?P<name>white cells|white blood cells|wbcs?|leukocytes|leucocytes)\s*+"
    + UNIT_TEXT,
    re.I,
)


def _unit_for(lab: str, unit: str | None, value: float) -> str | None:
    if unit:
        u = unit.replace(" ", "").replace("°", "").replace("deg", "")
        if u.lower() in ("c",):
            return "c"
        if u.lower() in ("f",):
            return "f"
        return u
    if lab == "wbc" and value > 500:
        return "/uL"
    return None


def labs(text: str, lab_texts: dict[str, LabText]) -> Iterator[Found]:
    """Every lab written as a name and a number, converted to canonical units."""
    from tohip.case.units import to_canonical

    for lab, spec in lab_texts.items():
        matches = list(finditer(_lab_pattern(tuple(spec.names)), text))
        if lab == "wbc":
            matches += finditer(WBC_BEFORE, text)
        if spec.value_first:
            matches += finditer(_value_first_pattern(tuple(spec.names)), text)
        for m in matches:
            value = float(m.group("value").replace(",", ""))
            if spec.unit_required and not m.group("unit"):
                continue
            if not m.group("unit") and TIME_AFTER.match(text, m.end("value")):
                continue
            if spec.clause_words and not any(
                w in clause_around(text, m.start()).lower() for w in spec.clause_words
            ):
                continue
            if spec.signed and NEGATIVE.search(text, m.end("name"), m.start("value")):
                value = -value
            unit = _unit_for(lab, m.group("unit"), value)
            if unit is None and spec.unstated_unit and value > spec.unstated_unit.above:
                unit = spec.unstated_unit.unit
            target = lab
            if lab == "wbc" and ASPIRATE.search(clause_around(text, m.start())):
                target = "synovial_wbc"
                unit = unit if unit and unit.lower() not in ("/ul",) else "cells/uL"
            if lab == "temperature" and unit is None and value > 50:
                unit = "f"
            try:
                canonical = to_canonical(target, value, unit)
            except ValueError:
                continue
            cmp = m.groupdict().get("cmp")
            note = f"reported as {cmp} {m.group('value')}" if cmp else None
            if cmp and cmp.lower().startswith(BELOW) and spec.below_limit != "limit":
                if spec.below_limit == "none":
                    continue
                canonical /= 2  # labs.yaml: "below_limit"
                note = f"{note}: recorded as half the limit"
            yield Found(
                f"labs.{target}", round(canonical, 3), m.start(), m.end(), f"lab:{target}", note
            )


# ------------------------------------------------------------------------------ side
SIDE = re.compile(
    r"\b(?P<side>left|right|l|r|bilateral|both|lt|rt)\b(?:[\s-]++sided)?\s++"
    r"(?:(?:\w++\s++){0,2})?(?P<what>hips?|groins?|femoral|femur|thighs?|buttocks?|acetabul\w*|"
    r"anterior hip|posterolateral hip|side)\b",
    re.I,
)
SIDE_NAMES = {"l": "left", "lt": "left", "r": "right", "rt": "right", "both": "bilateral"}


def sides(text: str) -> Iterator[tuple[str, int, int, bool]]:
    """(side, start, end, about pain) for every laterality next to a hip word."""
    for m in finditer(SIDE, text):
        side = m.group("side").lower()
        side = SIDE_NAMES.get(side, side)
        if side == "bilateral" and m.group("what").lower() == "side":
            continue
        after = text[m.end() : m.end() + 25].lower()
        about_pain = "pain" in after.split(";")[0] or "pain" in m.group(0).lower()
        yield side, m.start(), m.end(), about_pain
