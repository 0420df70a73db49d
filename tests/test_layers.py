"""Imports point downwards (DESIGN §2, STYLE §1): the whole graph of fieldkit's own modules, read with `ast`.

    ui, cli  →  services  →  printing, bundle  →  store, catalog  →  foundation  →  domain

What counts as an import: every `import`/`from … import` anywhere in a module — at the top, inside a
function (the CLI's lazy `gui` import is still a dependency that must point down) and under
`if TYPE_CHECKING:` (a type from an upper layer in a lower layer's signature couples the two just the
same; only the run-time cost differs). Relative imports are resolved. Third-party imports are checked
only where the design names them: PySide6 only in ui/, no SQL or Qt in domain/.

Plus two rules about private names: no module imports another module's `_name` (neither
`from a.b import _c` nor `a.b._c` through an imported module), and a private module (`bundle/_io.py`)
is imported only inside its own package.

The checker is plain functions over source text, so the tests at the end can feed it a synthetic
package with an upward or private import and see it reported: this test can fail.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "fieldkit"

# ---- the layers -------------------------------------------------------------------------------------
# Top-level modules that are not packages, by what they are. "foundation": small helpers every layer
# may use (paths of the data dir and bundled files, error types, logging set-up, file locks, the
# message for a missing system library); they import nothing of ours but domain and each other.
# Data files are read by the fieldkit/catalog/ package (issue 12 §5), not by top-level modules.
# A new top-level module fails test_every_module_has_a_layer until it is placed here.
TOP_LEVEL = {
    "fieldkit": "foundation",  # __init__: __version__
    "fieldkit.__main__": "entry",
    "fieldkit.paths": "foundation",
    "fieldkit.errors": "foundation",
    "fieldkit.logs": "foundation",
    "fieldkit.filelock": "foundation",
    "fieldkit.syslibs": "foundation",
    "fieldkit.cli": "cli",  # cli.py, or the fieldkit/cli/ package (issue 12 §7)
    "fieldkit.cli_zh": "cli",
}
PACKAGES = ("domain", "vault", "store", "catalog", "bundle", "printing", "services", "ui", "cli")

BELOW_SERVICES = {"printing", "bundle", "catalog", "vault", "foundation", "domain"}
# Which layers each layer may import (its own always). ui and cli reach the store only through
# services: sessions and ORM rows stay there (STYLE §3 "give the UI frozen dataclasses, never ORM
# rows"; issue 12 §7 "every command through services"). printing and bundle do not know the store:
# they get plain values (issue 12 §10). The catalog reads data files and knows neither.
ALLOWED: dict[str, set[str]] = {
    "domain": set(),
    "foundation": {"domain"},
    # Keys and encryption (issue 13): below the store and the bundle code, which are given keys by it.
    "vault": {"foundation", "domain"},
    "catalog": {"foundation", "domain"},
    "store": {"vault", "foundation", "domain"},
    "bundle": {"vault", "foundation", "domain"},
    "printing": {"catalog", "foundation", "domain"},
    "services": {"store", *BELOW_SERVICES},
    "ui": {"services", *BELOW_SERVICES},
    "cli": {"ui", "services", *BELOW_SERVICES},  # `fieldkit gui` starts the ui, inside the function
    "entry": {"cli"},
}
# Third-party packages a layer must not import (DESIGN §2: domain has no Qt, no SQL, no I/O).
NO_QT = {"PySide6", "shiboken6"}
FORBIDDEN_THIRD_PARTY: dict[str, set[str]] = {
    "domain": NO_QT | {"sqlalchemy", "alembic", "reportlab", "platformdirs"},
    **{layer: NO_QT for layer in ALLOWED if layer not in ("domain", "ui")},
}

# Known breaks, each with the part of issue 12 that removes it. test_known_breaks_are_still_there
# fails once one is gone, so this list only ever shrinks.
KNOWN_BREAKS: dict[tuple[str, str], str] = {}


def layer_of(module: str) -> str | None:
    """The layer of a module of ours, or None when it has none (a new top-level module)."""
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in PACKAGES:
        return "cli" if parts[1] == "cli" else parts[1]
    return TOP_LEVEL.get(module)


# ---- reading the imports ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Import:
    importer: str  # module that imports
    target: str  # module imported (resolved: `from fieldkit import paths` is fieldkit.paths)
    name: str  # the name taken from it ("" for `import a.b`)
    line: int
    where: str  # "top", "function" or "type-checking"

    def __str__(self) -> str:
        what = f"{self.target}.{self.name}" if self.name else self.target
        return f"{self.importer}:{self.line} imports {what} ({self.where})"


@dataclass(frozen=True)
class Source:
    module: str
    text: str
    is_package: bool  # an __init__.py: relative imports start from the module itself


def sources(root: Path = PACKAGE) -> list[Source]:
    out = []
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        out.append(Source(".".join(parts), path.read_text(encoding="utf-8"), is_package))
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, where: str) -> Iterator[tuple[ast.AST, str]]:
    """Every node with where it sits: at module level, inside a function, or under TYPE_CHECKING."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            inner = "type-checking" if where == "type-checking" else "function"
            yield child, inner
            yield from _walk(child, inner)
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            yield child, where
            for stmt in child.body:
                yield stmt, "type-checking"
                yield from _walk(stmt, "type-checking")
            for stmt in child.orelse:
                yield stmt, where
                yield from _walk(stmt, where)
        else:
            yield child, where
            yield from _walk(child, where)


