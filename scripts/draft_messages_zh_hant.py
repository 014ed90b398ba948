"""Draft core/messages_zh_hant.py, the Traditional forms of kam's message templates
(kam.messages_zh), with OpenCC's ``s2t`` (``pip install opencc-purepy``; not a kam
dependency), keeping the trade's terms as core/zh_hant.py does (回款, 簽約, 項目, 賬齡).
Run it after adding messages, then review the diff: the file is data.

    python scripts/draft_messages_zh_hant.py > core/messages_zh_hant.py
"""

from __future__ import annotations

from kam.messages_zh import ZH
from opencc_purepy import OpenCC

#: reviewed choices where s2t's first guess is not the trade's word (s2t, not s2tw:
#: the Traditional sources keep mainland trade terms such as 回款 and 項目)
OVERRIDES: dict[str, str] = {
    "這是程序缺陷；加 --debug 重新運行可看到調用棧":
        "這是程式缺陷；加 --debug 重新執行可看到呼叫堆疊",
}


def main() -> None:
    s2t = OpenCC("s2t")
    print('"""Traditional Chinese (zh-Hant) forms of the message templates of')
    print("kam.messages_zh: data, drafted by scripts/draft_messages_zh_hant.py with OpenCC")
    print("s2t and reviewed (kam.messages). A template missing here fails")
    print('tests/test_messages.py."""')
    print()
    print("# ruff: noqa: E501 - one message a line, however long")
    print()
    print("ZH_HANT: dict[str, str] = {")
    for zh in dict.fromkeys(ZH.values()):
        hant = s2t.convert(zh)
        for wrong, right in OVERRIDES.items():
            hant = hant.replace(wrong, right)
        print(f"    {zh!r}:")
        print(f"        {hant!r},")
    print("}")


if __name__ == "__main__":
    main()
