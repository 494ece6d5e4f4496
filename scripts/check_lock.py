"""Offline check of requirements.lock against pyproject.toml (run by .ci/lint; no network).

Exit code 1, with one line per problem, when
- a requirement of the lock is not pinned to one version (`name==version`) or has no hash, or
- a dependency that pyproject.toml declares (the project's, every extra's, the build system's)
  is missing from the lock or pinned outside its range: the lock is stale, run `make lock`.

The exact check (that the lock is what `make lock` would write) re-resolves against PyPI: it is
`make lock-check`, which .ci/lint runs next.
"""
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version


def lock_entries(text: str) -> tuple[dict[str, list[Version]], list[str]]:
    """Parse a hashed requirements file: ({canonical name: pinned versions}, problems)."""
    pins: dict[str, list[Version]] = {}
    problems = []
    # A requirement spans its continuation lines (`\`); comments are dropped first.
    joined = text.replace("\\\n", " ")
    for line in joined.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        spec, *options = line.split(" --")
        if spec.startswith("-"):
            problems.append(f"an option the lock should not hold: {line[:60]}")
            continue
        requirement = Requirement(spec.strip())
        pinned = [s for s in requirement.specifier if s.operator == "=="]
        if len(requirement.specifier) != 1 or not pinned or "*" in pinned[0].version:
            problems.append(f"{requirement.name} is not pinned to one version: {spec.strip()}")
            continue
        if not any(option.startswith("hash=") for option in options):
            problems.append(f"{requirement.name} has no --hash")
        pins.setdefault(canonicalize_name(requirement.name), []).append(
            Version(pinned[0].version))
    return pins, problems


def declared(pyproject: dict) -> list[Requirement]:
    """Every requirement pyproject.toml declares: build system, project, every extra."""
    project = pyproject["project"]
    texts = list(pyproject["build-system"]["requires"]) + list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        texts.extend(extra)
    return [Requirement(text) for text in texts]


def check(lock_text: str, pyproject: dict) -> list[str]:
    """The problems found, [] when the lock pins everything pyproject.toml declares."""
    pins, problems = lock_entries(lock_text)
    for requirement in declared(pyproject):
        versions = pins.get(canonicalize_name(requirement.name))
        if not versions:
            problems.append(f"{requirement.name} is declared in pyproject.toml but not locked")
        elif not any(requirement.specifier.contains(v, prereleases=True) for v in versions):
            problems.append(f"{requirement.name}: the lock's {', '.join(map(str, versions))} "
                            f"is outside pyproject.toml's {requirement.specifier}")
    return problems


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    problems = check((root / "requirements.lock").read_text(),
                     tomllib.loads((root / "pyproject.toml").read_text()))
    for problem in problems:
        print(f"requirements.lock: {problem}", file=sys.stderr)
    if problems:
        print("Run `make lock` and commit requirements.lock.", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
