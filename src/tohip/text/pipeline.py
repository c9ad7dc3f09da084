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
    out += [ConTextRule(**r.model_dump()) for r in rules.context.rules]
    clauses = rules.context.study_clauses
    return out + [
        ConTextRule(literal=f"{opener} {study}", category="TERMINATE", direction="TERMINATE")
        for opener in clauses.openers
        for study in clauses.studies
    ]


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


DEFERRED = ("nltk", "langcodes")


def _defer_unused_imports() -> None:
    """Defer ``import nltk`` and ``import langcodes`` until they are used.

    medspaCy imports QuickUMLS, whose module imports NLTK (about 0.15 s here) for a stop-word list
    it reads only when a QuickUMLS matcher is built; tohip never builds one. spaCy's ``util``
    imports langcodes (its language tables, about 0.03 s) to find a language near one spaCy does
    not have; tohip asks for ``xx``, which never needs it. Both are used only as attributes of
    the module inside functions, so a stand-in module that imports the real one on first
    attribute use loses nothing if a caller does use it. (``importlib.util.LazyLoader`` does not
    help: Python 3.11's import statement reads the module's ``__spec__``, which makes it load at
    once.)
    """
    for name in DEFERRED:
        if name not in sys.modules and importlib.util.find_spec(name) is not None:
            sys.modules[name] = _DeferredModule(name)


class _PackageOnDemand(types.ModuleType):
    """A package whose ``__init__`` runs only when one of its own attributes is asked for;
    until then its submodules import as usual (they are found through ``__path__``)."""

    def __getattr__(self, attribute: str) -> object:
        if self.__dict__.get("_tohip_ran"):
            raise AttributeError(attribute)
        self._tohip_ran = True
        self.__spec__.loader.exec_module(self)  # type: ignore[union-attr]
        return getattr(self, attribute)


def _medspacy_without_init() -> None:
    """Let tohip import the medspaCy modules it uses without medspaCy's package ``__init__``.

    The ``__init__`` imports every medspaCy component, among them PyRuSH's sentence splitter and
    with it loguru and asyncio (about 0.05 s here), which tohip does not use. The package is
    put in place without running it; medspaCy's span and token extensions, which the
    ``__init__`` would set, are set here; any other use of ``medspacy.<name>`` (``medspacy.load``)
    runs the real ``__init__`` first. On any problem the package is imported plainly.
    """
    if "medspacy" in sys.modules:
        return
    try:
        spec = importlib.util.find_spec("medspacy")
        if spec is None or spec.loader is None or spec.submodule_search_locations is None:
            return
        package = _PackageOnDemand(spec.name)
        package.__spec__ = spec
        package.__path__ = list(spec.submodule_search_locations)
        package.__file__ = spec.origin
        package.__package__ = spec.name
        package.__loader__ = spec.loader
        sys.modules["medspacy"] = package
        extensions = importlib.import_module("medspacy._extensions")
        extensions.set_extensions()
    except Exception:
        for name in [n for n in sys.modules if n == "medspacy" or n.startswith("medspacy.")]:
            del sys.modules[name]
        importlib.import_module("medspacy")


def import_spacy() -> types.ModuleType:
    """``import spacy``, without importing spaCy's command line on the way when that is safe.

    spaCy's ``__init__`` imports ``spacy.cli.info`` for its ``spacy.info`` function, and with it
    the whole of spaCy's command line (typer, requests, weasel, jinja2): about a third of the time
    ``import spacy`` takes (BENCHMARKS.md, start-up, session 6). While spaCy is imported, a
    stand-in for ``spacy.cli.info`` provides ``spacy.info``, which imports the real module when
    called; the stand-ins are then removed, so a later ``import spacy.cli`` gets the real one.
    Should anything go wrong (another spaCy, a plugin using the command line while spaCy
    imports), the partly imported modules are dropped and spaCy is imported plainly.
    """
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    stubs = {"spacy.cli": types.ModuleType("spacy.cli"),
             "spacy.cli.info": types.ModuleType("spacy.cli.info")}  # fmt: skip
    if any(name in sys.modules for name in stubs):
        return importlib.import_module("spacy")

    def info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real_info

        return real_info(*args, **kwargs)

    stubs["spacy.cli.info"].info = info  # type: ignore[attr-defined]
    stubs["spacy.cli"].info = stubs["spacy.cli.info"]  # type: ignore[attr-defined]
    sys.modules.update(stubs)
    try:
        spacy = importlib.import_module("spacy")
        if getattr(spacy, "info", None) is not info or hasattr(spacy, "cli"):
            raise ImportError("spaCy used its command line while importing")
    except Exception:
        for name in [n for n in sys.modules if n == "spacy" or n.startswith("spacy.")]:
            del sys.modules[name]
        spacy = None
    finally:
        for name, stub in stubs.items():
            if sys.modules.get(name) is stub:
                del sys.modules[name]
    return spacy if spacy is not None else importlib.import_module("spacy")


def build_pipeline(rules: TextRules, *, context: ContextMode = "tohip") -> Language:
    """A fresh pipeline over ``rules``. ``context`` picks the ConText rules: tohip's (medspaCy's
    defaults as changed by context.yaml), medspaCy's defaults alone, or none (the last two are
    baselines for the benchmark)."""
    _defer_unused_imports()
    spacy = import_spacy()
    _medspacy_without_init()

    import tohip.text.components  # registers tohip's components

    # language-neutral tokenizer: builds in 0.03 s against 0.12 s for "en", same scores on both
    # benchmark corpora (BENCHMARKS.md); start-up time is what `tohip assess note.txt` waits for
    # the class itself rather than spacy.blank("xx"), which first fills and validates a whole
    # training config tohip never uses (0.02-0.03 s); the tokenizer and vocabulary are the same
    nlp: Language = spacy.util.get_lang_class("xx")()
    tohip.text.components.without_whitespace_special_cases(nlp.tokenizer)
    nlp.tokenizer = tohip.text.components.TextKeepingTokenizer(nlp.tokenizer)
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
