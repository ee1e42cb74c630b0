"""What marks a database file as pmo-tui's, and which schema it is written in."""

# Bumped with every change to the tables; the data layer upgrades older files. 4: the file's
# identity (a random id set when it is created or upgraded, see store._NEW_IDENTITY).
SCHEMA_VERSION = 4
# Written into the SQLite header so a file of another application is recognised and refused.
APPLICATION_ID = 0x504D4F54  # "PMOT"
