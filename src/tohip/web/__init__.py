"""``tohip serve``: the clinician's workbench in the browser and the REST API (FastAPI).

``create_app`` is imported on first use, so that commands which only read the settings (the
refusal to serve exposed without auth, adding a user) do not load FastAPI and the reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tohip.web.settings import ServeSettings

if TYPE_CHECKING:
    from tohip.web.app import create_app

__all__ = ["ServeSettings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from tohip.web.app import create_app

        return create_app
    raise AttributeError(name)
