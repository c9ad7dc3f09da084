"""Registry errors, under tohip's tree (``tohip.errors``)::

TohipError
├── InputError (exit 2)
│   └── RegistryInputError       bad registry input; nothing was stored
└── RegistryError (exit 1)       the registry cannot do what was asked
    ├── NotFoundError (exit 2)   no such patient or episode
    ├── ConflictError (exit 3)   someone else changed the record first (optimistic lock)
    ├── PermissionDenied (exit 4) the caller's role may not do this
    └── SchemaError (exit 1)     the database is not at the registry's schema revision
"""

from __future__ import annotations

from tohip.errors import InputError, TohipError


class RegistryInputError(InputError):
    """Input the registry rejects; the whole operation was rolled back."""


class RegistryError(TohipError):
    """Base of registry failures that are not bad input."""


class NotFoundError(RegistryError):
    exit_code = 2


class ConflictError(RegistryError):
    """A concurrent edit won: reload the record and apply the change again."""

    exit_code = 3


class PermissionDenied(RegistryError):
    exit_code = 4


class SchemaError(RegistryError):
    """The database has no registry schema, or an older or newer one than this tohip."""
