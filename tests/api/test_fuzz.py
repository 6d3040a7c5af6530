"""A bounded schema-driven fuzz run (schemathesis) against a live server on loopback: no 500.

Every operation of the schema is called with generated parameters and bodies, with an office
token (so writes are exercised too) over a few real rows; the only check is "no server error".
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.domain.tokens import issue_token
from api.models import ApiClient
from api.scopes import ALL_SCOPES
from cases.enums import CaseState
from org.enums import Role
from tests.factories import CaseFactory, InspectionFactory, TaskFactory, user_with_role

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error(live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"  # an evidence upload the fuzzer gets accepted lands here
    office = user_with_role(Role.OFFICE, username="fuzz_office")
    client = ApiClient.objects.create(
        name="fuzz", user=office, scopes=sorted(ALL_SCOPES), throttle_rate="100000/min"
    )
    _, raw = issue_token(client, actor=None, days=1)
    inspection = InspectionFactory(code="C1")
    for state in (CaseState.RECEIVED, CaseState.INVESTIGATING, CaseState.CLOSED):
        CaseFactory(inspection=inspection, state=state)
    TaskFactory(inspection=inspection)
    result = subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            f"{live_server.url}/api/v1/schema",
            "--header",
            f"Authorization: Bearer {raw}",
            "--checks",
            "not_a_server_error",
            "--phases",
            "examples,fuzzing",
            "--max-examples",
            "4",
            "--seed",
            "16",
            "--request-timeout",
            "30",
            "--generation-database",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "passed" in result.stdout
