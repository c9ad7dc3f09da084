"""schemathesis over the published OpenAPI document: property-based requests to every API
operation. Zero 5xx, and every response matches its documented status, media type, headers and
schema. The example count is kept CI-friendly (TOHIP_FUZZ_EXAMPLES raises it)."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tohip.web import ServeSettings, create_app

# schemathesis calls the app without its lifespan: the reader loads on first use instead
app = create_app(ServeSettings(rate_per_minute=0, warm_up=False))
app.state.ready = True
app.state.kb_version = "fuzz"
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
EXAMPLES = int(os.environ.get("TOHIP_FUZZ_EXAMPLES", "40"))
# The coverage phase walks the boundaries of every field of the large case schema: about two
# minutes here. It runs when TOHIP_FUZZ_COVERAGE=1 (and ran clean when this test was written).
PHASES = ["examples", "fuzzing"] + (["coverage"] if os.environ.get("TOHIP_FUZZ_COVERAGE") else [])
schema.config.phases.update(phases=PHASES)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same examples every run: a failure here is reproducible
)
def test_api_answers_within_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)
