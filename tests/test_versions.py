"""A stage's version: kept in the user's cache, the same as worked out afresh; another for changed
code or data, the same for a changed docstring."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lagebild import versions

MODULES = ("lagebild.extract.times",)


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A copy of the package's code and language data that a test may edit, and an empty cache."""
    copy = tmp_path / "lagebild"
    shutil.copytree(versions.PACKAGE, copy, ignore=shutil.ignore_patterns("models", "__pycache__", "*.marshal"))
    monkeypatch.setattr(versions, "PACKAGE", copy)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _forget()
    yield copy
    _forget()


def _forget() -> None:
    """As a new process: nothing read or worked out yet."""
    for function in (versions._kept, versions._package_code, versions._data_stamps, versions._tree, versions._syntax, versions._data_hash):
        function.cache_clear()


def _version() -> str:
    _forget()
    return versions.code_version(MODULES, ("lang",))


def test_a_kept_version_is_the_one_worked_out(package, monkeypatch):
    first = _version()
    assert versions._cache_file().is_file()
    assert first == versions._worked_out(MODULES, ("lang",))
    monkeypatch.setattr(versions, "_worked_out", lambda *_: pytest.fail("the kept version was worked out again"))
    assert _version() == first


def test_a_damaged_cache_is_worked_out_again(package):
    first = _version()
    versions._cache_file().write_bytes(b"\x00{not json")
    assert _version() == first
    versions._cache_file().write_text('["a list"]')
    assert _version() == first


def test_code_and_data_changes_give_another_version_and_a_docstring_does_not(package):
    first = _version()
    times = package / "extract" / "times.py"
    source = times.read_text(encoding="utf-8")
    times.write_text(source.replace('"""', '"""A changed docstring. ', 1), encoding="utf-8")
    assert _version() == first
    times.write_text(source + "\nCHANGED = 1\n", encoding="utf-8")
    changed = _version()
    assert changed != first
    times.write_text(source, encoding="utf-8")
    assert _version() == first
    imported = package / "model.py"  # a module the stage imports
    imported.write_text(imported.read_text(encoding="utf-8") + "\nCHANGED = 1\n", encoding="utf-8")
    assert _version() not in (first, changed)


def test_a_data_file_of_the_same_size_and_other_bytes_gives_another_version(package):
    first = _version()
    data = sorted(Path(package, "lang").rglob("*.txt"))[0]
    text = data.read_bytes()
    data.write_bytes(bytes([text[0] ^ 1]) + text[1:])
    assert _version() != first


def test_without_a_writable_cache_the_version_is_worked_out(package, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "/proc/no-such-place")
    assert _version() == versions._worked_out(MODULES, ("lang",))


def test_the_caches_and_this_module_make_no_result_and_keep_every_version(package):
    stages = ("lagebild.stages",)  # imports lagebild.versions, which imports lagebild.user_cache
    _forget()
    first = versions.code_version(stages, ("lang",))
    for module in ("versions.py", "user_cache.py", "nlp/lemma_cache.py"):
        path = package / module
        path.write_text(path.read_text(encoding="utf-8") + "\nCHANGED = 1\n", encoding="utf-8")
    _forget()
    assert versions.code_version(stages, ("lang",)) == first
    times = package / "extract" / "times.py"
    times.write_text(times.read_text(encoding="utf-8") + "\nCHANGED = 1\n", encoding="utf-8")
    _forget()
    assert versions.code_version(stages, ("lang",)) != first


def test_a_stage_version_does_not_change_with_linking_code():
    """The stages import nothing of linking, composing, reporting or the store: a change to how
    names are grouped or events summarised must not run a stage again on every stored article."""
    from lagebild.stages import _SOURCES
    from lagebild.versions import _with_imports

    later = ("lagebild.link", "lagebild.compose", "lagebild.report", "lagebild.store", "lagebild.pipeline", "lagebild.serve")
    for stage, (modules, _) in _SOURCES.items():
        assert not [module for module in _with_imports(modules) if module.startswith(later)], stage
