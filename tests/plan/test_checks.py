"""`tohip kb check` also validates the care-plan knowledge and names what is wrong."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_assess_contract import run


def test_shipped_plan_rules_are_clean() -> None:
    result = run("kb", "check")
    assert result.returncode == 0 and "care-plan rules" in result.stdout


def test_broken_plan_rules_are_reported(kb_copy: Path) -> None:
    safety = kb_copy / "plan" / "safety.yaml"
    text = safety.read_text()
    text = text.replace("sources: [{ref: fda_nsaid_2020}]", "sources: [{ref: nobody2099}]", 1)
    text = text.replace("{fact: egfr, below: 35}", "{fact: kidney_score, below: 35}", 1)
    safety.write_text(text)
    result = run("kb", "check", str(kb_copy))
    assert result.returncode == 1
    assert "unknown reference 'nobody2099'" in result.stderr
    assert "unknown fact 'kidney_score'" in result.stderr


def test_confident_requirements_are_checked(kb_copy: Path) -> None:
    management = kb_copy / "plan" / "management.yaml"
    text = management.read_text()
    assert "fact: mri_addresses_necrosis" in text
    text = text.replace("fact: mri_addresses_necrosis", "fact: mri_was_nice", 1)
    text = text.replace(
        "    osteonecrosis: {fact: diagnostic_imaging", "    avn: {fact: diagnostic_imaging", 1
    )
    management.write_text(text)
    result = run("kb", "check", str(kb_copy))
    assert result.returncode == 1
    assert "unknown fact 'mri_was_nice'" in result.stderr
    assert "unknown condition 'avn'" in result.stderr
