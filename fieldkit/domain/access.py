"""Who may do what on a laptop (issue 13.1): roles, what each role may do, and the password rule."""

from __future__ import annotations

import enum

from fieldkit.domain.coded import Coded

MIN_PASSWORD_LEN = 6  # a PIN of at least 6 digits, or any longer password (issue 13.1)
AUTO_LOCK_DEFAULT_MINUTES = 5


class Role(Coded):
    """An officer's role on this laptop. Stored as the code in the keyring, bound into the key wrap."""

    OFFICER = "officer", "执法人员"
    ADMIN = "admin", "管理员"  # settings, officers, device, keys
    OFFICE = "office", "办公室"  # import, trust, conflicts


class Duty(enum.Enum):
    """Work that not every role may do."""

    SETTINGS = "settings"  # agency, print options, auto-lock
    OFFICERS = "officers"  # add officers, set or reset passwords, roles
    KEYS = "keys"  # device key, office recovery key, recovery
    IMPORT = "import"  # office import of bundles
    TRUST = "trust"  # trust a device key
    CONFLICTS = "conflicts"  # resolve conflicting versions
    FIELD_WORK = "field_work"  # inspections, documents, evidence, measures, export


DUTIES: dict[Role, frozenset[Duty]] = {
    Role.OFFICER: frozenset({Duty.FIELD_WORK}),
    Role.ADMIN: frozenset({Duty.FIELD_WORK, Duty.SETTINGS, Duty.OFFICERS, Duty.KEYS}),
    Role.OFFICE: frozenset({Duty.FIELD_WORK, Duty.IMPORT, Duty.TRUST, Duty.CONFLICTS}),
}

DUTY_LABELS: dict[Duty, str] = {
    Duty.SETTINGS: "修改设置",
    Duty.OFFICERS: "管理执法人员和密码",
    Duty.KEYS: "管理本机密钥和单位恢复公钥",
    Duty.IMPORT: "导入数据包",
    Duty.TRUST: "信任设备公钥",
    Duty.CONFLICTS: "处理版本冲突",
    Duty.FIELD_WORK: "现场执法工作",
}


def may(role: Role | None, duty: Duty) -> bool:
    """None (a store nobody has protected yet, before the first password) may do everything: it is the
    set-up state, and the first password set there makes its officer an administrator."""
    return role is None or duty in DUTIES[role]


def password_problem(password: str, *, field: str = "密码") -> str | None:
    """Why a new password is refused (Chinese, naming the field), or None."""
    if len(password) < MIN_PASSWORD_LEN:
        if password.isdigit():
            return f"{field}太短：数字 PIN 至少 {MIN_PASSWORD_LEN} 位"
        return f"{field}太短：至少 {MIN_PASSWORD_LEN} 个字符"
    if password != password.strip():
        return f"{field}的开头或结尾有空格：请去掉，以免登录时输不对"
    if len(set(password)) == 1:
        return f"{field}不能全是同一个字符"
    return None
