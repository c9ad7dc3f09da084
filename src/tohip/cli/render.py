"""Human-readable rendering of an assessment with Rich (the JSON form needs none of this)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from tohip.engine.types import Assessment
from tohip.text.types import Extraction

TOP_EFFECTS = 8


def render(assessment: Assessment, console: Console) -> None:
    title = f"tohip {assessment.tool_version} · knowledge base {assessment.knowledge_base_version}"
    if assessment.case_id:
        title += f" · case {assessment.case_id}"
    table = Table(title=escape(title), title_justify="left")
    table.add_column("Condition")
    table.add_column("Probability", justify="right")
    table.add_column("Patient prior", justify="right")
    for row in assessment.differential:
        label = escape(row.label) + (" [red](must not miss)[/red]" if row.must_not_miss else "")
        table.add_row(label, f"{row.probability:.1%}", f"{row.patient_prior:.1%}")
    console.print(table)
    if assessment.low_information:
        console.print("[yellow]Low information:[/yellow] no clinical findings; this is the prior.")
    for flag in assessment.red_flags:
        style = "red" if flag.urgency == "emergency" else "yellow"
        triggers = escape(", ".join(flag.triggered_by))
        console.print(
            Panel(
                f"{escape(flag.action)}\n[dim]triggered by: {triggers}[/dim]",
                title=escape(f"{flag.urgency.upper()}: {flag.label}"),
                border_style=style,
            )
        )
    if assessment.next_investigations:
        console.print("[bold]Next investigations[/bold]")
        for test in assessment.next_investigations:
            note = f" [dim]({escape(test.note)})[/dim]" if test.note else ""
            console.print(
                f"  • {escape(test.label)}: {test.expected_information_bits:.2f} bits{note}"
            )
    for avoided in assessment.avoided_investigations:
        console.print(f"  [dim]✗ {escape(avoided.label)}: {escape(avoided.reason)}[/dim]")
    effects = Table(title="What moved the differential", title_justify="left")
    effects.add_column("Finding")
    effects.add_column("Observed")
    effects.add_column(escape(f"LR for {assessment.differential[0].condition}"), justify="right")
    effects.add_column("Source")
    from_text = any(e.origin != "entered" for e in assessment.explanation)
    if from_text:
        effects.add_column("From the note")
    for e in assessment.explanation[:TOP_EFFECTS]:
        trusted = f" (trust {e.trust:.0%})" if e.trust < 1 else ""
        cells = [
            escape(e.label + trusted),
            escape(" or ".join(e.observed)),  # several states: a coarse report
            f"{e.likelihood_ratio_for_top:.2f}",
            escape(e.citations[0].ref) if e.citations else "",
        ]
        if from_text:
            cells.append(escape(" / ".join(dict.fromkeys(f'"{s.sentence}"' for s in e.evidence))))
        effects.add_row(*cells)
    if assessment.explanation:
        console.print(effects)
    for warning in assessment.warnings:
        console.print(f"[yellow]Note:[/yellow] {escape(warning)}")
    console.print(f"[dim]{escape(assessment.disclaimer)}[/dim]")


def render_extraction(extraction: Extraction, console: Console) -> None:
    """The values read from a note, each with its words and modifiers; then what was not used."""
    table = Table(title="Read from the note", title_justify="left")
    for column in ("Case field", "Value", "Words", "Modifiers"):
        table.add_column(column)
    for e in extraction.used():
        table.add_row(
            escape(e.path),
            escape(str(e.value)),
            escape(f'"{e.text}"'),
            escape("; ".join(e.modifiers)),
        )
    console.print(table)
    unused = [e for e in extraction.evidence if not e.used]
    if unused:
        console.print("[bold]Mentioned but not used[/bold]")
        for e in unused:
            unused_line = f'"{e.text}": {e.reason}'
            console.print(f"  [dim]{escape(unused_line)}[/dim]")
    for warning in extraction.warnings:
        console.print(f"[yellow]Note:[/yellow] {escape(warning)}")
