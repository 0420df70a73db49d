"""First-run setup and settings: the agency, its officers and this laptop's device code."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldkit.domain.agency import (
    AgencyDraft,
    OfficerDraft,
    SettingChange,
    agency_changes,
    identity_lock,
    validate_agency,
    validate_device_code,
    validate_officer,
    validate_team,
)
from fieldkit.domain.problems import Problem
from fieldkit.domain.roster import RosterEntry
from fieldkit.errors import NotFound, NotSetUp, ValidationFailed
from fieldkit.services import records
from fieldkit.services.context import Context, get_meta, set_meta
from fieldkit.store import audit
from fieldkit.store.audit import OPERATOR_KEY
from fieldkit.store.schema import AgencyRow, DocumentRow, OfficerRow

SERIES_KEY = "number_series"  # local_meta: the earlier (机关简称, 本机编号) series of this laptop, JSON


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


class IdentityLocked(ValidationFailed):
    """The 机关简称 or 本机编号 would change after numbers were issued, without a new series."""


@dataclass(frozen=True)
class SetupPlan:
    """What a (re-)run of setup would do, for the CLI and the GUI to show and ask before saving."""

    first_time: bool
    changes: tuple[SettingChange, ...]
    locked: tuple[Problem, ...]  # identity changes allowed only as a new number series
    issued: int  # 文号 this laptop has issued

    @property
    def needs_new_series(self) -> bool:
        return bool(self.locked)

    def lines(self) -> list[str]:
        return [c.text() for c in self.changes]


def _agency_row(session: Session) -> AgencyRow | None:
    return session.scalars(select(AgencyRow).where(AgencyRow.deleted_at.is_(None)).limit(1)).first()


def is_set_up(ctx: Context) -> bool:
    with ctx.sessions() as session:
        return _agency_row(session) is not None and get_meta(session, "device_code") is not None


def _draft_of(row: AgencyRow) -> AgencyDraft:
    return AgencyDraft(
        full_name=row.full_name,
        short_name=row.short_name,
        government_name=row.government_name,
        unit=row.unit,
        phone=row.phone,
        address=row.address,
        level=row.level,
        individual_cap=row.individual_cap,
    )


def _issued(session: Session, ctx: Context) -> tuple[int, str | None]:
    """文号 this laptop issued (voided ones count: a number is never given out twice), and the last one."""
    mine = (DocumentRow.device_id == ctx.device_id) & DocumentRow.number.is_not(None)
    rows = (
        session.execute(select(DocumentRow.number).where(mine).order_by(DocumentRow.updated_at.desc()))
        .scalars()
        .all()
    )
    return len(rows), (rows[0] if rows else None)


def _officer_changes(session: Session, officers: list[OfficerDraft]) -> list[SettingChange]:
    existing = {o.cert_no: o for o in session.scalars(select(OfficerRow))}
    out = []
    for draft in officers:
        row = existing.get(draft.cert_no.strip())
        if row is None:
            out.append(
                SettingChange(
                    "officer.add", "执法人员", "", f"{draft.name.strip()}（{draft.cert_no.strip()}）"
                )
            )
        elif row.deleted_at is not None or not row.active:
            out.append(
                SettingChange("officer.activate", f"执法人员{row.name}（{row.cert_no}）", "停用", "在职")
            )
        elif row.name != draft.name.strip():
            out.append(
                SettingChange("officer.change", f"执法人员（{row.cert_no}）", row.name, draft.name.strip())
            )
        elif row.unit != draft.unit.strip():
            out.append(SettingChange("officer.unit", f"{row.name}的承办机构", row.unit, draft.unit.strip()))
    return out


def _plan(
    session: Session, ctx: Context, agency: AgencyDraft, officers: list[OfficerDraft] | None, device_code: str
) -> SetupPlan:
    row = _agency_row(session)
    old_code = get_meta(session, "device_code")
    first = row is None and old_code is None
    changes = agency_changes(None if row is None else _draft_of(row), agency, old_code, device_code)
    if officers is not None and not first:
        changes += _officer_changes(session, officers)
    issued, last = _issued(session, ctx)
    return SetupPlan(first, tuple(changes), tuple(identity_lock(changes, issued, last)), issued)


def plan_setup(
    ctx: Context, agency: AgencyDraft, officers: list[OfficerDraft] | None, device_code: str
) -> SetupPlan:
    """What run_setup (officers given) or update_agency (officers None) would change; saves nothing.
    Bad input is refused here already, so nobody is asked to confirm what cannot be saved."""
    agency = agency.completed()
    problems = validate_agency(agency) + validate_device_code(device_code)
    if officers is not None:
        problems += validate_team(officers)
    if problems:
        raise ValidationFailed(problems)
    with ctx.sessions() as session:
        return _plan(session, ctx, agency, officers, device_code)


def _apply_plan(session: Session, ctx: Context, plan: SetupPlan, new_series: bool, actor: str) -> None:
    """Refuse a locked identity change without `new_series`; audit every change of the series prefix."""
    if plan.locked and not new_series:
        raise IdentityLocked(list(plan.locked))
    identity = [c for c in plan.changes if c.field in ("agency.short_name", "device_code")]
    if not identity:
        return
    row = _agency_row(session)
    old = {"short_name": row.short_name if row else "", "device_code": get_meta(session, "device_code") or ""}
    if plan.locked:
        # The old series stays valid: its numbers are printed already, and serials keep counting per
        # (文书代字, 年份, 本机编号), so neither the old nor the new prefix can repeat a number.
        history = json.loads(get_meta(session, SERIES_KEY) or "[]")
        history.append({**old, "until": ctx.now().isoformat(), "issued": plan.issued})
        set_meta(session, SERIES_KEY, json.dumps(history, ensure_ascii=False))
    # The device code is local (it never travels by itself): the audit log is what shows the change.
    audit.append(
        session,
        action="new_series" if plan.locked else "identity",
        record_type="agency",
        record_id=row.id if row else ctx.device_id,
        record_version=row.version if row else 0,
        device_id=ctx.device_id,
        now=ctx.now(),
        actor=actor,
        detail={"from": old, "changes": [c.text() for c in identity], "issued": plan.issued},
    )


def number_series_history(ctx: Context) -> list[dict[str, object]]:
    """Earlier (机关简称, 本机编号) series of this laptop, oldest first; their numbers stay valid."""
    with ctx.sessions() as session:
        return list(json.loads(get_meta(session, SERIES_KEY) or "[]"))


def run_setup(
    ctx: Context,
    agency: AgencyDraft,
    officers: list[OfficerDraft],
    device_code: str,
    *,
    new_series: bool = False,
    actor: str = "",
) -> None:
    """Set up (or redo) in one transaction: every problem is reported at once and nothing is half-saved.

    Once this laptop has issued a 文号, the 机关简称 and 本机编号 change only with `new_series`."""
    agency = agency.completed()  # level and 本级人民政府 derived from the name when left empty
    problems: list[Problem] = (
        validate_agency(agency) + validate_team(officers) + validate_device_code(device_code)
    )
    if problems:
        raise ValidationFailed(problems)
    with ctx.sessions.begin() as session:
        _apply_plan(session, ctx, _plan(session, ctx, agency, officers, device_code), new_series, actor)
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
                officer = OfficerRow(cert_no=draft.cert_no.strip(), **values)
                records.create(session, ctx, officer, actor=actor, detail=_officer_detail(officer))
            else:
                _update_officer(session, ctx, row, {**values, "deleted_at": None}, actor)
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
        "level": draft.level,
        "individual_cap": draft.individual_cap,
    }
    row = _agency_row(session)
    if row is None:
        records.create(session, ctx, AgencyRow(**values))
    else:
        records.update(session, ctx, row, values)


def update_agency(
    ctx: Context, agency: AgencyDraft, device_code: str, *, new_series: bool = False, actor: str = ""
) -> None:
    agency = agency.completed()
    if problems := validate_agency(agency) + validate_device_code(device_code):
        raise ValidationFailed(problems)
    with ctx.sessions.begin() as session:
        _apply_plan(session, ctx, _plan(session, ctx, agency, None, device_code), new_series, actor)
        _save_agency(session, ctx, agency)
        set_meta(session, "device_code", device_code.strip().upper())


def _officer_detail(row: OfficerRow) -> dict[str, object]:
    return {"name": row.name, "cert_no": row.cert_no, "unit": row.unit, "active": row.active}


def _update_officer(
    session: Session,
    ctx: Context,
    row: OfficerRow,
    changes: dict[str, object],
    actor: str,
    action: str = "change",
) -> None:
    """Roster changes are audited with the officer before and after: a 执法证号 printed on a document
    must be traceable to the roster entry of that day (行政处罚法第四十二条)."""
    before = _officer_detail(row)
    after = {**before, **{k: v for k, v in changes.items() if k in before}}
    records.update(
        session, ctx, row, changes, action=action, actor=actor, detail={"before": before, "after": after}
    )


def save_officer(
    ctx: Context, draft: OfficerDraft, officer_id: uuid.UUID | None = None, *, actor: str = ""
) -> uuid.UUID:
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
            officer = OfficerRow(active=True, position=position, **values)
            row = records.create(session, ctx, officer, actor=actor, detail=_officer_detail(officer))
        else:
            found = session.get(OfficerRow, officer_id)
            if found is None:
                raise NotFound("找不到该执法人员")
            row = found
            _update_officer(session, ctx, row, values, actor)
        return row.id


def set_officer_active(ctx: Context, officer_id: uuid.UUID, active: bool, *, actor: str = "") -> None:
    """Officers are never deleted: past records print their names; leaving staff are deactivated."""
    with ctx.sessions.begin() as session:
        row = session.get(OfficerRow, officer_id)
        if row is None:
            raise NotFound("找不到该执法人员")
        _update_officer(session, ctx, row, {"active": active}, actor, "activate" if active else "deactivate")


def roster_entries(session: Session) -> list[RosterEntry]:
    """Every registered officer (inactive ones too: the rule names them as 停用 rather than unknown)."""
    rows = session.scalars(select(OfficerRow).where(OfficerRow.deleted_at.is_(None))).all()
    return [RosterEntry(str(o.id), o.name, o.cert_no, o.active) for o in rows]


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
            agency=_draft_of(row),
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
