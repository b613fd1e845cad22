"""Database URL -> eventsourcing environment."""

from __future__ import annotations

import pytest

from domain import ValidationError
from eventstore import ProjectStore, persistence_environment


def test_no_url_means_in_memory() -> None:
    assert persistence_environment(None) == {"PERSISTENCE_MODULE": "eventsourcing.popo"}


def test_no_url_stays_in_memory_whatever_the_process_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PERSISTENCE_MODULE", "eventsourcing.sqlite")

    with ProjectStore() as store:
        assert store.project_ids() == []


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///planforge.db", "planforge.db"),
        ("sqlite:////tmp/planforge%20x.db", "/tmp/planforge x.db"),
        ("sqlite:///:memory:", ":memory:"),
    ],
)
def test_sqlite_urls(url: str, path: str) -> None:
    environment = persistence_environment(url)

    assert environment["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    assert environment["SQLITE_DBNAME"] == path


def test_postgresql_url() -> None:
    environment = persistence_environment(
        "postgresql://planner:s%40cret@db.example:6543/planforge?schema=pmo"
    )

    assert environment == {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": "planforge",
        "POSTGRES_HOST": "db.example",
        "POSTGRES_PORT": "6543",
        "POSTGRES_USER": "planner",
        "POSTGRES_PASSWORD": "s@cret",
        "POSTGRES_SCHEMA": "pmo",
        "CREATE_TABLE": "y",
        "AGGREGATE_CACHE_MAXSIZE": "100",
    }


def test_postgres_scheme_and_default_port() -> None:
    environment = persistence_environment("postgres://planner@localhost/planforge")

    assert environment["POSTGRES_PORT"] == "5432"
    assert environment["POSTGRES_PASSWORD"] == ""


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u:p@h/db", "unsupported scheme 'mysql'"),
        ("planforge.db", "unsupported scheme ''"),
        ("sqlite://", "file path"),
        ("sqlite://host/file.db", "no host"),
        ("postgresql://localhost/db", "user, host, database"),
        ("postgresql://u@localhost/", "user, host, database"),
        ("postgresql://u@localhost:port/db", "port"),
        ("postgresql://u@localhost/db?sslmode=require", "sslmode"),
    ],
)
def test_unsupported_urls_are_refused(url: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        persistence_environment(url)


def test_a_refusal_does_not_echo_the_password() -> None:
    with pytest.raises(ValidationError) as refused:
        persistence_environment("mysql://user:hunter2@host/db")

    assert "hunter2" not in str(refused.value)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sqlite:///x.db?synchronous=off", "normal or full, got 'off'"),
        ("sqlite:///x.db?journal_mode=delete", "unsupported option 'journal_mode'"),
    ],
)
def test_sqlite_options_are_checked(url: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        persistence_environment(url)
