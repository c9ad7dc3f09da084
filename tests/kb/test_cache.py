"""The on-disk cache of the validated knowledge base and text rules: never stale, never fatal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tohip.errors import KnowledgeBaseError
from tohip.kb import cache
from tohip.kb.loader import KnowledgeBase, read_knowledge_base
from tohip.text.rules import TextRules, load_text_rules, read_text_rules


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


def _never() -> KnowledgeBase:
    raise AssertionError("built again although an entry for these files exists")


def _build(where: Path) -> KnowledgeBase:
    kb, problems = read_knowledge_base(where)
    assert kb is not None and not [p for p in problems if p.severity == "error"]
    return kb


def test_second_process_reads_the_entry_and_gets_an_equal_knowledge_base(
    cache_dir: Path, kb_copy: Path
) -> None:
    built = cache.cached("kb", kb_copy, KnowledgeBase, lambda: _build(kb_copy))
    assert len(list(cache_dir.glob("kb-*.pickle"))) == 1
    loaded = cache.cached("kb", kb_copy, KnowledgeBase, _never)
    assert loaded is not built
    assert loaded.manifest == built.manifest
    assert loaded.findings == built.findings
    assert loaded.conditions == built.conditions
    assert loaded.statements == built.statements


def test_text_rules_from_the_cache_equal_those_read_from_yaml(
    cache_dir: Path, kb_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_text_rules(kb_copy)
    monkeypatch.setattr("tohip.text.rules.read_text_rules", _never)
    from_disk = load_text_rules(kb_copy)
    assert isinstance(from_disk, TextRules)
    assert from_disk == read_text_rules(kb_copy)


def test_an_edited_data_file_is_read_again_not_taken_from_the_cache(
    cache_dir: Path, kb_copy: Path
) -> None:
    first = cache.cached("kb", kb_copy, KnowledgeBase, lambda: _build(kb_copy))
    manifest = kb_copy / "manifest.yaml"
    text = manifest.read_text("utf-8")
    manifest.write_text(text.replace(first.version, "2099.1.0"), "utf-8")
    second = cache.cached("kb", kb_copy, KnowledgeBase, lambda: _build(kb_copy))
    assert second.version == "2099.1.0" != first.version


def test_a_knowledge_base_with_errors_is_reported_every_time(
    cache_dir: Path, kb_copy: Path
) -> None:
    (kb_copy / "findings.yaml").write_text("findings: 3\n", "utf-8")
    from tohip.kb.loader import load_knowledge_base

    for _ in range(2):
        load_knowledge_base.cache_clear()
        with pytest.raises(KnowledgeBaseError):
            load_knowledge_base(str(kb_copy))
    assert not list(cache_dir.glob("*.pickle"))


def test_an_unwritable_cache_folder_is_ignored(
    tmp_path: Path, kb_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))
    kb = cache.cached("kb", kb_copy, KnowledgeBase, lambda: _build(kb_copy))
    assert kb.findings


def test_a_damaged_entry_is_rebuilt(cache_dir: Path, kb_copy: Path) -> None:
    cache.cached("kb", kb_copy, KnowledgeBase, lambda: _build(kb_copy))
    (entry,) = cache_dir.glob("kb-*.pickle")
    entry.write_bytes(entry.read_bytes()[:100])
    calls = []

    def build() -> KnowledgeBase:
        calls.append(1)
        return _build(kb_copy)

    assert cache.cached("kb", kb_copy, KnowledgeBase, build).findings
    assert calls == [1]


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_an_entry_others_may_write_is_not_trusted(cache_dir: Path, kb_copy: Path) -> None:
    cache.cached("kb", kb_copy, KnowledgeBase, lambda: _build(kb_copy))
    (entry,) = cache_dir.glob("kb-*.pickle")
    entry.chmod(0o666)
    calls = []

    def build() -> KnowledgeBase:
        calls.append(1)
        return _build(kb_copy)

    cache.cached("kb", kb_copy, KnowledgeBase, build)
    assert calls == [1]


def test_cache_off_writes_nothing(
    tmp_path: Path, kb_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    assert cache.cache_directory() is None
    assert cache.cached("kb", kb_copy, KnowledgeBase, lambda: _build(kb_copy)).findings
    assert not list(tmp_path.rglob("*.pickle"))


@pytest.mark.slow
def test_a_knowledge_base_from_the_cache_builds_no_validators(cache_dir: Path) -> None:
    """Loaded from the cache, the knowledge base's models never need their validators, which
    are deferred (``defer_build``): a fresh interpreter builds none of them."""
    import json
    import subprocess
    import sys

    code = (
        "import json; from tohip.kb import schema; from tohip.kb.loader import load_knowledge_base;"
        "load_knowledge_base(); print(json.dumps(sorted(n for n, m in vars(schema).items()"
        " if isinstance(m, type) and issubclass(m, schema.BaseModel) and m.__pydantic_complete__)))"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert json.loads(runs[0].stdout)  # the first run validated the YAML, building validators
    assert json.loads(runs[1].stdout) == []


def test_old_entries_of_a_kind_are_pruned(cache_dir: Path, kb_copy: Path) -> None:
    cache_dir.mkdir()
    for n in range(cache.KEEP + 3):
        stale = cache_dir / f"kb-{n:064d}.pickle"
        stale.write_bytes(b"old")
        os.utime(stale, ns=(n * 10**9, n * 10**9))
    other = cache_dir / "text-rules-old.pickle"
    other.write_bytes(b"another kind")
    cache.cached("kb", kb_copy, KnowledgeBase, lambda: _build(kb_copy))
    kept = sorted(e.name for e in cache_dir.glob("kb-*.pickle"))
    assert len(kept) == cache.KEEP
    assert f"kb-{0:064d}.pickle" not in kept  # the oldest went first
    assert other.exists()
