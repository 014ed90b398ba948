"""Draft core/zh_hant.py, the Traditional forms of kam's Chinese labels, with OpenCC's
``s2t`` (``pip install opencc-purepy``; not a kam dependency). Run it after adding a
label, then review the diff: the file is data, and what it says is what users read.

    python scripts/draft_zh_hant.py > core/zh_hant.py
"""

from __future__ import annotations

from kam.i18n_labels import labels
from opencc_purepy import OpenCC

#: reviewed choices where s2t's first guess is not the trade's word
OVERRIDES: dict[str, str] = {
    "偶发购买：目标是尽早获知需求——经营内线，跟踪立项与预算，抢在招标前影响标准。":
        "偶發購買：目標是儘早獲知需求——經營內線，追蹤立項與預算，搶在招標前影響標準。",
    "质量": "品質",  # quality (a contact's role); 質量 reads as "mass" in Traditional
}


def main() -> None:
    s2t = OpenCC("s2t")
    texts = labels()
    chars = sorted({ch for t in texts for ch in t})
    char_map = {ch: s2t.convert(ch) for ch in chars}
    phrases = {t: OVERRIDES.get(t, s2t.convert(t)) for t in texts
               if len(t) <= 60 and "\n" not in t}
    print('"""Traditional Chinese (zh-Hant) forms of kam\'s labels: data, drafted by')
    print("scripts/draft_zh_hant.py with OpenCC s2t and reviewed (kam.i18n). A label missing")
    print('here fails tests/test_zh_hant.py."""')
    print()
    print("# ruff: noqa: E501 - one label a line, however long")
    print()
    print("PHRASES: dict[str, str] = {")
    for s, t in sorted(phrases.items()):
        if s != t:
            print(f"    {s!r}: {t!r},")
    print("}")
    print()
    print("CHARS: dict[str, str] = {")
    for s, t in sorted(char_map.items()):
        if s != t and len(t) == 1:
            print(f"    {s!r}: {t!r},")
    print("}")


if __name__ == "__main__":
    main()
