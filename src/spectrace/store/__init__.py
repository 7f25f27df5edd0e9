"""The SQLite requirement database: schema, writing editions, reading them back.

The database is built from the sources and can always be rebuilt; it is written to a temporary
file and renamed into place, so a failed build leaves the previous database as it was.
"""

from spectrace.store.read import ClauseView, Database, open_database
from spectrace.store.write import SCHEMA_VERSION, fill_database, write_database

__all__ = [
    "SCHEMA_VERSION",
    "ClauseView",
    "Database",
    "fill_database",
    "open_database",
    "write_database",
]
