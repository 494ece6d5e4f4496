"""In development (`make run`: BUDGET_ENV=development, no MAIL_SERVER, no --debug), every
email is printed in the terminal, readable, with its links: a newcomer registers and confirms
their account by opening the link read there (issue 17)."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

REGISTER = """
import sys
from flask_migrate import upgrade
from budget import create_app
from budget.extensions import db
from tests import factories

app = create_app("development", SQLALCHEMY_DATABASE_URI=sys.argv[1], DEBUG=False)
with app.app_context():
    upgrade()
    commune = factories.world().north.id
client = app.test_client()
page = client.get("/register").get_data(as_text=True)
token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
answer = client.post("/register", data={
    "csrf_token": token, "email": "newcomer@example.fr", "password": "correct horse battery",
    "confirm": "correct horse battery", "display_name": "Newcomer",
    "home_commune_id": commune})
assert answer.status_code == 302, answer.get_data(as_text=True)
"""

FOLLOW = """
import sys
from urllib.parse import urlsplit
from sqlalchemy import select
from budget import create_app
from budget.extensions import db
from budget.models import User

app = create_app("development", SQLALCHEMY_DATABASE_URI=sys.argv[1], DEBUG=False)
app.test_client().get(urlsplit(sys.argv[2]).path)
with app.app_context():
    user = db.session.scalar(select(User).where(User.email == "newcomer@example.fr"))
    print("verified" if user.email_verified else "not verified")
"""


def run(script: str, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "BUDGET_ENV": "development", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def test_a_newcomer_confirms_their_account_with_the_link_printed_in_the_terminal(tmp_path):
    database = f"sqlite:///{tmp_path / 'dev.db'}"
    terminal = run(REGISTER, database).stderr
    assert "To: newcomer@example.fr" in terminal, terminal
    link = re.search(r"^(http://127\.0\.0\.1:5000/account/verify/\S+)$", terminal, re.M)
    assert link, terminal  # on a line of its own: a terminal makes it clickable
    assert run(FOLLOW, database, link.group(1)).stdout.strip() == "verified"
