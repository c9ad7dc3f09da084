"""The pipeline's own spaCy components: sentence bounds, target spans and ConText per sentence.

They exist so that reading time and memory grow linearly with the note, whatever its shape
(issue 13), and so that ordinary notes read fast (issue 9):

- **Sentences** end at ``.``, ``!`` and ``;`` (as spaCy's sentencizer), and also at a line break
  (unless the next line goes on in lower case: a wrapped line), at a bullet, and after
  ``MAX_SENTENCE_TOKENS`` tokens. ConText's scope is the sentence, so
  negation no longer runs on into the next line of a list, and no sentence is unbounded.
- **Targets** are found by medspaCy's ``MedspacyMatcher`` (spaCy's PhraseMatcher, Matcher and
  medspaCy's RegexMatcher, pruned to the longest) and set as ``doc.ents`` once. medspaCy's
  TargetMatcher adds them one at a time (``doc.ents += (span,)``), which rebuilds the entity
  tuple for every match: quadratic in the number of mentions.
- **Sections** are found as medspaCy's Sectionizer finds them (its matcher, a header only at the
  start of a line) and set as ``doc._.sections`` with medspaCy's ``Section``; the Sectionizer
  also writes the section onto every token (``token._.section``) and copies section assertions
  onto the entities, which tohip never reads and which was a fifth of the pipeline's time.
- **ConText** is medspaCy's algorithm (``ConTextModifier``, ``ConTextGraph``), run sentence by
  sentence. A modifier's scope never leaves its sentence, so the result is the same as one
  graph over the whole document (which compares every pair of modifiers in the note); the cost
  is bounded by the sentence, not the note. Token patterns that are only alternatives of
  words are matched as phrases (spaCy's PhraseMatcher) instead of by spaCy's token Matcher,
  which was most of the reading time; patterns that do more keep the Matcher.

Only ``tohip.text.pipeline`` imports this module (it imports spaCy and medspaCy). No
``from __future__ import annotations``: spaCy reads the factories' annotations at run time.
"""

import bisect
import itertools
import re
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

import numpy
from medspacy.common.medspacy_matcher import MedspacyMatcher
from medspacy.common.util import prune_overlapping_matches
from medspacy.context import ConTextRule
from medspacy.context.context_graph import ConTextGraph
from medspacy.context.context_modifier import ConTextModifier
from medspacy.section_detection import Section
from medspacy.section_detection.util import is_start_line
from spacy.attrs import NORM, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from tohip.text.prefilter import Deferred, Prefiltered, fold

# "?" is left out on purpose: in notes it opens a query ("?stress fracture"), not a sentence end.
SENTENCE_ENDS = frozenset({".", "!", ";"})
MAX_SENTENCE_TOKENS = 120  # longer than any sentence of the corpus; a hostile note's cap
BULLETS = frozenset({"•", "·", "▪", "◦", "‣", "*"})
MAX_EXPANSIONS = 400  # phrases one token pattern may expand into before it stays a pattern


# what the sentence splitter reads of a token, by its text's hash (``ORTH``): whether it starts
# in lower case, is a bullet, may go on a sentence (not punctuation, space or an end), ends one,
# and holds line breaks (0, 1 or 2 for more). A token's text decides all of them.
_Kind = tuple[bool, bool, bool, bool, int]
_KINDS: dict[int, _Kind] = {}
MAX_KINDS = 200_000  # distinct token texts kept; beyond that the table starts again


def _kind(token: Any) -> _Kind:
    text = token.text
    return (
        text[:1].islower(),
        text in BULLETS,
        not token.is_punct and not token.is_space and text not in SENTENCE_ENDS,
        text in SENTENCE_ENDS,
        min(text.count("\n"), 2),
    )


@Language.component("tohip_sentences")
def set_sentence_starts(doc: Doc) -> Doc:
    """Mark sentence starts as spaCy's sentencizer does (after a run of sentence-ending
    punctuation, at the next token that is not punctuation), and also after a line break, at a
    bullet, and every ``MAX_SENTENCE_TOKENS`` tokens. A single line break followed by a word in
    lower case is a wrapped line ("No subchondral\\nfracture line"), not a sentence end.

    The tokens are read as their texts' hashes (one array), each looked up in ``_KINDS``: making
    a spaCy ``Token`` for each token and reading its text was most of this component's time."""
    seen_end = wrapped = False
    length = 0
    starts: list[int] = []
    kinds = _KINDS
    if len(kinds) > MAX_KINDS:
        kinds.clear()
    orths = doc.to_array("ORTH").tolist() if len(doc) else []
    for i, orth in enumerate(orths):
        kind = kinds.get(orth)
        if kind is None:
            kind = kinds[orth] = _kind(doc[i])
        lower, bullet, goes_on, ends, newlines = kind
        if wrapped and lower:
            seen_end = False
        boundary = i == 0 or bullet or length >= MAX_SENTENCE_TOKENS
        if seen_end and goes_on:
            boundary = True
        if boundary:
            seen_end = False
            length = 0
        starts.append(1 if boundary else -1)
        length += 1
        wrapped = False
        if ends:
            seen_end = True
        elif newlines:
            wrapped = not seen_end and newlines == 1
            seen_end = True
    # one bulk write: setting Token.is_sent_start checks the whole document each time
    column = numpy.array(starts, dtype="int64").astype("uint64").reshape(-1, 1)
    doc.from_array(["SENT_START"], column)  # type: ignore[arg-type]
    return doc


