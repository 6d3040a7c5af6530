"""What a public page may show of free text: no phone, ID number, e-mail, house address or person's name.

Public disclosure tables publish the place at the level the plan does (town, scenic area), never
a house number, and never a person: names of people the system knows (users, responsible persons)
are masked where the caller passes them, and "张先生 / 李女士"-style references always are.
"""

import re

MASK = "＊＊＊"

_PATTERNS = [
    # mobile, ID card and landline numbers
    r"(?<!\d)(?:1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|\d{17}[\dXx]|0\d{2,3}-?\d{7,8})(?!\d)",
    # e-mail addresses
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    # a street and house number, and building / unit / room numbers
    r"[\u4e00-\u9fa5\w]{0,12}(?:路|街|巷|大道|胡同|弄)\s*\d+\s*号(?:\s*\d+\s*(?:号楼|栋|幢|单元|层|楼|室|户))*",
    r"\d+\s*(?:号楼|栋|幢|单元|室|户)(?:\s*\d+\s*(?:单元|层|楼|室|户))*",
    # 张先生, 李女士, 王老师: a surname and a form of address
    r"[\u4e00-\u9fa5](?:先生|女士|小姐|老师|师傅|大爷|大妈|阿姨)",
]
_FIXED = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))


def mask_personal(text: str, names=()) -> str:
    """``text`` with personal data replaced by ＊＊＊; ``names`` are people's names to mask too."""
    text = _FIXED.sub(MASK, text or "")
    names = sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True)
    if names:
        text = re.sub("|".join(re.escape(n) for n in names), MASK, text)
    return text


def people_names() -> list[str]:
    """Names of people the system knows: users' full names (one query)."""
    from org.models import User

    return list(User.objects.exclude(full_name="").values_list("full_name", flat=True))
