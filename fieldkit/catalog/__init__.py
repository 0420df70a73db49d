"""One catalog of the data files the program reads: forms, check-item lists, holidays and 常用语.

Below services and above domain: it imports the domain's value types and the stdlib (plus `paths` for
where the shipped data lives and `errors` for the common base error), never store, printing, bundle,
services or ui. Every loader reads through `reader.read_toml`, fails with `CatalogError` (file, key,
problem) and keeps what it read in a `Cache` (per folder, reused while the files are unchanged).
"""

from pathlib import Path

from fieldkit.catalog.cache import SHARED, Cache
from fieldkit.catalog.checklists import checklist_by_id, checklists_dir, load_checklist_file, load_checklists
from fieldkit.catalog.errors import CatalogError
from fieldkit.catalog.forms import check_forms, load_formdef, load_formdefs
from fieldkit.catalog.holidays import (
    holidays_dir,
    import_holiday_file,
    load_calendar,
    office_holidays_dir,
    parse_holiday_doc,
    parse_holiday_file,
)
from fieldkit.catalog.phrases import PhraseGroup, load_phrases

__all__ = [
    "SHARED",
    "Cache",
    "CatalogError",
    "PhraseGroup",
    "check_forms",
    "checklist_by_id",
    "checklists_dir",
    "holidays_dir",
    "import_holiday_file",
    "invalidate",
    "load_calendar",
    "load_checklist_file",
    "load_checklists",
    "load_formdef",
    "load_formdefs",
    "load_phrases",
    "office_holidays_dir",
    "parse_holiday_doc",
    "parse_holiday_file",
]


def invalidate(path: Path | None = None) -> None:
    """Forget what the program's cache holds (all, or what was read from `path`): after a settings
    change points to other folders, or an edit the files' size and time do not show."""
    SHARED.invalidate(path)
