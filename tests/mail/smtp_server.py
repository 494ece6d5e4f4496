"""A local SMTP server for the mail tests (aiosmtpd, in a thread), and certificates made with
openssl: one for the name the client connects to, one for another name."""
from __future__ import annotations

import asyncio
import ssl
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller

from tests.live.server import free_port


def certificate(folder: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for `name` (subjectAltName), and its key."""
    cert, key = folder / f"{name}.crt", folder / f"{name}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


@dataclass
class Inbox:
    """What the server received; with `hold`, it never answers DATA (a slow server)."""

    hold: bool = False
    messages: list = field(default_factory=list)
    receiving: int = 0

    async def handle_DATA(self, server, session, envelope):
        self.receiving += 1
        if self.hold:
            await asyncio.sleep(3600)
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"


def start(inbox: Inbox, *, starttls: ssl.SSLContext | None = None,
          implicit: ssl.SSLContext | None = None) -> Controller:
    """An SMTP server on 127.0.0.1 (STARTTLS offered with `starttls`, TLS from the first byte
    with `implicit`); stop it with .stop()."""
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=starttls,
                            ssl_context=implicit, ready_timeout=10)
    controller.start()
    return controller
