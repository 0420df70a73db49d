"""Every shipped form's `[example]` (forms/<form_id>.toml), as the tests' own plain copies: a test may change
them without changing the shared FormDef the code under test reads."""

from __future__ import annotations

from typing import Any

from fieldkit.catalog import load_formdefs

EXAMPLES: dict[str, dict[str, Any]] = {
    form_id: formdef.example_values() for form_id, formdef in load_formdefs().items() if formdef.example
}
