"""The `pmo` command line: opens the TUI and runs the portfolio's chores without it."""

from __future__ import annotations

import re
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import NoReturn

import click

from pmo_tui import __version__

# Exit statuses: 2 for bad input or usage (click's own choice too), 1 for anything else.
EXIT_BAD_INPUT = 2


def _fail(message: str) -> NoReturn:
    """One line on standard error, no traceback, exit status 2."""
    from pmo_tui.formatting import literal

    # One line, whatever the message quotes: line breaks and escape codes are made visible.
    click.echo(f"pmo: {literal(message)}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _say(text: str, *, err: bool = False) -> None:
    """Output that quotes stored or typed text (a unit, a code, a file name): control characters
    are drawn as visible symbols, line breaks of the output itself kept."""
    from pmo_tui.formatting import literal_lines

    click.echo(literal_lines(text), err=err)


def _database(db: str | None) -> Path | str:
    """The database of --db or $PMO_DB: a SQLite file's path, or a server's URL
    (postgresql+psycopg://user@host:5432/pmo), else the default file."""
    import os

    from pmo_tui.locations import DB_ENV, database_path

    named = db or os.environ.get(DB_ENV)
    if named and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", named):
        return named
    return database_path(db)


def _shown_database(db: str | None) -> str:
    """The database as messages name it: a URL never with its password."""
    database = _database(db)
    if isinstance(database, Path):
        return str(database)
    from sqlalchemy.engine import make_url

    try:
        return make_url(database).render_as_string(hide_password=True)
    except Exception:
        return "the --db URL"


def _open_store(db: str | None, *, existing: bool = False):
    """The store of --db; with `existing` (a command that only reads, or acts on records that must
    be there), a database file that is not there is not created: exit 2, pointing to `pmo init`."""
    from pmo_tui.locations import is_default_database
    from pmo_tui.store import DatabaseError, Store

    database = _database(db)
    if existing and isinstance(database, Path) and not database.exists():
        missing = "the file" if database.parent.is_dir() else f"its folder {database.parent}"
        _fail(f"no database at {database} ({missing} does not exist); `pmo init` creates one")
    context = click.get_current_context(silent=True)
    read_only = bool(context and (context.find_root().obj or {}).get("read_only"))
    # Only the default location is ours to create; a folder the user named must exist.
    try:
        store = Store.open(database, create_folder=is_default_database(db), read_only=read_only)
    except DatabaseError as error:
        _fail(str(error))
    return _working_as(store)


def _working_as(store):
    """The store with --as as who is working: the `by` of everything the command writes."""
    context = click.get_current_context(silent=True)
    working_as = context and (context.find_root().obj or {}).get("user")
    if working_as:
        store.user = working_as
    return store


def _load_sample(store, today: date) -> str:
    """Import the bundled sample, its dates moved by whole weeks so that its own day is `today`."""
    from pmo_tui.locations import sample_portfolio_path, sample_weeks
    from pmo_tui.portfolio_file import PortfolioFileError, read_portfolio, shifted_portfolio

    try:
        portfolio = shifted_portfolio(read_portfolio(sample_portfolio_path()), sample_weeks(today))
        return store.import_portfolio(portfolio).describe()
    except PortfolioFileError as error:
        _fail(str(error))


def _run_tui(store, today: date | None, offer_sample: bool = True) -> None:
    from pmo_tui.app import make_app

    make_app(store, today=today, offer_sample=offer_sample).run()


today_option = click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Look at the portfolio as of this day (YYYY-MM-DD) instead of today.",
)


class _Commands(click.Group):
    """Every command: whatever fails (the database locked by another program, a full disk, a
    read-only file, a damaged one, a record another session deleted) is told in one line of the
    user's words (pmo_tui.failures), with exit status 2 and no traceback."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Bytes the shell passed that are not UTF-8 (Python keeps them as lone surrogates) can be
        # neither stored nor shown: refused here for every command, naming the argument.
        for arg in args:
            try:
                arg.encode("utf-8")
            except UnicodeEncodeError:
                shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                _fail(f"“{shown}” is not UTF-8 text: pmo takes names, text and file names in UTF-8")
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        import os

        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:
            if os.environ.get("PMO_DEBUG"):  # a developer's look at the traceback
                raise
            from pmo_tui.failures import explain, is_about_the_database

            message = explain(error)
            if is_about_the_database(error):
                message = f"{_shown_database((ctx.obj or {}).get('db'))}: {message}"
            _fail(message)


@click.group(
    cls=_Commands,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="""\b
Examples:
  pmo                      open your portfolio
  pmo --db team.db         open another database file
  pmo demo                 try pmo-tui on the bundled sample portfolio
  pmo init --sample        create your database with the sample in it""",
)
@click.option(
    "--db",
    metavar="PATH|URL",
    help="Database file to use, or a PostgreSQL URL such as postgresql+psycopg://user@host:5432/pmo "
    "(default: $PMO_DB, else a file in your user data folder).",
)
@click.option(
    "--read-only",
    is_flag=True,
    envvar="PMO_READ_ONLY",
    help="Open the database for reading only: browse, report and export; nothing is written "
    "(also $PMO_READ_ONLY=1). A read-only file or folder is opened so by itself.",
)
@click.option(
    "--as",
    "user",
    metavar="NAME",
    help="Who is working: the name each check-in, measurement, update and change is recorded "
    "under (default: $PMO_USER, else the PostgreSQL role, else your login).",
)
@today_option
@click.version_option(__version__, "-V", "--version", prog_name="pmo")
@click.pass_context
def main(ctx: click.Context, db: str | None, read_only: bool, user: str | None, today) -> None:
    """pmo-tui: the terminal cockpit of a Project Management Office.

    Without a command, opens the portfolio overview on your database.
    Keys inside: 1-4 switch areas, ? shows all keys, ctrl+p finds anything, q quits.
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    ctx.obj["read_only"] = read_only
    if user is not None and not user.strip():
        _fail("--as: give the name of who is working")
    if user is not None and not user.isprintable():
        _fail("--as: a name of printable characters only")
    ctx.obj["user"] = user.strip() if user else None
    ctx.obj["today"] = today.date() if today else None
    if ctx.invoked_subcommand is None:
        from pmo_tui.idle_collection import held_at_start_up

        with held_at_start_up():
            store = _open_store(db)
            _run_tui(store, today.date() if today else None)


