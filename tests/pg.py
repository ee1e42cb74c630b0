"""The tests' throwaway PostgreSQL server: bench/pg.py, shared with `python -m bench`."""

from bench.pg import ADMIN, OWNER, OWNER_PASSWORD, START_TIMEOUT, PgServer, binaries, major_version

__all__ = ["ADMIN", "OWNER", "OWNER_PASSWORD", "START_TIMEOUT", "PgServer", "binaries", "major_version"]
