"""`make run` serves the demo on port 5000 unless PORT says otherwise (issue 17, item 20)."""
import shutil
import subprocess  # nosec B404: runs `make -n`, which only prints the commands
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def planned_commands(*variables: str) -> str:
    """What `make run` would run, without running it (`make -n`)."""
    return subprocess.run(  # nosec B603, B607: fixed arguments, the repository's own Makefile
        ["make", "-n", "-C", str(ROOT), "run", *variables],
        capture_output=True, text=True, check=True, timeout=60).stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_serves_on_port_5000_by_default():
    assert "flask run --host 127.0.0.1 --port 5000" in planned_commands()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_serves_on_the_port_given_as_port():
    commands = planned_commands("PORT=8123")
    assert "flask run --host 127.0.0.1 --port 8123" in commands
    assert "--port 5000" not in commands
    assert "PUBLIC_URL=http://127.0.0.1:8123 " in commands  # the emails' links follow
