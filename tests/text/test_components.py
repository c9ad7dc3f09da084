"""The pipeline's own components: ConText is applied only where a sentence holds a target."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc
from spacy.util import get_lang_class

from tohip.text.components import (
    BULLETS,
    MAX_SENTENCE_TOKENS,
    SENTENCE_ENDS,
    TextKeepingTokenizer,
    _sentence_starts,
    doc_text,
)
from tohip.text.extract import unwrap_lines
from tohip.text.pipeline import default_pipeline

REPO = Path(__file__).parents[2]


def test_sentence_starts_equal_spacys_sentences() -> None:
    nlp = default_pipeline()
    texts = ["", "hip", "No fever.\nR hip pain; worse at night. ? stress fracture"]
    for split in ("train", "dev"):
        raw = yaml.safe_load((REPO / f"benchmarks/corpus/{split}.yaml").read_text("utf-8"))
        texts += [unwrap_lines(n["text"]) for n in raw["notes"][:40]]
    for text in texts:
        doc = nlp(text)
        assert _sentence_starts(doc) == [s.start for s in doc.sents], text[:60]


def test_a_cue_in_a_sentence_without_a_finding_modifies_nothing() -> None:
    doc = default_pipeline()("No known allergies.\nMRI: bone marrow oedema of the femoral head.")
    (oedema,) = [e for e in doc.ents if "oedema" in e.text]
    assert oedema._.modifiers == ()


def test_cues_still_reach_findings_of_their_own_sentence() -> None:
    doc = default_pipeline()(
        "Hip pain for 3 weeks.\nMRI: no bone marrow oedema, no fracture line. Effusion."
    )
    cues = {e.text: [m.category for m in e._.modifiers] for e in doc.ents}
    assert "NEGATED_EXISTENCE" in cues["bone marrow oedema"]
    assert cues.get("Effusion", cues.get("effusion")) == []


def _sentence_starts_token_by_token(doc: Doc) -> list[int]:
    """The sentence splitter's rules read from each Token (as it was before it read the
    tokens' hashes): the reference the fast splitter must agree with."""
    seen_end = wrapped = False
    length = 0
    out = []
    for token in doc:
        text = token.text
        if wrapped and text[:1].islower():
            seen_end = False
        boundary = token.i == 0 or text in BULLETS or length >= MAX_SENTENCE_TOKENS
        if seen_end and not token.is_punct and not token.is_space and text not in SENTENCE_ENDS:
            boundary = True
        if boundary:
            seen_end = False
            length = 0
            out.append(token.i)
        length += 1
        wrapped = False
        if text in SENTENCE_ENDS:
            seen_end = True
        elif "\n" in text:
            wrapped = not seen_end and text.count("\n") == 1
            seen_end = True
    return out


PIECES = ["hip", "Pain", "no", ".", "!", ";", "?", "\n", "\n\n", " \n ", "•", "*", "-", ",",
          "MRI:", "e.g.", "3.5", "(", ")", "...", "\t", "  ", "left", "L", "x"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.lists(st.booleans(), max_size=40))
def test_sentence_starts_agree_with_the_token_by_token_rules(
    pieces: list[str], spaces: list[bool]
) -> None:
    text = "".join(p + (" " if i < len(spaces) and spaces[i] else "") for i, p in enumerate(pieces))
    doc = default_pipeline()(text)
    assert _sentence_starts(doc) == _sentence_starts_token_by_token(doc), text


def test_long_runs_are_cut_as_before() -> None:
    doc = default_pipeline()("no " * 300 + ". hip\npain\nx")
    assert _sentence_starts(doc) == _sentence_starts_token_by_token(doc)
    assert len(_sentence_starts(doc)) > 2  # cut every MAX_SENTENCE_TOKENS tokens


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_the_kept_text_is_the_docs_text(text: str) -> None:
    # the target matcher reads the text the tokenizer kept instead of joining the tokens
    doc = default_pipeline()(text)
    assert doc_text(doc) == doc.text == text


def test_a_doc_not_made_by_the_keeping_tokenizer_gives_its_own_text() -> None:
    nlp = default_pipeline()
    assert isinstance(nlp.tokenizer, TextKeepingTokenizer)
    doc = Doc(nlp.vocab, words=["left", "hip"], spaces=[True, False])
    assert doc_text(doc) == "left hip"
    assert [d.text for d in nlp.tokenizer.pipe(["a b", "c"])] == ["a b", "c"]  # spaCy's own


def _token_rows(doc: Doc) -> list[tuple[str, str, str, int]]:
    return [(t.text, t.whitespace_, t.norm_, t.idx) for t in doc]


# words, affixes and spaCy's special cases ("8)" and "):" are emoticons, "a." an abbreviation)
# between runs of line breaks, tabs, spaces and no-break spaces
_WORDS = ["hip", "MRI", "(WBC", "8)", "):", "a.", "e.g.", "C++", "3/52", "mm/h.", "'", "—"]
_GAPS = [" ", "  ", "\n", "\n\n", "\t", " \n ", "\xa0", "\xa0 ", "\r\n", "\u2003", ""]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.sampled_from(_WORDS), st.text(min_size=1, max_size=6)),
            st.sampled_from(_GAPS),
        ),
        min_size=1,
        max_size=30,
    ),
    st.text(alphabet=" \n\t\xa0x.)(", max_size=40),
)
def test_tokens_without_the_whitespace_special_cases_are_spacys(
    pieces: list[tuple[str, str]], noise: str
) -> None:
    """The pipeline's tokenizer, without spaCy's whitespace special cases (so that its cache
    works after a line break), gives the tokens spaCy's full rules give: text, spacing, norm
    and offset; each text read twice, so that cached chunks are compared too."""
    spacy_tokenizer = get_lang_class("xx")().tokenizer
    assert any(key.isspace() for key in spacy_tokenizer.rules)  # what is left out exists
    ours = default_pipeline().tokenizer
    texts = ["".join(word + gap for word, gap in pieces), noise]
    for text in texts + texts:
        assert _token_rows(ours(text)) == _token_rows(spacy_tokenizer(text)), repr(text)


def test_the_pipelines_tokenizer_has_no_whitespace_special_cases() -> None:
    rules = default_pipeline().tokenizer.rules
    assert not [key for key in rules if key.isspace()]
    assert "a." in rules and ":)" in rules  # the other special cases are kept
    assert [t.norm_ for t in default_pipeline().tokenizer("a\xa0b")] == ["a", "  ", "b"]
