"""The HTML report in a real browser (headless Chromium from Debian's packages; skipped where it
is not installed): it loads, citation links resolve, and hostile article text stays text."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from helpers import run_cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")


def rendered_dom(page, tmp_path) -> str:
    result = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=2000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=90,
    )
    assert result.returncode == 0, result.stderr[-500:]
    return result.stdout


def test_report_renders_with_working_citations(tmp_path, examples):
    page = tmp_path / "report.html"
    assert run_cli("analyze", examples, "--html", page, "--quiet").exit_code == 0
    dom = rendered_dom(page, tmp_path)
    assert "<h2>Stories</h2>" in dom and "Numbers compared" in dom
    targets = set(re.findall(r"href=\"#(a-[0-9a-f]+)\"", dom))
    ids = set(re.findall(r"id=\"(a-[0-9a-f]+)\"", dom))
    assert targets and targets <= ids  # every citation link lands on an article


def test_hostile_article_text_never_runs(tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "<script>document.title='pwned'</script> Titel\n\n"
        "Ein Bild <img src=x onerror=\"document.title='pwned'\"> und ein <a href=\"javascript:alert(1)\">Link</a>. Noch ein Satz hier.",
        encoding="utf-8",
    )
    page = tmp_path / "report.html"
    assert run_cli("analyze", hostile, "--html", page, "--quiet").exit_code == 0
    dom = rendered_dom(page, tmp_path)
    assert "<title>Lagebild" in dom and "pwned</title>" not in dom
    assert "<img" not in dom and '<a href="javascript' not in dom
    assert "&lt;script&gt;" in dom
