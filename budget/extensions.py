"""Flask extensions, created unbound here and bound to the app in create_app()."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
import flask_sqlalchemy.session
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase

from budget import read_replica

# Named constraints, so migrations can refer to them on every database (SQLite included).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Session(flask_sqlalchemy.session.Session):
    """Flask-SQLAlchemy's session always picks the app's engine. Reads of the public pages
    marked for it go to the read replica when there is one (budget/read_replica.py); a
    session created on one connection (the tests' outer transaction) uses that connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None:
            replica = read_replica.engine_for(self, clause)
            if replica is not None:
                return replica
        if bind is None and isinstance(self.bind, Connection):
            return self.bind
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


db = SQLAlchemy(model_class=Base, session_options={"class_": Session})
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Storage from RATELIMIT_STORAGE_URI: Redis when several processes serve the app, so that
# they share their counters; memory otherwise.
limiter = Limiter(get_remote_address)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """SQLite needs foreign keys switched on per connection; WAL and a busy timeout let
    concurrent writers wait for each other instead of failing at once."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin (see _begin_sqlite):
    # savepoints and transactional DDL then work as on PostgreSQL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Long enough for a queue of voters on a loaded machine, shorter than a worker's timeout.
    cursor.execute("PRAGMA busy_timeout=20000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    # A deleted row is overwritten with zeros: a ballot mixed out of the inbox leaves no trace
    # beside its participation (services/ballot_box.py).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection) -> None:
    if connection.dialect.name == "sqlite":
        immediate = connection.get_execution_options().get("sqlite_begin_immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class PendingWork(RuntimeError):
    """A write transaction was asked for while the session held unsaved or uncommitted
    changes: a programming error (they would have been committed, or lost, unseen)."""


_WROTE = "budget_wrote"  # session.info key: rows were written in the current transaction


def has_pending_work(session) -> bool:
    """Whether `session` holds changes not committed: objects added, deleted or changed, or
    rows written in its transaction (flushed, or an INSERT, UPDATE or DELETE statement built
    with SQLAlchemy; textual SQL is not read). Asks the database nothing."""
    return bool(session.new or session.deleted or session.info.get(_WROTE)
                or any(session.is_modified(instance) for instance in session.dirty))


@event.listens_for(Session, "after_flush")
def _note_flush(session, _context) -> None:
    session.info[_WROTE] = True  # a flush with nothing to write sends no event


@event.listens_for(Session, "do_orm_execute")
def _note_writing_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_writes(session, transaction) -> None:
    if transaction.parent is None:  # committed or rolled back: nothing pending any more
        session.info.pop(_WROTE, None)


def begin_write_transaction() -> None:
    """Start the session's next transaction as a writer, now. Raises PendingWork when the
    session holds changes: a use case takes the write lock before it writes anything.

    On SQLite a transaction that reads and then writes fails at once ("database is locked")
    when another connection wrote in between; BEGIN IMMEDIATE takes the write lock up front,
    so concurrent writers wait their turn (busy_timeout) instead. The transaction that only
    read so far ends (what it loaded is read again when used). PostgreSQL needs nothing.
    """
    session = db.session()
    if has_pending_work(session):
        raise PendingWork("begin_write_transaction() with changes pending: take the write "
                          "lock before writing, or commit the earlier work first")
    if session.get_bind().dialect.name != "sqlite":
        return  # what was read stays loaded: ending the transaction would expire it
    if session.in_transaction():
        session.rollback()
    session.connection(execution_options={"sqlite_begin_immediate": True})
