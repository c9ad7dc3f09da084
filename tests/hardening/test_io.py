"""The reading and writing layer (tohip.io) on its own: each bound, in process."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tohip.errors import InputError
from tohip.io import Output, gunzip_bounded, parse_json, read_file_bytes, write_outputs
from tohip.io.messages import one_line


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 21 + "]" * 21, "nested more than 20"),
        ('{"a": 1, "a": 2}', "duplicate key"),
        ('{"a": ' + "9" * 16 + "}", "more than 15 digits"),
        ('{"a": 1.' + "0" * 30 + "}", "longer than 24"),
        ('{"a": 1e400}', "too large"),
        ('{"a": NaN}', "NaN"),
        ('{"a": -Infinity}', "-Infinity"),
        ("   ", "empty"),
        ('{"a": }', "not valid JSON (line 1"),
    ],
)
def test_json_refused(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        parse_json(text, "input")


def test_brackets_and_escaped_quotes_in_strings_do_not_count_as_depth() -> None:
    text = '{"note": "[[[[[[[[[[[[[[[[[[[[[[[[ \\" [[[[ \\\\", "x": [[1]]}'
    assert parse_json(text, "input") == {"note": "[" * 24 + ' " [[[[ \\', "x": [[1]]}


def test_the_depth_check_is_linear() -> None:
    text = '["' + "\\\\" * 400_000 + '"]'
    started = time.perf_counter()
    parse_json(text, "input")
    assert time.perf_counter() - started < 2


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "f.json")
    with pytest.raises(InputError, match="FIFO"):
        read_file_bytes(tmp_path / "f.json", limit=100, kind="case")


def test_a_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    (tmp_path / "z.json").symlink_to("/dev/zero")
    with pytest.raises(InputError, match="device"):
        read_file_bytes(tmp_path / "z.json", limit=100, kind="case")


def test_reading_stops_at_the_limit(tmp_path: Path) -> None:
    (tmp_path / "big").write_bytes(b"x" * 1000)
    with pytest.raises(InputError, match="too large"):
        read_file_bytes(tmp_path / "big", limit=999, kind="note")
    assert read_file_bytes(tmp_path / "big", limit=1000, kind="note") == b"x" * 1000


def test_gzip_expansion_is_bounded() -> None:
    import gzip

    with pytest.raises(InputError, match="expands to more than"):
        gunzip_bounded(gzip.compress(bytes(10_000)), limit=9_999, origin="b.gz")
    with pytest.raises(InputError, match="not gzip"):
        gunzip_bounded(b"plain text", limit=100, origin="b.gz")
    assert gunzip_bounded(gzip.compress(b"abc"), limit=3, origin="b.gz") == b"abc"


def test_outputs_are_all_or_nothing(tmp_path: Path) -> None:
    first = tmp_path / "first.html"
    with pytest.raises(InputError, match="does not exist"):
        write_outputs([Output(first, b"a"), Output(tmp_path / "no" / "second.pdf", b"b")])
    assert os.listdir(tmp_path) == []
    write_outputs([Output(first, b"a"), Output(tmp_path / "second.pdf", b"b")])
    assert sorted(os.listdir(tmp_path)) == ["first.html", "second.pdf"]


def test_the_same_file_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="same file"):
        write_outputs([Output(tmp_path / "a", b"1"), Output(tmp_path / "." / "a", b"2")])


def test_messages_stay_on_one_line() -> None:
    line = one_line("bad\nname\x1b[31m.json: " + "x" * 1000)
    assert "\n" not in line and "\x1b" not in line and "\\x1b" in line and len(line) <= 600


def test_the_io_layer_imports_nothing_from_tohip_but_errors() -> None:
    """Low level on purpose: case, plan, registry, CLI and web all build on it."""
    import ast

    from tests.conftest import REPO

    for module in (REPO / "src" / "tohip" / "io").glob("*.py"):
        tree = ast.parse(module.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tohip"):
                assert node.module in ("tohip.errors",) or node.module.startswith("tohip.io"), (
                    f"{module.name} imports {node.module}"
                )
