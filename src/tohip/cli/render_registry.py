"""Rich rendering of registry records and reports for people."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tohip.registry.schemas import PatientPublic


def render_patient(record: PatientPublic, console: Console) -> None:
    flag = " [bold red]SYNTHETIC[/]" if record.synthetic else ""
    console.print(f"[bold]{escape(record.pseudonym)}[/]  sex {escape(record.sex or '-')}{flag}")
    if record.identifiers is not None:
        ident = record.identifiers
        console.print(
            escape(
                f"  identifiers: {ident.full_name or '-'}, MRN {ident.mrn or '-'}, "
                f"born {ident.date_of_birth or '-'}"
            )
        )
    for ep in record.episodes:
        age = ep.age_at_onset if ep.age_at_onset is not None else "-"
        details = escape(
            f"(version {ep.version}): {ep.side} {ep.joint}, onset {ep.onset_date}, age {age}"
            f"{', pregnancy-associated' if ep.pregnancy_associated else ''}, {ep.treatment}"
        )
        console.print(f"\n[bold]episode {ep.id}[/] {details}")
        for a in ep.assessments:
            console.print(
                escape(
                    f"  assessed {a.assessed_at:%Y-%m-%d} ({a.input_kind}): "
                    f"{a.top_condition} {a.top_probability:.0%}  "
                )
                + f"[dim]{escape(f'KB {a.kb_version}, tohip {a.tool_version}')}[/]"
            )
        if ep.visits:
            table = Table("date", "pain", "weight bearing", "imaging", box=None)
            for v in ep.visits:
                table.add_row(
                    str(v.visit_date),
                    str(v.pain_score),
                    escape(v.weight_bearing),
                    escape(f"{v.imaging_modality}: {v.imaging_result}"),
                )
            console.print(table)
        if ep.outcome:
            o = ep.outcome
            recur = (
                f", recurred {o.recurrence_date} ({o.recurrence_site})" if o.recurrence_date else ""
            )
            console.print(
                escape(
                    f"  outcome: {o.final_diagnosis} ({o.confirmed_by}), resolved "
                    f"{o.resolution_date or 'not yet'}{recur}"
                )
            )
        else:
            console.print("  outcome: open")


def render_stats(report: dict[str, Any], console: Console) -> None:
    km, rec, cal = report["kaplan_meier"], report["recurrence"], report["calibration"]
    if km["synthetic"] or cal["synthetic"]:
        console.print("[bold red]SYNTHETIC DATA included[/]")
    console.print(
        f"[bold]Time to resolution[/] of transient osteoporosis: {km['episodes']} "
        f"episodes ({km['excluded_no_follow_up']} without follow-up)"
    )
    for name, comp in km["comparisons"].items():
        p = comp["logrank_p"]
        table = Table(
            f"by {name}",
            "n",
            "resolved",
            "median weeks",
            title=None if p is None else f"log-rank p = {p:.3g}",
        )
        for label, g in comp["groups"].items():
            table.add_row(label, str(g["n"]), str(g["resolved"]), str(g["median_weeks"] or "-"))
        console.print(table)
    for what in ("recurrence", "migration"):
        r = rec[what]
        rate = (
            "-"
            if r["rate"] is None
            else f"{r['rate']:.1%} (95% CI {r['ci95'][0]:.1%}-{r['ci95'][1]:.1%})"
        )
        console.print(f"{what}: {r['k']}/{r['n']} resolved episodes, {rate}")
    console.print(
        f"\n[bold]Accuracy and calibration[/] ({cal['episodes']} episodes with an outcome): "
        f"top-1 {cal['top1_accuracy']}, Brier {cal['brier']}"
    )
    for version, d in cal["brier_by_kb_version"].items():
        console.print(f"  KB {version}: n {d['n']}, Brier {d['brier']}, top-1 {d['top1_accuracy']}")
    if cal["caveat"]:
        console.print(f"[red]{cal['caveat']}[/]")
