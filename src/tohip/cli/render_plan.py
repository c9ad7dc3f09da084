"""Human-readable rendering of a care plan and of a follow-up result with Rich."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from tohip.plan.types import CarePlan, FollowUpResult, PlanItem

STATUS_STYLE = {
    "on_track": "green",
    "resolved": "green",
    "review": "yellow",
    "act_soon": "yellow",
    "act_now": "red",
}


def _items_table(title: str, items: list[PlanItem]) -> Table:
    table = Table(title=title, title_justify="left", show_lines=True)
    table.add_column("What")
    table.add_column("Evidence")
    table.add_column("Sources")
    for item in items:
        text = (
            item.text if item.recommendation == "do" else f"[italic]Consider:[/italic] {item.text}"
        )
        for caution in item.cautions:
            text += f"\n[yellow]Caution ({caution.rule}):[/yellow] {caution.reason}"
        note = f"\n[dim]{item.evidence_note}[/dim]" if item.evidence_note else ""
        table.add_row(
            text, item.evidence.replace("_", " ") + note, ", ".join(c.ref for c in item.citations)
        )
    return table


def render_plan(plan: CarePlan, console: Console) -> None:
    head = f"tohip {plan.tool_version} · care plan · {plan.plan_date}"
    if plan.case_id:
        head += f" · case {plan.case_id}"
    console.print(f"[bold]{head}[/bold]\n{plan.summary}")
    if plan.immediate:
        console.print(_items_table("[red]Do now[/red]", plan.immediate))
    console.print(_items_table("Plan", plan.items))
    for test in plan.next_investigations:
        cautions = "".join(f" [yellow]Caution: {c.reason}[/yellow]" for c in test.cautions)
        console.print(f"  • next test: {test.label}{cautions}")
    if plan.left_out:
        table = Table(title="Left out, and why", title_justify="left")
        table.add_column("Option")
        table.add_column("Why")
        for omission in plan.left_out:
            table.add_row(
                omission.label, f"[bold]{omission.kind.replace('_', ' ')}[/bold]: {omission.reason}"
            )
        console.print(table)
    for check in plan.checks:
        console.print(
            f"[yellow]Check first:[/yellow] {check.check} [dim]({', '.join(check.for_items)})[/dim]"
        )
    if plan.course:
        _render_course(plan, console)
    for warning in plan.warnings:
        console.print(f"[yellow]Warning:[/yellow] {warning}")
    console.print(f"[dim]{plan.disclaimer}[/dim]")


def _render_course(plan: CarePlan, console: Console) -> None:
    course = plan.course
    assert course is not None
    table = Table(title="Expected course", title_justify="left")
    for column in ("Phase", "Weeks", "Dates", "What to expect"):
        table.add_column(column)
    for phase in course.phases:
        dates = f"{phase.start} to {phase.end}" if phase.start else ""
        here = " [bold](now)[/bold]" if phase.id == course.current_phase else ""
        table.add_row(
            phase.label + here, f"{phase.from_week:g}-{phase.to_week:g}", dates, phase.text
        )
    console.print(table)
    visits = Table(title="Follow-up schedule", title_justify="left")
    for column in ("When", "Visit", "Purpose", "Imaging"):
        visits.add_column(column)
    for visit in course.schedule:
        imaging = (visit.imaging or "") + "".join(f"\n[yellow]{c}[/yellow]" for c in visit.cautions)
        visits.add_row(str(visit.due or visit.timing), visit.label, visit.purpose, imaging)
    console.print(visits)
    for note in course.notes:
        console.print(f"[dim]{note}[/dim]")


def render_followup(result: FollowUpResult, console: Console) -> None:
    style = STATUS_STYLE[result.status]
    title = f"{result.status.replace('_', ' ').upper()} · {result.condition}"
    console.print(Panel(result.summary, title=title, border_style=style))
    for finding in result.findings:
        style = STATUS_STYLE[_status(finding.severity)]
        console.print(f"[{style}]{finding.severity}[/]: {finding.finding}\n  → {finding.action}")
    if result.next_visit:
        due = result.next_visit.due or result.next_visit.timing
        console.print(f"Next visit: {due} - {result.next_visit.label}")
    for warning in result.warnings:
        console.print(f"[yellow]Warning:[/yellow] {warning}")
    console.print(f"[dim]{result.disclaimer}[/dim]")


def _status(severity: str) -> str:
    return {"emergency": "act_now", "urgent": "act_soon"}.get(severity, "review")
