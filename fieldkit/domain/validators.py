"""Field validators for codes, ID numbers, phone numbers and free text, returning Chinese Problems."""

from __future__ import annotations

import re
from datetime import date

from fieldkit.domain.problems import Problem, Severity

# --- shared -------------------------------------------------------------------------------------------

# Provinces of GB/T 2260 (first two digits of a 行政区划代码). Counties change every year and old codes
# live on in USCCs and ID numbers, so only the province is checked (REFERENCE §4.3).
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23"}
    | {str(n) for n in range(31, 38)}
    | {str(n) for n in range(41, 47)}
    | {str(n) for n in range(50, 55)}
    | {str(n) for n in range(61, 66)}
    | {"71", "81", "82"}
)
# 港澳台居民居住证 numbers use the address codes 810000 / 820000 / 830000 (《港澳台居民居住证申领发放办法》);
# 83 is not a GB/T 2260 province, so it is accepted for ID numbers only.
ID_ADDRESS_PREFIXES = PROVINCE_CODES | {"83"}

_FULLWIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_ASCII_UPPER = {code: code - 32 for code in range(ord("a"), ord("z") + 1)}
# Zero-width characters come along when a code is copied from a web page; they are not isspace().
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def _to_halfwidth(text: str) -> str:
    return text.translate(_FULLWIDTH_TO_ASCII)


def normalize_code(text: str) -> str:
    """Returns the code as it should be stored: no spaces, half-width, upper-case.

    Removes every whitespace character (including the full-width space U+3000) and zero-width
    characters, turns full-width ASCII (Ａ, １…) into ASCII and upper-cases ASCII letters only, so that
    positions in messages match what the officer sees.
    """
    kept = "".join(c for c in text if not c.isspace() and c not in _INVISIBLE)
    return _to_halfwidth(kept).translate(_ASCII_UPPER)


def _quote(text: str) -> str:
    return f"“{text}”"


def _problem(field: str, code: str, label: str, message: str, severity: Severity = Severity.ERROR) -> Problem:
    return Problem(field=field, code=code, message=f"{label}：{message}", severity=severity)


# --- 统一社会信用代码 (GB 32100-2015) ----------------------------------------------------------------

# GB 32100-2015 §4: 31 characters, no I, O, S, V, Z; a character's value is its index here.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015 §5 (ISO 7064 MOD 31-3): weight of position i is 3^(i-1) mod 31.
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# GB 11714 organisation code: weights for its first 8 characters; digits 0-9, letters A=10 … Z=35.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_USCC_VALUES = {c: i for i, c in enumerate(USCC_ALPHABET)}


