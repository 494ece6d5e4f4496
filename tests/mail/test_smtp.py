"""Mail over SMTP, against a real local server: the server's certificate is checked (a
certificate for another name is refused before anything is sent), implicit TLS on port 465,
Date and Message-ID set, several emails over one connection."""
import email
import ssl

import pytest

from budget import create_app, mail
from tests.mail import smtp_server
from tests.mail.smtp_server import Inbox


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    folder = tmp_path_factory.mktemp("certs")
    return {name: smtp_server.certificate(folder, name) for name in ("localhost", "other.example")}


def mail_app(controller, **settings):
    """An app that sends through `controller` (not the testing outbox)."""
    return create_app("development", SQLALCHEMY_DATABASE_URI="sqlite://", MAIL_TO_LOG=False,
                      MAIL_SERVER="localhost", MAIL_PORT=controller.port, **settings)


def test_a_certificate_for_another_name_is_refused_and_nothing_is_sent(certificates):
    inbox = Inbox()
    controller = smtp_server.start(
        inbox, starttls=smtp_server.server_context(*certificates["other.example"]))
    try:
        app = mail_app(controller, MAIL_USE_TLS=True,
                       MAIL_CA_FILE=str(certificates["other.example"][0]))
        with app.app_context(), pytest.raises(ssl.SSLCertVerificationError):
            mail.deliver("habitant@example.fr", "Votre reçu", "code DB2Z-486V-QFWP")
    finally:
        controller.stop()
    assert inbox.messages == []


def test_an_unknown_authority_is_refused(certificates):
    inbox = Inbox()
    controller = smtp_server.start(
        inbox, starttls=smtp_server.server_context(*certificates["localhost"]))
    try:
        app = mail_app(controller, MAIL_USE_TLS=True)  # the system's authorities only
        with app.app_context(), pytest.raises(ssl.SSLCertVerificationError):
            mail.deliver("habitant@example.fr", "Votre reçu", "code DB2Z-486V-QFWP")
    finally:
        controller.stop()
    assert inbox.messages == []


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "implicit-tls"])
def test_a_verified_server_gets_the_email_with_date_and_message_id(certificates, implicit):
    inbox = Inbox()
    context = smtp_server.server_context(*certificates["localhost"])
    controller = smtp_server.start(inbox, **({"implicit": context} if implicit
                                             else {"starttls": context}))
    try:
        app = mail_app(controller, MAIL_USE_TLS=not implicit, MAIL_USE_SSL=implicit,
                       MAIL_CA_FILE=str(certificates["localhost"][0]))
        with app.app_context():
            mail.deliver("habitant@example.fr", "Votre reçu", "code DB2Z-486V-QFWP")
    finally:
        controller.stop()
    [raw] = inbox.messages
    message = email.message_from_string(raw)
    assert message["To"] == "habitant@example.fr" and "DB2Z-486V-QFWP" in raw
    assert message["Date"] and message["Message-ID"].endswith("@localhost>")


def test_a_batch_of_emails_goes_over_one_connection(certificates):
    inbox = Inbox()
    context = smtp_server.server_context(*certificates["localhost"])
    controller = smtp_server.start(inbox, starttls=context)
    connections = []
    try:
        app = mail_app(controller, MAIL_USE_TLS=True,
                       MAIL_CA_FILE=str(certificates["localhost"][0]))
        with app.app_context(), mail.batch() as via:
            for n in range(3):
                mail.deliver(f"{n}@example.fr", "Reçu", f"code {n}", via=via)
                connections.append(id(via.smtp))
    finally:
        controller.stop()
    assert len(inbox.messages) == 3 and len(set(connections)) == 1
