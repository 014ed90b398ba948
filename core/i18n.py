"""The three languages kam speaks: ``zh`` (Simplified, the default), ``zh-Hant``
(Traditional) and ``en``.

Labels are declared once in Simplified Chinese and English (kam.kinds, kam.vocab, the
stage models, the report headers and titles); their Traditional form is data, in
kam.zh_hant (drafted with OpenCC's ``s2t`` by scripts/draft_zh_hant.py and reviewed: the
trade's own terms are kept — 回款, 簽約, 項目, 賬齡; docs/guide.md says why). Only labels
are converted, never what users typed.
"""

from __future__ import annotations

import functools
import os

LANGS = ("zh", "zh-Hant", "en")
_ALIASES = {"zh": "zh", "zh-hans": "zh", "zh-cn": "zh", "zh-sg": "zh",
            "zh-hant": "zh-Hant", "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-mo": "zh-Hant",
            "en": "en"}


def normalise(lang: str | None) -> str | None:
    """A language as given (``zh_TW``, ``ZH-HANT``, ``en``) → one of :data:`LANGS`."""
    if lang is None:
        return None
    return _ALIASES.get(lang.strip().replace("_", "-").casefold())


def from_locale(env: dict[str, str] | None = None) -> str:
    """The language of the user's locale: zh_TW/zh_HK/zh_MO → zh-Hant, other zh → zh,
    any other language en; no locale (unset, C, POSIX) → zh, kam's default."""
    env = dict(os.environ) if env is None else env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        code = env.get(var, "").split(".")[0].split("@")[0]
        if code in ("", "C", "POSIX"):
            continue
        found = normalise(code)
        if found is None and code.lower().startswith("zh"):
            found = "zh"
        return found or "en"
    return "zh"


def is_zh(lang: str | None) -> bool:
    return lang in ("zh", "zh-Hant")


def pick(lang: str | None, zh: str, en: str) -> str:
    """A label in ``lang``: the Chinese one (Traditional for zh-Hant) or the English one."""
    if lang == "zh-Hant":
        return hant(zh)
    return zh if lang == "zh" else en


def hant(text: str) -> str:
    """A Simplified label in Traditional Chinese: the reviewed phrase when the label is
    one, else character by character (labels with values filled in)."""
    from kam.zh_hant import CHARS, PHRASES

    found = PHRASES.get(text)
    if found is not None:
        return found
    return "".join(CHARS.get(ch, ch) for ch in text)


def simplified(text: str) -> str:
    """A Traditional label back in Simplified: input accepts all three languages."""
    return "".join(_back().get(ch, ch) for ch in text)


@functools.cache
def _back() -> dict[str, str]:
    from kam.zh_hant import CHARS

    return {t: s for s, t in CHARS.items() if t != s}
