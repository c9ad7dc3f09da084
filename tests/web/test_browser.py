"""The workbench in a real browser (Debian's Chromium through Playwright): paste a note,
correct a misread finding, watch the differential move, open the plan, download the handout.

It needs Debian's Chromium at /usr/bin/chromium. Where that is missing the test is skipped, as
the PostgreSQL tests are, so the README's test command works on a fresh machine; in CI
(TOHIP_REQUIRE_BROWSER=1, set by .ci/run, which installs Chromium) a missing Chromium fails it.
TOHIP_SKIP_BROWSER=1 skips it anywhere. Screenshots go to a temporary folder, or to the folder
named by TOHIP_SCREENSHOTS; the ones in docs/screenshots/ were made with
``TOHIP_SCREENSHOTS=docs/screenshots python -m pytest tests/web/test_browser.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
LAPTOP = {"width": 1366, "height": 768}
EXAMPLE = REPO / "src" / "tohip" / "web" / "examples" / "middle_aged_man_marrow_oedema.txt"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if os.environ.get("TOHIP_SKIP_BROWSER") == "1":
        pytest.skip("TOHIP_SKIP_BROWSER=1")
    if not CHROMIUM.exists():
        missing = "Chromium is missing: apt-get install -y chromium (.ci/run installs it)"
        if os.environ.get("TOHIP_REQUIRE_BROWSER") == "1":
            pytest.fail(missing)
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


def _top(page) -> tuple[str, float]:  # type: ignore[no-untyped-def]
    row = page.locator("#differential .dx-row").first
    condition = row.get_attribute("data-condition")
    return condition, float(row.locator(".pct").inner_text().rstrip("%"))


def _probability(page, condition: str) -> float:  # type: ignore[no-untyped-def]
    row = page.locator(f'#differential .dx-row[data-condition="{condition}"]')
    return float(row.locator(".pct").inner_text().rstrip("%"))


def test_note_to_handout_in_the_browser(browser, live_server: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shots = Path(os.environ.get("TOHIP_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server + "/")
    page.get_by_label("Paste a clinical note").fill(EXAMPLE.read_text())
    page.screenshot(path=str(shots / "1-start.png"))
    page.get_by_role("button", name="Read the note").click()
    page.wait_for_selector("#differential")

    # the differential is on screen at 1366x768 without scrolling
    box = page.locator("#differential").bounding_box()
    assert box is not None and box["y"] + box["height"] <= LAPTOP["height"]
    condition, _ = _top(page)
    assert condition == "transient_osteoporosis"
    # the note is shown with evidence spans, told apart by label as well as colour
    assert page.locator("mark.ev-used").count() > 5
    assert page.locator("mark.ev-negated .ev-tag").first.inner_text() == "negated"
    page.locator("mark.ev").first.focus()
    assert page.locator("mark.ev").first.locator(".tip").is_visible()
    page.screenshot(path=str(shots / "2-workbench.png"))

    # the plan for the note as read: transient osteoporosis, with its course and timeline
    page.get_by_role("button", name="Care plan").click()
    page.wait_for_selector("h1:has-text('Care plan')")
    assert page.locator(".timeline svg").is_visible()
    page.screenshot(path=str(shots / "2b-plan-as-read.png"), full_page=True)
    page.get_by_role("button", name="Workbench").click()
    page.wait_for_selector("#differential")

    # correct a misread finding: the note says fever is absent; the clinician finds 39 C and
    # a hot, swollen hip. The differential moves at once (no reload).
    septic_before = _probability(page, "septic_arthritis")
    page.locator("#group-exam").evaluate("d => d.open = true")
    warm = page.locator("#f-exam-warmth_swelling_or_redness-yes")
    warm.check()
    page.wait_for_function(
        "before => { const r = document.querySelector("
        "'#differential .dx-row[data-condition=\"septic_arthritis\"] .pct');"
        " return r && parseFloat(r.textContent) !== before; }",
        arg=septic_before,
    )
    page.locator("#group-labs").evaluate("d => d.open = true")
    # the note gave no temperature ("afebrile" is symptoms.fever), so the field is an unknown
    # one, under "Add a finding"
    page.locator("#more-labs").evaluate("d => d.open = true")
    temperature = page.locator("#f-labs-temperature")
    temperature.fill("39.2")
    temperature.press("Tab")
    page.wait_for_selector("#f-labs-temperature ~ .badge.entered", timeout=15_000)
    assert _probability(page, "septic_arthritis") > septic_before
    assert page.locator(".flags").is_visible()  # a red flag, prominent
    page.screenshot(path=str(shots / "3-corrected.png"))

    # the care plan
    page.get_by_role("button", name="Care plan").click()
    page.wait_for_selector("h1:has-text('Care plan')")
    assert page.get_by_role("heading", name="Do now").is_visible()
    assert page.get_by_role("heading", name="Left out, and why").is_visible()
    page.screenshot(path=str(shots / "4-plan.png"), full_page=True)

    # the handout preview, and its PDF
    page.get_by_role("button", name="Handout").click()
    page.wait_for_selector("#download-pdf")
    page.screenshot(path=str(shots / "5-handout.png"))
    with page.expect_download() as download_info:
        page.locator("#download-pdf").click()
    saved = tmp_path / "handout.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    # the follow-up visit form
    page.get_by_role("button", name="Follow-up visit").click()
    page.get_by_label("weeks after onset").fill("10")
    page.locator('select[name="v.pain_trend"]').select_option("better")
    page.get_by_role("button", name="Judge the visit").click()
    page.wait_for_selector(".status")
    page.screenshot(path=str(shots / "6-followup.png"))
    assert errors == [], errors  # no CSP violation or script error in the console
    context.close()


def test_the_keyboard_alone_drives_the_workbench(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Tab")  # the note box is the first control
    assert page.evaluate("document.activeElement.id") == "note_text"
    page.keyboard.type(EXAMPLE.read_text())
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Read the note"
    page.wait_for_selector("#differential")
    # a read value changed with the arrow keys: the differential updates and focus stays put
    before = _probability(page, "osteonecrosis")
    radio = page.locator("#f-imaging-mri-necrotic_segment-no")
    if not radio.is_visible():  # not read from the note: it is under "Add a finding"
        page.locator("#more-imaging-mri > summary").focus()
        page.keyboard.press("Enter")
    radio.focus()
    page.keyboard.press("ArrowLeft")  # the previous choice in the group: "yes"
    page.wait_for_function(
        "before => { const r = document.querySelector("
        "'#differential .dx-row[data-condition=\"osteonecrosis\"] .pct');"
        " return r && parseFloat(r.textContent) !== before; }",
        arg=before,
    )
    assert _probability(page, "osteonecrosis") > before
    assert page.evaluate("document.activeElement.id") == "f-imaging-mri-necrotic_segment-yes"
    assert "Differential updated" in page.locator("#live").inner_text()
    context.close()