def _absolute(source: Source, level: int, module: str | None) -> str:
    if not level:
        return module or ""
    base = source.module.split(".")
    if not source.is_package:
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def imports_of(source: Source, modules: set[str]) -> list[Import]:
    """The imports of our own modules in one module (third-party ones under target, name "")."""
    tree = ast.parse(source.text)
    found: list[Import] = []
    for node, where in _walk(tree, "top"):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(Import(source.module, alias.name, "", node.lineno, where))
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(source, node.level, node.module)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in modules:  # `from fieldkit import paths`, `from . import _io`: a module
                    found.append(Import(source.module, sub, "", node.lineno, where))
                else:
                    found.append(Import(source.module, base, alias.name, node.lineno, where))
    return found


def _ours(module: str) -> bool:
    return module == "fieldkit" or module.startswith("fieldkit.")


# ---- the rules --------------------------------------------------------------------------------------
def layer_breaks(imports: Iterable[Import]) -> list[tuple[Import, str]]:
    """Imports that run upwards or sideways, or bring in a third-party package the layer must not use."""
    out = []
    for imp in imports:
        src = layer_of(imp.importer)
        if src is None:
            continue  # reported by unplaced_modules
        if not _ours(imp.target):
            top = imp.target.split(".")[0]
            if top in FORBIDDEN_THIRD_PARTY.get(src, set()):
                out.append((imp, f"{src} must not import {top}"))
            continue
        dst = layer_of(imp.target)
        if dst is None:
            # a name in the package root (`from fieldkit import __version__`) or an unplaced module
            dst = "foundation" if imp.target == "fieldkit" else None
        if dst is not None and dst != src and dst not in ALLOWED[src]:
            out.append((imp, f"{src} must not import {dst}"))
    return out


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _package_of(module: str) -> str:
    return module.rsplit(".", 1)[0]


def _private_module_break(importer: str, module: str) -> bool:
    """A private module (any `_x` part of its name) used from outside the package that holds it."""
    parts = module.split(".")
    for i, part in enumerate(parts):
        if _private(part):
            package = ".".join(parts[:i])
            if importer != package and not importer.startswith(package + "."):
                return True
    return False


