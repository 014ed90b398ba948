"""Messages users read (errors, refusals, warnings, findings) in their language.

Services write their messages in English (the raise sites stay as they are, and JSON
keeps them); the CLI translates a message on output, in one place, by its template:
kam.messages_zh maps each English template (the message with its f-string placeholders,
as kam.message_sites reads them from the code) to Simplified Chinese, and
kam.messages_zh_hant holds the reviewed Traditional forms. Placeholder values that are
enum or stage keys read as their labels; a value that is itself a message (a refusal
listing its findings) is translated too. A message no template matches stays English.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from itertools import islice, repeat, starmap
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from kam.findings import Finding


def _lazy(name: str, pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A module pattern compiled on its first use (kam.values.lazy_pattern): ``say``
    imported this module for every message, English too, and compiling the five at
    import cost ~2 ms (``[一-鿿]`` ~1.5 ms)."""
    from kam.values import lazy_pattern

    return lazy_pattern(globals(), name, pattern, flags)


#: a placeholder of a template: ``{expr}``, brackets and quotes inside allowed
_FIELD = _lazy("_FIELD", r"\{\{|\}\}|\{((?:[^{}'\"]|'[^']*'|\"[^\"]*\"|\{[^{}]*\})+)\}")
_KEY = _lazy("_KEY", r"[a-z][a-z0-9_]*")
#: names code gives a record in placeholders (``{o['status']}``) → its kind's prefix
_SHORT = {"o": "opp", "opportunity": "opp", "c": "contract", "rc": "milestone"}
_CJK = _lazy("_CJK", "[\u4e00-\u9fff]")
_WIDTH = _lazy("_WIDTH", r":<(\d+)$")
_QUOTED = _lazy("_QUOTED", r"""^(['"])(.*)\1$""", re.S)
#: a placeholder's format spec (``{rid:<7}``: ``<7``), as an f-string applies it
_SPEC = _lazy("_SPEC", r"(?:!([rsa]))?(?::([^:{}'\"\]]*))?$")
_SPACE = _lazy("_SPACE", r"\s")


class _Pattern:
    """A template's regex, compiled when a message first gets past the template's
    fixed-text test: compiling all ~600 on the first Chinese message took ~70 ms of it
    (``kam check``'s summary line), for the one or two a message is tried against."""

    __slots__ = ("_compiled", "_pattern")

    def __init__(self, pattern: str) -> None:
        self._pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    def fullmatch(self, text: str) -> re.Match[str] | None:
        if self._compiled is None:
            self._compiled = re.compile(self._pattern, re.S)
        return self._compiled.fullmatch(text)


@functools.cache
def _compiled() -> list[tuple[_Pattern, list[str], str]]:
    """The catalogue as (regex, placeholder names, English template), most specific
    (longest fixed text) first; built on the first message, not at start-up."""
    from kam.messages_zh import ZH

    out = []
    for english in ZH:
        parts, names, fixed = [], [], 0
        pos = 0
        for m in _FIELD.finditer(english):
            literal = english[pos:m.start()]
            parts.append(re.escape(literal))
            fixed += len(literal)
            if m.group(1) is None:
                parts.append(re.escape(m.group()[0]))
                fixed += 1
            else:
                width = _WIDTH.search(m.group(1))
                glued = english[m.end():m.end() + 1] == "{" and english[m.end():m.end() + 2] != "{{"
                # a padded field (``{rid:<7}``) is at least that wide: never split inside;
                # one followed by another (``{status}{extra}``) or named ``{id}`` is a word
                parts.append(f"(.{{{width.group(1)},}}?)" if width
                             else r"(\S+)" if glued or m.group(1) == "id" else "(.+?)")
                names.append(m.group(1))
            pos = m.end()
        parts.append(re.escape(english[pos:]))
        fixed += len(english) - pos
        out.append((fixed, _Pattern("".join(parts)), names, english))
    out.sort(key=lambda t: -t[0])
    return [(rx, names, english) for _fixed, rx, names, english in out]


#: how many leading characters of a template's fixed text index it
_LEAD = 3

_Entry = tuple[str, _Pattern, list[str], str]


