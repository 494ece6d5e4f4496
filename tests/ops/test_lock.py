"""requirements.lock pins everything pyproject.toml declares (scripts/check_lock.py, run by
.ci/lint; `make lock-check` also re-resolves it against PyPI)."""
import importlib.util
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("check_lock", ROOT / "scripts" / "check_lock.py")
check_lock = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_lock)

PYPROJECT = {"build-system": {"requires": ["setuptools>=77"]},
             "project": {"dependencies": ["flask>=3.1,<4"],
                         "optional-dependencies": {"redis": ["rq>=2.6,<3"]}}}
HASH = "    --hash=sha256:" + "0" * 64


def lock(*pins: str) -> str:
    return "# header\n" + "".join(f"{pin} \\\n{HASH}\n    # via x\n" for pin in pins)


def test_the_committed_lock_pins_everything_pyproject_declares():
    problems = check_lock.check((ROOT / "requirements.lock").read_text(),
                                tomllib.loads((ROOT / "pyproject.toml").read_text()))
    assert problems == []


def test_a_complete_hashed_lock_passes():
    assert check_lock.check(lock("flask==3.1.3", "rq==2.6.1", "setuptools==84.2.1"),
                            PYPROJECT) == []


def test_a_dependency_missing_from_the_lock_makes_it_stale():
    assert check_lock.check(lock("flask==3.1.3", "setuptools==84.2.1"), PYPROJECT) == [
        "rq is declared in pyproject.toml but not locked"]


def test_a_pin_outside_the_declared_range_makes_it_stale():
    problems = check_lock.check(lock("flask==4.0.0", "rq==2.6.1", "setuptools==84.2.1"),
                                PYPROJECT)
    assert problems == ["flask: the lock's 4.0.0 is outside pyproject.toml's <4,>=3.1"]


def test_an_unpinned_or_unhashed_requirement_is_refused():
    text = lock("flask>=3.1", "setuptools==84.2.1") + "rq==2.6.1\n"
    assert check_lock.check(text, PYPROJECT) == [
        "flask is not pinned to one version: flask>=3.1", "rq has no --hash",
        "flask is declared in pyproject.toml but not locked"]
