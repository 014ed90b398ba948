"""Every Chinese label kam shows, gathered from where each is declared: the drafting
script writes their Traditional forms from this list, and a test fails when one has
none (tests/test_zh_hant.py)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def _declared() -> Iterator[str]:
    from kam.kinds import EVENT, KINDS, LABELS
    from kam.plugin_manager import Plugins
    from kam.reports.contracts import HANDOVER_LABELS
    from kam.reports.labels import HEADERS
    from kam.vocab import VOCAB

    for zh, _en in LABELS.values():
        yield zh
    for k in (*KINDS.values(), EVENT):
        yield k.label[0]
        for f in (*k.fields, *k.views):
            yield f.label[0]
    for labels in VOCAB.values():
        for zh, _en in labels.values():
            yield zh
    for zh, _en in (*HEADERS.values(), *HANDOVER_LABELS.values()):
        yield zh
    for model in Plugins().pipelines().items.values():
        yield model.zh
        for s in model.stages:
            yield from (s.zh, s.key_node_zh, s.customer_step_zh, s.start_zh)
            for t in s.tasks:
                yield t.zh


def _literals() -> Iterator[str]:
    """The Chinese texts of the code: string constants and f-string parts with CJK."""
    for path in sorted([*ROOT.rglob("*.py"), *(ROOT.parent / "plugins").rglob("*.py")]):
        if path.name in ("zh_hant.py", "i18n_labels.py", "messages_zh.py",
                         "messages_zh_hant.py"):  # messages have their own Traditional data
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield node.value


def labels() -> list[str]:
    """Every distinct Chinese text, sorted: the declared labels, and the code's texts
    that are mostly Chinese (an English help text naming a term in Chinese is not one)."""
    out = {t for t in _declared() if t and _cjk(t)}
    out |= {t for t in _literals() if _cjk(t) and _mostly_chinese(t)}
    return sorted(out)


def _mostly_chinese(text: str) -> bool:
    letters = sum(ch.isascii() and ch.isalpha() for ch in text)
    return sum(_cjk(ch) for ch in text) >= letters


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" for ch in text)
