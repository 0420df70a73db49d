"""Role gating in the UI (issue 13.1): a control the logged-in officer's role may not use is disabled,
and its tooltip says who may. The services check again (access.require); this only spares the officer a
refusal after filling in a form."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from fieldkit.domain.access import DUTIES, DUTY_LABELS, Duty, Role, may
from fieldkit.services.context import Context
from fieldkit.ui import strings

_OWN_TIP = "fieldkit_own_tooltip"


def who_may(duty: Duty) -> str:
    """The tooltip of a refused control: which roles may, and what."""
    return strings.only_roles([role.label for role in Role if duty in DUTIES[role]], DUTY_LABELS[duty])


def allowed(ctx: Context, duty: Duty) -> bool:
    return may(ctx.login.role, duty)


def gate(widget: QWidget, ctx: Context, duty: Duty, *, also: bool = True) -> bool:
    """Enable `widget` when the role allows `duty` (and `also` holds); say who may when the role does
    not. The widget's own tooltip comes back when an officer whose role allows it logs in."""
    if widget.property(_OWN_TIP) is None:
        widget.setProperty(_OWN_TIP, widget.toolTip())
    ok = allowed(ctx, duty)
    widget.setEnabled(ok and also)
    widget.setToolTip(str(widget.property(_OWN_TIP)) if ok else who_may(duty))
    return ok
