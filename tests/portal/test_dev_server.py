"""`make run`'s server (`manage.py runserver`) names no software or version: neither in the
responses of the application nor in the answer it gives itself to a malformed request. Started
as `make run` starts it, in a process of its own, on a loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.management.commands.runserver import SERVER_HEADER

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    port = _free_port()
    database = tmp_path_factory.mktemp("dev-server") / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("runserver did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def _raw(port: int, request: bytes) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received.decode("latin-1")


def test_the_development_server_names_no_software_in_an_application_response(
    dev_server: int,
) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{dev_server}/healthz") as response:
        assert response.status == 200
        assert response.headers.get_all("Server") == [SERVER_HEADER]


def test_the_development_server_names_no_software_when_it_refuses_a_malformed_request(
    dev_server: int,
) -> None:
    # A request line over 64 KiB: refused by the server itself (414), before any application.
    answer = _raw(dev_server, b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n")
    assert answer.startswith("HTTP/1.1 414"), answer[:80]
    headers = answer.split("\r\n\r\n", 1)[0].lower()
    assert f"server: {SERVER_HEADER}\r\n" in headers + "\r\n"
    for telltale in ("wsgiserver", "python", "cpython", "django"):
        assert telltale not in answer.lower(), telltale