@functools.cache
def _indexed() -> tuple[dict[str, list[_Entry]], list[_Entry]]:
    """The templates a message can match, found by its first characters: a template
    whose fixed text starts with at least ``_LEAD`` characters can only match a message
    starting with them; the others are tried for every message. Each entry carries its
    longest fixed text (a message without it cannot match: a substring test is cheaper
    than the regex). Lists keep the catalogue's order (most specific first), so the
    answer is the linear scan's."""
    by_lead: dict[str, list[int]] = {}
    anywhere: list[int] = []
    entries: list[_Entry] = []
    for i, (rx, names, english) in enumerate(_compiled()):
        fixed = _FIELD.split(english)[::2]  # the text between placeholders
        entries.append((max(fixed, key=len), rx, names, english))
        head = fixed[0]
        if len(head) >= _LEAD:
            by_lead.setdefault(head[:_LEAD], []).append(i)
        else:
            anywhere.append(i)
    merged = {lead: [entries[i] for i in sorted(ids + anywhere)]
              for lead, ids in by_lead.items()}
    return merged, [entries[i] for i in anywhere]


def _candidates(message: str) -> list[_Entry]:
    by_lead, anywhere = _indexed()
    return by_lead.get(message[:_LEAD], anywhere)


def localise(message: str, lang: str | None) -> str:
    """``message`` in ``lang`` (zh, zh-Hant); English, and any message no template
    matches, unchanged. Never raises: a message is shown whatever happens here."""
    if lang not in ("zh", "zh-Hant") or not message:
        return message
    try:
        return _translate_any(message, lang, depth=0) or message
    except Exception:  # a broken entry must not hide the error it translates
        return message


def fill(english: str, values: Sequence[Any], lang: str | None) -> str:
    """The line the f-string ``english`` (a template as the code writes it, e.g. ``"due
    {n['due_date']}  outstanding {n['outstanding']}"``) makes of ``values`` (one per
    placeholder, in order, converted and formatted by its spec as the f-string does), in
    ``lang`` — exactly what :func:`localise` gives for that line, without matching the
    line against the catalogue: the template's translation is split once and each
    distinct value of a placeholder translated once. A value that might read back
    otherwise (white space where the line has it between fields), or a line a template
    before this one in the catalogue matches, is left to :func:`localise`."""
    plan = _plan(english)
    if len(values) != len(plan.slots):
        raise ValueError(f"{len(values)} value(s) for {len(plan.slots)} placeholder(s)")
    texts = tuple(format(value, spec) if conv is None else format(conv(value), spec)
                  for value, (conv, spec) in zip(values, plan.formats, strict=True))
    line = plan.english.format(*texts)
    if lang not in ("zh", "zh-Hant") or not line:
        return line
    try:
        filler = _filler(english, lang)
        if filler is not None:
            found = filler.fill(line, texts, tuple(
                known[text] for known, text in zip(filler.values, texts, strict=True)))
            if found is not None:
                return found
    except Exception:  # noqa: BLE001 — as localise: a line is shown whatever happens here
        pass
    return localise(line, lang)


def fill_rows(english: str, rows: Iterable[Sequence[Any]], lang: str | None
              ) -> Iterator[str]:
    """:func:`fill` of each row of values, by column (a page of rows at a time): each
    placeholder's values formatted and translated column by column, so a long listing
    (``kam check``'s ~100k reminder lines on a big team's first run) costs a format
    and a lookup per value. A page that fails to format is filled row by row (the error
    raised at its row, the lines before it given)."""
    plan = _plan(english)
    width = len(plan.slots)
    zh = lang in ("zh", "zh-Hant")
    for page in _pages(rows, _FILL_PAGE):
        try:
            if not width or any(len(values) != width for values in page):
                raise ValueError("not one value per placeholder")
            columns = [list(map(format, column, repeat(spec, len(page)))) if conv is None
                       else [format(conv(value), spec) for value in column]
                       for column, (conv, spec) in zip(zip(*page, strict=True),
                                                       plan.formats, strict=True)]
        except Exception:  # noqa: BLE001 — each row as fill has it, raising at its row
            yield from (fill(english, values, lang) for values in page)
            continue
        texts = list(zip(*columns, strict=True))
        lines = list(starmap(plan.english.format, texts))
        try:
            filler = _filler(english, lang) if zh and lines else None
        except Exception:  # noqa: BLE001 — as localise: the lines are shown regardless
            filler = None
        if filler is None:
            yield from (map(partial(localise, lang=lang), lines) if zh else lines)
            continue
        values = zip(*[list(map(known.__getitem__, column))
                       for known, column in zip(filler.values, columns, strict=True)],
                     strict=True)
        for line, text, value in zip(lines, texts, values, strict=True):
            yield filler.fill(line, text, value) or localise(line, lang)


