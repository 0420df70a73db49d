"""Form definitions moved to `fieldkit.catalog`; these names stay only until cli.py becomes cli/ (issue 12 §7)."""

from fieldkit.catalog.forms import check_forms as check_all
from fieldkit.catalog.forms import load_formdefs

__all__ = ["check_all", "load_formdefs"]
