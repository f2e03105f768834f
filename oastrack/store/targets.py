"""Where the database is: `--db` read into a target, and what of it may be shown.

Every form is taken apart here, before any message is built: a SQLite path or URL, a PostgreSQL
URL (a password may hold `#`, `?`, `/` or `@`, raw or percent-encoded, or come as `?password=`)
and a libpq keyword string (`host=… password=…`). psycopg is given the parts as keywords, so
libpq never parses, and never echoes, the text. Every password read is remembered, so that
`scrub` can take it out of any message, a server's included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import quote, unquote

from oastrack.errors import DatabaseError

Backend = Literal["sqlite", "postgresql"]

SQLITE_SCHEMES = ("sqlite", "sqlite+pysqlite")
POSTGRESQL_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
SECRET_KEYWORDS = ("password", "sslpassword")
MASK = "***"

# libpq's connection keywords (PostgreSQL 17): a keyword string starts with one of them.
KEYWORDS = frozenset(
    """host hostaddr port dbname user password passfile require_auth channel_binding
    connect_timeout client_encoding options application_name fallback_application_name
    keepalives keepalives_idle keepalives_interval keepalives_count tcp_user_timeout
    replication gssencmode sslmode sslnegotiation requiressl sslcompression sslcert sslkey
    sslkeylogfile sslpassword sslcertmode sslrootcert sslcrl sslcrldir sslsni requirepeer
    ssl_min_protocol_version ssl_max_protocol_version min_protocol_version
    max_protocol_version krbsrvname gsslib gssdelegation service target_session_attrs
    load_balance_hosts""".split()  # noqa: SIM905  a list of 45 words reads better as words
)
_KEYWORD_START = re.compile(r"\s*([A-Za-z_]+)\s*=")
_KEYWORD = re.compile(r"([A-Za-z_]+)\s*=\s*")
# A URL's query: the text after its last '?', when that reads as key=value pairs (a '?' inside
# a password is followed by no such thing; a value holding '@' must be written %40).
_QUERY = re.compile(r"[A-Za-z_]+=[^&@]*(?:&[A-Za-z_]+=[^&@]*)*")

_SECRETS: set[str] = set()

PG_HINT = (
    "write postgresql+psycopg://user:password@host:port/dbname (percent-encode odd characters)"
)


@dataclass(frozen=True)
class Target:
    """Where the database is: a SQLite file or a PostgreSQL server."""

    backend: Backend
    url: str  # a SQLAlchemy URL (PostgreSQL: its password percent-encoded)
    display: str  # the target as it may be shown: the path, or the URL without its password
    path: Path | None = None  # SQLite file
    params: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # libpq keywords

    @property
    def connect_params(self) -> dict[str, str]:
        return dict(self.params)


def parse_target(text: str) -> Target:
    """Read `--db`: a SQLite path or URL, a PostgreSQL URL, or a libpq keyword string."""
    if not text.strip():
        raise DatabaseError(
            "--db (or OASTRACK_DB) is empty: it names no database",
            hint="name one (--db oastrack.db, --db postgresql+psycopg://user@host/db), or "
            "leave both unset for the default database",
        )
    if "://" not in text:
        start = _KEYWORD_START.match(text)
        if start and start.group(1).lower() in KEYWORDS:
            return _postgresql(_keywords(text))
        return _sqlite_path(Path(text).expanduser(), text)
    scheme, rest = text.split("://", 1)
    scheme = scheme.lower()
    if scheme in SQLITE_SCHEMES:
        return _sqlite_url(text, rest)
    if scheme in POSTGRESQL_SCHEMES:
        return _postgresql(_url_params(text, rest))
    _remember_userinfo(text)
    raise DatabaseError(
        f"unsupported database {masked(text)!r}",
        hint="use a SQLite path or URL (sqlite:///x.db) or postgresql+psycopg://user@host/db",
    )


def redact(url: str) -> str:
    """The URL with any password hidden (`postgresql://ann:***@host/db`)."""
    return masked(url)


def scrub(text: str) -> str:
    """The text with every password read from a target replaced by `***`."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