def without_whitespace_special_cases(tokenizer: Any) -> None:
    """Leave spaCy's special cases for runs of whitespace (``" "``, ``"\\n"``, ``"\\t"``,
    ``"\\xa0"``) out of ``tokenizer``'s rules, so that its cache works on the rest of a note.

    spaCy's tokenizer (``Tokenizer._tokenize_affixes``, 3.7.5 and 3.8) keeps one flag a text:
    once any chunk between whitespace is a special case, no chunk after it in that text is cached
    (``_save_cached`` returns when the flag is set). spaCy's base exceptions make the whitespace
    runs ``"\\n"``, ``"\\t"`` and ``" "`` (a second space) special cases, so after a note's first
    line break every chunk went through the affix rules again on every note. A run of whitespace
    is one token with or without its rule when no prefix, suffix or infix rule splits it
    (whitespace never occurs inside the other chunks), so only rules that are one token spelling
    such a run are left out; the norm such a rule gives (``"\\xa0"`` -> two spaces) is set on
    the word's lexeme instead, so every token keeps its text, spacing and norm
    (tests/text/test_components.py holds the tokens to the full rules').
    """

    def unsplit(run: str) -> bool:
        infixes = tokenizer.infix_finditer(run) if tokenizer.infix_finditer else ()
        return not (tokenizer.find_prefix(run) or tokenizer.find_suffix(run) or any(infixes))

    kept: dict[str, Any] = {}
    for key, tokens in tokenizer.rules.items():
        only = tokens[0] if len(tokens) == 1 else {}
        attrs = set(only) - {ORTH}
        if key.isspace() and only.get(ORTH) == key and attrs <= {NORM} and unsplit(key):
            if NORM in only:
                tokenizer.vocab[key].norm_ = only[NORM]
        else:
            kept[key] = tokens
    if len(kept) < len(tokenizer.rules):
        tokenizer.rules = kept


TEXT_KEY = "tohip_text"  # where ``TextKeepingTokenizer`` puts a doc's text (``doc.user_data``)