@main.command()
@today_option
@click.pass_context
def demo(ctx: click.Context, today) -> None:
    """Open the app on a temporary copy of the sample portfolio.

    Your own database is never touched; the copy is deleted when you quit.
    The sample's dates are moved by whole weeks so that it is seen as of today
    (or --today).

    \b
    Example:
      pmo demo
    """
    from pmo_tui.idle_collection import held_at_start_up
    from pmo_tui.store import Store

    day = today.date() if today else _today(ctx)
    with held_at_start_up(), tempfile.TemporaryDirectory(prefix="pmo-demo-") as folder:
        store = _working_as(Store.open(Path(folder) / "sample-portfolio.db"))
        _load_sample(store, day)
        try:
            _run_tui(store, day, offer_sample=False)
        finally:
            store.close()


@main.command()
@click.option("--sample", is_flag=True, help="Fill the new database with the sample portfolio.")
@click.pass_context
def init(ctx: click.Context, sample: bool) -> None:
    """Create the database (at --db, $PMO_DB or the default place).

    With --sample, the sample's dates are moved by whole weeks so that it is
    seen as of today (or pmo --today DAY).

    \b
    Examples:
      pmo init
      pmo --db team.db init --sample
    """
    from pmo_tui.locations import is_default_database
    from pmo_tui.store import DatabaseError, Store

    # The one command that makes an existing empty file a database (see Store.open).
    db = ctx.obj["db"]
    try:
        store = _working_as(Store.open(_database(db), create_folder=is_default_database(db), initialize=True))
    except DatabaseError as error:
        _fail(str(error))
    try:
        if sample:
            if not store.is_empty():
                _fail(f"{store.location} already holds a portfolio; the sample was not loaded")
            loaded = _load_sample(store, _today(ctx))
            _say(f"Created {store.location} with the sample portfolio: {loaded}.")
        else:
            _say(f"Database ready at {store.location}.")
    finally:
        store.close()


def _database_files(ctx: click.Context) -> list[Path]:
    """The database of this command and its -wal, -shm and journal: never written over."""
    from pmo_tui.files import database_files

    database = _database(ctx.obj["db"])
    return database_files(database) if isinstance(database, Path) else []


def _check_target(ctx: click.Context, path: Path, force: bool) -> None:
    """Before any work: a target that may not be written (the database, a folder, a FIFO...), or
    an existing file without --force, exits 2 with nothing written."""
    from pmo_tui.files import FileExists, FileNotWritten, check_target

    try:
        check_target(path, protected=_database_files(ctx), replace=force)
    except FileExists:
        _fail(f"{path} already exists; add --force to replace it")
    except FileNotWritten as error:
        _fail(str(error))


def _write_private(ctx: click.Context, path: Path, text: str, force: bool) -> None:
    """Write a file readable by its owner only, whole or not at all; a failure exits 2."""
    from pmo_tui.files import FileExists, FileNotWritten, write_private

    try:
        write_private(path, text, protected=_database_files(ctx), replace=force)
    except FileExists:
        _fail(f"{path} already exists; add --force to replace it")
    except FileNotWritten as error:
        _fail(str(error))


force_option = click.option(
    "--force", is_flag=True, help="Replace the file if it exists (without it, an existing file is kept)."
)


@main.command()
@click.argument("file", metavar="FILE")
@force_option
@click.pass_context
def export(ctx: click.Context, file: str, force: bool) -> None:
    """Write the whole database as a TOML portfolio file (- for standard output).

    The same data always gives the same bytes, so exports diff well under
    version control; the file is readable by you only. An existing file is
    replaced only with --force; the database itself never is.

    \b
    Examples:
      pmo export portfolio.toml
      pmo export portfolio.toml --force
      pmo --db team.db export - | less
    """
    from pmo_tui.portfolio_file import dump_portfolio

    if file != "-":
        _check_target(ctx, Path(file), force)
    store = _open_store(ctx.obj["db"], existing=True)
    try:
        # Read first: a change made meanwhile makes the file look older, never newer, than it is.
        change = store.last_change_id()
        text = dump_portfolio(store.export_portfolio())
    finally:
        store.close()
    if file == "-":
        click.echo(text, nl=False)
        return
    _write_private(ctx, Path(file), text, force)
    _say(
        f"Exported {store.location} to {file}, as of change {change} "
        f"(pmo import --based-on {change} refuses it once anyone has changed the portfolio since).",
        err=True,
    )


