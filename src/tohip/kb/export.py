"""Render the knowledge base as one Markdown document a clinician can review line by line."""

from __future__ import annotations

from collections.abc import Iterable

from tohip.kb.loader import KnowledgeBase
from tohip.kb.schema import Finding, Source

SHORT = {
    "transient_osteoporosis": "TOH",
    "osteonecrosis": "ON",
    "stress_fracture": "SF",
    "subchondral_insufficiency_fracture": "SIF",
    "osteoarthritis": "OA",
    "septic_arthritis": "SA",
    "inflammatory_arthritis": "IA",
    "neoplasm": "NEO",
    "other": "OTH",
}


def _cites(sources: Iterable[Source]) -> str:
    return "; ".join(f"[{s.ref}]" + (f" {s.note}" if s.note else "") for s in sources)


def _finding_table(kb: KnowledgeBase, f: Finding) -> list[str]:
    conds = kb.condition_ids
    head = "| state | " + " | ".join(SHORT[c] for c in conds) + " |"
    rows = [head, "|---" * (len(conds) + 1) + "|"]
    for state in f.state_names:
        cells = [f"{Finding.distribution(f.likelihood[c])[state]:.3g}" for c in conds]
        rows.append(f"| {state} | " + " | ".join(cells) + " |")
    return rows


def export_markdown(kb: KnowledgeBase) -> str:
    m = kb.manifest
    out = [
        f"# {m.title}",
        "",
        f"Version {m.version} (schema {m.schema_version}).",
        "",
        f"**Population.** {' '.join(m.population.split())}",
        "",
        f"**Disclaimer.** {' '.join(m.disclaimer.split())}",
        "",
        "Abbreviations: " + ", ".join(f"{v} = {k}" for k, v in SHORT.items()) + ".",
        "",
        "## Conditions",
        "",
        f"Priors are {kb.prior_file.prior_basis.replace('_', ' ')}s: "
        f"{_cites(kb.prior_file.prior_sources)}",
        "",
    ]
    for c in kb.conditions:
        codes = ", ".join(f"ICD-10-CM {x.code} {x.display}" for x in c.codes.icd10cm)
        snomed = (
            ", ".join(f"SNOMED CT {x.code} {x.display}" for x in c.codes.snomed_ct or [])
            or "SNOMED CT not yet mapped"
        )
        out += [
            f"### {c.label} (`{c.id}`)",
            "",
            f"- Synonyms: {', '.join(c.synonyms)}",
            f"- Codes: {codes}; {snomed}",
            f"- Base prior: {c.prior:.2f}"
            + (f"; must not miss, alert at {c.alert_threshold:.0%}" if c.must_not_miss else ""),
            f"- Natural history: {' '.join(c.natural_history.summary.split())} "
            f"({_cites(c.natural_history.sources)})",
            "",
        ]
        for st in kb.statements:
            if c.id in st.conditions:
                out.append(f"- *{st.topic}*: {' '.join(st.text.split())} ({_cites(st.sources)})")
        out.append("")
    out += ["## Background statements", ""]
    out += [
        f"- {' '.join(s.text.split())} ({_cites(s.sources)})"
        for s in kb.statements
        if not s.conditions
    ]
    out += ["", "## Findings and likelihoods", "", "Each table gives P(state | condition).", ""]
    for f in kb.findings.values():
        extra = f"; group `{f.group}`, weight {f.weight:g}" if f.group else ""
        out += [
            f"### {f.label} (`{f.id}`)",
            "",
            f"Category {f.category}; read from `{f.observe.field or 'several fields'}`; "
            f"basis: {f.basis.replace('_', ' ')}{extra}.",
            "",
        ]
        out += _finding_table(kb, f)
        out += ["", f"Sources: {_cites(f.sources)}", ""]
        for w in f.time_windows:
            out.append(
                f"- Weeks {w.weeks[0]:g}-{w.weeks[1]:g} after onset: {w.note} "
                f"(overrides {', '.join(SHORT[c] for c in w.likelihood)}; {_cites(w.sources)})"
            )
        for g in f.given:
            out.append(
                f"- Given `{g.finding}` {'/'.join(g.states)}: {' '.join(g.note.split())} "
                f"(overrides {', '.join(SHORT[c] for c in g.likelihood)}; {_cites(g.sources)})"
            )
        out.append("")
    out += ["## Red flags", ""]
    for flag in kb.red_flags:
        out += [
            f"- **{flag.label}** ({flag.urgency}, {SHORT[flag.condition]}): "
            f"{' '.join(flag.action.split())} ({_cites(flag.sources)})"
        ]
    out += ["", "## Investigations", ""]
    for t in kb.investigations:
        out += [
            f"- **{t.label}**: yields {', '.join(t.yields)}; burden {t.burden:g}; "
            f"pregnancy {t.pregnancy}; lactation {t.lactation} ({_cites(t.sources)})"
        ]
    out += ["", "## References", ""]
    for r in kb.references.values():
        ident = " ".join(
            x
            for x in [
                f"doi:{r.doi}" if r.doi else "",
                f"PMID {r.pmid}" if r.pmid else "",
                r.url or "",
                f"file {r.seed_file}" if r.seed_file else "",
            ]
            if x
        )
        out.append(f"- [{r.id}] ({r.kind}) {' '.join(r.citation.split())} {ident}".rstrip())
    return "\n".join(out) + "\n"