class TextKeepingTokenizer:
    """spaCy's tokenizer, which also keeps the text it was given in ``doc.user_data``.

    ``Doc.text`` joins the text of every token, making a ``Token`` for each (~0.1 ms a note);
    the tokenizer had the text already, and the tokens always spell it out exactly. Everything
    else (``pipe``, the vocabulary, serialisation) is spaCy's tokenizer's."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc: Doc = self.tokenizer(text)
        doc.user_data[TEXT_KEY] = text
        return doc

    def __getattr__(self, name: str) -> Any:
        if name == "tokenizer":  # not set yet (a copy being made): no endless lookup
            raise AttributeError(name)
        return getattr(self.tokenizer, name)


def doc_text(doc: Doc) -> str:
    """``doc.text``: the text kept by the tokenizer when it kept it."""
    text = doc.user_data.get(TEXT_KEY)
    return text if isinstance(text, str) else doc.text


class TargetSpans:
    """Concept mentions from the rules, set as ``doc.ents`` in one assignment.

    Phrase and token rules go to medspaCy's matcher; regular expressions are run here, over the
    note's text once (medspaCy's RegexMatcher rebuilds the text from the tokens for each
    pattern), with the same rule for a match that does not fall on token boundaries (widen it
    to whole tokens; case-insensitive, as there); then all matches are pruned to the longest
    together, as medspaCy does."""

    def __init__(self, nlp: Language) -> None:
        self._nlp = nlp
        self._vocab = nlp.vocab
        self._matcher = MedspacyMatcher(nlp, name="tohip_targets", prune=False)
        self._labels: dict[int, str] = {}
        self._regexes: list[tuple[int, Prefiltered]] = []

    def add(self, rules: Iterable[Any]) -> None:
        rules = list(rules)
        _add_rules(self._nlp, self._matcher, [r for r in rules if not isinstance(r.pattern, str)])
        for rule in rules:
            if isinstance(rule.pattern, str):
                key = self._vocab.strings.add(f"tohip_regex_{len(self._regexes)}")
                self._labels[key] = rule.category
                # compiled the first time a note may hold a match (most notes hold few)
                self._regexes.append((key, Prefiltered(Deferred(rule.pattern, re.IGNORECASE))))

    def __call__(self, doc: Doc) -> Doc:
        strings = self._vocab.strings
        rule_map = self._matcher.rule_map
        matches = _matches(self._matcher, doc) + self._regex_matches(doc)
        spans: list[Span] = []
        taken = -1
        for match_id, start, end in prune_overlapping_matches(matches):
            if start < taken:  # overlaps the previous one: the earlier mention stands
                continue
            label = self._labels.get(match_id) or rule_map[strings[match_id]].category
            spans.append(Span(doc, start, end, label=label))
            taken = end
        doc.ents = spans
        return doc

    def _regex_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        text = doc_text(doc)
        folded = fold(text)
        starts: list[int] | None = None
        out = []
        for key, pattern in self._regexes:
            for m in pattern.finditer(text, folded):
                span = doc.char_span(m.start(), m.end())
                if span is not None:
                    first, last = span.start, span.end
                else:
                    starts = starts if starts is not None else [t.idx for t in doc]
                    first, last = _widened(starts, m.start(), m.end())
                if last > first:
                    out.append((key, first, last))
        return out


def _widened(starts: list[int], start: int, end: int) -> tuple[int, int]:
    """Token range of a character range that cuts through tokens, as medspaCy's RegexMatcher
    resolves it (start to the token at or before it, end to the token at or after it)."""
    n = len(starts)
    k = bisect.bisect_left(starts, start)
    first = k if k < n and starts[k] == start else (k - 1 if k < n else n - 1)
    if first < 0:  # medspaCy takes doc[i - 1] for i == 0: the last token
        first = n - 1
    k = bisect.bisect_left(starts, end)
    last = k if k < n else n
    return first, last


def _alternatives(pattern: list[dict[str, Any]]) -> list[list[str]] | None:
    """The word sequences a token pattern matches, if it only compares lower-case words (one
    word, a list of words, optionally ``OP: ?``); else None."""
    choices: list[list[str | None]] = []
    for token in pattern:
        if set(token) - {"LOWER", "OP"} or token.get("OP", "?") != "?":
            return None
        value = token["LOWER"]
        words = [value] if isinstance(value, str) else value.get("IN") if len(value) == 1 else None
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            return None
        choices.append([*words, None] if "OP" in token else list(words))
    total = 1
    for c in choices:
        total *= len(c)
    if total > MAX_EXPANSIONS:
        return None
    out = []
    for combination in itertools.product(*choices):
        words = [w for w in combination if w is not None]
        if words:
            out.append(words)
    return out


def phrase_rules(nlp: Language, rules: Iterable[ConTextRule]) -> Iterator[ConTextRule]:
    """Each rule whose token pattern is only alternatives of words, as one phrase rule per
    alternative (the same category, direction and settings); other rules unchanged. An
    alternative the tokenizer would split differently (a "word" with a space) can never match a
    token pattern, so it is left out, as the Matcher would leave it."""
    for rule in rules:
        alternatives = _alternatives(rule.pattern) if isinstance(rule.pattern, list) else None
        if alternatives is None:
            yield rule
            continue
        for words in alternatives:
            if [t.text for t in nlp.make_doc(" ".join(words))] != words:
                continue
            d = rule.to_dict()
            d.update(literal=" ".join(words))
            d.pop("pattern", None)
            yield ConTextRule.from_dict(d)


class SentenceContext:
    """medspaCy's ConText, run one sentence at a time (see the module docstring)."""

    def __init__(self, nlp: Language) -> None:
        self._nlp = nlp
        self._vocab = nlp.vocab
        self._matcher = MedspacyMatcher(nlp, name="tohip_context", prune=True)
        if not Span.has_extension("modifiers"):
            Span.set_extension("modifiers", default=())

    def add(self, rules: Iterable[ConTextRule]) -> None:
        _add_rules(self._nlp, self._matcher, list(phrase_rules(self._nlp, rules)))

    def __call__(self, doc: Doc) -> Doc:
        """Modifiers are made only in sentences that hold a target: a ``ConTextModifier``
        works out its scope when it is made, and most sentences have no target."""
        ents = doc.ents  # a new tuple of spans each time it is read
        if not ents:
            return doc
        strings = self._vocab.strings
        rule_map = self._matcher.rule_map
        starts = _sentence_starts(doc)
        by_sentence: dict[int, tuple[list[Span], list[ConTextModifier]]] = {}
        for target in ents:
            by_sentence.setdefault(_index(starts, target.start), ([], []))[0].append(target)
        for match_id, start, end in _matches(self._matcher, doc):
            group = by_sentence.get(_index(starts, start))
            if group is not None:
                rule = rule_map[strings[match_id]]
                group[1].append(ConTextModifier(rule, start, end, doc))
        for targets, modifiers in by_sentence.values():
            if not modifiers:
                continue
            graph = ConTextGraph(targets=targets, modifiers=modifiers)
            graph.update_scopes()
            graph.apply_modifiers()
            for target, modifier in graph.edges:
                target._.modifiers += (modifier,)
        return doc


