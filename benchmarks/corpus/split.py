"""Split the independent corpus into train, dev and a frozen test split, by source.

Run once, when the notes were written and before any reader rule was changed for them:

    python -m benchmarks.corpus.split

Every note written from the same published case (same DOI, PMID or URL) lands in the same split,
so no patient is seen in training and scored in test. Within each condition the sources are
ordered by a hash of their key and dealt out until the test and dev splits each hold about a
quarter of that condition's notes; the rest are train. The test split is then frozen: it is
scored only at release (``python -m benchmarks.run_corpus --split test``).
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
RAW = HERE / "raw"
SHARES = {"test": 0.25, "dev": 0.25}


def _keys(source: dict[str, Any]) -> list[str]:
    keys = []
    for field in ("doi", "pmid", "url"):
        value = str(source.get(field) or "").strip().lower()
        if value:
            bare = re.sub(r"^https?://(www\.)?", "", value).rstrip("/")
            keys.append(f"{field}:{bare}")
    if not keys:
        keys.append("citation:" + re.sub(r"\W+", " ", str(source.get("citation", ""))).strip())
    return keys


def _source_groups(notes: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Notes grouped by source; two notes sharing any DOI, PMID or URL share a group."""
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        while parent.setdefault(k, k) != k:
            k = parent[k]
        return k

    for n in notes:
        keys = _keys(n["source"])
        for k in keys[1:]:
            parent[find(k)] = find(keys[0])
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n in notes:
        groups[find(_keys(n["source"])[0])].append(n)
    return groups


def split(notes: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    by_condition: dict[str, list[tuple[str, list[dict[str, Any]]]]] = defaultdict(list)
    for key, group in _source_groups(notes).items():
        condition = Counter(n["condition"] for n in group).most_common(1)[0][0]
        by_condition[condition].append((key, group))
    out: dict[str, list[dict[str, Any]]] = {"train": [], "dev": [], "test": []}
    for condition in sorted(by_condition):
        groups = sorted(
            by_condition[condition], key=lambda kg: hashlib.sha256(kg[0].encode()).hexdigest()
        )
        total = sum(len(g) for _, g in groups)
        for _key, group in groups:
            for name, share in SHARES.items():
                if (
                    len(out[name])
                    and sum(1 for n in out[name] if n["condition"] == condition) >= share * total
                ):
                    continue
                out[name] += group
                break
            else:
                out["train"] += group
    return out


def main() -> None:
    notes = []
    for path in sorted(RAW.glob("*.yaml")):
        notes += yaml.safe_load(path.read_text("utf-8"))["notes"]
    ids = [n["id"] for n in notes]
    if len(ids) != len(set(ids)):
        sys.exit("duplicate note ids")
    parts = split(notes)
    for name, part in parts.items():
        part.sort(key=lambda n: n["id"])
        header = (
            f"# tohip independent corpus, {name} split ({len(part)} notes). Written from\n"
            "# published case reports by writers who had not seen the reader; each note cites\n"
            "# its source.\n"
            "# `condition` is the final diagnosis the source reached; `gold` (added separately)\n"
            "# is the structured case annotated from the note's text alone.\n"
        )
        if name == "test":
            header += "# FROZEN: not read while writing rules; scored only at release.\n"
        body = yaml.safe_dump({"notes": part}, sort_keys=False, allow_unicode=True, width=100)
        (HERE / f"{name}.yaml").write_text(header + body, "utf-8")
        counts = Counter(n["condition"] for n in part)
        sources = len(_source_groups(part))
        print(f"{name}: {len(part)} notes, {sources} sources, {dict(sorted(counts.items()))}")
    print(f"all: {len(notes)} notes, {len(_source_groups(notes))} distinct sources")


if __name__ == "__main__":
    main()
