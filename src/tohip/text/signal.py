"""MR signal grammar: "low T1 / high STIR signal" read as marrow oedema, "T1 low-signal line" as
a band, composed from a sequence, an intensity, a signal word and a structure.

Radiologists mostly write marrow oedema as signal rather than as the word oedema, in many
shapes ("T1-low/STIR-high", "hypointense on T1", "high signal on fluid-sensitive sequences").
Listing every phrase would never end; instead ``text/signal.yaml`` gives the words of each part
and what each combination means, and this module composes them into a few regular expressions
per meaning. They are added to the ``regex`` of the concept each reading names (targets.yaml),
so the pipeline, ConText (negation, hedges, history) and the section and study logic treat them
like any other mention.

Every expression is linear-time: alternations of literal words joined by bounded separators
(``{1,3}``), no nested quantifiers.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

SequenceClass = Literal["t1", "fluid"]


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Reading(_Rule):
    """What one combination means: the concept it feeds, and which phrases make it."""

    concept: str
    sequences: list[SequenceClass] = []
    intensity: Literal["low", "high"] | None = None
    structure: Literal["none", "band"] = "none"
    marrow_phrases: bool = False

    @model_validator(mode="after")
    def _makes_something(self) -> Reading:
        if not self.marrow_phrases and self.intensity is None:
            raise ValueError(f"reading for {self.concept!r} needs an intensity or marrow_phrases")
        if not self.sequences and self.structure != "band" and not self.marrow_phrases:
            raise ValueError(f"reading for {self.concept!r}: without a sequence it needs a band")
        return self


class QualifiedPhrases(_Rule):
    qualifiers: list[str]
    phrases: list[str]


class SignalGrammar(_Rule):
    schema_version: Literal[1]
    sequences: dict[SequenceClass, list[str]]
    intensities: dict[Literal["low", "high"], list[str]]
    signal_words: list[str]
    structures: dict[Literal["band"], list[str]]
    marrow_phrases: list[str]
    qualified_marrow: QualifiedPhrases
    readings: list[Reading]
    measured_concepts: list[str] = []  # whose sentence may give a band's thickness and length

    def patterns(self) -> dict[str, str]:
        """One regular expression per concept, joining its readings' shapes (one expression,
        not several: the matcher scans the whole note once per expression)."""
        out: dict[str, list[str]] = {}
        for reading in self.readings:
            out.setdefault(reading.concept, []).extend(_reading_patterns(self, reading))
        return {
            concept: r"(?<![\w-])(?:" + "|".join(shapes) + r")(?![\w-])"
            for concept, shapes in out.items()
        }


_SEP = r"[\s-]{1,3}"  # between the parts of a phrase: "T1 low", "T1-low", "low - T1"
_LIST = r"\s{0,2}(?:/|,|and|&)\s{0,2}"  # "T1/T2", "T1 and T2"


def _words(words: list[str]) -> str:
    """One alternation of literal words as a prefix tree ("t(?:1|2(?:...))"), so the regex engine
    rejects a position on its first character instead of trying every word; a space or hyphen
    inside a word may be written as either ("fat-sat", "fat sat")."""
    trie: dict[str, Any] = {}
    for word in {w.lower() for w in words}:
        node = trie
        for ch in re.sub(r"[\s-]+", " ", word.strip()):
            node = node.setdefault(ch, {})
        node[""] = {}  # end of a word
    return _trie_regex(trie)


def _trie_regex(node: dict[str, Any]) -> str:
    branches = []
    ends = "" in node
    for ch in sorted(k for k in node if k):
        piece = r"[\s-]{1,2}" if ch == " " else re.escape(ch)
        branches.append(piece + _trie_regex(node[ch]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # greedy optional tail: the longest word wins, as with a longest-first alternation
    return f"(?:{body})?" if ends else body


def _reading_patterns(grammar: SignalGrammar, reading: Reading) -> list[str]:
    if reading.marrow_phrases:
        q = grammar.qualified_marrow
        after = "|".join(f"(?<={re.escape(w.lower())} )" for w in q.qualifiers)
        return [_words(grammar.marrow_phrases), f"(?:{after}){_words(q.phrases)}"]
    assert reading.intensity is not None  # checked by the model
    intensity = _words(grammar.intensities[reading.intensity])
    signal = _words(grammar.signal_words)
    shapes = []
    if reading.sequences:
        one = _words([w for s in reading.sequences for w in grammar.sequences[s]])
        seqs = f"{one}(?:{_LIST}{one}){{0,2}}"
        shapes += [
            f"{intensity}{_SEP}{seqs}(?:{_SEP}{signal})?",  # low T1 signal
            f"{seqs}{_SEP}{intensity}(?:{_SEP}{signal})?",  # T1 low(-signal), STIR hyperintense
            # high signal on fluid-sensitive sequences, hypointense on T1
            f"{intensity}(?:{_SEP}{signal})?\\s{{1,3}}(?:on|in){_SEP}(?:the\\s{{1,3}}|all\\s{{1,3}})?{seqs}",
        ]
    else:
        shapes.append(f"{intensity}(?:{_SEP}{signal})?")  # low-signal (line)
    body = "(?:" + "|".join(shapes) + ")"
    if reading.structure == "band":
        band = _words(grammar.structures["band"])
        return [
            rf"{body}{_SEP}{band}",  # T1 low-signal line
            rf"{band}\s{{1,3}}of\s{{1,3}}(?:\w{{1,20}}\s{{1,3}})?{body}",  # band of low T1 signal
        ]
    return [body]


_MM = r"(\d{1,2}(?:\.\d{1,2})?)"
_MEASURE = re.compile(
    _MM + r"(?:\s{0,2}(?:-|–|to)\s{0,2}" + _MM + r")?\s{0,2}mm\s{1,3}(?:in\s{1,3})?"
    r"(thick|thickness|wide|width|deep|long|length|in length)\b",
    re.I,
)
_MEASURE_PATH = {
    "thick": "thickness", "thickness": "thickness", "wide": "thickness", "width": "thickness",
    "deep": "thickness", "long": "length", "length": "length", "in length": "length",
}  # fmt: skip


def band_measures(sentence: str) -> list[tuple[str, float, int, int]]:
    """Band thickness and length in mm ("2-3 mm thick", "about 12 mm long"): (what, mm, start,
    end) within the sentence; a range is read as its middle."""
    out = []
    for m in _MEASURE.finditer(sentence):
        low = float(m.group(1))
        value = (low + float(m.group(2))) / 2 if m.group(2) else low
        out.append((_MEASURE_PATH[m.group(3).lower()], value, m.start(), m.end()))
    return out
