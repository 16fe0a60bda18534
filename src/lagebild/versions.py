"""What a stored result was made with: a version of the code and data behind it.

A stage's results stay valid while the code that computes them and the data it reads are the same.
Code is compared by its syntax tree without docstrings, so editing a comment or a docstring keeps
every stored result; any change to what the code does, or to a data file or model it reads,
gives another version, and the stage runs again on the next analysis (that stage only).

Working a version out parses every module behind it (a second or two of every run, in every
process); the versions are kept in the user's cache folder under a key that any change of the
package's code or of a data file's size or time changes, so a process reads them there.
"""

from __future__ import annotations

import ast
import hashlib
import json
import sys
from functools import cache
from pathlib import Path

from lagebild import user_cache

PACKAGE = Path(__file__).resolve().parent
KEPT_VERSIONS = 256  # the newest kept in the cache file; older code's versions are dropped
# modules that make no result: this one and the caches of what a process would otherwise work out
# again (each is tested to give what it keeps); editing them keeps every stored result
NO_RESULTS = frozenset({"lagebild.versions", "lagebild.user_cache", "lagebild.nlp.lemma_cache"})


def code_version(modules: tuple[str, ...], data: tuple[str, ...] = ()) -> str:
    """A short hash of the modules (dotted names, with every lagebild module they import) and of
    the data files and folders (paths inside the package)."""
    key = _cache_key(modules, data)
    known = _kept()
    if key not in known:
        known[key] = _worked_out(modules, data)
        user_cache.write_whole(_cache_file(), json.dumps(dict(list(known.items())[-KEPT_VERSIONS:])).encode())
    return known[key]


def _cache_key(modules: tuple[str, ...], data: tuple[str, ...]) -> str:
    """What the version depends on, cheaply: the package's code as bytes (every module: which of
    them a stage imports is itself read from the code) and each data file's size and time."""
    digest = hashlib.sha256(json.dumps([modules, data, str(PACKAGE)]).encode() + _package_code())
    for path in sorted(data):
        digest.update(_data_stamps(path).encode())
    return digest.hexdigest()


@cache
def _package_code() -> bytes:
    digest = hashlib.sha256()
    for file in sorted(PACKAGE.rglob("*.py")):
        digest.update(str(file.relative_to(PACKAGE)).encode() + b"\0" + file.read_bytes())
    return digest.digest()


@cache
def _data_stamps(path: str) -> str:
    stamps = [(str(file.relative_to(PACKAGE)), (stat := file.stat()).st_size, stat.st_mtime_ns) for file in _data_files(path)]
    return json.dumps(stamps)


def _cache_file() -> Path:
    return user_cache.folder() / f"versions-py{sys.version_info[0]}{sys.version_info[1]}.json"


@cache
def _kept() -> dict[str, str]:
    try:
        kept = json.loads(_cache_file().read_bytes())
    except (OSError, ValueError):
        return {}  # not there yet, or damaged: worked out, and written again
    return {key: value for key, value in kept.items() if isinstance(value, str)} if isinstance(kept, dict) else {}


def _worked_out(modules: tuple[str, ...], data: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for module in sorted(_with_imports(modules)):
        digest.update(module.encode() + b"\0" + _syntax(module).encode())
    for path in sorted(data):
        digest.update(path.encode() + b"\0" + _data_hash(path).encode())
    return digest.hexdigest()[:16]


def _with_imports(modules: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    pending = list(modules)
    while pending:
        module = pending.pop()
        if module not in found and _source(module) is not None:
            found.add(module)
            pending.extend(_imports(module))
    return found


def _source(module: str) -> Path | None:
    parts = module.split(".")[1:]
    candidates = [PACKAGE.joinpath(*parts[:-1], parts[-1] + ".py")] if parts else []
    for candidate in [*candidates, PACKAGE.joinpath(*parts, "__init__.py")]:
        if candidate.is_file():
            return candidate
    return None


@cache
def _tree(module: str) -> ast.Module:
    return ast.parse(_source(module).read_text(encoding="utf-8"))


def _imports(module: str) -> list[str]:
    """The lagebild modules a module imports (``from lagebild.x import y`` may name a module y)."""
    names = []
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    # the package's own __init__ holds its version number only: a release changes no stage by itself
    return [name for name in names if name.startswith("lagebild.") and name not in NO_RESULTS]


@cache
def _syntax(module: str) -> str:
    return syntax(_source(module).read_text(encoding="utf-8"))


def syntax(source: str) -> str:
    """Python source as its syntax tree, docstrings dropped (comments are not in the tree)."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


@cache
def _data_hash(path: str) -> str:
    digest = hashlib.sha256()
    for file in _data_files(path):
        digest.update(str(file.relative_to(PACKAGE)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def _data_files(path: str) -> list[Path]:
    root = PACKAGE / path
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if root.is_dir() else [root]
