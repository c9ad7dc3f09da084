"""Where a finding is: the sites its sentence names, less the ones it says are spared.

"Oedema of the head and neck to the intertrochanteric line, sparing the acetabulum" names four
sites but involves three. A site counts when at least one of its mentions lies outside the reach
of a sparing cue ("sparing", "not involving", ...; the cues are ``sparing`` in targets.yaml). A
cue reaches to the end of its clause: the next comma, semicolon, full stop, "but" or "with", and
at most ``REACH`` characters.
"""

from __future__ import annotations

import bisect
import re

from tohip.text.prefilter import finditer
from tohip.text.values import word_pattern

REACH = 80
_CLAUSE_END = re.compile(r"[,;.()]|\b(?:but|with|while|whereas)\b", re.I)


def spared_spans(sentence: str, cues: tuple[str, ...]) -> list[tuple[int, int]]:
    """Character spans of the sentence that a sparing cue covers."""
    if not cues:
        return []
    spans = []
    for m in finditer(word_pattern(cues), sentence):
        stop = _CLAUSE_END.search(sentence, m.end(), min(len(sentence), m.end() + REACH))
        spans.append((m.end(), stop.start() if stop else min(len(sentence), m.end() + REACH)))
    return spans


def involved_sites(sentence: str, sites: dict[str, list[str]], cues: tuple[str, ...]) -> list[str]:
    """The sites named in ``sentence`` that are not (only) named as spared."""
    spared = spared_spans(sentence, cues)  # in order, and none overlaps the next
    starts = [s for s, _ in spared]
    out = []
    for site, words in sites.items():
        for m in finditer(word_pattern(tuple(words)), sentence):
            k = bisect.bisect_right(starts, m.start()) - 1
            if k < 0 or m.start() >= spared[k][1]:
                out.append(site)
                break
    return out
