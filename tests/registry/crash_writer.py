"""Writer for the crash test: registers patients in a loop, one transaction each (patient,
identity, episode, 3 visits, audit entries), printing each episode id after its commit."""

from __future__ import annotations

import sys

from tests.registry.conftest import ACTOR
from tests.registry.helpers import add_patient
from tohip.registry import crud, db
from tohip.registry.schemas import VisitCreate


def main(url: str) -> None:
    engine = db.make_engine(url)
    factory = db.session_factory(engine)
    n = 0
    while True:
        n += 1
        with factory.begin() as s:
            episode_id = add_patient(s, ACTOR, mrn=f"CRASH-{n}")
            for day in (2, 3):
                crud.add_visit(
                    s,
                    actor=ACTOR,
                    episode_id=episode_id,
                    visit=VisitCreate(
                        visit_date=f"2025-06-0{day}", pain_score=4, weight_bearing="full"
                    ),
                )
        sys.stdout.write(f"{episode_id}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1])
