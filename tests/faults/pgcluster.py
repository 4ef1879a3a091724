"""A throwaway PostgreSQL cluster for one test: its own data directory and port, started and
restarted by the test with Debian's binaries (PG_BIN, /usr/lib/postgresql/15/bin by default),
never the machine's shared server. PostgreSQL refuses to run as root: as root, every command runs
as the `postgres` user (runuser).

fsync is off: the test restarts the server process (`pg_ctl restart -m fast`: a clean shutdown
that writes everything out), it never pulls the plug on the machine, so durability on disk is not
what it tests, and the shared machine is spared the flushes."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
DATABASE = "lanzarote"


class ClusterUnavailable(Exception):
    """PostgreSQL's binaries, or a user that may run them, are missing here."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    def __init__(self) -> None:
        if not (PG_BIN / "initdb").exists():
            raise ClusterUnavailable(f"no PostgreSQL binaries in {PG_BIN} (set PG_BIN)")
        self._as: list[str] = []
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise ClusterUnavailable("running as root and there is no postgres user") from None
            if shutil.which("runuser") is None:
                raise ClusterUnavailable("running as root and runuser is missing")
            self._as = ["runuser", "-u", "postgres", "--"]
        self.root = Path(tempfile.mkdtemp(prefix="lanzarote-pgfault-"))
        if self._as:
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self.data = self.root / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _pg(self, program: str, *arguments: str, timeout: float = 60) -> None:
        command = [*self._as, str(PG_BIN / program), *arguments]
        finished = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if finished.returncode != 0:
            raise RuntimeError(f"{program} failed: {finished.stderr.strip()}")

    def start(self) -> None:
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                 "--no-sync", "--no-instructions")  # fmt: skip
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c max_connections=60"
        )
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options,
                 "-w", "-t", "60", "start")  # fmt: skip
        self._pg("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", DATABASE)

    def restart(self) -> None:
        """Fast shutdown (open transactions rolled back, clients disconnected), then start."""
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-m", "fast",
                 "-w", "-t", "60", "restart")  # fmt: skip

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._pg("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
