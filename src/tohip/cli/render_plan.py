"""Human-readable rendering of a care plan and of a follow-up result with Rich."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
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
        words = escape(item.text)
        text = words if item.recommendation == "do" else f"[italic]Consider:[/italic] {words}"
        for caution in item.cautions:
            text += f"\n[yellow]Caution ({escape(caution.rule)}):[/yellow] {escape(caution.reason)}"
        note = f"\n[dim]{escape(item.evidence_note)}[/dim]" if item.evidence_note else ""
        table.add_row(
            text,
            escape(item.evidence.replace("_", " ")) + note,
            escape(", ".join(c.ref for c in item.citations)),
        )
    return table


def render_plan(plan: CarePlan, console: Console) -> None:
    head = f"tohip {plan.tool_version} · care plan · {plan.plan_date}"
    if plan.case_id:
        head += f" · case {plan.case_id}"
    console.print(f"[bold]{escape(head)}[/bold]\n{escape(plan.summary)}")
    if plan.immediate:
        console.print(_items_table("[red]Do now[/red]", plan.immediate))
    console.print(_items_table("Plan", plan.items))
    for test in plan.next_investigations:
        cautions = "".join(f" [yellow]Caution: {escape(c.reason)}[/yellow]" for c in test.cautions)
        console.print(f"  • next test: {escape(test.label)}{cautions}")
    if plan.left_out:
        table = Table(title="Left out, and why", title_justify="left")
        table.add_column("Option")
        table.add_column("Why")
        for omission in plan.left_out:
            kind = escape(omission.kind.replace("_", " "))
            table.add_row(escape(omission.label), f"[bold]{kind}[/bold]: {escape(omission.reason)}")
        console.print(table)
    for check in plan.checks:
        console.print(
            f"[yellow]Check first:[/yellow] {escape(check.check)} "
            f"[dim]({escape(', '.join(check.for_items))})[/dim]"
        )
    if plan.course:
        _render_course(plan, console)
    for warning in plan.warnings:
        console.print(f"[yellow]Warning:[/yellow] {escape(warning)}")
    console.print(f"[dim]{escape(plan.disclaimer)}[/dim]")


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
            escape(phase.label) + here,
            f"{phase.from_week:g}-{phase.to_week:g}",
            escape(dates),
            escape(phase.text),
        )
    console.print(table)
    visits = Table(title="Follow-up schedule", title_justify="left")
    for column in ("When", "Visit", "Purpose", "Imaging"):
        visits.add_column(column)
    for visit in course.schedule:
        imaging = escape(visit.imaging or "") + "".join(
            f"\n[yellow]{escape(c)}[/yellow]" for c in visit.cautions
        )
        visits.add_row(
            escape(str(visit.due or visit.timing)),
            escape(visit.label),
            escape(visit.purpose),
            imaging,
        )
    console.print(visits)
    for note in course.notes:
        console.print(f"[dim]{escape(note)}[/dim]")


def render_followup(result: FollowUpResult, console: Console) -> None:
    style = STATUS_STYLE[result.status]
    title = f"{result.status.replace('_', ' ').upper()} · {result.condition}"
    console.print(Panel(escape(result.summary), title=escape(title), border_style=style))
    for finding in result.findings:
        style = STATUS_STYLE[_status(finding.severity)]
        console.print(
            f"[{style}]{escape(finding.severity)}[/]: {escape(finding.finding)}\n"
            f"  → {escape(finding.action)}"
        )
    if result.next_visit:
        due = result.next_visit.due or result.next_visit.timing
        console.print(escape(f"Next visit: {due} - {result.next_visit.label}"))
    for warning in result.warnings:
        console.print(f"[yellow]Warning:[/yellow] {escape(warning)}")
    console.print(f"[dim]{escape(result.disclaimer)}[/dim]")


def _status(severity: str) -> str:
    return {"emergency": "act_now", "urgent": "act_soon"}.get(severity, "review")
