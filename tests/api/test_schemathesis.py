"""Property-based fuzzing of the served OpenAPI: no input may produce a 5xx. Bounded: fixed seed and
examples per operation, about 10-20 s per token."""

import subprocess
import sys
from pathlib import Path

import pytest

from dispatch.demo import DEMO_TOKENS, seed
from tests.conftest import DISPATCHER_TOKEN

ST = Path(sys.executable).with_name("st")


@pytest.mark.slow
@pytest.mark.parametrize("token", [DISPATCHER_TOKEN, DEMO_TOKENS["sato"]], ids=["dispatcher", "engineer"])
def test_no_input_produces_a_server_error(service, tmp_path, token):
    seed(service.store)  # real data behind the ids, so the fuzzer reaches past 404s
    result = subprocess.run(
        [
            str(ST),
            "run",
            f"{service.url}/openapi.json",
            "-H",
            f"Authorization: Bearer {token}",
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--max-examples",
            "25",
            "--seed",
            "20261124",
            "--phases",
            "examples,coverage,fuzzing",
            "--no-color",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
