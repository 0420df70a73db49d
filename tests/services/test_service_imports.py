"""Services import without cycles: each module alone in a fresh interpreter, no module-level import
cycle among them, and the form hook modules never import documents (issue 12 §2)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import fieldkit.services

SERVICES = Path(fieldkit.services.__file__).parent
MODULES = sorted(p.stem for p in SERVICES.glob("*.py") if p.stem != "__init__")
# The hooks of the form registry (services/formhooks.py): documents.py runs them, so they must not
# build on it, at any level (a function-level import would only hide the cycle).
HOOK_MODULES = ("evidence_docs", "measure_docs")


def _service_imports(module: str, *, top_level_only: bool) -> set[str]:
    """The services modules `module` imports (from fieldkit.services import x / fieldkit.services.x)."""
    tree = ast.parse((SERVICES / f"{module}.py").read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    out: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "fieldkit.services":
                out |= {a.name for a in node.names}
            elif node.module.startswith("fieldkit.services."):
                out.add(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            out |= {a.name.split(".")[2] for a in node.names if a.name.startswith("fieldkit.services.")}
    return out & set(MODULES)


# Imports each module with none of fieldkit loaded, so each starts the import graph at a different place
# (a cycle that works from one end fails from the other); third-party packages stay loaded, for speed.
_ALONE = """
import importlib, sys, traceback
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "fieldkit" or m.startswith("fieldkit.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module("fieldkit.services." + name)
    except Exception:
        failed.append(name + ": " + traceback.format_exc().strip().splitlines()[-1])
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def test_every_services_module_imports_alone() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _ALONE, *MODULES], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_services_have_no_module_level_import_cycle() -> None:
    graph = {m: _service_imports(m, top_level_only=True) for m in MODULES}
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                pytest.fail("import cycle: " + " → ".join([*path[path.index(n) :], n]))
            if n not in state:
                visit(n, [*path, n])
        state[m] = 2

    for m in MODULES:
        if m not in state:
            visit(m, [m])


@pytest.mark.parametrize("module", HOOK_MODULES)
def test_form_hook_modules_never_import_documents(module: str) -> None:
    assert not _service_imports(module, top_level_only=False) & {"documents", "issuing", "formhooks"}
