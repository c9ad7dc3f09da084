"""The spaCy/medspaCy pipeline that finds concepts, their modifiers and their sections.

Sentences end at ``.``, ``!``, ``;``, a line break or a bullet (``tohip.text.components``; no
model to download); medspaCy's matcher finds the concepts of ``targets.yaml``; medspaCy's ConText
(Harkema 2009), run sentence by sentence, marks negated, uncertain, historical, hypothetical and
family mentions with medspaCy's default rules as changed by ``context.yaml``; the headers of
``sections.yaml`` are found as medspaCy's Sectionizer finds them. Why tohip runs its own
components around medspaCy's matcher, ConText and section classes (linear time, speed) is in
``tohip.text.components``.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import json
import sys
import types
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from spacy.language import Language

    from tohip.text.rules import TextRules

CONCEPT_SEPARATOR = "|"


def concept_labels(rules: TextRules) -> dict[str, str]:
    """Entity label for each phrase: the ids of every concept that lists it, joined by ``|``.

    A phrase may mean different things in different places ("tumour" is history in the HPI and a
    marrow lesion on MRI); the label keeps every reading and the interpreter picks one.
    """
    owners: dict[str, list[str]] = defaultdict(list)
    for concept in rules.targets.concepts:
        for phrase in concept.phrases:
            key = phrase.lower()
            if concept.id not in owners[key]:
                owners[key].append(concept.id)
    return {phrase: CONCEPT_SEPARATOR.join(ids) for phrase, ids in owners.items()}


def _default_context_rules() -> list[dict[str, object]]:
    import medspacy.context

    base = Path(medspacy.context.__file__).resolve().parents[2]
    raw = json.loads((base / "resources" / "en" / "context_rules.json").read_text("utf-8"))
    rules: list[dict[str, object]] = raw["context_rules"]
    return rules


def _context_rules(rules: TextRules, extended: bool = True) -> list[object]:
    from medspacy.context import ConTextRule

    if not extended:
        return [ConTextRule.from_dict(d) for d in _default_context_rules()]
    removed = {r.lower() for r in rules.context.remove_default}
    out = [
        ConTextRule.from_dict(d)
        for d in _default_context_rules()
        if str(d["literal"]).lower() not in removed
    ]
    return out + [ConTextRule(**r.model_dump()) for r in rules.context.rules]


def _target_rules(rules: TextRules) -> list[object]:
    from medspacy.target_matcher import TargetRule

    out: list[object] = [
        TargetRule(literal=phrase, category=label)
        for phrase, label in concept_labels(rules).items()
    ]
    for concept in rules.targets.concepts:
        out += [
            TargetRule(literal=concept.id, category=concept.id, pattern=rx) for rx in concept.regex
        ]
    return out


def _section_rules(rules: TextRules) -> list[object]:
    from medspacy.section_detection import SectionRule

    out = []
    for section in rules.sections.sections:
        for header in section.headers:
            out.append(SectionRule(literal=f"{header}:", category=section.category))
            if section.modality is not None:
                out.append(SectionRule(literal=header, category=section.category))
    return out


ContextMode = Literal["tohip", "medspacy_default", "none"]


class _DeferredModule(types.ModuleType):
    """Stands in for a module until one of its attributes is used, then imports it."""

    def __getattr__(self, attribute: str) -> object:
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        return getattr(importlib.import_module(name), attribute)


def _defer_unused_imports() -> None:
    """Defer ``import nltk`` until NLTK is used.

    medspaCy imports QuickUMLS, whose module imports NLTK (about 0.15 s here) for a stop-word list
    it reads only when a QuickUMLS matcher is built; tohip never builds one. A stand-in module
    imports the real NLTK on first attribute use, so nothing is lost if a caller does use it.
    (``importlib.util.LazyLoader`` does not help: Python 3.11's import statement reads the
    module's ``__spec__``, which makes it load at once.)
    """
    if "nltk" in sys.modules or importlib.util.find_spec("nltk") is None:
        return
    sys.modules["nltk"] = _DeferredModule("nltk")


def build_pipeline(rules: TextRules, *, context: ContextMode = "tohip") -> Language:
    """A fresh pipeline over ``rules``. ``context`` picks the ConText rules: tohip's (medspaCy's
    defaults as changed by context.yaml), medspaCy's defaults alone, or none (the last two are
    baselines for the benchmark)."""
    _defer_unused_imports()
    import spacy

    import tohip.text.components  # noqa: F401  (registers tohip's components)

    # language-neutral tokenizer: builds in 0.03 s against 0.12 s for "en", same scores on both
    # benchmark corpora (BENCHMARKS.md); start-up time is what `tohip assess note.txt` waits for
    nlp = spacy.blank("xx")
    nlp.add_pipe("tohip_sentences")
    targets: Any = nlp.add_pipe("tohip_targets")
    targets.add(_target_rules(rules))
    if context != "none":
        ctx: Any = nlp.add_pipe("tohip_context")
        ctx.add(_context_rules(rules, extended=context == "tohip"))
    sectionizer: Any = nlp.add_pipe("tohip_sections")
    sectionizer.add(_section_rules(rules))
    return nlp


@functools.cache
def default_pipeline() -> Language:
    from tohip.text.rules import load_text_rules

    return build_pipeline(load_text_rules())
