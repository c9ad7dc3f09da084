"""Issue 13's table as tests: every command, given what a hostile or careless user would give it,
exits 2 with exactly one line on standard error and nothing on standard output, within 3 s of
CPU and 500 MB of memory. One or more rows per class of the issue's table; the reader's own
classes (regex backtracking, output amplification) are at the end."""

from __future__ import annotations

import functools
import json
import os
import shutil
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.hardening.conftest import Run, assert_bounded, assert_refused, run_tohip

pytestmark = pytest.mark.slow

EXAMPLE = REPO / "examples" / "toh_middle_aged_man.json"  # onset 2025-09-20
GOOD = json.loads(EXAMPLE.read_text())
NOTE = "Left hip pain for 6 weeks, worse on walking. MRI: diffuse marrow oedema of the head.\n"
DB = "sqlite:///registry.sqlite3"
PARALLEL_RUNS = 3


def _case(**changes: object) -> str:
    """The example case with top-level sections replaced or merged."""
    case = json.loads(json.dumps(GOOD))
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(case.get(key), dict):
            case[key].update(value)
        else:
            case[key] = value
    return json.dumps(case)


@functools.cache
def _gzip_bomb() -> bytes:
    """About 300 kB of gzip that expands to 300 MB of zeros (over the 256 MB backup limit)."""
    block = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    return b"".join(block.compress(zeros) for _ in range(300)) + block.flush()


def make_inputs(folder: Path) -> None:
    """Every hostile input the table names, in the test's own folder."""
    files = {
        "good.json": EXAMPLE.read_text(),
        "note.txt": NOTE,
        "deep.json": "[" * 2000 + "]" * 2000,
        "deep_visit.json": '{"pain": ' + "[" * 2000 + "]" * 2000 + "}",
        "unit_number.json": _case(labs={"crp": {"value": 3, "unit": 5}}),
        "unit_bool.json": _case(labs={"crp": {"value": 3, "unit": True}}),
        "digits400.json": '{"patient": {"age": 1' + "0" * 400 + "}}",
        "nan.json": '{"labs": {"crp": NaN}}',
        "infinity.json": '{"labs": {"esr": -Infinity}}',
        "huge_float.json": '{"labs": {"crp": 1e999}}',
        "year9999.json": _case(symptoms={"onset_date": "9999-12-31"}, assessment_date=None),
        "year0001.json": _case(symptoms={"onset_date": "0001-01-01"}),
        "onset2099.json": _case(symptoms={"onset_date": "2099-03-01"}, assessment_date=None),
        "yes.json": _case(history={"trauma": "yes"}),
        "true_age.json": _case(patient={"age": True}),
        "dup.json": '{"patient": {"age": 40, "sex": "male", "age": 4}}',
        "trimester_true.json": '{"patient": {"sex": "female", "pregnancy": '
        '{"status": "pregnant", "trimester": true}}}',
        "visit_9999.json": '{"date": "9999-01-01", "pain": 3}',
        "visit_before_onset.json": '{"date": "2025-01-03", "pain": 2}',  # 37 weeks before onset
        "visits_unordered.json": '[{"date": "2025-12-01", "pain": 5}, '
        '{"date": "2025-11-01", "pain": 4}]',
        "visit_pain_text.json": '{"date": "2025-11-29", "pain": "7"}',
        "existing_file": "not a folder",
    }
    for name, text in files.items():
        (folder / name).write_text(text)
    for name in ("fifo.json", "fifo.txt", "fifo_visit.json", "fifo.gz", "fifo.pdf"):
        os.mkfifo(folder / name)
    for name, device in (
        ("zero.json", "/dev/zero"),
        ("zero.txt", "/dev/zero"),
        ("urandom.json", "/dev/urandom"),
        ("zero.gz", "/dev/zero"),
    ):
        (folder / name).symlink_to(device)
    (folder / "folder.json").mkdir()
    (folder / "bomb.gz").write_bytes(_gzip_bomb())
    bad_kb = folder / "bad_kb"
    shutil.copytree(REPO / "src" / "tohip" / "kb" / "data", bad_kb)
    (bad_kb / "findings.yaml").write_bytes(b"findings:\n  - id: caf\xe9\n")