# -- SQLite -----------------------------------------------------------------------------------


def _sqlite_path(path: Path, given: str) -> Target:
    if given.strip() == ":memory:":
        raise _in_memory(given)
    return Target("sqlite", f"sqlite:///{path}", str(path), path=path)


def _sqlite_url(text: str, rest: str) -> Target:
    if rest in ("", "/", "/:memory:") or rest.startswith("/:memory:?"):
        raise _in_memory(text)
    if not rest.startswith("/"):
        raise DatabaseError(
            f"cannot read the SQLite URL {masked(text)!r}",
            hint="write sqlite:///relative/path.db or sqlite:////absolute/path.db",
        )
    return _sqlite_path(Path(unquote(rest[1:].split("?", 1)[0])).expanduser(), rest[1:])


def _in_memory(given: str) -> DatabaseError:
    return DatabaseError(
        f"{given} is a database in memory, gone when the command ends: oastrack keeps its "
        "data in a file or on a PostgreSQL server",
        hint="name a file: --db oastrack.db (or sqlite:///oastrack.db)",
    )


# -- PostgreSQL -------------------------------------------------------------------------------


def _url_params(text: str, rest: str) -> dict[str, str]:
    """The parts of a PostgreSQL URL, as libpq keywords."""
    _remember_userinfo(text)
    params: dict[str, str] = {}
    cut = rest.rfind("?")
    if cut >= 0 and _QUERY.fullmatch(rest[cut + 1 :]):
        rest, query = rest[:cut], rest[cut + 1 :]
        for pair in query.split("&"):
            key, _, value = pair.partition("=")
            params[key.lower()] = unquote(value)
            if key.lower() in SECRET_KEYWORDS:
                _remember(params[key.lower()], value)
    elif rest.endswith("?"):
        rest = rest[:-1]
    userinfo, at, hostpart = rest.rpartition("@")
    if at:
        user, colon, password = userinfo.partition(":")
        if user:
            params["user"] = unquote(user)
        if colon:
            params["password"] = unquote(password)
            _remember(params["password"], password)
    hosts, slash, dbname = hostpart.partition("/")
    if slash and dbname:
        params["dbname"] = unquote(dbname)
    if hosts:
        names, ports = _hosts(hosts, text)
        params["host"] = ",".join(names)
        if any(ports):
            params["port"] = ",".join(ports)
    return params


def _hosts(spec: str, text: str) -> tuple[list[str], list[str]]:
    """`h1:5432,[::1]:5433` as libpq's host and port lists."""
    names: list[str] = []
    ports: list[str] = []
    for item in spec.split(","):
        if item.startswith("["):
            name, closed, tail = item[1:].partition("]")
            if not closed:
                raise DatabaseError(
                    f"cannot read the database URL {masked(text)!r}: "
                    "an IPv6 address opened with '[' is not closed with ']'",
                    hint=PG_HINT,
                )
            port = tail[1:] if tail.startswith(":") else tail
        else:
            name, _, port = item.partition(":")
        if port and not port.isdigit():
            raise DatabaseError(
                f"cannot read the database URL {masked(text)!r}: the port must be a number",
                hint=PG_HINT,
            )
        if "[" in name or "]" in name:
            raise DatabaseError(
                f"cannot read the database URL {masked(text)!r}: a stray bracket in the host",
                hint=PG_HINT,
            )
        names.append(unquote(name))
        ports.append(port)
    return names, ports


