"""``tohip serve``: the clinician's workbench in the browser and the REST API (FastAPI)."""

from tohip.web.app import create_app
from tohip.web.security import ServeSettings

__all__ = ["ServeSettings", "create_app"]
