"""The notification log's rows, read straight from the events table.

The recorder's `select_notifications` builds a `Notification` per row and
parses its originator id into a UUID; for a read model rebuilt from millions
of events that costs more than reading the rows. Here a page is plain rows:
(position, originator id as text, version, topic, state).

Pages are ranges of positions, `after < position <= after + page_size`, up
to the last position when reading began (later events are for the next
read). A bounded range keeps each query cheap whatever the planner knows:
"greater than, ORDER BY, LIMIT" on a PostgreSQL table not yet analysed (just
filled, say) was planned as a bitmap scan sorting every later row, per page.

The columns are the library's stored-event layout (SQLite: rowid as the
position; PostgreSQL: notification_id), which is its persisted format. A
recorder without a SQL datastore (the in-memory one) is read through
`select_notifications`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder

# position, originator id (UUID, or its text), originator version, topic, state
LogRow = tuple[int, Any, int, str, bytes]

SQLITE_PAGE = (
    "SELECT rowid, originator_id, originator_version, topic, state FROM {table} "
    "WHERE rowid > ? AND rowid <= ? AND topic IN ({topics}) ORDER BY rowid"
)
POSTGRES_PAGE = (
    "SELECT notification_id, originator_id::text, originator_version, topic, state "
    "FROM {schema}.{table} WHERE notification_id > %s AND notification_id <= %s "
    "AND topic = ANY(%s) ORDER BY notification_id"
)


def log_rows(
    recorder: ApplicationRecorder,
    topics: Sequence[str],
    after: int,
    page_size: int,
) -> Iterator[LogRow]:
    """Rows of these topics after position `after`, oldest first, up to the
    last position now, `page_size` positions per query (gaps are fine)."""
    read_page = _page_reader(recorder, list(topics))
    last = recorder.max_notification_id() or 0
    while after < last:
        upto = min(after + page_size, last)
        yield from read_page(after, upto)
        after = upto


def _page_reader(recorder: ApplicationRecorder, topics: list[str]) -> Any:
    datastore = getattr(recorder, "datastore", None)
    table = getattr(recorder, "events_table_name", None)
    if datastore is None or table is None:
        return lambda after, upto: [
            (n.id, n.originator_id, n.originator_version, n.topic, n.state)
            for n in recorder.select_notifications(
                after, upto - after, upto, topics, inclusive_of_start=False
            )
        ]
    schema = getattr(datastore, "schema", None)
    if schema is None:
        return _sqlite_reader(datastore, table, topics)
    return _postgres_reader(datastore, schema, table, topics)


def _sqlite_reader(datastore: Any, table: str, topics: list[str]) -> Any:
    statement = SQLITE_PAGE.format(table=table, topics=",".join("?" * len(topics)))

    def read_page(after: int, upto: int) -> list[LogRow]:
        with datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, [after, upto, *topics])
            return [tuple(row) for row in cursor.fetchall()]

    return read_page


def _postgres_reader(datastore: Any, schema: str, table: str, topics: list[str]) -> Any:
    from psycopg.rows import tuple_row
    from psycopg.sql import SQL, Identifier

    statement = SQL(POSTGRES_PAGE).format(
        schema=Identifier(schema), table=Identifier(table)
    )

    def read_page(after: int, upto: int) -> list[LogRow]:
        with (
            datastore.get_connection() as connection,
            connection.cursor(row_factory=tuple_row) as cursor,
        ):
            cursor.execute(statement, (after, upto, topics), prepare=True)
            page: list[LogRow] = cursor.fetchall()
            return page

    return read_page
