"""A throwaway PostgreSQL cluster for tests and benchmarks (not used by the CLI).

``initdb`` + ``pg_ctl`` from the installed server (``pg_config --bindir``, or the Debian
layout), data and unix socket in a temp folder, a free loopback port. Run as root, the
server runs as the ``postgres`` OS user (PostgreSQL refuses to run as root); the
cluster's superuser is ``postgres`` with trust authentication on loopback only.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class NoServer(RuntimeError):
    """No PostgreSQL server binaries here, or the cluster would not start."""


def server_bindir() -> Path | None:
    """Where ``initdb`` and ``pg_ctl`` live: ``KAM_PG_BINDIR`` (only there, when set),
    else ``pg_config --bindir``,
    PATH, then Debian's /usr/lib/postgresql/<version>/bin (newest first)."""
    candidates: list[str] = []
    if os.environ.get("KAM_PG_BINDIR"):  # when set, only there
        only = Path(os.environ["KAM_PG_BINDIR"])
        return only if (only / "initdb").is_file() else None
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True,
                                 timeout=10, check=True).stdout.strip()
            candidates.append(out)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).parent))
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                         key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit()
                         else 0, reverse=True)
    for folder in candidates:
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """A running throwaway cluster; :meth:`dsn` names a database in it."""

    root: Path
    bindir: Path
    port: int
    as_user: list[str]

    @property
    def data(self) -> Path:
        return self.root / "data"

    def dsn(self, dbname: str = "postgres", user: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} dbname={dbname} user={user}"

    def stop(self) -> None:
        subprocess.run([*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.data),
                        "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise NoServer(f"{' '.join(cmd[-3:])} failed: {done.stderr.strip() or done.stdout}")


def start(bindir: Path | None = None, durable: bool = False) -> Cluster:
    """Start a cluster and return it; :class:`NoServer` when the server is not installed
    or does not start. Tests run it with fsync off (throwaway data); ``durable`` keeps
    PostgreSQL's defaults (benchmarks)."""
    bindir = bindir or server_bindir()
    if bindir is None:
        raise NoServer("PostgreSQL server binaries (initdb, pg_ctl) not found")
    root = Path(tempfile.mkdtemp(prefix="kam-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            raise NoServer("running as root and runuser is missing")
        as_user = [runuser, "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
    os.chmod(root, 0o700)
    port = free_port()
    cluster = Cluster(root, bindir, port, as_user)
    try:
        _run([*as_user, str(bindir / "initdb"), "-D", str(cluster.data), "-U", "postgres",
              "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
        options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {root} "
                   "-c max_connections=200 -c shared_buffers=128MB")
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        _run([*as_user, str(bindir / "pg_ctl"), "-D", str(cluster.data), "-o", options,
              "-l", str(root / "server.log"), "-w", "-t", "60", "start"])
    except BaseException:
        cluster.stop()
        raise
    return cluster
