"""A real ``lagebild serve`` for tests: a uvicorn process on a free localhost port, over a store
that holds the example corpus but one article (``HELD_OUT``), which a test can add through the API."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from helpers import run_cli

TOKEN = "test-token-7f3a"
HELD_OUT = "faehre/04_sda_havarie.txt"  # an agency reprint: it joins the ferry story when added
START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def example_store(tmp_path: Path, examples: Path) -> Path:
    db = tmp_path / "served.db"
    inputs = [path for path in sorted(examples.rglob("*")) if path.is_file() and path != examples / HELD_OUT]
    result = run_cli("analyze", *inputs, "--db", db, "--quiet", "--json", tmp_path / "first.json")
    assert result.exit_code == 0, result.output
    return db


class Served:
    """The server process; ``url`` is its base, ``client`` an httpx client on it."""

    def __init__(self, db: Path, *options: str, token: str | None = TOKEN):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {**os.environ, "LAGEBILD_TOKEN": token} if token else {k: v for k, v in os.environ.items() if k != "LAGEBILD_TOKEN"}
        command = [sys.executable, "-c", "from lagebild.cli import main; main()", "serve", "--db", str(db), "--port", str(self.port), *options]
        self.process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.client = httpx.Client(base_url=self.url, timeout=30)
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"lagebild serve ended: {self.process.stderr.read()}")
            try:
                if self.client.get("/api/v1/status").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError("lagebild serve did not answer within a minute")

    def write_headers(self, content_type: str = "application/json") -> dict:
        return {"Authorization": f"Bearer {TOKEN}", "Content-Type": content_type}

    def wait_analysed(self, seconds: float = 120) -> dict:
        """Until the picture holds every stored article (the worker has caught up)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            status = self.client.get("/api/v1/status").json()
            if status["not_analysed"] == 0:
                return status
            time.sleep(0.5)
        raise AssertionError(f"the worker did not catch up: {status}")

    def stop(self) -> str:
        """Stop as Ctrl-C would; returns what the server wrote to stderr."""
        self.client.close()
        self.process.send_signal(signal.SIGINT)
        try:
            _, errors = self.process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, errors = self.process.communicate()
        return errors
