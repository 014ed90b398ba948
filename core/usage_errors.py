"""Command-line usage errors (用法错误) in the user's language.

click writes its few usage messages in English (``Missing option '--reason'.``); kam
prints them in zh and zh-Hant as one line ``kam: …`` with click's exit code 2, through
this small catalogue of click's message templates. English keeps click's own usage
block. A message no template matches is shown as click wrote it.
"""

from __future__ import annotations

import re

#: (click's message as a regex, Simplified, Traditional); ``{name}`` fills from the
#: regex's group of that name; the first match wins (most specific first)
TEMPLATES: list[tuple[str, str, str]] = [
    (r"Missing argument (?P<name>.+?)\.(?: .*)?", "缺少参数 {name}", "缺少參數 {name}"),
    (r"Missing option (?P<name>.+?)\.(?: .*)?", "缺少选项 {name}", "缺少選項 {name}"),
    (r"Missing parameter (?P<name>.+?)\.(?: .*)?", "缺少参数 {name}", "缺少參數 {name}"),
    (r"Missing command\.", "缺少子命令", "缺少子命令"),
    (r"No such option:? (?P<name>\S+?)\.? Did you mean (?P<other>.+)\?",
     "没有选项 {name}；是不是 {other}？", "沒有選項 {name}；是不是 {other}？"),
    (r"No such option:? (?P<name>\S+?)\.? \(Did you mean one of: (?P<other>.+)\?\)",
     "没有选项 {name}；是不是以下之一：{other}？", "沒有選項 {name}；是不是以下之一：{other}？"),
    (r"No such option:? (?P<name>\S+?)\.?", "没有选项 {name}", "沒有選項 {name}"),
    (r"No such command (?P<name>.+?)\.", "没有命令 {name}", "沒有命令 {name}"),
    (r"Option (?P<name>\S+) requires an argument\.", "选项 {name} 需要一个值",
     "選項 {name} 需要一個值"),
    (r"Option (?P<name>\S+) requires (?P<n>\d+) arguments\.", "选项 {name} 需要 {n} 个值",
     "選項 {name} 需要 {n} 個值"),
    (r"Option (?P<name>\S+) does not take a value\.", "选项 {name} 不接受值",
     "選項 {name} 不接受值"),
    (r"Argument (?P<name>\S+) takes (?P<n>\d+) values\.", "参数 {name} 需要 {n} 个值",
     "參數 {name} 需要 {n} 個值"),
    (r"Got unexpected extra arguments? ?(?:\(s\))? \((?P<args>.*)\)",
     "多余的参数（{args}）", "多餘的參數（{args}）"),
    (r"Invalid value for (?P<name>.+?): (?P<problem>.+)", "{name} 的值无效：{problem}",
     "{name} 的值無效：{problem}"),
    (r"Invalid value: (?P<problem>.+)", "值无效：{problem}", "值無效：{problem}"),
    # the problems click's own types name inside "Invalid value for …"
    (r"(?P<value>.+) is not a valid integer\.", "{value} 不是整数", "{value} 不是整數"),
    (r"(?P<value>.+) is not a valid float\.", "{value} 不是数字", "{value} 不是數字"),
    (r"(?P<value>.+) is not a valid (?P<what>\w+)\.", "{value} 不是有效的 {what}",
     "{value} 不是有效的 {what}"),
    (r"(?P<value>.+) is not one of (?P<choices>.+)\.", "{value} 不是以下之一：{choices}",
     "{value} 不是以下之一：{choices}"),
    (r"(?P<value>.+) is not in the range (?P<range>.+)\.", "{value} 不在范围 {range} 内",
     "{value} 不在範圍 {range} 內"),
    (r"(?P<what>File|Directory|Path) (?P<path>.+) does not exist\.", "{path} 不存在",
     "{path} 不存在"),
]

_COMPILED = [(re.compile(rx, re.S), zh, hant) for rx, zh, hant in TEMPLATES]
_PROBLEM = {"problem"}


def usage_message(message: str, lang: str) -> str:
    """click's usage ``message`` in ``lang`` (zh, zh-Hant); unchanged in English and
    when no template matches."""
    if lang not in ("zh", "zh-Hant"):
        return message
    found = _translate(message.strip(), lang, depth=0)
    return found if found is not None else message


def _translate(message: str, lang: str, depth: int) -> str | None:
    for rx, zh, hant in _COMPILED:
        m = rx.fullmatch(message)
        if m is None:
            continue
        values = dict(m.groupdict())
        for key in _PROBLEM & values.keys():
            if depth < 2:  # a problem is click's, or kam's own message: translate it
                inner = _translate(values[key], lang, depth + 1)
                values[key] = inner if inner is not None else _kam_message(values[key], lang)
        return (zh if lang == "zh" else hant).format(**values)
    return None


def _kam_message(message: str, lang: str) -> str:
    from kam.messages import localise

    return localise(message, lang)