@main.command(name="import")
@click.argument("file", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report what would change; write nothing.")
@click.option(
    "--based-on",
    type=click.IntRange(min=0),
    metavar="CHANGE",
    help="Import only if no one has changed the portfolio since change CHANGE, the one `pmo export` "
    "printed: otherwise exit 2 and write nothing.",
)
@click.pass_context
def import_(ctx: click.Context, file: Path, dry_run: bool, based_on: int | None) -> None:
    """Add a TOML portfolio file, or KPI measurements or check-ins from a CSV
    file, all or nothing.

    A .csv file holds measurements: a header naming the columns kpi, period,
    value and optionally note, then one row per value (UTF-8, with or without
    a byte-order mark). Each date is taken to the end of its KPI's period; a
    period that already has a value gets the new one.

    A .csv file whose header names key_result holds check-ins: the columns
    key_result, on, value and optionally confidence (0-10; default: the key
    result's last), comment and by (default: the user working). Each obeys
    the rules of a check-in made in the app; a day that has a check-in gets
    the new one.

    Any invalid record rejects the whole file with its place (a line of the
    CSV, or a key such as projects[3].budget) and leaves the database as it
    was. In a TOML file, a record whose code is already in the database
    updates it: the fields and rows the file gives replace the current ones,
    and everything it leaves out is kept. References may name records that
    are only in the database. With --based-on CHANGE (printed by `pmo export`),
    a portfolio someone has changed since is not overwritten: exit status 2.

    \b
    Examples:
      pmo import portfolio.toml --dry-run
      pmo import portfolio.toml --based-on 118
      pmo --db team.db import portfolio.toml
      pmo import october-kpis.csv
      pmo import week-47-check-ins.csv
    """
    import os

    from pmo_tui.check_ins_csv import CheckInRow, is_check_ins_csv, read_check_ins_csv
    from pmo_tui.formatting import literal
    from pmo_tui.measurements_csv import MeasurementRow, read_measurements_csv
    from pmo_tui.portfolio_file import PortfolioFileError, read_portfolio_text
    from pmo_tui.progress import StandardErrorProgress, reporting
    from pmo_tui.progress import report as step
    from pmo_tui.store import Conflict
    from pmo_tui.validation import InvalidInput

    csv_file = file.suffix.lower() == ".csv"
    # A CSV says by its header what it holds: check-ins name key_result, measurements kpi.
    check_ins = csv_file and is_check_ins_csv(file)
    # A long import shows how far it has got on standard error (pmo_tui.progress); a failure
    # is told once that line is wiped, in one line of its own.
    what = f"importing {literal(str(file))}"
    try:
        size = os.stat(file).st_size
    except OSError:
        size = 0  # said below, by the reading
    failure = None
    rows: list[MeasurementRow] = []  # a CSV file's
    check_in_rows: list[CheckInRow] = []
    text = ""  # a TOML file's
    with StandardErrorProgress(what, size) as shown, reporting(shown):
        try:
            if check_ins:
                check_in_rows = read_check_ins_csv(file)
            elif csv_file:
                rows = read_measurements_csv(file)
            else:
                text = read_portfolio_text(file)
        except OSError as error:
            failure = f"{file}: cannot read ({error.strerror})"
        except PortfolioFileError as error:
            failure = str(error)
    if failure is not None:
        _fail(failure)
    store = _open_store(ctx.obj["db"])
    today = _today(ctx)
    try:
        # One transaction: stopped at any point (a kill, a full disk), the database is as it was.
        with StandardErrorProgress(what, size, started=shown.started) as shown, reporting(shown):
            try:
                if check_ins:
                    step(f"writing {len(check_in_rows):,} check-ins to the database")
                    summary = store.import_check_ins(
                        check_in_rows, dry_run=dry_run, today=today, based_on=based_on
                    )
                elif csv_file:
                    step(f"writing {len(rows):,} measurements to the database")
                    summary = store.import_measurements(rows, dry_run=dry_run, today=today, based_on=based_on)
                else:
                    summary = store.import_portfolio_text(
                        text, str(file), dry_run=dry_run, today=today, based_on=based_on
                    )
            except PortfolioFileError as error:
                failure = str(error) if not csv_file else f"{file}: {error}"
            except InvalidInput as error:
                if error.field != "based_on":
                    raise
                failure = f"--based-on: {error.message}; nothing was imported"
            except Conflict as conflict:
                who = conflict.by or "someone else"
                failure = (
                    f"{file}: the portfolio was changed by {who} since change {based_on}, the one it "
                    f"is based on ({', '.join(conflict.changed)}); nothing was imported. Export "
                    "again, or leave out --based-on to import over their changes"
                )
    finally:
        store.close()
    if failure is not None:
        _fail(failure)
    if check_ins:
        new, replaced = summary.counts["check-ins"], summary.updated["check-ins"]
        verb = "Would record" if dry_run else "Recorded"
        _say(
            f"{verb} {new + replaced} check-in{'' if new + replaced == 1 else 's'} from {file}: "
            f"{new} new, {replaced} replacing one of the same day."
        )
        return
    if csv_file:
        new, replaced = summary.counts["measurements"], summary.counts["replaced measurements"]
        verb = "Would record" if dry_run else "Recorded"
        _say(
            f"{verb} {new + replaced} measurement{'' if new + replaced == 1 else 's'} from {file}: "
            f"{new} new, {replaced} replacing a value."
        )
        return
    _say(f"{summary.sentence(dry_run)} from {file}.")


def _today(ctx: click.Context) -> date:
    """The day the command acts on: --today when given, else today."""
    return (ctx.obj or {}).get("today") or date.today()


def _refused(error, options: dict[str, str]) -> None:
    """A value the data layer refused, named as the option the user typed (or as its own name)."""
    _fail(f"{options.get(error.field, error.field)}: {error.message}")


def _parsed(parse, *args, **kwargs):
    """A value checked by the validation module; a refused one ends the command with status 2."""
    from pmo_tui.validation import InvalidInput

    try:
        return parse(*args, **kwargs)
    except InvalidInput as error:
        _fail(f"{error.field}: {error.message}")


expect_version_option = click.option(
    "--expect-version",
    "expected",
    type=click.IntRange(min=1),
    metavar="N",
    help="Write over the existing record only if it is still at version N, the version this "
    "command printed when it last wrote it: a change by someone else since exits 2 and writes nothing.",
)


def _stale(conflict, expected: int) -> NoReturn:
    """A write based on version `expected` of a record someone else has changed since: one line."""
    who = conflict.by or "someone else"
    fields = f" ({', '.join(conflict.changed)})" if conflict.changed else ""
    _fail(
        f"{conflict.what} was changed by {who} since version {expected}{fields}; nothing was written. "
        "Look at it again, or leave out --expect-version to write over it"
    )


@main.command()
@click.argument("code", metavar="KR_CODE")
@click.argument("value", metavar="VALUE")
@click.option(
    "--confidence", metavar="0-10", help="How sure you are of reaching the target (default: as last time)."
)
@click.option("--comment", default="", help="One line on what changed.")
@click.option("--at", "at", metavar="DATE", help="The day of the check-in, YYYY-MM-DD (default: today).")
@expect_version_option
@click.pass_context
def checkin(
    ctx: click.Context,
    code: str,
    value: str,
    confidence: str | None,
    comment: str,
    at: str | None,
    expected: int | None,
) -> None:
    """Check in on a key result: its value now, and your confidence.

    A second check-in on the same day replaces the first; with
    --expect-version N, only while it is still at the version N printed when
    it was written. Write a negative value after `--`, as in
    `pmo checkin KR -- -3`.

    \b
    Examples:
      pmo checkin Q4-O1-KR2 86 --confidence 7
      pmo checkin Q4-O2-KR1 45 --comment "two workshops moved to December"
    """
    from pmo_tui.formatting import format_confidence, format_percent, format_value
    from pmo_tui.store import Conflict, NotFound
    from pmo_tui.validation import InvalidInput, parse_confidence, parse_date, parse_number, parse_text

    today = _today(ctx)
    number = _parsed(parse_number, value, "value")
    on = _parsed(parse_date, at, "--at") if at is not None else today  # --at '' is no day
    note = _parsed(parse_text, comment, "--comment", limit=500)
    store = _open_store(ctx.obj["db"], existing=True)
    try:
        try:
            _, key_result = store.key_result_detail(code, on)
        except NotFound as error:
            _fail(str(error))
        if confidence is not None:
            share = _parsed(parse_confidence, confidence, "--confidence")
        elif key_result.confidence is not None:
            share = key_result.confidence
        else:
            _fail(f"{code} has no check-in yet: give --confidence 0-10")
        try:
            store.record_check_in(code, on, number, share, note, today=today, expected_version=expected)
        except InvalidInput as error:
            _refused(error, {"on": "--at", "confidence": "--confidence", "comment": "--comment"})
        except Conflict as conflict:
            _stale(conflict, expected or 0)
        _, key_result = store.key_result_detail(code, on)
    finally:
        store.close()
    written = next((c for c in key_result.check_ins if c.on == on), None)
    _say(
        f"{code}: {format_value(number, key_result.unit)} checked in on {on.isoformat()} "
        f"(confidence {format_confidence(share)}); progress {format_percent(key_result.progress)}, "
        f"{key_result.pace.value}." + (f" Version {written.version}." if written else "")
    )


@main.command()
@click.argument("code", metavar="KPI_CODE")
@click.argument("value", metavar="VALUE")
@click.option(
    "--period",
    metavar="DATE",
    help="Any day of the period the value stands for (default: the current period).",
)
@click.option("--note", default="", help="Where the number comes from, or what explains it.")
@click.option("--replace", is_flag=True, help="Replace the value the period already has.")
@expect_version_option
@click.pass_context
def measure(
    ctx: click.Context,
    code: str,
    value: str,
    period: str | None,
    note: str,
    replace: bool,
    expected: int | None,
) -> None:
    """Record a KPI's value for a period (the last day of its cadence's period).

    \b
    Examples:
      pmo measure ONTIME 74.5
      pmo measure SAT 7.9 --period 2026-09-30 --note "Q3 survey"
    """
    from pmo_tui.formatting import format_value
    from pmo_tui.store import Conflict, NotFound, PeriodTaken
    from pmo_tui.validation import InvalidInput, measurement_period, parse_date, parse_number, parse_text

    today = _today(ctx)
    number = _parsed(parse_number, value, "value")
    day = _parsed(parse_date, period, "--period") if period is not None else today  # --period '' is no day
    text = _parsed(parse_text, note, "--note", limit=500)
    store = _open_store(ctx.obj["db"], existing=True)
    try:
        try:
            kpi = store.kpi_detail(code, day).summary
        except NotFound as error:
            _fail(str(error))
        period_end = _parsed(measurement_period, day, kpi.cadence, today, "--period")
        try:
            store.add_measurement(
                code, period_end, number, text, replace=replace, today=today, expected_version=expected
            )
        except InvalidInput as error:
            _refused(error, {"period": "--period", "note": "--note"})
        except Conflict as conflict:
            _stale(conflict, expected or 0)
        except PeriodTaken as taken:
            _fail(
                f"{code} already has {taken.value:g} for {period_end.isoformat()}; "
                "add --replace to replace it"
            )
        written = next(
            (m for m in store.kpi_detail(code, today).measurements if m.period == period_end), None
        )
    finally:
        store.close()
    _say(
        f"{code}: {format_value(number, kpi.unit)} recorded for the {kpi.cadence} period "
        f"ending {period_end.isoformat()}." + (f" Version {written.version}." if written else "")
    )


@main.command()
@click.argument("code", metavar="PROJECT_CODE")
@click.option("--on", "on", metavar="DATE", help="The day of the update, YYYY-MM-DD (default: today).")
@click.option("--forecast-finish", metavar="DATE", help="When the project is now expected to finish.")
@click.option(
    "--pv", metavar="AMOUNT", help="Planned value: the budgeted cost of the work scheduled to date."
)
@click.option("--ev", metavar="AMOUNT", help="Earned value: the budgeted cost of the work done to date.")
@click.option("--ac", metavar="AMOUNT", help="Actual cost of the work done to date.")
@click.option("--change-requests", metavar="N", help="Change requests raised so far.")
@click.option("--open-risks", metavar="N", help="Risks open today.")
@click.option("--satisfaction", metavar="0-100", help="Stakeholder satisfaction in percent.")
@click.option("--comment", default=None, help="One line on what changed.")
@click.option(
    "--replace", is_flag=True, help="Correct the update the day already has (what is not given is kept)."
)
@expect_version_option
@click.pass_context
def update(
    ctx: click.Context,
    code: str,
    on: str | None,
    forecast_finish: str | None,
    pv: str | None,
    ev: str | None,
    ac: str | None,
    change_requests: str | None,
    open_risks: str | None,
    satisfaction: str | None,
    comment: str | None,
    replace: bool,
    expected: int | None,
) -> None:
    """Add a dated status update to a project, or correct the day's with --replace.

    Every figure not given is carried over from the project's latest update,
    so only what changed is typed; the first update of a project needs --pv,
    --ev and --ac. One update per project and day: --replace corrects the one
    the day has, keeping what is not given (its comment too); with
    --expect-version N, only while it is still at the version N printed when
    it was written.

    \b
    Examples:
      pmo update PRJ-101 --ev 3100000 --ac 3500000 --comment "cut-over rehearsal passed"
      pmo update PRJ-104 --forecast-finish 2027-03-31 --open-risks 6 --on 2026-11-27
      pmo update PRJ-101 --ac 3450000 --replace
    """
    from pmo_tui.formatting import format_index, plain_number
    from pmo_tui.store import Conflict, NotFound
    from pmo_tui.validation import InvalidInput, check_status_update, parse_date

    today = _today(ctx)
    day = _parsed(parse_date, on, "--on") if on is not None else today  # --on '' is no day
    store = _open_store(ctx.obj["db"], existing=True)
    try:
        try:
            detail = store.project_detail(code)
        except NotFound as error:
            _fail(str(error))
        same_day = next((u for u in detail.updates if u.on == day), None)
        if replace and same_day is None:
            _fail(
                f"--on: {code} has no update on {day.isoformat()} to replace; leave out --replace to add one"
            )
        if same_day is not None and not replace:
            _fail(f"--on: {code} already has an update on {day.isoformat()}; add --replace to correct it")
        # A correction starts from the update it corrects; a new update from the latest one.
        last = same_day or detail.latest
        given = {
            "on": on,
            "forecast_finish": forecast_finish,
            "planned_value": pv,
            "earned_value": ev,
            "actual_cost": ac,
            "change_requests": change_requests,
            "open_risks": open_risks,
            "satisfaction": satisfaction,
        }
        carried = {
            "on": today.isoformat(),
            "forecast_finish": last.forecast_finish.isoformat() if last and last.forecast_finish else "",
            "planned_value": plain_number(last.planned_value) if last else "",
            "earned_value": plain_number(last.earned_value) if last else "",
            "actual_cost": plain_number(last.actual_cost) if last else "",
            "change_requests": str(last.change_requests) if last else "0",
            "open_risks": str(last.open_risks) if last else "0",
            "satisfaction": plain_number(last.satisfaction) if last else "",
        }
        fields = {name: carried[name] if value is None else value for name, value in given.items()}
        fields["comment"] = comment if comment is not None else (same_day.comment if same_day else "")
        entry, errors = check_status_update(fields, detail.start, budget=detail.budget, today=today)
        if entry is None:
            name, message = next(iter(errors.items()))
            option = {"planned_value": "pv", "earned_value": "ev", "actual_cost": "ac"}.get(name, name)
            _fail(f"--{option.replace('_', '-')}: {message}")
        try:
            store.save_status_update(
                code,
                entry,
                update_id=same_day.id if same_day else None,
                today=today,
                expected_version=expected if same_day else None,
            )
        except Conflict as conflict:
            _stale(conflict, expected or 0)
        except InvalidInput as error:
            option = {"planned_value": "pv", "earned_value": "ev", "actual_cost": "ac"}.get(
                error.field, error.field
            )
            _fail(f"--{option.replace('_', '-')}: {error.message}")
        stored = store.project_detail(code)
        after = stored.row
        written = next((u for u in stored.updates if u.on == entry.on), None)
    finally:
        store.close()
    _say(
        f"{code}: status update of {entry.on.isoformat()} {'corrected' if same_day else 'saved'}; SPI {format_index(after.spi)}, "
        f"CPI {format_index(after.cpi)}." + (f" Version {written.version}." if written else "")
    )


since_option = click.option(
    "--since",
    metavar="DATE",
    help="Count what changed from this day, YYYY-MM-DD (default: the last review marked done, "
    "else a week ago).",
)


def _since(since: str | None, today: date) -> date | None:
    """The --since day, checked: a day as YYYY-MM-DD, not after the day looked at."""
    from pmo_tui.validation import parse_date

    if since is None:
        return None
    day = _parsed(parse_date, since, "--since")
    if day > today:
        _fail(f"--since: {day.isoformat()} is after today ({today.isoformat()}); give an earlier day")
    return day


# What `pmo review` and `pmo due` print.
text_format_option = click.option(
    "--format",
    "format_",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="Text to read here, Markdown to paste into mail or chat, JSON for other tools.",
)


@main.command()
@since_option
@text_format_option
@click.option(
    "--done",
    is_flag=True,
    help="Mark today's review done: the next review counts what changed from today.",
)
@click.pass_context
def review(ctx: click.Context, since: str | None, format_: str, done: bool) -> None:
    """What changed since the last portfolio review: KPIs whose status changed,
    key results slipping, projects slipping, what became overdue, missed
    check-ins, and RAID items opened and closed, each with before and after.

    \b
    Examples:
      pmo review
      pmo review --since 2026-11-02 --format markdown
      pmo review --done
    """
    today = _today(ctx)
    if done:
        if since is not None:
            _fail("--done marks today's review done; it takes no --since")
        store = _open_store(ctx.obj["db"], existing=True)
        try:
            day, by = store.mark_review_done(today)
        finally:
            store.close()
        who = f" by {by}" if by else ""
        _say(f"Review of {day.isoformat()} marked done{who}; the next review counts what changed from it.")
        return
    from pmo_tui.report import changes_markdown, report_json
    from pmo_tui.review import changes_json, changes_text

    baseline = _since(since, today)
    store = _open_store(ctx.obj["db"], existing=True)
    try:
        changes = store.review_changes(today, baseline)
    finally:
        store.close()
    if format_ == "json":
        click.echo(report_json({"format": "pmo-tui review", "version": 1, **changes_json(changes)}), nl=False)
    elif format_ == "markdown":
        click.echo("\n".join(changes_markdown(changes_json(changes))).rstrip("\n") + "\n", nl=False)
    else:
        _say(changes_text(changes).rstrip("\n"))


@main.group()
def cycle() -> None:
    """The OKR cycles: close one and grade it."""


@cycle.command("close", short_help="Close an open OKR cycle and grade it.")
@click.argument("name", metavar="NAME")
@click.option(
    "--carry-over",
    is_flag=True,
    help="Copy the unfinished objectives (scored below 1) into the next cycle, created when missing.",
)
@click.pass_context
def close_cycle(ctx: click.Context, name: str, carry_over: bool) -> None:
    """Close an open OKR cycle and grade it, as the OKR screen's close key does.

    Each key result of its active and finished objectives is scored by its
    progress today, each objective by the weighted mean of those scores, and
    the scores are stored. With --carry-over, the unfinished objectives are
    copied into the next cycle, their key results starting from their last
    value; closing and carrying over succeed or fail together.

    \b
    Examples:
      pmo cycle close 2026-Q4
      pmo cycle close 2026-Q4 --carry-over
    """
    from pmo_tui.calculations import grade_band
    from pmo_tui.store import NotFound
    from pmo_tui.validation import InvalidInput

    store = _open_store(ctx.obj["db"], existing=True)
    try:
        try:
            summary = store.close_cycle(name, _today(ctx), carry_over=carry_over)
        except NotFound as error:
            _fail(str(error))
        except InvalidInput as error:
            _fail(error.message)
    finally:
        store.close()
    objectives = summary.objectives
    scores = [o.score or 0.0 for o in objectives]
    average = sum(scores) / len(scores) if scores else 0.0
    lines = [
        f"{name} closed and graded: {len(objectives)} objective{'' if len(objectives) == 1 else 's'}"
        + (f", average score {average:.2f} ({grade_band(average).word})." if objectives else ".")
    ]
    for objective in objectives:
        score = objective.score or 0.0
        lines.append(f"  {score:.2f} {grade_band(score).word:<8}  {objective.code} {objective.title}")
        for kr in objective.key_results:
            kr_score = kr.score or 0.0
            lines.append(f"    {kr_score:.2f} {grade_band(kr_score).word:<8}  {kr.code} {kr.title}")
    unfinished = ", ".join(summary.unfinished)
    if not summary.unfinished:
        lines.append("Every objective was finished: nothing to carry over.")
    elif carry_over:
        skipped = len(summary.unfinished) - len(summary.carried)
        note = f" ({skipped} carried over before)" if skipped else ""
        lines.append(
            f"Carried {len(summary.carried)} of the unfinished objectives ({unfinished}) into "
            f"{summary.next_cycle}: {', '.join(summary.carried) or 'none'}{note}."
        )
    else:
        lines.append(
            f"Unfinished, kept in {name}: {unfinished} (--carry-over would copy them into {summary.next_cycle})."
        )
    _say("\n".join(lines))


@main.command()
@click.option(
    "--format",
    "format_",
    type=click.Choice(["markdown", "json", "html"]),
    default="markdown",
    show_default=True,
    help="Markdown to read, JSON for other tools, HTML (one self-contained page with charts) to send.",
)
@click.option("--cycle", metavar="NAME", help="The OKR cycle to report on (default: the current one).")
@since_option
@click.option(
    "-o", "--output", metavar="FILE", help="Write to FILE (readable by you only) instead of the screen."
)
@force_option
@click.pass_context
def report(
    ctx: click.Context, format_: str, cycle: str | None, since: str | None, output: str | None, force: bool
) -> None:
    """The executive report: portfolio figures, what changed since the last review,
    KPIs, projects needing attention, the cycle's objectives, what is overdue, and
    the maturity stage.

    \b
    Examples:
      pmo report
      pmo report --cycle 2026-Q3 -o q3-report.md
      pmo report --since 2026-11-02
      pmo --today 2026-11-20 report --format json | jq .portfolio
      pmo report --format html -o board-report.html
    """
    from pmo_tui.report import build_report, report_json, report_markdown
    from pmo_tui.report_html import report_html
    from pmo_tui.store import NotFound

    today = _today(ctx)
    baseline = _since(since, today)
    if output not in (None, "-"):
        _check_target(ctx, Path(output), force)
    store = _open_store(ctx.obj["db"], existing=True)
    try:
        try:
            content = build_report(store, today, cycle, baseline)
        except NotFound as error:
            _fail(f"--cycle: {error}")
    finally:
        store.close()
    writers = {"json": report_json, "html": report_html, "markdown": report_markdown}
    text = writers[format_](content)
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    _write_private(ctx, Path(output), text, force)
    _say(f"Report written to {output}.", err=True)


# --------------------------------------------------------------------------- the RAID log

# The option that sets each field of a RAID item, for messages that name what the user typed.
_RAID_OPTIONS = {
    "code": "--code",
    "kind": "--kind",
    "title": "--title",
    "owner": "--owner",
    "status": "--status",
    "raised": "--raised",
    "due": "--due",
    "closed": "--on",
    "note": "--note",
    "probability": "--probability",
    "impact": "--impact",
    "decided": "--decided",
    "decided_by": "--by",
    "rationale": "--rationale",
}


def _raid_options(command):
    """The options that set a RAID item's fields, shared by `pmo raid add` and `pmo raid update`."""
    for option in reversed(
        [
            click.option("--title", metavar="TEXT", help="What the item is, in one line."),
            click.option("--owner", metavar="NAME", help="Who looks after it."),
            click.option("--raised", metavar="DATE", help="The day it was raised (add: default today)."),
            click.option(
                "--due", metavar="DATE", help="When it is due (an action) or to be reviewed; '' clears."
            ),
            click.option("--note", metavar="TEXT", help="One line of context; '' clears."),
            click.option(
                "--probability", metavar="1-5", help="A risk's probability (1 rare to 5 almost certain)."
            ),
            click.option("--impact", metavar="1-5", help="A risk's impact (1 slight to 5 severe)."),
            click.option("--decided", metavar="DATE", help="A decision: the day it was made."),
            click.option("--by", "decided_by", metavar="NAME", help="A decision: who made it."),
            click.option("--rationale", metavar="TEXT", help="A decision: why."),
        ]
    ):
        command = option(command)
    return command


def _save_raid(ctx: click.Context, project: str, fields: dict[str, str], original: str | None, version):
    """Check `fields` as the form does and save them: exit 2 with the option at fault."""
    from pmo_tui.validation import InvalidInput, check_raid_item

    store = _open_store(ctx.obj["db"], existing=True)
    try:
        taken = store.raid_codes(project) - ({original} if original else set())
        entry, errors = check_raid_item(fields, taken, today=_today(ctx))
        if entry is None:
            name, message = next(iter(errors.items()))
            _fail(f"{_RAID_OPTIONS.get(name, name)}: {message}")
        try:
            store.save_raid_item(project, entry, original_code=original, expected_version=version)
        except InvalidInput as error:
            _refused(error, _RAID_OPTIONS)
        return store.raid_item(project, entry.code, _today(ctx))
    finally:
        store.close()


def _raid_line(item) -> str:
    from pmo_tui.formatting import raid_line

    return raid_line(item)


@main.group()
def raid() -> None:
    """The RAID log: a project's risks, assumptions, issues, decisions and actions.

    \b
    Examples:
      pmo raid list --kind risk
      pmo raid add PRJ-101 --kind risk --title "Data migration slips" --probability 4 --impact 3 --owner "Priya Raman"
      pmo raid update PRJ-101 R3 --impact 5 --note "vendor lost two engineers"
      pmo raid close PRJ-101 ACT2 --on 2026-11-18
    """


@raid.command(name="list")
@click.argument("project", metavar="[PROJECT_CODE]", required=False)
@click.option(
    "--kind", type=click.Choice(["risk", "assumption", "issue", "decision", "action"]), help="Only this kind."
)
@click.option("--all", "show_closed", is_flag=True, help="Closed items too (default: open ones only).")
@click.pass_context
def raid_list(ctx: click.Context, project: str | None, kind: str | None, show_closed: bool) -> None:
    """List the open RAID items of a project, or of every project: risks by exposure, actions by
    due day, overdue ones marked "⚠ overdue"."""
    from pmo_tui.store import NotFound

    store = _open_store(ctx.obj["db"], existing=True)
    try:
        if project:
            try:
                items = store.raid_items(project, _today(ctx))
            except NotFound as error:
                _fail(str(error))
        else:
            items = store.portfolio_raid(_today(ctx))
    finally:
        store.close()
    shown = [i for i in items if (show_closed or i.status == "open") and (kind is None or i.kind == kind)]
    if not shown:
        _say("No RAID items" + (" of that kind" if kind else "") + ("." if show_closed else " open."))
        return
    for item in shown:
        _say(_raid_line(item))


@raid.command(name="add")
@click.argument("project", metavar="PROJECT_CODE")
@click.option(
    "--kind",
    type=click.Choice(["risk", "assumption", "issue", "decision", "action"]),
    required=True,
    help="What the item is.",
)
@click.option(
    "--code", metavar="CODE", help="Its code in the project (default: the next free, R1, A1, I1, D1, ACT1)."
)
@_raid_options
@click.pass_context
def raid_add(ctx: click.Context, project: str, kind: str, code: str | None, **given: str | None) -> None:
    """Add an item to a project's RAID log."""
    from pmo_tui.store import NotFound

    store = _open_store(ctx.obj["db"], existing=True)
    try:
        try:
            code = code or store.next_raid_code(project, kind)
        except NotFound as error:
            _fail(str(error))
    finally:
        store.close()
    fields = {name: value or "" for name, value in given.items()}
    fields.update(code=code, kind=kind, status="open", raised=given.get("raised") or _today(ctx).isoformat())
    item = _save_raid(ctx, project, fields, None, None)
    _say(f"{project}: {kind} {item.code} added. {_raid_line(item)}")


@raid.command(name="update")
@click.argument("project", metavar="PROJECT_CODE")
@click.argument("code", metavar="CODE")
@click.option("--kind", type=click.Choice(["risk", "assumption", "issue", "decision", "action"]))
@click.option("--new-code", metavar="CODE", help="Give the item another code.")
@_raid_options
@click.pass_context
def raid_update(
    ctx: click.Context, project: str, code: str, kind: str | None, new_code: str | None, **given: str | None
) -> None:
    """Change a RAID item: what is not given stays as it is."""
    from pmo_tui.store import NotFound

    store = _open_store(ctx.obj["db"], existing=True)
    try:
        try:
            item = store.raid_item(project, code, _today(ctx))
        except NotFound as error:
            _fail(str(error))
    finally:
        store.close()
    fields = item.as_fields()
    fields.update({name: value for name, value in given.items() if value is not None})
    if kind:
        fields["kind"] = kind
    if new_code:
        fields["code"] = new_code
    after = _save_raid(ctx, project, fields, code, item.version)
    _say(f"{project}: {after.code} updated. {_raid_line(after)}")


@raid.command(name="close")
@click.argument("project", metavar="PROJECT_CODE")
@click.argument("code", metavar="CODE")
@click.option("--on", "on", metavar="DATE", help="The day it was closed, YYYY-MM-DD (default: today).")
@click.pass_context
def raid_close(ctx: click.Context, project: str, code: str, on: str | None) -> None:
    """Close a RAID item: the risk is past, the issue resolved, the action done."""
    from pmo_tui.store import NotFound
    from pmo_tui.validation import InvalidInput, parse_date

    today = _today(ctx)
    day = _parsed(parse_date, on, "--on") if on is not None else today  # --on '' is no day
    store = _open_store(ctx.obj["db"], existing=True)
    try:
        try:
            store.close_raid_item(project, code, day, today=today)
        except NotFound as error:
            _fail(str(error))
        except InvalidInput as error:
            _refused(error, {"closed": "--on", "decided": "pmo raid update --decided/--by/--rationale"})
    finally:
        store.close()
    _say(f"{project}: {code} closed on {day.isoformat()}.")


@raid.command(name="reopen")
@click.argument("project", metavar="PROJECT_CODE")
@click.argument("code", metavar="CODE")
@click.pass_context
def raid_reopen(ctx: click.Context, project: str, code: str) -> None:
    """Open a closed RAID item again: the risk is back, the issue recurs."""
    from pmo_tui.store import NotFound
    from pmo_tui.validation import InvalidInput

    store = _open_store(ctx.obj["db"], existing=True)
    try:
        try:
            store.reopen_raid_item(project, code)
        except NotFound as error:
            _fail(str(error))
        except InvalidInput as error:
            _fail(error.message)
    finally:
        store.close()
    _say(f"{project}: {code} is open again.")


# `pmo due --exit-code`: something is due (neither success nor a failure, for scripts and prompts).
EXIT_SOMETHING_DUE = 3


@main.command()
@click.option("--owner", metavar="NAME", help="Only this owner's (spaces and capitals as they come).")
@text_format_option
@click.option(
    "--exit-code", is_flag=True, help="Exit with status 3 when something is due, 0 when nothing is."
)
@click.pass_context
def due(ctx: click.Context, owner: str | None, format_: str, exit_code: bool) -> None:
    """What each owner has to see to: key results without a check-in this week
    (Monday to Sunday) in the current cycles, and KPIs whose measurement or
    review is overdue.

    \b
    Examples:
      pmo due
      pmo due --owner "Priya Raman"
      pmo due --format markdown > digest.md
      pmo due --exit-code >/dev/null || echo "check-ins are due"
    """
    from pmo_tui.due import build_due, due_json, due_markdown, due_text, is_anything_due

    if owner is not None and not owner.strip():
        _fail("--owner: give a name")
    from pmo_tui.calculations import same_person

    store = _open_store(ctx.obj["db"], existing=True)
    try:
        # A name no one goes by (a typo) must not read as "nothing is due".
        if owner is not None and not any(same_person(name, owner) for name in store.owners()):
            _fail(f"--owner: no key result, objective or KPI is owned by “{owner.strip()}”")
        content = build_due(store, _today(ctx), owner)
    finally:
        store.close()
    writer = {"text": due_text, "markdown": due_markdown, "json": due_json}[format_]
    click.echo(writer(content), nl=False)
    if exit_code and is_anything_due(content):
        sys.exit(EXIT_SOMETHING_DUE)
