"""Small helpers for tests: run the CLI in-process and read its JSON report."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from lagebild.cli import app


def run_cli(*args: str):
    return CliRunner().invoke(app, [str(arg) for arg in args], catch_exceptions=False)


def analyze_report(tmp_path: Path, *inputs, db: Path | None = None) -> tuple[dict, object]:
    """Run ``lagebild analyze`` on the inputs; return the JSON report and the CLI result."""
    out = tmp_path / "report.json"
    args = ["analyze", *inputs, "--json", out]
    if db is not None:
        args += ["--db", db]
    result = run_cli(*args)
    report = json.loads(out.read_text(encoding="utf-8")) if out.exists() else None
    return report, result


def store_report(tmp_path: Path, db: Path, *options: str) -> dict:
    """``lagebild report --db``: the picture the store holds (of a window, with options)."""
    out = tmp_path / "store-report.json"
    result = run_cli("report", "--db", db, "--json", out, *options)
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


def comparable(report: dict) -> dict:
    """A report without what says when and how it was made: what runs that should agree compare."""
    return {key: value for key, value in report.items() if key not in ("lagebild", "run")}