def _add_rules(nlp: Language, matcher: MedspacyMatcher, rules: list[Any]) -> None:
    """``matcher.add(rules)`` with the pipeline's components switched off: medspaCy's matcher
    runs the whole pipeline (``nlp(phrase)``) on each phrase it adds, and its PhraseMatcher
    (attribute ``LOWER``) reads only the tokens, so the components' work was thrown away (a
    third of the time to build the pipeline)."""
    with nlp.select_pipes(enable=[]):
        matcher.add(rules)


def _matches(matcher: MedspacyMatcher, doc: Doc) -> list[tuple[int, int, int]]:
    with warnings.catch_warnings():
        # medspaCy's matcher holds an empty spaCy Matcher when no rule is a token pattern
        warnings.filterwarnings("ignore", message=r".*\[W036\]")
        return matcher(doc)  # type: ignore[no-any-return]


def _sentence_starts(doc: Doc) -> list[int]:
    """``[s.start for s in doc.sents]``, read from the doc's sentence-start column instead of
    making a Span for each sentence (spaCy's own answer where a hook or no sentence bounds
    could make it differ)."""
    if doc.user_hooks or not doc.has_annotation("SENT_START"):
        return [s.start for s in doc.sents]
    if not len(doc):
        return []
    column = doc.to_array("SENT_START")
    return [0, *(numpy.flatnonzero(column[1:] == 1) + 1).tolist()]


def _index(starts: list[int], token: int) -> int:
    return bisect.bisect_right(starts, token) - 1


class SectionHeaders:
    """The sections of medspaCy's Sectionizer (``require_start_line=True``, no parent sections,
    no ``max_scope``), as ``doc._.sections`` only: the text before the first header is a section
    without a category, and each header's section runs to the next header or the end."""

    NEWLINE = re.compile(r"[\n\r]+[\s]*$")  # medspaCy's default ``newline_pattern``

    def __init__(self, nlp: Language) -> None:
        self._nlp = nlp
        self._vocab = nlp.vocab
        self._matcher = MedspacyMatcher(nlp, name="tohip_sections", phrase_matcher_attr="LOWER")

    def add(self, rules: Iterable[Any]) -> None:
        rules = list(rules)
        for rule in rules:
            if rule.parents or rule.max_scope is not None:
                raise ValueError("tohip_sections: parent sections and max_scope are not supported")
        _add_rules(self._nlp, self._matcher, rules)

    def __call__(self, doc: Doc) -> Doc:
        strings = self._vocab.strings
        rule_map = self._matcher.rule_map
        pattern = self.NEWLINE
        matches = [m for m in _matches(self._matcher, doc) if is_start_line(m[1], doc, pattern)]
        n = len(doc)
        if not matches:
            doc._.sections = [Section(None, 0, 0, 0, n)]
            return doc
        sections = []
        if matches[0][1] != 0:
            sections.append(Section(None, 0, 0, 0, matches[0][1]))
        ends = [start for _, start, _ in matches[1:]] + [n]
        for (match_id, start, end), body_end in zip(matches, ends, strict=True):
            rule = rule_map[strings[match_id]]
            sections.append(Section(rule.category, start, end, end, body_end, None, rule))
        doc._.sections = sections
        return doc


@Language.factory("tohip_sections")
def make_section_headers(nlp: Language, name: str) -> SectionHeaders:
    return SectionHeaders(nlp)


@Language.factory("tohip_targets")
def make_target_spans(nlp: Language, name: str) -> TargetSpans:
    return TargetSpans(nlp)


@Language.factory("tohip_context")
def make_sentence_context(nlp: Language, name: str) -> SentenceContext:
    return SentenceContext(nlp)