def uscc_check_char(first17: str) -> str:
    """Returns the 18th character of a USCC (GB 32100-2015) from its first 17.

    Raises:
        ValueError: if ``first17`` is not 17 characters from the USCC alphabet.
    """
    if len(first17) != 17 or any(c not in _USCC_VALUES for c in first17):
        raise ValueError(f"expected 17 characters of {USCC_ALPHABET}, got {first17!r}")
    total = sum(_USCC_VALUES[c] * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """Returns the 9th character of a GB 11714 organisation code from its first 8 ('0'-'9' or 'X').

    Raises:
        ValueError: if ``first8`` is not 8 characters from 0-9 and A-Z.
    """
    if len(first8) != 8 or any(c not in _ORG_CODE_ALPHABET for c in first8):
        raise ValueError(f"expected 8 characters of 0-9A-Z, got {first8!r}")
    total = sum(_ORG_CODE_ALPHABET.index(c) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _bad_chars_message(bad: list[tuple[int, str]], allowed_hint: str) -> str:
    listed = "、".join(f"第 {pos} 位{_quote(c)}" for pos, c in bad)
    return f"{listed}不是允许的字符（{allowed_hint}）"


def validate_uscc(text: str, field: str = "uscc", label: str = "统一社会信用代码") -> list[Problem]:
    """Checks a 统一社会信用代码 against GB 32100-2015.

    Layout, alphabet and the digits of the 行政区划码 are errors. An unknown province, a wrong check
    character and a wrong embedded organisation-code check are warnings: real, registered codes fail
    the check (REFERENCE §4.1), and the officer may keep them with a reason. Empty text is fine here;
    use ``validate_required`` for that.
    """
    code = normalize_code(text)
    if not code:
        return []
    problems: list[Problem] = []
    if len(code) != 18:
        problems.append(_problem(field, "uscc.length", label, f"应为 18 位，实为 {len(code)} 位"))
    bad = [(i, c) for i, c in enumerate(code, start=1) if c not in _USCC_VALUES]
    if bad:
        hint = (
            "不使用 I、O、S、V、Z"
            if all(c in "IOSVZ" for _, c in bad)
            else "只能是数字和除 I、O、S、V、Z 以外的大写字母"
        )
        problems.append(_problem(field, "uscc.char", label, _bad_chars_message(bad, hint)))
    if problems:
        return problems

    # GB 32100-2015 §4.3: positions 3-8 are the GB/T 2260 code of the registering office.
    region = code[2:8]
    non_digits = [(i, c) for i, c in enumerate(region, start=3) if not c.isdigit()]
    if non_digits:
        listed = "、".join(f"第 {pos} 位为{_quote(c)}" for pos, c in non_digits)
        problems.append(
            _problem(
                field, "uscc.region_digits", label, f"第 3–8 位（登记管理机关行政区划码）应为数字，{listed}"
            )
        )
    elif region[:2] not in PROVINCE_CODES:
        problems.append(
            _problem(
                field,
                "uscc.region",
                label,
                f"第 3–4 位{_quote(region[:2])}不是已知的省级行政区划代码，请核对",
                Severity.WARNING,
            )
        )

    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        problems.append(
            _problem(
                field,
                "uscc.check_char",
                label,
                f"校验位应为{_quote(expected)}，实为{_quote(code[17])}"
                "（部分真实登记的代码校验不通过，可填写理由后保留）",
                Severity.WARNING,
            )
        )

    # GB 11714: positions 9-17 are the old 组织机构代码 with its own check character at position 17.
    org_expected = org_code_check_char(code[8:16])
    if code[16] != org_expected:
        problems.append(
            _problem(
                field,
                "uscc.org_code_check",
                label,
                f"第 9–17 位（组织机构代码）的校验位应为{_quote(org_expected)}，实为{_quote(code[16])}"
                "（可填写理由后保留）",
                Severity.WARNING,
            )
        )
    return problems


# --- 居民身份证号码 (GB 11643-1999) -----------------------------------------------------------------

# GB 11643-1999: weight of position i is 2^(18-i) mod 11; the check is "10X98765432"[sum mod 11].
ID_WEIGHTS = tuple(pow(2, 18 - i, 11) for i in range(1, 18))
_ID_CHECK_CHARS = "10X98765432"
_ID_LAST_CHARS = frozenset("0123456789X")
_EARLIEST_BIRTH = date(1900, 1, 1)


def id_check_char(first17: str) -> str:
    """Returns the 18th character of a 居民身份证号码 (GB 11643-1999) from its first 17 digits.

    Raises:
        ValueError: if ``first17`` is not 17 ASCII digits.
    """
    if len(first17) != 17 or not _is_ascii_digits(first17):
        raise ValueError(f"expected 17 digits, got {first17!r}")
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def _is_ascii_digits(text: str) -> bool:
    # str.isdigit() is also true for '²' and other Unicode digits.
    return text.isascii() and text.isdigit()


def _parse_date(digits: str) -> date | None:
    """Parses YYYYMMDD; None if it is not a calendar date."""
    if len(digits) != 8 or not _is_ascii_digits(digits):
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def _id_shape(number: str) -> str | None:
    """Returns the normalised number if it has the shape of an 18- or 15-digit ID number, else None."""
    code = normalize_code(number)
    if len(code) == 18 and _is_ascii_digits(code[:17]) and code[17] in _ID_LAST_CHARS:
        return code
    if len(code) == 15 and _is_ascii_digits(code):
        return code
    return None


def _birth_digits(code: str) -> str:
    # GB 11643-1999: YYYYMMDD at positions 7-14; old 15-digit numbers have YYMMDD at 7-12, all 19YY.
    return code[6:14] if len(code) == 18 else "19" + code[6:12]


def id_birth_date(number: str) -> date | None:
    """Returns the birth date encoded in an 18- or 15-digit ID number, or None if there is none."""
    code = _id_shape(number)
    return _parse_date(_birth_digits(code)) if code else None


def id_sex(number: str) -> str | None:
    """Returns "男" or "女" from the sequence number (odd = male, GB 11643-1999), or None if malformed."""
    code = _id_shape(number)
    if code is None:
        return None
    digit = int(code[16] if len(code) == 18 else code[14])
    return "男" if digit % 2 else "女"


def _format_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _check_birth(code: str, field: str, label: str, today: date, positions: str, raw: str) -> list[Problem]:
    born = _parse_date(_birth_digits(code))
    if born is None:
        return [
            _problem(field, "id.birth_date", label, f"第 {positions} 位出生日期{_quote(raw)}不是有效日期")
        ]
    if born > today:
        return [_problem(field, "id.birth_future", label, f"出生日期为 {_format_date(born)}，晚于今天")]
    if born < _EARLIEST_BIRTH:
        return [
            _problem(field, "id.birth_too_early", label, f"出生日期为 {_format_date(born)}，早于 1900 年")
        ]
    return []


def _check_address(code: str, field: str, label: str) -> list[Problem]:
    if code[:2] in ID_ADDRESS_PREFIXES:
        return []
    return [
        _problem(
            field,
            "id.region",
            label,
            f"第 1–2 位{_quote(code[:2])}不是已知的省级行政区划代码，请核对",
            Severity.WARNING,
        )
    ]


def validate_id_number(
    text: str, field: str = "id_number", label: str = "身份证号码", today: date | None = None
) -> list[Problem]:
    """Checks a 居民身份证号码 against GB 11643-1999.

    Unlike a USCC, a wrong check character here is an error: the algorithm has no known exceptions,
    so a failure means a typing mistake. Old 15-digit numbers are accepted with a warning. Empty text
    is fine here; use ``validate_required`` for that.

    Args:
        today: the date a birth date may not be after; defaults to the system date.
    """
    code = normalize_code(text)
    if not code:
        return []
    today = today or date.today()

    if len(code) == 15:
        if not _is_ascii_digits(code):
            return [_non_digit_problem(code, 15, field, label)]
        problems = _check_birth(code, field, label, today, "7–12", code[6:12])
        problems += _check_address(code, field, label)
        problems.append(_problem(field, "id.old_format", label, "旧15位号码，无校验位", Severity.WARNING))
        return problems

    if len(code) != 18:
        return [_problem(field, "id.length", label, f"应为 18 位（或旧 15 位），实为 {len(code)} 位")]
    if not _is_ascii_digits(code[:17]):
        return [_non_digit_problem(code, 17, field, label)]
    if code[17] not in _ID_LAST_CHARS:
        return [_problem(field, "id.last_char", label, f"第 18 位应为数字或 X，实为{_quote(code[17])}")]

    problems = _check_birth(code, field, label, today, "7–14", code[6:14])
    problems += _check_address(code, field, label)
    expected = id_check_char(code[:17])
    if code[17] != expected:
        problems.append(
            _problem(
                field,
                "id.check_char",
                label,
                f"校验位应为{_quote(expected)}，实为{_quote(code[17])}，号码有误，请逐位核对",
            )
        )
    return problems


def _non_digit_problem(code: str, digits_expected: int, field: str, label: str) -> Problem:
    bad = [(i, c) for i, c in enumerate(code[:digits_expected], start=1) if not _is_ascii_digits(c)]
    listed = "、".join(f"第 {pos} 位{_quote(c)}" for pos, c in bad)
    return _problem(field, "id.digits", label, f"前 {digits_expected} 位应全为数字，{listed}不是数字")


# --- 联系电话 ------------------------------------------------------------------------------------------

# Separators between several numbers in one field, after full-width → half-width ("，" → ",").
_PHONE_SEPARATORS = re.compile(r"[、,;/]")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_PHONE_ALLOWED = re.compile(r"[0-9\s+\-()转分机]*")
_EXTENSION = re.compile(r"(转|分机)")
_SHORT_SERVICE = re.compile(r"(?:95|96|12)\d{3,4}")
# (0592)5123456 | 05925123456 | 0592-5123456 or 0592 5123456; then an optional "-123" extension.
_LANDLINE = re.compile(
    r"(?:\((?P<paren_area>\d+)\)\s*-?\s*(?P<paren_local>\d+)"
    r"|(?P<joined>\d{10,12})"
    r"|(?P<area>\d+)(?:\s*-\s*|\s+)(?P<local>\d+))"
    r"(?:\s*-\s*(?P<ext>\d+))?"
)
_PHONE_HINT = "手机号 11 位；固定电话如 0592-5123456；或 400/800、95xxx、12345 等服务号码"


class _PhoneError(Exception):
    """One part of a phone field is wrong; the message names the part (without the label)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _split_phones(text: str) -> list[str]:
    cleaned = _to_halfwidth(text).translate(_DASHES).replace("\u3000", " ")
    return [part.strip() for part in _PHONE_SEPARATORS.split(cleaned) if part.strip()]


def _parse_phone(part: str) -> str:
    """Returns the canonical form of one phone number, or raises _PhoneError saying what is wrong."""
    quoted = _quote(part)
    if not _PHONE_ALLOWED.fullmatch(part):
        bad = next(c for c in part if not _PHONE_ALLOWED.fullmatch(c))
        raise _PhoneError("phone.chars", f"{quoted}含有无法识别的字符{_quote(bad)}")

    main, extension = part, None
    pieces = _EXTENSION.split(part)
    if len(pieces) > 1:
        if len(pieces) != 3:
            raise _PhoneError("phone.format", f"{quoted}格式无法识别（{_PHONE_HINT}）")
        main, extension = pieces[0].strip(), pieces[2].strip()
        if not re.fullmatch(r"\d{1,6}", extension):
            raise _PhoneError("phone.extension", f"{quoted}的分机号应为 1–6 位数字")

    digits = re.sub(r"[\s\-()]", "", main)
    if digits.startswith("+86"):
        digits = digits[3:]
        if not digits.startswith("1"):
            raise _PhoneError("phone.mobile", f"{quoted}国际区号 +86 后应为 11 位手机号")
    elif digits.startswith("861") and len(digits) == 13:
        digits = digits[2:]
    if not _is_ascii_digits(digits):
        raise _PhoneError("phone.format", f"{quoted}格式无法识别（{_PHONE_HINT}）")

    if digits.startswith(("400", "800")):
        if len(digits) != 10:
            raise _PhoneError("phone.service", f"{quoted}400/800 号码应为 10 位，实为 {len(digits)} 位")
        return digits + (f"转{extension}" if extension else "")
    if _SHORT_SERVICE.fullmatch(digits):
        if extension:
            raise _PhoneError("phone.extension", f"{quoted}服务号码不能带分机号")
        return digits
    if digits.startswith("1") and len(digits) >= 7:
        return _parse_mobile(digits, extension, quoted)
    if digits.startswith("0"):
        return _parse_landline(main, extension, quoted)
    if 7 <= len(digits) <= 8:
        raise _PhoneError("phone.area_code", f"{quoted}缺少区号（应写成“区号-号码”，如 0592-5123456）")
    raise _PhoneError("phone.format", f"{quoted}不是有效的电话号码（{_PHONE_HINT}）")


def _parse_mobile(digits: str, extension: str | None, quoted: str) -> str:
    if len(digits) != 11:
        raise _PhoneError("phone.mobile", f"{quoted}手机号应为 11 位，实为 {len(digits)} 位")
    if digits[1] not in "3456789":
        raise _PhoneError("phone.mobile", f"{quoted}手机号第 2 位应为 3–9，实为{_quote(digits[1])}")
    if extension:
        raise _PhoneError("phone.extension", f"{quoted}手机号不能带分机号")
    return digits


def _parse_landline(main: str, extension: str | None, quoted: str) -> str:
    match = _LANDLINE.fullmatch(main)
    if match is None:
        raise _PhoneError("phone.format", f"{quoted}格式无法识别（{_PHONE_HINT}）")
    if match["joined"]:
        # Without a separator the split is a guess: 010 and 02x are the only 3-digit area codes.
        joined = match["joined"]
        cut = 3 if joined.startswith(("01", "02")) else 4
        area, local = joined[:cut], joined[cut:]
    else:
        area = match["paren_area"] or match["area"]
        local = match["paren_local"] or match["local"]
    if match["ext"]:
        if extension or len(match["ext"]) > 6:
            raise _PhoneError("phone.extension", f"{quoted}的分机号应为 1–6 位数字")
        extension = match["ext"]

    if not re.fullmatch(r"0\d{2,3}", area):
        raise _PhoneError("phone.area_code", f"{quoted}区号{_quote(area)}应为 3–4 位（0 加 2–3 位数字）")
    if not 7 <= len(local) <= 8:
        raise _PhoneError(
            "phone.local_number", f"{quoted}区号 {area} 后的号码应为 7–8 位数字，实为{_quote(local)}"
        )
    return f"{area}-{local}" + (f"转{extension}" if extension else "")


def normalize_phone(text: str) -> str:
    """Returns the phone field in canonical form: numbers joined by "、".

    Mobiles lose +86 and separators ("13812345678"), landlines become "0592-5123456转123", service
    numbers are plain digits. A part that is not a valid number is kept as typed (trimmed, half-width)
    so nothing the officer wrote is lost.
    """
    canonical = []
    for part in _split_phones(text):
        try:
            canonical.append(_parse_phone(part))
        except _PhoneError:
            canonical.append(part)
    return "、".join(canonical)


def validate_phone(text: str, field: str = "phone", label: str = "联系电话") -> list[Problem]:
    """Checks one or more phone numbers (mobile, landline, 400/800, 95xxx/12345-style).

    Numbers may be separated by "、", "，", ",", ";", "；" or "/"; each wrong one gives an error naming
    it and what is wrong. Empty text is fine here; use ``validate_required`` for that.
    """
    problems = []
    for part in _split_phones(text):
        try:
            _parse_phone(part)
        except _PhoneError as exc:
            problems.append(_problem(field, exc.code, label, exc.message))
    return problems


# --- generic -------------------------------------------------------------------------------------------


def validate_required(text: str, field: str, label: str) -> list[Problem]:
    """Error if the text is empty or only whitespace (full-width spaces included)."""
    if text and text.strip():
        return []
    return [_problem(field, "required", label, "必填")]


def validate_length(text: str, field: str, label: str, max_len: int) -> list[Problem]:
    """Error if the text, without surrounding whitespace, is longer than ``max_len`` characters."""
    length = len(text.strip()) if text else 0
    if length <= max_len:
        return []
    return [_problem(field, "too_long", label, f"不能超过 {max_len} 个字，实为 {length} 个字")]
