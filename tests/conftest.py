"""Shared fixtures. Tests that need ../shared skip cleanly when it is absent (a user's clone)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
SHARED = ROOT.parent / "shared"


def pytest_configure(config) -> None:
    """The tests run the lexical path unless one asks for article vectors (tests/test_embeddings.py
    runs the default path with the network): the network costs a fifth of a second an article,
    and what the other tests check does not depend on it. Servers and commands the tests start
    inherit it."""
    os.environ.setdefault("LAGEBILD_EMBEDDINGS", "0")


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def seeds() -> Path:
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.skip("../shared/seeds is not present")
    return path


def shared_data(relative: str) -> Path:
    path = SHARED / "data" / relative
    if not path.exists():
        pytest.skip(f"../shared/data/{relative} is not present")
    return path


POSTGRES = "LAGEBILD_TEST_POSTGRES"  # a server's URL whose user may create databases (.ci/run starts one)


def need_service(reason: str) -> None:
    """Skip a test whose service is absent here; in CI (LAGEBILD_CI set) that is a failure."""
    if os.environ.get("LAGEBILD_CI"):
        pytest.fail(f"{reason}, and CI must run this test")
    pytest.skip(reason)


@pytest.fixture
def postgres_store():
    """A function making a new, empty PostgreSQL database and giving its URL; all dropped after."""
    base = os.environ.get(POSTGRES)
    if not base:
        need_service(f"no PostgreSQL server: set {POSTGRES}=postgresql://user@host:port/db (.ci/run starts one)")
    psycopg = pytest.importorskip("psycopg")
    made: list[str] = []

    def new_store() -> str:
        name = f"lagebild_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        made.append(name)
        return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))

    yield new_store
    with psycopg.connect(base, autocommit=True) as admin:
        for name in made:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_at(request, tmp_path):
    """A function giving the location of a new store, on each backend in turn."""
    if request.param == "sqlite":
        names = (str(tmp_path / f"store{number}.db") for number in range(1000))
        return lambda: next(names)
    return request.getfixturevalue("postgres_store")