def private_breaks(source: Source, modules: set[str]) -> list[str]:
    """`from a.b import _c`, `a.b._c` through an imported module, or a private module from outside."""
    out = []
    imports = [i for i in imports_of(source, modules) if _ours(i.target)]
    for imp in imports:
        if _private_module_break(imp.importer, imp.target):
            out.append(f"{imp}: private module used outside its package")
        elif imp.name and _private(imp.name) and imp.target != imp.importer:
            out.append(f"{imp}: private name of another module")
    # attribute use through a module bound by an import: `import fieldkit.x as x; x._y`
    bound: dict[str, str] = {}
    tree = ast.parse(source.text)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _ours(alias.name):
                    if alias.asname:
                        bound[alias.asname] = alias.name
                    else:
                        bound[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(source, node.level, node.module)
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    bound[alias.asname or alias.name] = f"{base}.{alias.name}"
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        chain: list[str] = []
        head: ast.expr = node
        while isinstance(head, ast.Attribute):
            chain.insert(0, head.attr)
            head = head.value
        if not isinstance(head, ast.Name) or head.id not in bound:
            continue
        module = bound[head.id]
        for attr in chain:
            if f"{module}.{attr}" in modules:
                module = f"{module}.{attr}"
                continue
            if _private(attr) and module != source.module:
                out.append(
                    f"{source.module}:{node.lineno} uses {module}.{attr}: private name of another module"
                )
            break
        if _private_module_break(source.module, module):
            out.append(
                f"{source.module}:{node.lineno} uses {module}: private module used outside its package"
            )
    return sorted(set(out))


def check(all_sources: list[Source]) -> tuple[list[tuple[Import, str]], list[str]]:
    modules = {s.module for s in all_sources}
    imports = [i for s in all_sources for i in imports_of(s, modules)]
    return layer_breaks(imports), [b for s in all_sources for b in private_breaks(s, modules)]


# ---- fieldkit itself --------------------------------------------------------------------------------
SOURCES = sources()


def test_every_module_has_a_layer() -> None:
    unplaced = [s.module for s in SOURCES if layer_of(s.module) is None]
    assert not unplaced, f"place these modules in a layer (TOP_LEVEL or PACKAGES): {unplaced}"


def test_imports_point_downwards() -> None:
    breaks, _ = check(SOURCES)
    unknown = [f"{imp} — {why}" for imp, why in breaks if (imp.importer, imp.target) not in KNOWN_BREAKS]
    assert not unknown, "imports against DESIGN §2:\n" + "\n".join(unknown)


def test_known_breaks_are_still_there() -> None:
    breaks, _ = check(SOURCES)
    seen = {(imp.importer, imp.target) for imp, _ in breaks}
    gone = [f"{k} ({why})" for k, why in KNOWN_BREAKS.items() if k not in seen]
    assert not gone, f"fixed: remove from KNOWN_BREAKS: {gone}"


def test_no_module_imports_a_private_name_of_another() -> None:
    _, private = check(SOURCES)
    assert not private, "\n".join(private)


def test_the_graph_is_read_at_all() -> None:
    # The checker sees function-level and TYPE_CHECKING imports of the real code, not only the top.
    modules = {s.module for s in SOURCES}
    kinds = {i.where for s in SOURCES for i in imports_of(s, modules) if _ours(i.target)}
    assert kinds == {"top", "function", "type-checking"}
    edges = {
        (layer_of(i.importer), layer_of(i.target))
        for s in SOURCES
        for i in imports_of(s, modules)
        if _ours(i.target)
    }
    assert {("services", "store"), ("ui", "services"), ("printing", "domain")} <= edges


# ---- the checker can fail ---------------------------------------------------------------------------
def _synthetic(files: dict[str, str]) -> list[Source]:
    return [Source(m.removesuffix(".__init__"), t, m.endswith(".__init__")) for m, t in files.items()]


BASE = {
    "fieldkit.__init__": "__version__ = '0'\n",
    "fieldkit.domain.__init__": "",
    "fieldkit.domain.rules": "def rule() -> int:\n    return 1\n",
    "fieldkit.store.__init__": "",
    "fieldkit.store.db": "from fieldkit.domain.rules import rule\n_secret = 1\n",
    "fieldkit.bundle.__init__": "from fieldkit.bundle._io import CHUNK\n",  # the package's own
    "fieldkit.bundle._io": "CHUNK = 1\n",
    "fieldkit.bundle.writer": "from fieldkit.bundle._io import CHUNK\nfrom . import _io\n",
    "fieldkit.services.__init__": "",
    "fieldkit.services.ops": "from fieldkit.store import db\nfrom fieldkit import __version__\n",
    "fieldkit.ui.__init__": "",
}


def test_a_clean_synthetic_package_passes() -> None:
    assert check(_synthetic(BASE)) == ([], [])


def test_an_upward_import_is_reported() -> None:
    files = {**BASE, "fieldkit.store.db": "from fieldkit.services.ops import x\n"}
    breaks, _ = check(_synthetic(files))
    assert [(str(i), why) for i, why in breaks] == [
        ("fieldkit.store.db:1 imports fieldkit.services.ops.x (top)", "store must not import services")
    ]


def test_an_upward_import_inside_a_function_or_for_typing_is_reported() -> None:
    files = {
        **BASE,
        "fieldkit.domain.rules": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from fieldkit.store.db import Row\n"
            "def rule() -> int:\n    import fieldkit.ui\n    return 1\n"
        ),
    }
    breaks, _ = check(_synthetic(files))
    assert sorted((i.target, i.where, why) for i, why in breaks) == [
        ("fieldkit.store.db", "type-checking", "domain must not import store"),
        ("fieldkit.ui", "function", "domain must not import ui"),
    ]


