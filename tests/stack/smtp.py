"""An SMTP server that keeps what it receives, for the smoke test of the stack (the mail
catcher's part in docker-compose.yml): no extension, no login, no TLS."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    messages: list[bytes]


class _Session(socketserver.StreamRequestHandler):
    server: _Server

    def _reply(self, line: bytes) -> None:
        self.wfile.write(line + b"\r\n")

    def handle(self) -> None:
        self._reply(b"220 sink")
        body: list[bytes] | None = None
        while line := self.rfile.readline():
            if body is not None:  # DATA: up to a line with a single dot
                if line.rstrip(b"\r\n") == b".":
                    self.server.messages.append(b"".join(body))
                    body = None
                    self._reply(b"250 kept")
                else:
                    body.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                body = []
                self._reply(b"354 go on")
            elif verb == b"QUIT":
                self._reply(b"221 bye")
                return
            else:  # EHLO, HELO, MAIL, RCPT, RSET, NOOP
                self._reply(b"250 ok")


@contextmanager
def smtp_sink() -> Iterator[tuple[int, list[bytes]]]:
    """A server on a free port of this machine: (its port, the messages received)."""
    server = _Server(("127.0.0.1", 0), _Session)
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.messages
    finally:
        server.shutdown()
        server.server_close()
