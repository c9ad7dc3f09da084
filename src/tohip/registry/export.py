"""The de-identified research export (CSV and Parquet).

It reads only the views ``research_episodes`` and ``research_visits`` (migration 0002), which
is all a PostgreSQL ``tohip_researcher`` may read:

- direct identifiers removed: no name, record number, birth date, pseudonym, internal id,
  free-text note or case snapshot; patients appear under a random research id;
- every date shifted by the patient's secret random offset (within a year, never zero), so
  intervals within a patient are exact but calendar dates are not;
- ages over 89 grouped as ``90+`` (HIPAA Safe Harbor, 45 CFR 164.514(b)(2)(i)(C));
- synthetic patients keep their ``synthetic`` flag.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from tohip.io import Output, write_outputs
from tohip.registry.crud import audit
from tohip.registry.errors import RegistryInputError
from tohip.registry.schemas import Actor

VIEWS = ("research_episodes", "research_visits")
DATE_COLUMNS = {
    "research_episodes": ("onset_date", "resolution_date", "recurrence_date"),
    "research_visits": ("visit_date",),
}
FORMATS = ("csv", "parquet")
METHOD = (
    "De-identified: direct identifiers removed; dates shifted per patient by a secret random "
    "offset of up to 365 days (intervals within a patient preserved); ages over 89 grouped as "
    "'90+' (HIPAA Safe Harbor). Rows flagged synthetic are SYNTHETIC patients drawn from the "
    "knowledge base."
)


def read_view(session: Session, view: str) -> pd.DataFrame:
    if view not in VIEWS:
        raise ValueError(view)
    result = session.execute(text(f"SELECT * FROM {view} ORDER BY research_id, episode_no"))
    frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    for column in DATE_COLUMNS[view]:
        frame[column] = pd.to_datetime(frame[column]).dt.date
    for column in ("synthetic", "pregnancy_associated", "has_follow_up"):
        if column in frame:
            frame[column] = frame[column].astype(bool)
    return frame


def export_research(
    session: Session, *, actor: Actor, directory: Path, formats: tuple[str, ...] = FORMATS
) -> dict[str, Any]:
    """Write each view as ``<view>.csv`` / ``<view>.parquet`` and a ``manifest.json``."""
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise RegistryInputError(f"export formats are {', '.join(FORMATS)}")
    if directory.exists() and not directory.is_dir():
        raise RegistryInputError(f"{directory}: exists and is not a folder")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RegistryInputError(
            f"{directory}: cannot create the folder ({exc.strerror})"
        ) from None
    outputs: list[Output] = []
    counts: dict[str, int] = {}
    synthetic = False
    for view in VIEWS:
        frame = read_view(session, view)
        counts[view] = len(frame)
        synthetic = synthetic or bool(frame["synthetic"].any())
        if "csv" in formats:
            outputs.append(Output(directory / f"{view}.csv", frame.to_csv(index=False).encode()))
        if "parquet" in formats:
            buffer = io.BytesIO()
            frame.to_parquet(buffer, index=False)
            outputs.append(Output(directory / f"{view}.parquet", buffer.getvalue()))
    manifest = {
        "format": "tohip.registry-research-export/1",
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "method": METHOD,
        "contains_synthetic": synthetic,
        "rows": counts,
        "files": [out.path.name for out in outputs],
    }
    outputs.append(
        Output(directory / "manifest.json", (json.dumps(manifest, indent=2) + "\n").encode())
    )
    write_outputs(outputs)  # every file of the export, or none
    audit(
        session,
        actor=actor,
        action="export",
        entity="research_export",
        detail={"rows": counts, "formats": list(formats)},
    )
    return manifest
