"""Building the reader imports less (start-up, issue 9) and loses nothing: each check runs in a
fresh interpreter, since this test process has long imported spaCy and medspaCy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


def _run(code: str, extra_path: Path | None = None) -> dict[str, object]:
    path = [str(SRC)] + ([str(extra_path)] if extra_path else [])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


@pytest.mark.slow
def test_building_the_reader_leaves_out_spacys_cli_pyrush_and_langcodes() -> None:
    seen = _run("""
        import json, sys
        from tohip.text.pipeline import default_pipeline
        nlp = default_pipeline()
        loaded = {m: m in sys.modules and type(sys.modules[m]).__name__ == "module"
                  for m in ("spacy.cli", "requests", "PyRuSH", "loguru", "langcodes")}
        print(json.dumps(loaded))
    """)
    assert seen == dict.fromkeys(("spacy.cli", "requests", "PyRuSH", "loguru", "langcodes"), False)


@pytest.mark.slow
def test_what_was_left_out_still_works_when_asked_for() -> None:
    seen = _run("""
        import json, sys
        from spacy.tokens import Span
        from tohip.text.pipeline import default_pipeline
        doc = default_pipeline()("No fracture of the left femoral neck.")
        negated_set = Span.has_extension("is_negated")  # medspaCy's extension, set without __init__
        import importlib.util
        import spacy, spacy.cli, medspacy
        # spaCy 3.8 (Python 3.12 and 3.13 here) no longer depends on langcodes
        if importlib.util.find_spec("langcodes") is None:
            langcodes_works = True
        else:
            import langcodes
            langcodes_works = langcodes.tag_is_valid("en")
        print(json.dumps({
            "negated_set": negated_set,
            "info": "spacy_version" in spacy.info(),
            "real_cli": hasattr(spacy.cli, "app"),
            "medspacy_load": callable(medspacy.load),
            "pyrush_now": "PyRuSH" in sys.modules,
            "langcodes": langcodes_works,
            "ents": len(doc.ents) > 0,
        }))
    """)
    assert seen == {
        "negated_set": True, "info": True, "real_cli": True, "medspacy_load": True,
        "pyrush_now": True, "langcodes": True, "ents": True,
    }  # fmt: skip


@pytest.mark.slow
def test_a_spacy_that_uses_its_cli_while_importing_is_imported_plainly(tmp_path: Path) -> None:
    """A future spaCy whose ``__init__`` needs more of ``spacy.cli`` than ``info``: the stand-in
    must give way to the real command line, not break the import."""
    fake = tmp_path / "spacy"
    (fake / "cli").mkdir(parents=True)
    (fake / "__init__.py").write_text("from .cli.info import info\nfrom .cli import app\n")
    (fake / "cli" / "__init__.py").write_text("from .info import info\napp = 'the real cli'\n")
    (fake / "cli" / "info.py").write_text("def info():\n    return 'real info'\n")
    seen = _run(
        """
        import json
        from tohip.text.pipeline import import_spacy
        spacy = import_spacy()
        print(json.dumps({"app": spacy.app, "info": spacy.info(), "file": spacy.__file__}))
        """,
        tmp_path,
    )
    assert seen["app"] == "the real cli"
    assert seen["info"] == "real info"
    assert str(seen["file"]).startswith(str(tmp_path))


def test_the_language_built_directly_tokenizes_as_spacy_blank_does() -> None:
    import spacy

    from tohip.text.components import without_whitespace_special_cases
    from tohip.text.pipeline import default_pipeline

    ours, blank = default_pipeline(), spacy.blank("xx")
    # tohip's one change to the tokenizer (its tokens are held to spaCy's in test_components)
    without_whitespace_special_cases(blank.tokenizer)
    assert ours.tokenizer.to_bytes(exclude=["vocab"]) == blank.tokenizer.to_bytes(exclude=["vocab"])
    text = "Pt 42yo M c/o L hip pain x3/52; MRI: BME fem. head (no #). CRP 1.8mg/dL, WBC 15,800/uL."
    assert [t.text for t in ours.make_doc(text)] == [t.text for t in blank.make_doc(text)]
