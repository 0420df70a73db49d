"""The one error of the catalog: a data file is unusable, naming the file, the key inside it and the problem."""

from __future__ import annotations

from fieldkit.errors import FieldkitError

# What kind of file it is, said first in the message so an officer knows which folder to look in.
FORM_FILE = "表单定义文件"
PHRASES_FILE_KIND = "常用语文件"
CHECKLIST_FILE = "检查事项清单文件"
HOLIDAY_FILE = "节假日文件"


class CatalogError(FieldkitError):
    """A form definition, check-item list, holiday or 常用语 file cannot be used.

    Attributes:
        file: the file (or folder) as the officer finds it: relative to the program for shipped data
            ("forms/checklists/food_business.toml"), by name for others ("2027.toml").
        key: where inside the file ("fields[party_name].type", "items[3].code", "第 2 行"); "" for the
            whole file.
        problem: what is wrong, in Chinese.
        what: the kind of file (FORM_FILE, CHECKLIST_FILE, …).
    """

    def __init__(self, file: str, key: str, problem: str, *, what: str) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        self.what = what
        where = f"{what} {file}：" if file else ""
        inside = f"{key}：" if key else ""
        super().__init__(f"{where}{inside}{problem}")
