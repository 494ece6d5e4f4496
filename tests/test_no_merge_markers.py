"""No file of the project keeps a merge's conflict markers (a stylesheet or a template with
them still loads, and breaks quietly)."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = re.compile(r"^(<{7} |>{7} |={7}$)", re.M)
FOLDERS = ("budget", "tests", "docs", "migrations", "bench", "scripts", "deploy", ".ci")
SKIP = {"node_modules", "__pycache__", ".venv"}


def test_no_file_keeps_conflict_markers():
    found = []
    for folder in FOLDERS:
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and not SKIP & set(path.parts) and path.suffix not in (
                    ".mo", ".png", ".jpg", ".ttf", ".so", ".pyc", ".pb", ".zip", ".pdf"):
                text = path.read_text(encoding="utf-8", errors="ignore")
                found += [f"{path.relative_to(ROOT)}:{text[:m.start()].count(chr(10)) + 1}"
                          for m in MARKER.finditer(text)]
    assert found == []
