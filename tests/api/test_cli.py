import json
import subprocess
import sys
from pathlib import Path

from tests.factories import request_data

CLI = [sys.executable, "-m", "dispatch.cli"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        env={"PYTHONPATH": str(Path(__file__).resolve().parents[2]), "PATH": "/usr/bin:/bin"},
    )


def test_import_valid_file_creates_assignments(tmp_path):
    f = tmp_path / "req.json"
    f.write_text(json.dumps([request_data(), request_data(title="Second")]), encoding="utf-8")
    r = run("import", str(f), "--db", str(tmp_path / "d.db"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("ASG-") == 2 and "Second" in r.stdout


def test_import_bad_file_lists_every_error_and_imports_nothing(tmp_path):
    bad = request_data(languages=[], urgency=9)
    bad["locations"][0]["local_contacts"][0]["phone"] = "03-1234-5678"
    f = tmp_path / "bad.json"
    f.write_text(json.dumps([request_data(), bad]), encoding="utf-8")
    r = run("import", str(f), "--db", str(tmp_path / "d.db"), cwd=tmp_path)
    assert r.returncode == 2
    for field in ("request 2", "languages", "urgency", "locations.0.local_contacts.0.phone", "country code"):
        assert field in r.stderr
    assert "Nothing was imported" in r.stderr


def test_import_not_json(tmp_path):
    f = tmp_path / "x.json"
    f.write_text("{oops", encoding="utf-8")
    r = run("import", str(f), "--db", str(tmp_path / "d.db"), cwd=tmp_path)
    assert r.returncode == 2 and "line 1" in r.stderr


def test_demo_engineer_propose_approve(tmp_path):
    db = str(tmp_path / "d.db")
    r = run("demo", "--db", db, cwd=tmp_path)
    assert r.returncode == 0 and "demo-sato-2026" in r.stdout
    assert run("demo", "--db", db, cwd=tmp_path).returncode == 2  # refuses to overwrite without --reset
    eng = run("engineer", "add", "--db", db, "--name", "Jo Park", "--phone", "+82 10-1234-5678", cwd=tmp_path)
    assert eng.returncode == 0 and "token:" in eng.stdout
    eng_id = eng.stdout.split("\t")[0]
    f = tmp_path / "req.json"
    f.write_text(json.dumps(request_data()), encoding="utf-8")
    asg = run("import", str(f), "--db", db, cwd=tmp_path).stdout.split("\t")[0]
    early = run("approve", asg, "--by", "Pat", "--db", db, cwd=tmp_path)
    assert early.returncode == 2 and "not_proposed" in early.stderr
    assert run("propose", asg, eng_id, "--db", db, cwd=tmp_path).returncode == 0
    ok = run("approve", asg, "--by", "Pat", "--db", db, cwd=tmp_path)
    assert ok.returncode == 0 and "approved" in ok.stdout
    rotated = run("engineer", "rotate-token", eng_id, "--db", db, cwd=tmp_path)
    assert rotated.returncode == 0 and "new token:" in rotated.stdout
    assert run("engineer", "rotate-token", "ENG-NOPE", "--db", db, cwd=tmp_path).returncode == 2


def test_engineer_add_bad_phone(tmp_path):
    r = run("engineer", "add", "--db", str(tmp_path / "d.db"), "--name", "X", "--phone", "12345", cwd=tmp_path)
    assert r.returncode == 2 and "phone" in r.stderr
