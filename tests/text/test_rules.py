"""The text rules are checked like the rest of the knowledge base."""

from __future__ import annotations

from pathlib import Path

import pytest

from tohip.errors import KnowledgeBaseError
from tohip.kb.loader import load_knowledge_base
from tohip.text.rules import check_text_rules, read_text_rules


def test_shipped_rules_pass_the_checks() -> None:
    rules = read_text_rules(Path(__file__).resolve().parents[2] / "src" / "tohip" / "kb" / "data")
    assert check_text_rules(rules, set(load_knowledge_base().references)) == []


def test_a_path_that_is_not_in_the_case_is_reported(kb_copy: Path) -> None:
    targets = kb_copy / "text" / "targets.yaml"
    targets.write_text(
        targets.read_text().replace("history.trauma: true", "history.traumas: true", 1)
    )
    problems = check_text_rules(read_text_rules(kb_copy))
    assert any("history.traumas is not a case field" in p for p in problems)


def test_a_case_study_path_is_checked_for_the_studies_the_case_names(kb_copy: Path) -> None:
    """The fracture concept reads every study. A case of it that writes
    imaging.STUDY.fracture_line is sound for X-ray and CT, which have that field; widened to MRI,
    which has not, it must be reported (what it sets and what it sets when negated)."""
    targets = kb_copy / "text" / "targets.yaml"
    shipped = "- {near: 40, modalities: [mri], words: [trochanter], sets: {}}"
    assert shipped in targets.read_text()
    case = (
        "- {{near: 40, modalities: {0}, words: [trochanter], sets: {{imaging.STUDY.fracture_line:"
        " true}}, negated: {{imaging.STUDY.fracture_line: false}}}}"
    )
    original = targets.read_text()
    targets.write_text(original.replace(shipped, case.format("[xray, ct]")))
    assert check_text_rules(read_text_rules(kb_copy)) == []
    targets.write_text(original.replace(shipped, case.format("[xray, ct, mri]")))
    problems = check_text_rules(read_text_rules(kb_copy))
    assert (
        problems
        == ["text/targets.yaml: concept 'fracture': imaging.mri.fracture_line is not a case field"]
        * 2
    )


def test_a_lab_source_must_be_a_known_reference(kb_copy: Path) -> None:
    labs = kb_copy / "text" / "labs.yaml"
    labs.write_text(labs.read_text().replace("ref: miller1983", "ref: nosuchref"))
    problems = check_text_rules(read_text_rules(kb_copy), {"tohip_editors", "margaretten2007"})
    assert any("unknown reference 'nosuchref'" in p for p in problems)


def test_a_resolver_without_a_default_is_refused(kb_copy: Path) -> None:
    targets = kb_copy / "text" / "targets.yaml"
    text = targets.read_text().replace(
        '    - {value: limited, note: "degree not stated: read as limited (mildly or severely)"}\n',
        "",
    )
    targets.write_text(text)
    with pytest.raises(KnowledgeBaseError, match="always applies"):
        read_text_rules(kb_copy)


def test_a_not_study_name_that_is_no_regular_expression_is_refused(kb_copy: Path) -> None:
    targets = kb_copy / "text" / "targets.yaml"
    text = targets.read_text()
    assert "not_study_names: [" in text
    targets.write_text(text.replace("not_study_names: [", "not_study_names: ['(Mr', ", 1))
    with pytest.raises(KnowledgeBaseError, match=r"not_study_names.*no regular expression"):
        read_text_rules(kb_copy)
