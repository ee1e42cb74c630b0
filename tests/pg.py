"""The tests' throwaway PostgreSQL server: bench/pg.py, shared with `python -m bench`."""

from bench.pg import ADMIN, OWNER, OWNER_PASSWORD, START_TIMEOUT, PgServer, binaries

__all__ = ["ADMIN", "OWNER", "OWNER_PASSWORD", "START_TIMEOUT", "PgServer", "binaries"]