@dataclass(frozen=True)
class Row:
    """One hostile attempt: the arguments and the words the one-line error must contain."""

    klass: str
    args: tuple[str, ...]
    fragment: str
    registry: bool = False  # needs an initialised registry in the folder
    left_behind: tuple[str, ...] = field(default=())  # files that must not exist afterwards


def R(klass: str, fragment: str, *args: str, **kw: object) -> Row:
    return Row(klass, args, fragment, **kw)  # type: ignore[arg-type]


LONG_NAME = "p" * 300 + ".pdf"
REG = ("registry", "--db", DB)
VISIT = ("--pain", "3", "--weight-bearing", "full")

ROWS = [
    # special files: a FIFO, a device (directly or through a symlink), a directory
    R("special", "FIFO", "assess", "fifo.json"),
    R("special", "device", "assess", "zero.json", "--format", "json"),
    R("special", "FIFO", "assess", "fifo.txt"),
    R("special", "device", "extract", "zero.txt"),
    R("special", "device", "plan", "urandom.json"),
    R("special", "FIFO", "handout", "fifo.json", "--format", "json"),
    R("special", "FIFO", "followup", "good.json", "fifo_visit.json"),
    R("special", "device", "followup", "good.json", "zero.json"),
    R("special", "directory", "assess", "folder.json"),
    R("special", "FIFO", *REG, "add", "fifo.json", registry=True),
    R("special", "FIFO", *REG, "restore", "fifo.gz"),
    R("special", "device", *REG, "restore", "zero.gz"),
    # structure: depth, types, number size, non-numbers
    R("structure", "nested", "assess", "deep.json"),
    R("structure", "nested", "followup", "good.json", "deep_visit.json"),
    R("structure", "unit", "assess", "unit_number.json"),
    R("structure", "unit", "plan", "unit_bool.json"),
    R("structure", "digits", "assess", "digits400.json", "--format", "json"),
    R("structure", "NaN", "handout", "nan.json"),
    R("structure", "Infinity", "assess", "infinity.json"),
    R("structure", "too large", "plan", "huge_float.json"),
    R("structure", "expands to more than", *REG, "restore", "bomb.gz"),
    # dates far outside a clinical record
    R("dates", "in the future", "plan", "year9999.json"),
    R("dates", "before 1900", "handout", "year0001.json", "--format", "json"),
    R("dates", "in the future", "followup", "good.json", "visit_9999.json"),
    R("dates", "before 1900", "assess", "note.txt", "--note-date", "0001-01-15"),
    R("dates", "in the future", "extract", "note.txt", "--note-date", "9999-01-01"),
    R("dates", "1900", *REG, "add", "good.json", "--onset", "0001-01-01", registry=True),
    R("dates", "future", *REG, "visit", "1", "--date", "9999-01-01", *VISIT, registry=True),
    # output files: read-only folder, over-long name, missing folder, devices, FIFOs, folders
    R("output", "cannot be written", "handout", "good.json", "--pdf", "/sys/x.pdf"),
    R("output", "longer than 255 bytes", "handout", "good.json", "--pdf", LONG_NAME),
    R(
        "output",
        "does not exist",
        "handout",
        "good.json",
        "--html",
        "ok.html",
        "--pdf",
        "missing/x.pdf",
        left_behind=("ok.html",),
    ),
    R("output", "not a regular file", "handout", "good.json", "--pdf", "/dev/full"),
    R("output", "not a regular file", "handout", "good.json", "--pdf", "fifo.pdf"),
    R("output", "directory", "handout", "good.json", "--html", "folder.json"),
    R("output", "does not exist", "kb", "export", "-o", "missing/x.md"),
    R("output", "not a regular file", "kb", "export", "-o", "/dev/full"),
    R("output", "not a regular file", *REG, "backup", "/dev/full", registry=True),
    R("output", "does not exist", *REG, "backup", "missing/b.jsonl.gz", registry=True),
    R("output", "not a folder", *REG, "export", "existing_file", registry=True),
    # plumbing
    R("plumbing", "not a folder", "kb", "check", "good.json"),
    R("plumbing", "not UTF-8", "kb", "check", "bad_kb"),
    # usage errors: one line in the same style, not a box
    R("usage", "xml", "assess", "good.json", "--format", "xml"),
    R("usage", "missing argument", "assess"),
    R("usage", "no such option", "plan", "good.json", "--bogus"),
    R("usage", "missing argument", "followup", "good.json"),
    R("usage", "invalid value", "schema", "nonsense"),
    R("usage", "does not match", *REG, "visit", "1", "--date", "2025-13-01", *VISIT),
    R("usage", "invalid value", *REG, "synthetic", "0"),
    R("usage", "invalid value", *REG, "list", "--limit", "0"),
    R("usage", "png or svg", *REG, "stats", "--plot-format", "gif", registry=True),
    R("usage", "no patient", *REG, "show", "TH-XXXX-XXXX", registry=True),
    R(
        "usage",
        "unknown diagnosis",
        *REG,
        "outcome",
        "1",
        "--diagnosis",
        "toh",
        "--confirmed-by",
        "imaging",
        registry=True,
    ),
    # accepted silently before
    R("silent", "in the future", "assess", "onset2099.json"),
    R("silent", "before the onset", "followup", "good.json", "visit_before_onset.json"),
    R("silent", "date order", "followup", "good.json", "visits_unordered.json"),
    R("silent", "valid boolean", "assess", "yes.json"),
    R("silent", "valid number", "assess", "true_age.json"),
    R("silent", "trimester", "assess", "trimester_true.json"),
    R("silent", "valid number", "followup", "good.json", "visit_pain_text.json"),
    R("silent", "duplicate key", "plan", "dup.json"),
]


