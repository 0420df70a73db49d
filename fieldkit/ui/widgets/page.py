"""What the main window knows about a page: a widget it can show, refresh and leave."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


class Page(QWidget):
    """A screen of the main window. Pages are registered, not hard-wired (see MainWindow.register_page)."""

    def page_shown(self) -> None:
        """Called each time the page becomes current: re-read what may have changed."""

    def page_leaving(self) -> None:
        """Called before another page is shown or the window closes: save what is being typed."""

    def login_changed(self) -> None:
        """Another officer logged in (the lock screen's switch): enable what their role may do."""

    def focus_search(self) -> bool:
        """Ctrl+F: put the cursor in this page's search box; False when the page has none."""
        return False
