"""The range of dates a clinical record can plausibly hold.

A hip problem tohip assesses began after 1900 and not in the future. Dates outside that range are
typing errors (2099 for 2019, 0001 for 2001) which, taken at face value, give "weeks since onset"
of -3,763 and a confident plan, or overflow date arithmetic. They are refused where they enter:
the case schema, the visit schema and ``--note-date``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator

from tohip.errors import InputError

EARLIEST = dt.date(1900, 1, 1)
# "Today" here may already be tomorrow where the clinician is: one day of tolerance.
FUTURE_TOLERANCE = dt.timedelta(days=1)


def latest_plausible(today: dt.date | None = None) -> dt.date:
    return (today or dt.date.today()) + FUTURE_TOLERANCE


def date_problem(day: dt.date, today: dt.date | None = None) -> str | None:
    """Why ``day`` cannot be a date in a clinical record, or None if it can."""
    if day < EARLIEST:
        return f"{day} is before {EARLIEST.year}; check the year"
    if day > latest_plausible(today):
        return f"{day} is in the future; check the year"
    return None


def _plausible(day: dt.date) -> dt.date:
    problem = date_problem(day)
    if problem:
        raise ValueError(problem)
    return day


ClinicalDate = Annotated[dt.date, AfterValidator(_plausible)]
"""A date from 1900 to today (plus a day); the schema's type for every date a case holds."""


def check_clinical_date(day: dt.date, what: str) -> dt.date:
    """``day`` if plausible, else ``InputError`` naming ``what`` (an option such as --note-date)."""
    problem = date_problem(day)
    if problem:
        raise InputError(f"{what}: {problem}")
    return day
