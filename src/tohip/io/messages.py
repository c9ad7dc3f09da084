"""Error messages that stay on one line whatever the input put into them."""

from __future__ import annotations

import re

MAX_MESSAGE_CHARS = 600
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(message: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``message`` as a single printable line of at most ``limit`` characters.

    File names, JSON keys and note text end up in error messages; a newline or a terminal
    escape sequence in them must not break the one-line promise or drive the terminal.
    """
    visible = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", message)
    flat = " ".join(visible.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
