"""The patient handout: plain language (measured), personalised, and a PDF that renders."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from benchmarks.devset import load_devset

from tests.plan.conftest import patched, plan_for
from tohip.case.schema import Case
from tohip.handout.content import Handout, build_handout
from tohip.handout.readability import TARGET_GRADE, reading_scores
from tohip.handout.render import handout_html, handout_pdf


def sheet(case: Case) -> Handout:
    return build_handout(case, plan_for(case))


@pytest.mark.parametrize("dev", load_devset(), ids=lambda d: d.id)
def test_reading_grade_at_most_8_for_every_dev_case(dev) -> None:  # type: ignore[no-untyped-def]
    handout = sheet(dev.case)
    assert handout.reading.grade <= TARGET_GRADE, handout.plain_text()


def test_reading_scores_tell_hard_text_from_easy() -> None:
    hard = reading_scores(
        "Transient osteoporosis constitutes a self-limiting idiopathic condition characterised "
        "by periarticular demineralisation and intraosseous oedema necessitating multidisciplinary "
        "evaluation, exclusion of osteonecrosis, and individualised pharmacological management."
    )
    assert hard.grade > TARGET_GRADE


def test_personalised_side_condition_and_advice() -> None:
    handout = sheet(patched({}))  # left-sided TOH in a man
    text = handout.plain_text()
    assert handout.title == "About your left hip"
    assert "weak and swollen" in text and "crutches" in text
    assert "6 to 12 months" in text
    assert "pregnan" not in text.lower()
    assert handout.timeline_svg and "You are here" in handout.timeline_svg


def test_pregnancy_handout_warns_against_nsaids_and_mentions_the_birth() -> None:
    case = patched(
        {
            "patient": {
                "age": 30,
                "sex": "female",
                "pregnancy": {"status": "pregnant", "gestational_weeks": 33},
            }
        }
    )
    handout = sheet(case)
    text = handout.plain_text()
    assert "Do not take anti-inflammatory painkillers" in text
    assert "after your baby is born" in text
    assert "Baby due" in (handout.timeline_svg or "")
    assert "anti-inflammatory painkiller for a short time" not in text


def test_html_escapes_case_text() -> None:
    case = patched({}).model_copy(update={"id": "<script>alert(1)</script>"})
    html = handout_html(sheet(case), case.assessment_date)  # type: ignore[arg-type]
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<svg" in html


def test_pdf_renders_to_pages_a_patient_can_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    case = patched({})
    pdf_bytes = handout_pdf(sheet(case), case.assessment_date)  # type: ignore[arg-type]
    assert pdf_bytes.startswith(b"%PDF")
    document = pdfium.PdfDocument(pdf_bytes)
    assert 1 <= len(document) <= 3
    text = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "About your left hip" in text
    assert "emergency department" in text
    image = document[0].render(scale=1).to_pil().convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 2000  # real text on the page, not a blank sheet
    image.save(tmp_path / "page1.png")
