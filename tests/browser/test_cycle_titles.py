"""The browser tests share one live server and find their cycle by its title
(LiveServer.cycle_id): two modules with the same title would find each other's cycle."""
import re
from pathlib import Path

HERE = Path(__file__).parent


def test_every_browser_test_names_its_own_cycle():
    titles = [title for path in sorted(HERE.glob("test_*.py"))
              for title in re.findall(r'^(?:CYCLE|EDITION) = "([^"]+)"',
                                      path.read_text(encoding="utf-8"), re.M)]
    assert len(titles) == len(set(titles)), titles
