"""The JSON API fuzzed from its own OpenAPI description (Schemathesis' case strategies driven
by Hypothesis): any request the description allows, and many it does not, gets an answer that is
not a server error, from a real server. A short run by default; LAGEBILD_FUZZ_EXAMPLES raises it,
as for tests/test_fuzz.py."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings

from serving import TOKEN, Served, example_store

schemathesis = pytest.importorskip("schemathesis")

EXAMPLES = int(os.environ.get("LAGEBILD_FUZZ_EXAMPLES", "15"))
ENDLESS = {"/api/v1/updates"}  # a stream that never ends: tested in test_serve.py


def test_no_request_the_api_describes_makes_a_server_error(tmp_path, examples):
    from schemathesis.checks import not_a_server_error

    server = Served(example_store(tmp_path, examples))
    try:
        schema = schemathesis.openapi.from_url(server.url + "/api/v1/openapi.json")
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 15
        for operation in operations:
            if operation.path not in ENDLESS:
                _fuzz(operation, not_a_server_error)
    finally:
        errors = server.stop()
    assert "internal error" not in errors and "Traceback" not in errors, errors


def _fuzz(operation, check) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def call(case):
        response = case.call(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
        case.validate_response(response, checks=(check,))

    call()
