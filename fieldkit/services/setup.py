"""First-run setup and settings: the agency, its officers and this laptop's device code."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldkit.domain.agency import (
    AgencyDraft,
    OfficerDraft,
    validate_agency,
    validate_device_code,
    validate_officer,
    validate_team,
)
from fieldkit.domain.problems import Problem
from fieldkit.errors import NotFound, NotSetUp, ValidationFailed
from fieldkit.services import records
from fieldkit.services.context import Context, get_meta, set_meta
from fieldkit.store.audit import OPERATOR_KEY
from fieldkit.store.schema import AgencyRow, OfficerRow


@dataclass(frozen=True)
class Officer:
    id: uuid.UUID
    name: str
    cert_no: str
    unit: str
    active: bool


@dataclass(frozen=True)
class Settings:
    agency: AgencyDraft
    officers: tuple[Officer, ...]  # active and inactive, in their order
    device_code: str

    @property
    def active_officers(self) -> tuple[Officer, ...]:
        return tuple(o for o in self.officers if o.active)


def _agency_row(session: Session) -> AgencyRow | None:
    return session.scalars(select(AgencyRow).where(AgencyRow.deleted_at.is_(None)).limit(1)).first()


def is_set_up(ctx: Context) -> bool:
    with ctx.sessions() as session:
        return _agency_row(session) is not None and get_meta(session, "device_code") is not None


def run_setup(ctx: Context, agency: AgencyDraft, officers: list[OfficerDraft], device_code: str) -> None:
    """Set up (or redo) in one transaction: every problem is reported at once and nothing is half-saved."""
    problems: list[Problem] = (
        validate_agency(agency) + validate_team(officers) + validate_device_code(device_code)
    )
    if problems:
        raise ValidationFailed(problems)
    with ctx.sessions.begin() as session:
        _save_agency(session, ctx, agency)
        existing = {o.cert_no: o for o in session.scalars(select(OfficerRow))}
        for position, draft in enumerate(officers):
            row = existing.get(draft.cert_no.strip())
            values = {
                "name": draft.name.strip(),
                "unit": draft.unit.strip(),
                "active": True,
                "position": position,
            }
            if row is None:
                records.create(session, ctx, OfficerRow(cert_no=draft.cert_no.strip(), **values))
            else:
                records.update(session, ctx, row, {**values, "deleted_at": None})
        set_meta(session, "device_code", device_code.strip().upper())
    from fieldkit.services.exchange import ensure_device_key  # cryptography: not on every start

    ensure_device_key(ctx)  # the key pair that signs this laptop's bundles (DESIGN §5)


def _save_agency(session: Session, ctx: Context, draft: AgencyDraft) -> None:
    values = {
        "full_name": draft.full_name.strip(),
        "short_name": draft.short_name.strip(),
        "government_name": draft.government_name.strip(),
        "unit": draft.unit.strip(),
        "phone": draft.phone.strip(),
        "address": draft.address.strip(),
    }
    row = _agency_row(session)
    if row is None:
        records.create(session, ctx, AgencyRow(**values))
    else:
        records.update(session, ctx, row, values)


def update_agency(ctx: Context, agency: AgencyDraft, device_code: str) -> None:
    if problems := validate_agency(agency) + validate_device_code(device_code):
        raise ValidationFailed(problems)
    with ctx.sessions.begin() as session:
        _save_agency(session, ctx, agency)
        set_meta(session, "device_code", device_code.strip().upper())


def save_officer(ctx: Context, draft: OfficerDraft, officer_id: uuid.UUID | None = None) -> uuid.UUID:
    if problems := validate_officer(draft):
        raise ValidationFailed(problems)
    cert = draft.cert_no.strip()
    with ctx.sessions.begin() as session:
        clash = session.scalars(
            select(OfficerRow).where(OfficerRow.cert_no == cert, OfficerRow.deleted_at.is_(None))
        ).first()
        if clash is not None and clash.id != officer_id:
            raise ValidationFailed(
                [Problem("officer.cert_no", "duplicate", f"执法证号：{cert} 已登记给 {clash.name}")]
            )
        values = {"name": draft.name.strip(), "cert_no": cert, "unit": draft.unit.strip()}
        if officer_id is None:
            position = len(session.scalars(select(OfficerRow.id)).all())
            row = records.create(session, ctx, OfficerRow(active=True, position=position, **values))
        else:
            found = session.get(OfficerRow, officer_id)
            if found is None:
                raise NotFound("找不到该执法人员")
            row = found
            records.update(session, ctx, row, values)
        return row.id


def set_officer_active(ctx: Context, officer_id: uuid.UUID, active: bool) -> None:
    """Officers are never deleted: past records print their names; leaving staff are deactivated."""
    with ctx.sessions.begin() as session:
        row = session.get(OfficerRow, officer_id)
        if row is None:
            raise NotFound("找不到该执法人员")
        records.update(session, ctx, row, {"active": active})


def load_settings(ctx: Context) -> Settings:
    with ctx.sessions() as session:
        row = _agency_row(session)
        code = get_meta(session, "device_code")
        if row is None or code is None:
            raise NotSetUp("尚未完成首次设置：请先设置执法机关、执法人员和本机编号")
        officers = session.scalars(
            select(OfficerRow)
            .where(OfficerRow.deleted_at.is_(None))
            .order_by(OfficerRow.position, OfficerRow.name)
        ).all()
        return Settings(
            agency=AgencyDraft(
                full_name=row.full_name,
                short_name=row.short_name,
                government_name=row.government_name,
                unit=row.unit,
                phone=row.phone,
                address=row.address,
            ),
            officers=tuple(Officer(o.id, o.name, o.cert_no, o.unit, o.active) for o in officers),
            device_code=code,
        )


def current_operator(ctx: Context) -> str:
    """The officer who is using this laptop now ("" when nobody was chosen); audit entries name them."""
    with ctx.sessions() as session:
        return get_meta(session, OPERATOR_KEY) or ""


def set_operator(ctx: Context, name: str | None) -> None:
    with ctx.sessions.begin() as session:
        set_meta(session, OPERATOR_KEY, name.strip() if name and name.strip() else None)