#: rows :func:`fill_rows` formats and translates at once
_FILL_PAGE = 2000


def _pages(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    it = iter(rows)
    while page := list(islice(it, size)):
        yield page


class _Plan(NamedTuple):
    """An English template split once: its placeholders (name as the catalogue keys it,
    padded width), how each is formatted (conversion, spec), the line as a ``str.format``
    template of the formatted values, and whether the line reads back as its values when
    they have no white space (every placeholder followed by white space or the end)."""

    slots: tuple[tuple[str, int], ...]
    formats: tuple[tuple[Callable[[Any], Any] | None, str], ...]
    english: str
    spaced: bool


#: an f-string's conversions (``{x!r}``)
_CONVERT: dict[str, Callable[[Any], Any]] = {"r": repr, "s": str, "a": ascii}


def _braced(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


@functools.lru_cache(maxsize=256)
def _plan(english: str) -> _Plan:
    literals: list[str] = []
    slots: list[tuple[str, int]] = []
    formats: list[tuple[Callable[[Any], Any] | None, str]] = []
    pos, literal = 0, ""
    for m in _FIELD.finditer(english):
        literal += english[pos:m.start()]
        pos = m.end()
        if m.group(1) is None:  # {{ or }}
            literal += m.group()[0]
            continue
        literals.append(literal)
        literal = ""
        name = m.group(1)
        spec = _SPEC.search(name)
        width = _WIDTH.search(name)
        slots.append((name, int(width.group(1)) if width else 0))
        formats.append((_CONVERT[spec.group(1)] if spec and spec.group(1) else None,
                        spec.group(2) or "" if spec else ""))
    literals.append(literal + english[pos:])
    line = _braced(literals[0]) + "".join(f"{{{i}}}{_braced(lit)}"
                                          for i, lit in enumerate(literals[1:]))
    spaced = all(not lit or lit[0].isspace() for lit in literals[1:])
    return _Plan(tuple(slots), tuple(formats), line, spaced)


class _Filler:
    """:func:`fill` for one template and language: the translation as a ``str.format``
    template of the placeholders' values, each placeholder's values translated once (None:
    one that might not read back as itself), the templates tried before it by a line's
    first characters."""

    def __init__(self, english: str, plan: _Plan, target: str, lang: str) -> None:
        self.english, self.plan, self.lang = english, plan, lang
        index = {name: i for i, (name, _width) in enumerate(plan.slots)}
        parts, pos = [], 0
        for m in _FIELD.finditer(target):
            parts.append(_braced(target[pos:m.start()]))
            pos = m.end()
            name = m.group(1)
            if name is None:
                parts.append(_braced(m.group()[0]))
                continue
            width = _WIDTH.search(name)
            i = index.get(name)
            parts.append(_braced("{" + name + "}") if i is None
                         else f"{{{i}:<{width.group(1)}}}" if width else f"{{{i}}}")
        parts.append(_braced(target[pos:]))
        self.target = "".join(parts)
        self.bare = not _CJK.search(_FIELD.sub("", target))  # no Chinese of its own
        self.values = [_Translated(name, width, lang) for name, width in plan.slots]
        self.before: dict[str, tuple[tuple[str, _Pattern], ...] | None] = {}

    def fill(self, line: str, texts: tuple[str, ...], values: tuple[str | None, ...]
             ) -> str | None:
        """``line`` (of these placeholder ``texts``, translated to ``values``)
        translated, or None for :func:`localise` to decide."""
        if None in values:
            return None
        lead = line[:_LEAD]
        earlier = self.before.get(lead, _UNKNOWN)
        if earlier is _UNKNOWN:
            earlier = self.before[lead] = _before(self.english, lead)
        if earlier is None:
            return None
        for needle, rx in earlier:
            if needle in line and rx.fullmatch(line):
                return None
        if self.bare and list(values) == [
                text.rstrip() if width else text
                for text, (_n, width) in zip(texts, self.plan.slots, strict=True)]:
            return None  # a bare shape that translated nothing: localise tries the next
        return self.target.format(*values)


class _Translated(dict[str, str | None]):
    """A placeholder's texts → their translation as :func:`localise` reads and
    translates them, each made once; None when the line might not read back as the text:
    a padded field shorter than its width, or one (longer, or without a width) that is
    empty or holds white space (or its translation failed)."""

    def __init__(self, name: str, width: int, lang: str) -> None:
        super().__init__()
        self.name, self.width, self.lang = name, width, lang

    def __missing__(self, text: str) -> str | None:
        width = self.width
        value: str | None = None
        if (width and len(text) == width) or not (
                len(text) < width or not text or _SPACE.search(text)):
            try:
                value = _value.__wrapped__(self.name, text.rstrip() if width else text,
                                           self.lang, 0)  # kept here, not in its cache
            except Exception:  # noqa: BLE001 — localise decides the line
                value = None
        self[text] = value
        return value


_UNKNOWN: Any = object()


@functools.lru_cache(maxsize=256)
def _filler(english: str, lang: str) -> _Filler | None:
    """The :class:`_Filler` of a template the catalogue translates and whose line reads
    back as its values, else None (its lines go through :func:`localise`)."""
    from kam.messages_zh import ZH

    plan = _plan(english)
    if english not in ZH or not plan.spaced:
        return None
    return _Filler(english, plan, _template(english, lang), lang)


@functools.lru_cache(maxsize=256)
def _before(english: str, lead: str) -> tuple[tuple[str, _Pattern], ...] | None:
    """The templates :func:`localise` tries before ``english`` for a line starting with
    ``lead``, as (longest fixed text, regex); None when it would not try ``english``."""
    found = _candidates(lead)
    for i, (_needle, _rx, _names, template) in enumerate(found):
        if template == english:
            return tuple((needle, rx) for needle, rx, _names, _t in found[:i])
    return None


def finding_line(finding: Finding, lang: str) -> str:
    """A rule finding as printed under a refusal or a change: ``  warn: message [plugin]``
    (``  警告：…`` in Chinese)."""
    if lang not in ("zh", "zh-Hant"):
        from kam.findings import english_line

        return english_line(finding)
    origin = f" [{finding.plugin}]" if finding.plugin else ""
    message = localise(finding.message, lang)
    from kam.vocab import label

    return f"  {label('severity', finding.severity, lang)}：{message}{origin}"


def warning_line(warning: str, lang: str) -> str:
    """A warning as printed on stderr: ``kam: warning: …`` (``kam: 警告：…``)."""
    if lang not in ("zh", "zh-Hant"):
        return f"kam: warning: {warning}"
    from kam.vocab import label

    return f"kam: {label('severity', 'warn', lang)}：{localise(warning, lang)}"


def _translate_any(message: str, lang: str, depth: int) -> str | None:
    found = _translate(message, lang, depth)
    if found is None and lang == "zh-Hant":
        # a rule's finding in a zh-Hant workspace has its Chinese terms in Traditional
        # already (kam.plugin_manager): match it as it was written
        from kam.i18n import simplified

        found = _translate(simplified(message), lang, depth)
    return found


def _translate(message: str, lang: str, depth: int) -> str | None:
    from kam.messages_zh import ZH

    for needle, rx, names, english in _candidates(message):
        if needle not in message:
            continue
        m = rx.fullmatch(message)
        if m is None:
            continue
        target = _template(english, lang) if english in ZH else None
        if target is None:
            return None
        given = [value.rstrip() if _WIDTH.search(name) else value
                 for name, value in zip(names, m.groups(), strict=True)]
        values = {name: _value(name, value, lang, depth)
                  for name, value in zip(names, given, strict=True)}
        if not _CJK.search(target) and list(values.values()) == given:
            continue  # a bare shape ("{error} ({then})") that translated nothing
        return _FIELD.sub(functools.partial(_fill, values=values), target)
    return None


def _template(english: str, lang: str) -> str:
    from kam.messages_zh import ZH

    zh = ZH[english]
    if lang == "zh":
        return zh
    from kam.messages_zh_hant import ZH_HANT

    found = ZH_HANT.get(zh)
    if found is not None:
        return found
    from kam.i18n import hant

    return hant(zh)  # not yet reviewed: character by character


def _fill(m: re.Match[str], *, values: dict[str, str]) -> str:
    if m.group(1) is None:
        return m.group()[0]
    value = values.get(m.group(1), m.group())
    width = _WIDTH.search(m.group(1))
    return value.ljust(int(width.group(1))) if width else value


@functools.lru_cache(maxsize=8192)
def _value(name: str, value: str, lang: str, depth: int) -> str:
    """A placeholder's value as the user reads it: a key as its label (quotes kept), a
    list of keys as their labels, a message (or ``; ``-joined messages) translated.
    Kept per (name, value): a long listing (``kam check``'s reminders) repeats the same
    labels, amounts and notes thousands of times, and the tables it reads are fixed for
    the process."""
    from kam.messages_zh import ZH

    if value in ZH and "{" not in value:  # a word a command fills in (due, (forced))
        return _template(value, lang)
    quoted = _QUOTED.match(value)
    inner = quoted.group(2) if quoted else value
    label = _label(name, inner, lang)
    if label is not None:
        return f"{quoted.group(1)}{label}{quoted.group(1)}" if quoted else label
    if ", " in inner:
        items = inner.split(", ")
        labels = [_label(name, item, lang) for item in items]
        if all(x is not None for x in labels):
            joined = "、".join(str(x) for x in labels)
            return f"{quoted.group(1)}{joined}{quoted.group(1)}" if quoted else joined
    if depth < 3 and " " in inner:
        whole = _translate_any(inner, lang, depth + 1)
        if whole is not None:
            return f"{quoted.group(1)}{whole}{quoted.group(1)}" if quoted else whole
        pieces = inner.split("; ")
        done = [_translate_any(p, lang, depth + 1) for p in pieces]
        if any(d is not None for d in done):
            return "；".join(d or p for d, p in zip(done, pieces, strict=True))
    return value


def _label(name: str, key: str, lang: str) -> str | None:
    """The label of an enum or stage key; ``None`` when ``key`` is not one."""
    if not _KEY.fullmatch(key):
        return None
    for lookup in _lookups(name):
        found = lookup(key, lang)
        if found is not None:
            return found
    return None


def _lookups(name: str) -> list[Callable[[str, str], str | None]]:
    hint = set(re.findall(r"[a-z_]+", name))
    out: list[Callable[[str, str], str | None]] = []
    if hint & {"vocab", "field", "column", "kind", "name"}:
        out.append(_field_label)
    out.append(_stage_label)
    hint |= {_SHORT.get(h, h) for h in hint}
    named = sorted(hint & set(_vocabularies()))
    if "status" in hint:  # {opp['status']}: the opportunity's status
        named += sorted({f"{h}_status" for h in hint} & set(_vocabularies()))
    out.append(lambda key, lang: _vocab_label(key, lang, named))
    return out


@functools.cache
def _vocabularies() -> dict[str, dict[str, tuple[str, str]]]:
    from kam.vocab import VOCAB

    return VOCAB


def _vocab_label(key: str, lang: str, named: list[str]) -> str | None:
    """From the vocabulary the placeholder names (``{status!r}``), else from any
    vocabulary, when every vocabulary holding ``key`` labels it the same."""
    from kam.i18n import pick

    vocab = _vocabularies()
    for name in named:
        if key in vocab[name]:
            return pick(lang, *vocab[name][key])
    found = {labels[key][0] for labels in vocab.values() if key in labels}
    if len(found) == 1:
        return pick(lang, found.pop(), key)
    return None


@functools.cache
def _stages() -> dict[str, tuple[str, str]]:
    """Every stage key of the built-in stage models, and each model's own key, →
    (zh, en); the first model wins."""
    from kam.plugin_manager import Plugins

    out: dict[str, tuple[str, str]] = {}
    for key, model in Plugins().pipelines().items.items():
        out.setdefault(key, (model.zh, model.en))
        for s in model.stages:
            out.setdefault(s.key, (s.zh, s.en))
    return out


def _stage_label(key: str, lang: str) -> str | None:
    from kam.i18n import pick

    found = _stages().get(key)
    return pick(lang, *found) if found else None


def _field_label(key: str, lang: str) -> str | None:
    """A kind, field or vocabulary name (``unknown role 'x'``) as its label: a
    vocabulary reads as the label of a field that takes its values."""
    from kam.i18n import pick
    from kam.kinds import KINDS, LABELS

    if key in KINDS:
        return pick(lang, *KINDS[key].label)
    found = LABELS.get(key)
    for kind in KINDS.values():
        for f in kind.fields:
            if found is None and f.vocab == key and f.label[0]:
                found = f.label
    return pick(lang, *found) if found else None
