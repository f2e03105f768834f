"""A password given in any form never shows: not in oastrack's messages, not in a server's.

Every form of `--db` (a URL with `#`, `?`, `/` or `@` in the password, raw or percent-encoded;
`?password=`; a libpq keyword string) meets every error path that names the target: a server
that does not answer, a database that does not exist, a failed authentication (a fake server
that echoes the password back, as no real one should), an unsupported scheme, an unparseable
URL, and the schema check of a database that is reached.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable, Iterator
from urllib.parse import quote

import pytest

from oastrack.store.db import parse_target
from tests.conftest import PG_URL, Run

Cli = Callable[..., Run]

# Each piece is distinctive, so that a password cut at any of its odd characters is caught too.
PIECES = ("alpha7", "bravo8", "charlie9", "delta0", "echo1")
PASSWORD = "alpha7#bravo8?charlie9/delta0@echo1"
SINGLES = {"#": "alpha7#bravo8", "?": "alpha7?bravo8", "/": "alpha7/bravo8", "@": "alpha7@bravo8"}


def forms(host: str, port: int, dbname: str, user: str = "postgres") -> dict[str, tuple[str, str]]:
    """Every way to write the target: name -> (text, the password in it)."""
    at = f"{host}:{port}/{dbname}"
    found: dict[str, tuple[str, str]] = {}
    for char, secret in {**SINGLES, "all": PASSWORD}.items():
        found[f"raw {char}"] = (f"postgresql+psycopg://{user}:{secret}@{at}", secret)
        found[f"encoded {char}"] = (
            f"postgresql+psycopg://{user}:{quote(secret, safe='')}@{at}",
            secret,
        )
    found["postgres scheme"] = (f"postgres://{user}:{PASSWORD}@{at}", PASSWORD)
    found["query"] = (f"postgresql://{user}@{at}?password={quote(PASSWORD, safe='')}", PASSWORD)
    found["query raw"] = (f"postgresql://{user}@{at}?password=alpha7#bravo8", "alpha7#bravo8")
    found["keywords"] = (
        f"host={host} port={port} dbname={dbname} user={user} password={PASSWORD}",
        PASSWORD,
    )
    found["keywords quoted"] = (
        f"host={host} port={port} dbname={dbname} user={user} password='{PASSWORD} x'",
        f"{PASSWORD} x",
    )
    return found


def assert_hidden(run: Run, secret: str) -> None:
    shown = run.stdout + run.stderr
    assert secret not in shown
    assert quote(secret, safe="") not in shown
    for piece in PIECES:
        if piece in secret:
            assert piece not in shown, shown
    assert "Traceback" not in shown
    assert run.exit_code == 1, shown


def first(run: Run) -> str:
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    return lines[0] if lines else ""


UNREACHABLE = forms("127.0.0.1", 1, "nope")


# -- the forms are read apart -----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(UNREACHABLE))
def test_every_form_is_read_into_its_parts(name: str) -> None:
    text, secret = UNREACHABLE[name]
    target = parse_target(text)
    params = target.connect_params
    assert target.backend == "postgresql"
    assert (params["host"], params["port"], params["dbname"], params["user"]) == (
        "127.0.0.1",
        "1",
        "nope",
        "postgres",
    )
    assert params["password"] == secret
    assert target.display == "postgresql+psycopg://postgres:***@127.0.0.1:1/nope"
    # the SQLAlchemy URL carries the same password, encoded
    from sqlalchemy.engine import make_url

    assert make_url(target.url).password == secret


def test_a_keyword_string_with_an_unknown_keyword_names_the_keyword_only(cli: Cli) -> None:
    run = cli("--db", f"host=127.0.0.1 colour=blue password={PASSWORD}", "init")
    assert_hidden(run, PASSWORD)
    assert first(run) == "Error: unknown connection keyword 'colour' in the connection string"


# -- every error path that names the target ---------------------------------------------------


@pytest.mark.parametrize("name", sorted(UNREACHABLE))
@pytest.mark.parametrize("command", [["init"], ["member", "list"], ["db", "current"]])
def test_a_server_that_does_not_answer(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, name: str, command: list[str]
) -> None:
    text, secret = UNREACHABLE[name]
    run = cli("--db", text, *command)
    assert_hidden(run, secret)
    assert first(run).startswith(
        "Error: cannot connect to postgresql+psycopg://postgres:***@127.0.0.1:1/nope: "
    )
    monkeypatch.setenv("OASTRACK_DB", text)
    run = cli(*command)
    assert_hidden(run, secret)
    assert first(run).startswith("Error: cannot connect to postgresql+psycopg://postgres:***@")


@pytest.mark.postgres
def test_a_database_that_does_not_exist(cli: Cli, pg_server: str) -> None:
    target = parse_target(PG_URL).connect_params
    host, port = target.get("host", "127.0.0.1"), int(target.get("port", "5432"))
    # the test server trusts its clients: the password is sent and ignored
    for name, (text, secret) in forms(host, port, "oastrack_no_such_database").items():
        run = cli("--db", text, "tally", "MOC29-COMPROMISE")
        assert_hidden(run, secret)
        assert first(run).startswith("Error: cannot connect to postgresql+psycopg://postgres:***@")
        assert 'database "oastrack_no_such_database" does not exist' in first(run), name


@pytest.mark.postgres
def test_a_database_without_the_schema_names_it_without_the_password(
    cli: Cli, pg_database: Callable[[str | None], str]
) -> None:
    url = pg_database(None)
    params = parse_target(url).connect_params
    host, port = params.get("host", "127.0.0.1"), int(params.get("port", "5432"))
    for name, (text, secret) in forms(host, port, params["dbname"]).items():
        run = cli("--db", text, "member", "list")
        assert_hidden(run, secret)
        assert first(run).endswith("has no oastrack schema"), name
        assert run.stderr.splitlines()[1].startswith(
            "Hint: create it with: oastrack --db postgresql+psycopg://postgres:***@"
        )


class EchoingServer:
    """A PostgreSQL server that asks for a password in clear text, then refuses it with a
    message quoting it back: what a hostile or broken server may do."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with client:
                try:
                    self._talk(client)
                except (OSError, struct.error):
                    continue

    @staticmethod
    def _read(client: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = client.recv(size - len(data))
            if not chunk:
                raise OSError("closed")
            data += chunk
        return data

    def _talk(self, client: socket.socket) -> None:
        while True:  # SSL and GSS requests first, each refused with 'N'
            (length,) = struct.unpack("!I", self._read(client, 4))
            body = self._read(client, length - 4)
            if struct.unpack("!I", body[:4])[0] in (80877103, 80877104):
                client.sendall(b"N")
                continue
            break
        client.sendall(b"R" + struct.pack("!II", 8, 3))  # AuthenticationCleartextPassword
        kind = self._read(client, 1)
        (length,) = struct.unpack("!I", self._read(client, 4))
        password = self._read(client, length - 4).rstrip(b"\0").decode()
        assert kind == b"p"
        fields = b"".join(
            code + text.encode() + b"\0"
            for code, text in (
                (b"S", "FATAL"),
                (b"V", "FATAL"),
                (b"C", "28P01"),
                (b"M", f'password authentication failed for user "postgres": "{password}"'),
            )
        )
        client.sendall(b"E" + struct.pack("!I", len(fields) + 5) + fields + b"\0")

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def echoing_server() -> Iterator[EchoingServer]:
    server = EchoingServer()
    yield server
    server.close()


def test_a_failed_authentication_that_echoes_the_password(
    cli: Cli, echoing_server: EchoingServer
) -> None:
    for name, (text, secret) in forms("127.0.0.1", echoing_server.port, "db").items():
        run = cli("--db", text, "init")
        assert_hidden(run, secret)
        assert "password authentication failed" in first(run), name
        assert first(run).startswith("Error: cannot connect to postgresql+psycopg://postgres:***@")


@pytest.mark.parametrize(
    "text",
    [
        f"mysql://ann:{PASSWORD}@db.example/x",
        f"mysql://ann:{quote(PASSWORD, safe='')}@db.example/x",
        f"oracle://db.example/x?password={quote(PASSWORD, safe='')}",
    ],
)
def test_an_unsupported_scheme(cli: Cli, text: str) -> None:
    run = cli("--db", text, "init")
    assert_hidden(run, PASSWORD)
    assert first(run).startswith("Error: unsupported database '")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            f"postgresql+psycopg://ann:{PASSWORD}@[::1",
            "an IPv6 address opened with '[' is not closed with ']'",
        ),
        (f"postgresql+psycopg://ann:{PASSWORD}@host:port/x", "the port must be a number"),
        (f"postgresql+psycopg://ann:{PASSWORD}@ho]st/x", "a stray bracket in the host"),
    ],
)
def test_an_unparseable_url(cli: Cli, text: str, reason: str) -> None:
    run = cli("--db", text, "init")
    assert_hidden(run, PASSWORD)
    assert first(run) == (
        f"Error: cannot read the database URL 'postgresql+psycopg://ann:***@{text.split('@')[-1]}'"
        f": {reason}"
    )


def test_a_keyword_string_with_an_unclosed_quote(cli: Cli) -> None:
    run = cli("--db", f"host=127.0.0.1 password='{PASSWORD}", "init")
    assert_hidden(run, PASSWORD)
    assert first(run) == "Error: cannot read the connection string: a quoted value is not closed"
