"""What marks a database as pmo-tui's, and which schema it is written in."""

# Bumped with every change to the tables; the data layer upgrades older databases. 4: the
# database's identity (a random id set when it is created or upgraded, see store.dialect). 5: the
# day a key result was created (its first check-in is due a week after). 6: who made each
# check-in, measurement and status update (`by`), every record's version (no silent overwrites),
# the change log, RAID items and reviews.
SCHEMA_VERSION = 6
# Written into the SQLite header so a file of another application is recognised and refused
# (on PostgreSQL, into the pmo_meta table: see store.dialect).
APPLICATION_ID = 0x504D4F54  # "PMOT"
# The tables of a portfolio: a change to any of them moves the revision (see store.dialect).
PORTFOLIO_TABLES = (
    "strategic_goal",
    "project",
    "project_update",
    "kpi",
    "measurement",
    "cycle",
    "objective",
    "key_result",
    "check_in",
    "assessment",
    "answer",
    "raid_item",
    "review",
)
# Schema 6's additions to older tables: who made each of these records (`by`)...
SIGNED_TABLES = ("check_in", "measurement", "project_update")
# ...and the version of each editable record, which an edit based on an older one is refused by.
VERSIONED_TABLES = (
    "strategic_goal",
    "project",
    "project_update",
    "kpi",
    "measurement",
    "cycle",
    "objective",
    "key_result",
    "check_in",
)
# Schema 6's new tables (added to an older database as they are), and a KPI's band (its two bounds).
SCHEMA_6_TABLES = ("raid_item", "review", "change_log")
BAND_COLUMNS = ("band_low", "band_high")