def _keywords(text: str) -> dict[str, str]:
    """A libpq keyword string (`host=db port=5432 password='a b'`), read as libpq reads it."""
    params: dict[str, str] = {}
    position, end = 0, len(text)
    while True:
        while position < end and text[position].isspace():
            position += 1
        if position >= end:
            return params
        match = _KEYWORD.match(text, position)
        if match is None:
            raise DatabaseError(
                "cannot read the connection string: each setting must be keyword=value",
                hint="write host=… port=… dbname=… user=… password=…, quoting values with "
                "spaces in single quotes",
            )
        key = match.group(1).lower()
        position = match.end()
        start = position
        value, position = _keyword_value(text, position)
        if key in SECRET_KEYWORDS:
            _remember(value, text[start:position])
        if key not in KEYWORDS:
            raise DatabaseError(
                f"unknown connection keyword {key!r} in the connection string",
                hint="libpq's keywords are host, port, dbname, user, password, sslmode, …",
            )
        params[key] = value


def _keyword_value(text: str, position: int) -> tuple[str, int]:
    if position < len(text) and text[position] == "'":
        out: list[str] = []
        position += 1
        while position < len(text):
            char = text[position]
            if char == "\\" and position + 1 < len(text):
                out.append(text[position + 1])
                position += 2
                continue
            if char == "'":
                return "".join(out), position + 1
            out.append(char)
            position += 1
        _remember("".join(out), "".join(out))
        raise DatabaseError(
            "cannot read the connection string: a quoted value is not closed",
            hint="close it with ' (write \\' for a quote inside)",
        )
    out = []
    while position < len(text) and not text[position].isspace():
        if text[position] == "\\" and position + 1 < len(text):
            position += 1
        out.append(text[position])
        position += 1
    return "".join(out), position


def _postgresql(params: dict[str, str]) -> Target:
    url = _pg_url(params, hide=False)
    return Target("postgresql", url, _pg_url(params, hide=True), params=tuple(params.items()))


def _pg_url(params: dict[str, str], *, hide: bool) -> str:
    """The parameters as a SQLAlchemy URL; `hide` puts *** in place of the passwords."""
    rest = dict(params)
    user = quote(rest.pop("user", ""), safe="")
    password = rest.pop("password", None)
    if password is not None:
        user += ":" + (MASK if hide else quote(password, safe=""))
    userinfo = f"{user}@" if user else ""
    hosts = rest.pop("host", "").split(",")
    ports = rest.pop("port", "").split(",")
    ports += [""] * (len(hosts) - len(ports))
    hostspec = ",".join(
        (f"[{name}]" if ":" in name else quote(name, safe=""))
        + (f":{port}" if port and port.isdigit() else "")
        for name, port in zip(hosts, ports, strict=False)
    )
    dbname = rest.pop("dbname", None)
    path = "/" + quote(dbname, safe="") if dbname is not None else ""
    query = "&".join(
        f"{key}={MASK if hide and key in SECRET_KEYWORDS else quote(value, safe='/')}"
        for key, value in rest.items()
    )
    return f"postgresql+psycopg://{userinfo}{hostspec}{path}" + (f"?{query}" if query else "")


# -- secrets ----------------------------------------------------------------------------------


def _remember(secret: str, *as_written: str) -> None:
    for form in (secret, quote(secret, safe=""), *as_written):
        if form:
            _SECRETS.add(form)


def _remember_userinfo(text: str) -> None:
    """Remember whatever could be a password in a URL, before anything may fail on it."""
    rest = text.split("://", 1)[1] if "://" in text else text
    userinfo = rest.rpartition("@")[0]
    if ":" in userinfo:
        _remember(unquote(userinfo.split(":", 1)[1]), userinfo.split(":", 1)[1])
    for match in re.finditer(r"(?:^|[?&\s])(?:ssl)?password=([^&\s]*)", rest):
        _remember(unquote(match.group(1)), match.group(1))


def masked(text: str) -> str:
    """A URL as it may be shown, whatever its shape: the password after `user:` and every
    `password=` value replaced by ***."""
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "", text
    userinfo, at, tail = rest.rpartition("@")
    if at and ":" in userinfo:
        rest = f"{userinfo.split(':', 1)[0]}:{MASK}@{tail}"
    rest = re.sub(r"((?:^|[?&\s])(?:ssl)?password=)[^&\s]*", rf"\1{MASK}", rest)
    return scrub(f"{scheme}{sep}{rest}")
