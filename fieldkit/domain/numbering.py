"""文号: 〈机关简称〉市监〈文书代字〉〔年份〕〈本机编号〉-〈序号〉号, unique across laptops that number offline.

Why the device code sits in the serial (docs/numbering.md): each laptop numbers with no network, and
number blocks would need the office to hand out and track ranges per device, form and year. The
device code is already unique within the agency (set-up rule), so `A1-12` and `B2-12` can never
collide, the serial stays a plain count per laptop, and a paper copy tells which laptop issued it.
The year goes in 六角括号 〔〕 (GB/T 9704; REFERENCE §1.3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PATTERN = re.compile(
    r"^(?P<short>.+?)市监(?P<code>.+?)〔(?P<year>\d{4})〕(?P<device>[A-Z0-9]{2,6})-(?P<seq>[1-9]\d*)号$"
)


@dataclass(frozen=True, order=True)
class DocNumber:
    short_name: str  # 机关简称
    code: str  # 文书代字, from the form definition
    year: int
    device_code: str
    seq: int

    def text(self) -> str:
        return f"{self.short_name}市监{self.code}〔{self.year}〕{self.device_code}-{self.seq}号"

    def __str__(self) -> str:
        return self.text()


def parse_number(text: str) -> DocNumber | None:
    match = _PATTERN.match(text.strip())
    if match is None:
        return None
    return DocNumber(match["short"], match["code"], int(match["year"]), match["device"], int(match["seq"]))


def next_number(short_name: str, code: str, year: int, device_code: str, used_seqs: list[int]) -> DocNumber:
    """The next serial after every number this laptop ever used for that code and year — voided
    numbers included, so a number is never given out twice."""
    return DocNumber(short_name, code, year, device_code, max(used_seqs, default=0) + 1)