def test_sideways_and_third_party_imports_are_reported() -> None:
    files = {
        **BASE,
        "fieldkit.bundle.writer": "from fieldkit.store.db import rule\n",
        "fieldkit.domain.rules": "import sqlalchemy\nfrom PySide6 import QtCore\n",
        "fieldkit.ui.page": "from fieldkit.store import db\n",
    }
    breaks, _ = check(_synthetic(files))
    assert sorted(why for _, why in breaks) == [
        "bundle must not import store",
        "domain must not import PySide6",
        "domain must not import sqlalchemy",
        "ui must not import store",
    ]


def test_a_private_name_of_another_module_is_reported() -> None:
    files = {
        **BASE,
        "fieldkit.services.ops": (
            "from fieldkit.store.db import _secret\n"
            "import fieldkit.store.db as db\nfrom fieldkit.store import db as db2\nimport fieldkit\n"
            "print(db._secret, db2._secret, fieldkit.store.db._secret, db.__name__)\n"
        ),
    }
    _, private = check(_synthetic(files))
    assert private == [
        "fieldkit.services.ops:1 imports fieldkit.store.db._secret (top): private name of another module",
        "fieldkit.services.ops:5 uses fieldkit.store.db._secret: private name of another module",
    ]
    assert len([p for p in private if ":5 uses" in p]) == 1  # three uses on one line, one report


def test_a_private_module_used_outside_its_package_is_reported() -> None:
    files = {
        **BASE,
        "fieldkit.services.ops": "from fieldkit.bundle._io import CHUNK\nfrom fieldkit.bundle import _io\n",
        "fieldkit.ui.page": "import fieldkit.bundle\nprint(fieldkit.bundle._io.CHUNK)\n",
    }
    _, private = check(_synthetic(files))
    assert private == [
        "fieldkit.services.ops:1 imports fieldkit.bundle._io.CHUNK (top): private module used outside its package",
        "fieldkit.services.ops:2 imports fieldkit.bundle._io (top): private module used outside its package",
        "fieldkit.ui.page:2 uses fieldkit.bundle._io: private module used outside its package",
    ]


def test_an_unplaced_top_level_module_is_reported() -> None:
    assert layer_of("fieldkit.helpers") is None
    assert layer_of("fieldkit.catalog.forms") == "catalog"
    assert layer_of("fieldkit.cli.inspections") == "cli"


# ---- what only running the imports shows: nothing pulls Qt or SQL in behind our back --------------
def loaded_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def package_modules(package: str) -> list[str]:
    return sorted(
        s.module for s in SOURCES if s.module.startswith(package + ".") and "__main__" not in s.module
    )


def test_domain_loads_neither_qt_nor_sqlalchemy() -> None:
    loaded = loaded_after("\n".join(f"import {m}" for m in package_modules("fieldkit.domain")))
    assert "PySide6" not in loaded
    assert "sqlalchemy" not in loaded


def test_services_printing_bundle_and_cli_do_not_load_qt() -> None:
    modules = [
        *package_modules("fieldkit.services"),
        *package_modules("fieldkit.printing"),
        *package_modules("fieldkit.bundle"),
        "fieldkit.cli",
        *package_modules("fieldkit.cli"),
    ]
    assert "PySide6" not in loaded_after("\n".join(f"import {m}" for m in modules))
