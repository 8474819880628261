"""CI cannot pass by accident: a skipped test fails the run when PIXORGA_FORBID_SKIPS is set."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

PROBE = '''
import pytest

def test_runs():
    pass

@pytest.mark.skip(reason="probe")
def test_is_skipped():
    pass
'''


def run_pytest_with_project_conftest(test_file: Path, *args, forbid_skips: bool) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "PIXORGA_FORBID_SKIPS"}
    if forbid_skips:
        env["PIXORGA_FORBID_SKIPS"] = "1"
    return subprocess.run(
        # The probe needs neither hypothesis nor faker: leaving their plugins out saves seconds per run.
        [sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:hypothesispytest", "-p", "no:faker",
         "-c", "pytest.ini", "--rootdir", str(BASE_DIR), "-q", str(test_file), *args],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )


def test_a_skipped_test_fails_the_run_when_skips_are_forbidden(tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text(PROBE)

    result = run_pytest_with_project_conftest(probe, forbid_skips=True)

    assert result.returncode == 1, result.stdout
    assert "1 passed, 1 skipped" in result.stdout
    assert "1 test(s) skipped while PIXORGA_FORBID_SKIPS is set" in result.stdout


def test_skips_are_allowed_on_a_developers_machine(tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text(PROBE)

    result = run_pytest_with_project_conftest(probe, forbid_skips=False)

    assert result.returncode == 0, result.stdout


def test_a_run_without_any_test_fails(tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text(PROBE)

    result = run_pytest_with_project_conftest(probe, "-k", "nothing_matches_this", forbid_skips=True)

    assert result.returncode == 5, result.stdout
