"""Control characters in text: refused on input, made visible on output.

Stored text may hold TAB and LF (multi-line notes, addresses) and nothing else below
U+0020, no DEL and no C1 controls (U+0080–U+009F): a bare CR breaks CSV files, NUL
breaks C tools, and ESC/CSI sequences drive the terminal that prints them.
"""

from __future__ import annotations

import re

from kam.errors import InputError

#: what input text must not contain: C0 except TAB and LF, DEL, C1
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: what output must not print raw: the same characters
_UNPRINTABLE = FORBIDDEN
_NAMES = {"\r": "CR", "\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL", "\x0b": "VT",
          "\x0c": "FF", "\x08": "BS", "\x07": "BEL"}


def describe(char: str) -> str:
    """``"\\r"`` → ``CR (U+000D)``."""
    code = f"U+{ord(char):04X}"
    name = _NAMES.get(char)
    return f"{name} ({code})" if name else code


def check(text: str, field: str) -> str:
    """Return ``text`` unchanged, or refuse it (exit 2) naming the first control char."""
    found = FORBIDDEN.search(text)
    if found is not None:
        raise InputError(f"{field}: contains the control character {describe(found.group())}; "
                         "text may hold tabs and line breaks, no other control characters")
    return text


def visible(text: str) -> str:
    """Text safe to print on a terminal: each control character (but TAB and LF) is
    shown as an escape like ``\\x1b``, never sent raw."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