@pytest.fixture(scope="module")
def registry_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An initialised SQLite registry holding one patient, copied into tests that need one."""
    folder = tmp_path_factory.mktemp("registry")
    for args in (("init",), ("add", str(EXAMPLE))):
        run = run_tohip(*REG, *args, cwd=folder)
        assert run.code == 0, run.stderr
    return folder / "registry.sqlite3"


def _row_id(row: Row) -> str:
    words = [a for a in row.args if a not in REG and not a.startswith("-")][:3]
    return f"{row.klass}-{'-'.join(words)}"[:60]


@dataclass(frozen=True)
class Outcome:
    run: Run
    new_files: set[str]
    folder: Path


def _attempt(row: Row, folder: Path, registry: Path) -> Outcome:
    folder.mkdir()
    make_inputs(folder)
    if row.registry:
        shutil.copy(registry, folder / "registry.sqlite3")
    before = set(os.listdir(folder))
    result = run_tohip(*row.args, cwd=folder)
    return Outcome(result, set(os.listdir(folder)) - before, folder)


@pytest.fixture(scope="module")
def outcomes(
    registry_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[Row, Outcome]:
    """Every row run once, a few at a time: each child's CPU time and memory are its own
    (os.wait4), so running them side by side does not change what is measured."""
    root = tmp_path_factory.mktemp("hostile")
    with ThreadPoolExecutor(max_workers=PARALLEL_RUNS) as pool:
        futures = {
            row: pool.submit(_attempt, row, root / f"row{i}", registry_template)
            for i, row in enumerate(ROWS)
        }
        return {row: future.result() for row, future in futures.items()}


@pytest.mark.parametrize("row", ROWS, ids=[_row_id(r) for r in ROWS])
def test_hostile_input_keeps_the_promise(row: Row, outcomes: dict[Row, Outcome]) -> None:
    outcome = outcomes[row]
    assert_refused(outcome.run, row.fragment)
    assert outcome.new_files <= {"registry.sqlite3"}, f"left behind: {outcome.new_files}"
    for name in row.left_behind:
        assert not (outcome.folder / name).exists()


def test_every_command_has_a_hostile_row() -> None:
    """The table covers every command and subcommand (a new command needs its rows)."""
    commands = {
        "assess",
        "extract",
        "plan",
        "handout",
        "followup",
        "schema",
        "kb check",
        "kb export",
        "registry add",
        "registry visit",
        "registry outcome",
        "registry show",
        "registry list",
        "registry stats",
        "registry export",
        "registry backup",
        "registry restore",
        "registry synthetic",
    }
    covered = set()
    for row in ROWS:
        args = [a for a in row.args if a not in ("--db", DB)]
        covered.add(" ".join(args[:2]) if args[0] in ("kb", "registry") else args[0])
    assert commands <= covered, commands - covered
    assert {r.klass for r in ROWS} >= {
        "special",
        "structure",
        "dates",
        "output",
        "plumbing",
        "usage",
        "silent",
    }


# --- plumbing: the streams themselves


def test_closed_stdin_is_one_line(tohip: Callable[..., Run]) -> None:
    assert_refused(tohip("assess", "-", close_in_child=(0,)), "standard input is closed")


def test_closed_stdout_is_one_line(tohip: Callable[..., Run]) -> None:
    assert_refused(tohip("schema", close_in_child=(1,)), "standard output is closed")


def test_stdout_to_a_full_device_is_one_line(tohip: Callable[..., Run]) -> None:
    with open("/dev/full", "wb") as full:
        for args in (("schema",), ("kb", "export"), ("assess", str(EXAMPLE))):
            result = tohip(*args, stdout=full.fileno())
            assert result.code == 2 and len(result.lines()) == 1, result.stderr
            assert "No space left on device" in result.stderr
            assert_bounded(result)


def test_stdout_to_a_closed_pipe_is_one_line(tohip: Callable[..., Run]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = tohip("kb", "export", stdout=write_end)
    finally:
        os.close(write_end)
    assert result.code == 2 and result.lines() == [
        "tohip: error: cannot write to standard output (the reader closed the pipe)"
    ]


# --- the reader's classes (regex backtracking, output amplification), fixed in src/tohip/text.
# A run is killed after READER_WALL_SECONDS, so a regression cannot stall the suite.

READER_WALL_SECONDS = 12.0
# bytes of JSON: proportional to the findings (evidence items), not to the note's length
READER_OUTPUT_FIXED = 20_000
READER_OUTPUT_PER_ITEM = 1_000
_WORDS = ("hip", "pain", "left", "groin", "walking", "worse", "marrow", "oedema", "no", "fever")
READER_ROWS = {
    "regex-digit-run": "1" * 49_990,
    "regex-unpunctuated": " ".join(_WORDS[i % 7 * 3 % 10] for i in range(9_000))[:49_990],
    "amplification-list": "- left hip pain worse on walking\n" * 1_500,
}


@pytest.fixture(scope="module")
def small_note_cpu(tmp_path_factory: pytest.TempPathFactory) -> float:
    """CPU seconds for a 1,000-character note: loading the reader is most of it."""
    folder = tmp_path_factory.mktemp("small_note")
    (folder / "small.txt").write_text((NOTE * 12)[:1000])
    run = run_tohip("assess", "small.txt", "--format", "json", cwd=folder)
    assert run.code == 0, run.stderr
    return run.cpu_seconds


@pytest.mark.parametrize("name", sorted(READER_ROWS))
def test_a_hostile_note_is_read_within_bounds(
    name: str, tmp_path: Path, small_note_cpu: float
) -> None:
    (tmp_path / "note.txt").write_text(READER_ROWS[name])
    run = run_tohip(
        "assess", "note.txt", "--format", "json", cwd=tmp_path, timeout=READER_WALL_SECONDS
    )
    assert not run.timed_out and run.code == 0, run.stderr[-500:]
    assert run.cpu_seconds - small_note_cpu < 3.0, f"{run.cpu_seconds:.1f} s of CPU"
    assert run.max_rss_bytes < 500 * 1024 * 1024
    items = len(json.loads(run.stdout)["extraction"]["evidence"])
    assert len(run.stdout) < READER_OUTPUT_FIXED + READER_OUTPUT_PER_ITEM * items
