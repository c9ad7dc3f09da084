"""The one reading and writing layer for every file and stream tohip touches.

Low level on purpose: it imports nothing from tohip but ``tohip.errors``, so the case, plan,
registry, CLI and web layers can all use it. ``reading`` refuses special files and reads with a
byte limit, ``jsonin`` parses JSON within depth and number bounds and refuses duplicate keys,
``writing`` writes output files all or nothing.
"""

from tohip.io.jsonin import parse_json
from tohip.io.messages import one_line
from tohip.io.reading import (
    MAX_NOTE_BYTES,
    decode_text,
    gunzip_bounded,
    read_file_bytes,
    read_file_text,
    read_note,
    read_stdin_bytes,
    read_text,
)
from tohip.io.writing import Output, check_targets, write_output, write_outputs

__all__ = [
    "MAX_NOTE_BYTES",
    "Output",
    "check_targets",
    "decode_text",
    "gunzip_bounded",
    "one_line",
    "parse_json",
    "read_file_bytes",
    "read_file_text",
    "read_note",
    "read_stdin_bytes",
    "read_text",
    "write_output",
    "write_outputs",
]
