"""The handout as HTML (Jinja2, autoescaped) and as PDF (WeasyPrint)."""

from __future__ import annotations

import datetime as dt

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from tohip.handout.content import Handout


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("tohip.handout", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def handout_html(handout: Handout, date: dt.date) -> str:
    """The handout page; the timeline SVG is ours (built from numbers), so it is inlined."""
    template = _environment().get_template("handout.html.j2")
    svg = Markup(handout.timeline_svg) if handout.timeline_svg else None
    return template.render(handout=handout, timeline=svg, date=f"{date:%d %B %Y}")


def handout_pdf(handout: Handout, date: dt.date) -> bytes:
    """The handout as A4 PDF bytes."""
    import logging

    from weasyprint import HTML

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    pdf: bytes = HTML(string=handout_html(handout, date)).write_pdf()
    return pdf
