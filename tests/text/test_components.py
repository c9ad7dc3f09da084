"""The pipeline's own components: ConText is applied only where a sentence holds a target."""

from __future__ import annotations

from pathlib import Path

import yaml

from tohip.text.components import _sentence_starts
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
