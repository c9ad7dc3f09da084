"""tohip's exception tree. Every entry point maps these to one clear message.

TohipError                      base; ``exit_code`` is what the CLI exits with
├── KnowledgeBaseError          the shipped or overridden knowledge base is invalid
└── InputError                  the user's input cannot be used (exit status 2)
    ├── ReadError               a file or stream is missing, special, too large or not text
    ├── CaseFileError           a case file is missing, unreadable or not JSON
    ├── CaseValidationError     a case is JSON but breaks the case schema
    └── WriteError              an output file cannot be written (nothing is left behind)
"""

from __future__ import annotations


class TohipError(Exception):
    """Base of all tohip errors."""

    exit_code: int = 1


class KnowledgeBaseError(TohipError):
    """The knowledge base failed to load or validate; ``problems`` lists every error found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        head = problems[0] if problems else "unknown problem"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"invalid knowledge base: {head}{more}")


class InputError(TohipError):
    """Input the user gave cannot be used. The contract requires exit status 2."""

    exit_code = 2


class CaseFileError(InputError):
    """A case file is missing, unreadable, empty or not valid JSON."""


class CaseValidationError(InputError):
    """A case breaks the structured-case schema; the message names each bad field."""


class ReadError(InputError):
    """A file or stream cannot be read as input: missing, a special file, too large, not text."""


class WriteError(InputError):
    """An output file cannot be written; every output of the command was abandoned."""
