"""What a stored result was made with: a version of the code and data behind it.

A stage's results stay valid while the code that computes them and the data it reads are the same.
Code is compared by its syntax tree without docstrings, so editing a comment or a docstring keeps
every stored result; any change to what the code does, or to a data file or model it reads,
gives another version, and the stage runs again on the next analysis (that stage only).
"""

from __future__ import annotations

import ast
import hashlib
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def code_version(modules: tuple[str, ...], data: tuple[str, ...] = ()) -> str:
    """A short hash of the modules (dotted names, with every lagebild module they import) and of
    the data files and folders (paths inside the package)."""
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
    return [name for name in names if name.startswith("lagebild.")]


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
    root = PACKAGE / path
    files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if root.is_dir() else [root]
    digest = hashlib.sha256()
    for file in files:
        digest.update(str(file.relative_to(PACKAGE)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()
