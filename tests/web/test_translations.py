"""The French catalogue is complete, up to date with the code, and keeps every placeholder.

English msgids live in the code; budget/translations/fr/LC_MESSAGES/messages.po gives the French.
Extraction is done by scripts/update-translations, with the mapping and keywords of babel.cfg,
so these tests extract exactly as the team does. No Flask app is needed.
"""
from __future__ import annotations

import ast
import configparser
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "update-translations"
FR_PO = ROOT / "budget" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
FR_PO_NAME = FR_PO.relative_to(ROOT)

HOW_TO_FIX = (
    "\nTo fix: run `scripts/update-translations`, write the French msgstr of the listed msgids "
    f"in {FR_PO_NAME} (no fuzzy flag), then `.venv/bin/pytest tests/web/test_translations.py`."
)

# A %-format placeholder (%(name)s, %d, %%...) or, failing that, a lone "%".
FORMAT_TOKEN = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]|%")


def load_po(path: Path):
    with open(path, "rb") as f:
        return read_po(f, abort_invalid=True)


@pytest.fixture(scope="module")
def french():
    return load_po(FR_PO)


def strings(message) -> list[str]:
    """msgstr as a list (plural messages have several)."""
    return list(message.string) if isinstance(message.string, (list, tuple)) \
        else [message.string]


def msgids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def described(messages) -> str:
    return "\n".join(f"  - {msgids(m)[0]!r}  ({', '.join(sorted({p for p, _ in m.locations}))})"
                     for m in messages)


def test_every_french_msgstr_is_written_and_not_fuzzy(french):
    assert not french.fuzzy, (
        f"The header of {FR_PO_NAME} is marked fuzzy: `pybabel compile` would skip the whole "
        "catalogue. Remove the `#, fuzzy` line above `msgid \"\"`.")
    todo = [m for m in french if m.id and (m.fuzzy or not all(s.strip() for s in strings(m)))]
    assert not todo, (
        f"{len(todo)} msgid(s) of {FR_PO_NAME} have an empty or fuzzy French msgstr:\n"
        f"{described(todo)}{HOW_TO_FIX}")


def test_catalogue_is_up_to_date_with_the_code(french, tmp_path):
    pot = tmp_path / "messages.pot"
    run = subprocess.run(["bash", str(SCRIPT), "--extract-to", str(pot)], cwd=ROOT,
                         env={**os.environ, "PYTHON": sys.executable},
                         capture_output=True, text=True)
    assert run.returncode == 0, f"`{SCRIPT.relative_to(ROOT)} --extract-to` failed:\n" \
                                f"{run.stdout}{run.stderr}"
    extracted = [m for m in load_po(pot) if m.id]
    assert extracted, "Extraction found no message at all: check babel.cfg."
    missing = [m for m in extracted if french.get(m.id, context=m.context) is None]
    assert not missing, (
        f"{len(missing)} msgid(s) in the code are missing from {FR_PO_NAME}:\n"
        f"{described(missing)}{HOW_TO_FIX}")


def test_placeholders_are_kept(french):
    """A msgstr has the msgid's %(name)s placeholders, its %% and its lone %, no more."""
    def shape(text: str):
        tokens = [t for t in FORMAT_TOKEN.finditer(text)]
        placeholders = {t.group(0) for t in tokens if t.group(0) not in ("%", "%%")}
        return placeholders, sum(t.group(0) == "%%" for t in tokens), \
            sum(t.group(0) == "%" for t in tokens)

    wrong = []
    for message in french:
        if not message.id:
            continue
        expected = shape(msgids(message)[-1])
        for string in strings(message):
            if not string:
                continue
            found = shape(string)
            # A plural form may leave out a placeholder its number makes obvious ("its only
            # supporter"), but never bring one the msgid does not have.
            fits = (found[0] <= expected[0] and found[1:] == expected[1:]
                    if message.pluralizable else found == expected)
            if not fits:
                wrong.append(f"  - {msgids(message)[0]!r}\n    -> {string!r}")
    for message, errors in french.check():  # Babel's own python-format checks
        wrong += [f"  - {msgids(message)[0]!r}: {error}" for error in errors]
    assert not wrong, (
        f"French msgstr in {FR_PO_NAME} must keep exactly the placeholders of their msgid "
        "(%(name)s with the same type, %%, %); templates always %-format their strings, so a "
        "literal % is written %% there:\n" + "\n".join(wrong))


def test_every_domain_error_class_is_an_extraction_keyword():
    """Domain error messages are msgids: each class that takes one must be a keyword of babel.cfg
    (otherwise `raise NewError("...")` would never reach the catalogue)."""
    config = configparser.ConfigParser()
    config.read(ROOT / "babel.cfg", encoding="utf-8")
    keywords = {word.split(":")[0] for section in config.sections()
                if section.startswith("python") for word in
                config[section].get("keywords", "").split()}
    tree = ast.parse((ROOT / "budget" / "domain" / "errors.py").read_text("utf-8"))
    errors = {"DomainError"}
    takes_message = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and (node.name in errors or any(
                isinstance(base, ast.Name) and base.id in errors for base in node.bases)):
            errors.add(node.name)
            init = next((item for item in node.body
                         if isinstance(item, ast.FunctionDef) and item.name == "__init__"),
                        None)
            # InvalidBallot(problems) takes a list of errors, not a message.
            if init is None or [a.arg for a in init.args.args[1:2]] == ["message"]:
                takes_message.add(node.name)
    missing = sorted(takes_message - keywords)
    assert not missing, (
        f"Add {', '.join(missing)} to the `keywords` of the [python: ...] section of babel.cfg, "
        "then run `scripts/update-translations` and translate what it lists.")


def test_wtforms_own_messages_follow_the_page_language_and_are_read_once(app):
    """WTForms' built-in messages (a field's coercion errors) come in the page's language; the
    catalogue is loaded once per language, not on every request with a form."""
    from flask import request
    from flask_wtf.i18n import translations

    seen: dict[str, list] = {}
    for language, expected in (("fr", "N'est pas un entier valide."),
                               ("en", "Not a valid integer value."),
                               ("fr", "N'est pas un entier valide.")):
        with app.test_request_context("/", headers={"Accept-Language": language}):
            app.preprocess_request()
            assert translations.gettext("Not a valid integer value.") == expected
            seen.setdefault(language, []).append(request.wtforms_translations)
    first, again = seen["fr"]
    assert first is again
