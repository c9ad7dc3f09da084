"""Everything tohip computes on the benchmark inputs, dumped so that two Python versions can be
compared item by item (issue 14; run by benchmarks.run_pythons in each environment).

- every note of the three corpora (notes/corpus.yaml, notes/heldout.yaml, devset/notes.yaml):
  the tokens, the sentence boundaries and the entities of the medspaCy pipeline, and the whole
  extraction (case, evidence with offsets and sentences, warnings);
- every development case: the posterior of each condition, from the structured case and from
  its note;
- every development case's handout: its reading scores.

    python -m benchmarks.behaviour --json out.json
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import platform
import warnings
from pathlib import Path
from typing import Any

import yaml

from benchmarks.check_readability import texts
from benchmarks.devset import load_devset
from benchmarks.run_notes import CORPUS, DEV_NOTES, HELD_OUT, load_corpus
from tohip.engine.assess import assess_case
from tohip.handout.readability import reading_scores
from tohip.text.extract import extract_text
from tohip.text.pipeline import default_pipeline

PACKAGES = ("spacy", "numpy", "medspacy", "thinc", "pydantic", "pyphen", "weasyprint")


def environment() -> dict[str, str]:
    env = {"python": platform.python_version()}
    for name in PACKAGES:
        env[name] = importlib.metadata.version(name)
    return env


def notes() -> dict[str, tuple[str, Any]]:
    """{id: (text, note date)} over the three corpora."""
    out: dict[str, tuple[str, Any]] = {}
    for path in (CORPUS, HELD_OUT):
        out |= {f"{path.stem}/{n.id}": (n.text, n.note_date) for n in load_corpus(path)}
    dev = yaml.safe_load(DEV_NOTES.read_text(encoding="utf-8"))["notes"]
    out |= {f"devset/{case_id}": (text, None) for case_id, text in dev.items()}
    return out


def read_notes() -> dict[str, dict[str, Any]]:
    nlp = default_pipeline()
    out = {}
    for note_id, (text, note_date) in notes().items():
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r".*\[W036\]")  # as extract_text does
            doc = nlp(text)
        out[note_id] = {
            "tokens": [[t.idx, t.text] for t in doc],
            "sentences": [[s.start_char, s.end_char] for s in doc.sents],
            "entities": [[e.start_char, e.end_char, e.label_] for e in doc.ents],
            "extraction": extract_text(text, note_date=note_date).model_dump(mode="json"),
        }
    return out


def posteriors() -> dict[str, dict[str, Any]]:
    dev_notes = yaml.safe_load(DEV_NOTES.read_text(encoding="utf-8"))["notes"]
    out = {}
    for dev in load_devset():
        from_case = assess_case(dev.case).differential
        from_note = assess_case(extract_text(dev_notes[dev.id]).case).differential
        out[dev.id] = {
            "case": {r.condition: r.probability for r in from_case},
            "note": {r.condition: r.probability for r in from_note},
        }
    return out


def grades() -> dict[str, dict[str, Any]]:
    return {
        case_id: {kind: reading_scores(text).model_dump() for kind, text in pair.items()}
        for case_id, pair in texts().items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args()
    dump = {
        "environment": environment(),
        "notes": read_notes(),
        "posteriors": posteriors(),
        "reading": grades(),
    }
    args.json.write_text(json.dumps(dump))
    print(f"{len(notes())} notes, {len(load_devset())} cases -> {args.json}")


if __name__ == "__main__":
    main()
