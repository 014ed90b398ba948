"""Aligned text tables (表格) fast enough for 100k rows, with CJK widths.

Prints exactly what ``tabulate`` printed for kam's tables (``simple`` with headers,
``plain`` without; cells stripped, lines right-stripped, a header at least two wider than
its name), but without tabulate's per-cell type guessing and regex work, which was most
of the time of a big table. A table whose cells tabulate treats specially (several
lines, tabs, terminal escapes) still goes through tabulate. Long tables are written in
pages: widths are fixed per page and never shrink, so nothing holds 100k rows at once.
``wcwidth`` loads only when a cell is not ASCII.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from itertools import islice, repeat
from operator import itemgetter
from typing import Any

PAGE = 2000
"""Rows, and lines, per page: a table of no more lines than this is laid out exactly as
tabulate would; a longer one in pages of at most this many rows and lines (a row counted
as one line and one more per line break in its cells)."""

_SPECIAL = ("\r", "\t", "\x1b", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028",
            "\u2029")


#: characters whose width kam knows without wcwidth: 1 (ASCII, Latin, dashes and quotes,
#: half-width katakana) or 2 (CJK ideographs, kana, hangul, full-width forms); the same as
#: wcwidth for each of them (tests/test_rendering_fast.py checks every one)
_WIDE = "\u1100-\u115f\u3000-\u3029\u3041-\u3096\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff" \
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff60\uffe0-\uffe6"
_NARROW = "\x20-\x7e\xa0-\u02ff\u2010-\u2027\uff61-\uff9f"


def width(text: str) -> int:
    """Columns a text takes on a terminal: a CJK character two (wcwidth's answer; wcwidth
    itself loads only for a character outside the common ranges)."""
    if text.isascii():
        return len(text)
    if "\n" not in text and _known_widths(text):
        narrow = _narrow_wide_bytes()
        if narrow.search(text) is not None:
            text = narrow.sub("x", text)
        return (len(text) + len(text.encode())) >> 1  # as _column_widths
    from wcwidth import wcswidth

    w = wcswidth(text)
    return len(text) if w < 0 else w


def _has_special(text: str) -> bool:
    """Whether ``text`` holds one of :data:`_SPECIAL`: a search for each (no pattern
    compiled at import, ~0.3 ms of every table command)."""
    return any(ch in text for ch in _SPECIAL)


def _special(cells: Iterable[str]) -> bool:
    return _has_special("\n".join(cells))


def _line(cells: Sequence[str], widths: Sequence[int], right: Sequence[bool],
          sizes: Sequence[int] | None = None) -> str:
    """One row's text (``sizes``: its cells' widths when known)."""
    if sizes is None:
        sizes = [width(c) for c in cells]
    return "  ".join(
        (" " * (w - n) + c if r else c + " " * (w - n))
        for c, n, w, r in zip(cells, sizes, widths, right, strict=True)).rstrip()


def _tabulate(body: list[list[str]], headers: Sequence[str] | None,
              right: Sequence[bool]) -> str:
    import tabulate as tab

    tab.WIDE_CHARS_MODE = True  # wcwidth: a CJK character takes two columns
    align = ["right" if r else "left" for r in right]
    if headers is None:
        return tab.tabulate(body, tablefmt="plain", disable_numparse=True, colalign=align)
    return tab.tabulate(body, headers=list(headers), tablefmt="simple", disable_numparse=True,
                        colalign=align)


def _needs_tabulate(raw: list[Sequence[str]], headers: Sequence[str] | None) -> bool:
    """Cells tabulate lays out its own way (tabs, escapes, other line breaks)."""
    heads = list(headers or ())
    return _special(c for r in raw for c in r) or _special(heads) or any("\n" in h
                                                                       for h in heads)


def _multiline(raw: list[Sequence[str]]) -> bool:
    return "\n" in "\0".join(c for r in raw for c in r)


#: the ranges of :data:`_NARROW` and :data:`_WIDE` as (first, last) code points
_KNOWN_RANGES = tuple((ord(r[i]), ord(r[i + 2])) for r in (_NARROW, _WIDE)
                      for i in range(0, len(r), 3))
#: characters met so far whose width kam knows (and the line break)
_KNOWN_CHARS: set[str] = {"\n"}
#: characters a process judges by their sets before it compiles the pattern instead:
#: compiling it (a negated class of ~60k code points) costs ~5 ms, about what ``set``
#: costs over this many characters; a short command (a report's forced deals, ~13k
#: characters) never pays it, a long list pays it at most once, after as much again
_SET_BUDGET = 250_000
#: characters judged by their sets so far (one number, so it can be read and updated)
_set_spent = [0]


@cache
def _unknown_width_pattern() -> re.Pattern[str]:
    return re.compile(f"[^\n{_NARROW}{_WIDE}]")


def _known_widths(text: str) -> bool:
    """Whether every character of ``text`` is a line break or one whose width kam knows."""
    if _set_spent[0] > _SET_BUDGET:
        return _unknown_width_pattern().search(text) is None
    _set_spent[0] += len(text)
    new = set(text).difference(_KNOWN_CHARS)
    if new:
        if not all(any(lo <= o <= hi for lo, hi in _KNOWN_RANGES) for o in map(ord, new)):
            return False
        _KNOWN_CHARS.update(new)
    return True


@cache
def _printable_or_wide() -> re.Pattern[str]:
    """A character that is neither a line break, printable ASCII nor one of
    :data:`_WIDE`: compiled only once a process has judged :data:`_SET_BUDGET` characters
    (~4 ms, as :func:`_unknown_width_pattern`)."""
    return re.compile(f"[^\n\x20-\x7e{_WIDE}]")


@cache
def _narrow_wide_bytes() -> re.Pattern[str]:
    """The narrow characters that are not ASCII (two or three bytes in UTF-8), compiled
    on first use (~0.3 ms: a table of ASCII cells never needs it). Each made ASCII, each
    character is one column and one UTF-8 byte, or two columns and three bytes (the wide
    ranges), so a cell's width is (characters + bytes) / 2."""
    return re.compile("[\xa0-\u02ff\u2010-\u2027\uff61-\uff9f]")


#: a cell (between line breaks) that starts or ends with white space
_EDGE_SPACE = re.compile(r"(?:^|\n)[^\S\n]|[^\S\n](?:\n|$)")
#: a line of a multi-line cell that ends in white space or is blank (cells joined by NUL):
#: ``\s\n`` written to start at the line break, so the search skips to each line break
#: instead of testing every character for white space (~7× faster on a battle map's page)
_LINE_END_SPACE = re.compile(r"\n(?<=\s\n)")


def _column_widths(cells: list[str], joined: str, ascii: bool) -> list[int]:
    """``[width(c) for c in cells]`` for cells without line breaks (``joined``: the
    cells joined by line breaks), with no per-cell search."""
    if ascii:
        return list(map(len, cells))
    if _set_spent[0] > _SET_BUDGET and _printable_or_wide().search(joined) is None:
        # a long table's text of ASCII and wide characters only (Chinese names, labels):
        # one search instead of the two below, then the same widths
        return [(n + b) >> 1 for n, b in zip(map(len, cells),
                                             map(len, map(str.encode, cells)), strict=True)]
    if not _known_widths(joined):  # wcwidth's answer for the rare
        # characters (✓ ✗ …), each distinct cell measured once
        known = {c: width(c) for c in set(cells)}
        return list(map(known.__getitem__, cells))
    narrow = _narrow_wide_bytes()
    if narrow.search(joined) is not None:  # made ASCII (one "x" each): a pattern's
        # substitution, ~13× faster than str.translate's table lookup per character
        cells = narrow.sub("x", joined).split("\n")
    return [(n + b) >> 1 for n, b in zip(map(len, cells), map(len, map(str.encode, cells)),
                                         strict=True)]


def _page_by_column(raw: list[Sequence[str]], ncols: int, widths: list[int],
                    right: Sequence[bool], size: int = 0, tall_seen: list[int] | None = None
                    ) -> list[str] | int | None:
    """A page laid out a column at a time: what :func:`_line` gives per row, or with one
    left-aligned column of multi-line cells (a battle map's milestones) what
    :func:`_multiline_page` gives — each row then one text, its further lines that
    column's lines after the same indent. None when more than one column spans lines, or
    a cell needs tabulate's handling or a line ends in white space. With ``size``, a
    page whose multi-line cells make more lines than that is left untouched and the
    number of its rows that fit is returned (the column's index goes to ``tall_seen``,
    so the next page is cut before it is laid out)."""
    if min(map(len, raw)) != ncols or max(map(len, raw)) != ncols:
        return None
    columns: list[list[str]] = []
    sizes: list[list[int]] = []
    plain: list[bool] = []
    tall = -1  # the column of multi-line cells, if any
    rests: list[str] = []  # its cells past their first line ("" for one line)
    for col in zip(*raw, strict=True):
        joined = "\n".join(col)
        if " ".join(col).isprintable():  # the common case: no control character, no
            # white space but the ASCII space (so no line breaks nor tabulate's cases)
            edge = (" \n" in joined or "\n " in joined or joined[:1] == " "
                    or joined[-1:] == " ")
        else:
            if _has_special(joined):
                return None
            if joined.count("\n") != len(col) - 1:  # a multi-line cell
                if tall >= 0 or right[len(columns)]:
                    return None
                tall = len(columns)
                if tall_seen is not None:
                    tall_seen[:] = [tall]
                fit = _lines_fit(list(map(str.count, col, repeat("\n"))), size) if size \
                    else len(col)
                if fit < len(col):
                    return fit
                cells = [c.strip() for c in col]
                if _LINE_END_SPACE.search("\0".join(cells)):
                    return None  # a line ends in white space: the row by row path
                joined = "\n".join(cells)
                ascii = joined.isascii()
                every = _column_widths(joined.split("\n"), joined, ascii)
                firsts = [c.partition("\n")[0] for c in cells]
                rests = [c[len(f):] for c, f in zip(cells, firsts, strict=True)]
                joined = "\n".join(firsts)
                z = _column_widths(firsts, joined, ascii)
                z.append(max(every, default=0))  # the widest line, taken off below
                columns.append(firsts)
                sizes.append(z)
                plain.append(ascii)
                continue
            edge = _EDGE_SPACE.search(joined) is not None
        cells = list(col)
        ascii = joined.isascii()
        if edge:
            cells = [c.strip() for c in cells]
            joined = "\n".join(cells)
        columns.append(cells)
        sizes.append(_column_widths(cells, joined, ascii))
        plain.append(ascii)
    raw.clear()  # the caller's page: its cells are in columns now
    for i, z in enumerate(sizes):
        widths[i] = max(widths[i], max(z))
    if tall >= 0:
        sizes[tall].pop()
    padded: list[Iterable[str]] = []
    last = ncols - 1
    for i, (cells, z) in enumerate(zip(columns, sizes, strict=True)):
        w = widths[i]
        if right[i]:
            padded.append(map(str.rjust, cells, repeat(w)) if plain[i] else
                          [" " * (w - n) + c for c, n in zip(cells, z, strict=True)])
        elif i == last:  # the line is right-stripped: no padding to add
            padded.append(cells)
        else:
            padded.append(map(str.ljust, cells, repeat(w)) if plain[i] else
                          [c + " " * (w - n) for c, n in zip(cells, z, strict=True)])
    rows = list(map(str.rstrip, map("  ".join, zip(*padded, strict=True))))
    if tall < 0:
        return rows
    indent = "\n" + " " * (sum(widths[:tall]) + 2 * tall)
    # a row of empty cells has no line at all (as in _multiline_page)
    return [r + rest.replace("\n", indent) if rest else r
            for r, rest in zip(rows, rests, strict=True) if r]


def lines(rows: Iterable[Sequence[str]], headers: Sequence[str] | None = None,
          right: Sequence[bool] | None = None, page: int | None = None) -> Iterator[str]:
    """The table's text in chunks (one per page, no trailing newline on the last);
    ``rows`` are cell texts, ``right`` marks right-aligned columns. No rows: nothing."""
    it = iter(rows)
    size = page or PAGE
    widths: list[int] | None = None
    first = True
    pending: list[Sequence[str]] = []  # rows past the last page's lines
    tall: list[int] = []  # the column of multi-line cells seen last
    while True:
        raw = pending + list(islice(it, size - len(pending)))
        if not raw:
            return
        ncols = len(headers) if headers is not None else max(len(r) for r in raw)
        align = list(right) if right is not None else [False] * ncols
        if first and _needs_tabulate(raw, headers):
            raw.extend(it)  # the whole table through tabulate, as before
            yield _tabulate([list(r) for r in raw], headers, align)
            return
        pending = []
        if tall and min(map(len, raw)) > tall[0]:  # cut where its lines pass size
            fit = _lines_fit(list(map(str.count, map(itemgetter(tall[0]), raw),
                                      repeat("\n"))), size)
            pending = raw[fit:]
            del raw[fit:]
        if widths is None:
            widths = ([width(h) + 2 for h in headers] if headers is not None
                      else [0] * ncols)
        out = []
        if first and headers is not None:
            out.append("")  # the header lines, once the page's widths are known
            out.append("")
        body = _page_by_column(raw, ncols, widths, align, size, tall) if ncols else None
        if isinstance(body, int):  # more lines than a page: the rows that fit, again
            pending[:0] = raw[body:]
            del raw[body:]
            body = _page_by_column(raw, ncols, widths, align, size, tall)
        if not isinstance(body, list):  # None: row by row
            fit = _lines_fit([sum(map(str.count, r, repeat("\n"))) for r in raw], size)
            pending[:0] = raw[fit:]
            del raw[fit:]
            body = _page_by_row(raw, ncols, widths, align, first)
        out.extend(body)
        if first and headers is not None:
            out[0] = _line(list(headers), widths, align)
            out[1] = "  ".join("-" * w for w in widths)
        if out:
            yield ("" if first else "\n") + "\n".join(out)
            first = False


def _lines_fit(breaks: list[int], size: int) -> int:
    """How many rows make a page of at most ``size`` lines (at least one row), a row
    counted as one line and one more per line break in its cells (``breaks``): a page of
    a battle map's multi-line milestones holds ~450 contracts, not 2,000 (its text is
    what takes the memory); a page of one-line rows is cut where it was."""
    lines = 0
    for n, b in enumerate(breaks):
        lines += 1 + b
        if lines > size:
            return max(n, 1)
    return len(breaks)


def _page_by_row(raw: list[Sequence[str]], ncols: int, widths: list[int],
                 align: Sequence[bool], first: bool) -> list[str]:
    """A page laid out row by row: multi-line cells, short rows."""
    multiline = _multiline(raw)
    chunk = [[c.strip() for c in r] for r in raw]
    raw.clear()  # the caller's page: its cells are in chunk now
    if not first and _special(c for r in chunk for c in r):  # one line per cell
        chunk = [[" ".join(c.split()) for c in r] for r in chunk]
    for r in chunk:
        if len(r) < ncols:
            r.extend([""] * (ncols - len(r)))
    if multiline:
        return _multiline_page(chunk, ncols, widths, align)
    sizes = [[width(c) for c in r] for r in chunk]
    for i in range(ncols):
        widths[i] = max(widths[i], max(z[i] for z in sizes))
    return [_line(r, widths, align, z) for r, z in zip(chunk, sizes, strict=True)]


def table(rows: Iterable[Sequence[str]], headers: Sequence[str] | None = None,
          right: Sequence[bool] | None = None) -> str:
    """The whole table as one text (see :func:`lines`)."""
    return "".join(lines(rows, headers, right))


def write_table(rows: Iterable[Sequence[str]], write: Callable[[str], object],
                headers: Sequence[str] | None = None,
                right: Sequence[bool] | None = None) -> bool:
    """Write the table page by page; False when there were no rows (nothing written)."""
    wrote = False
    for part in lines(rows, headers, right):
        write(part)
        wrote = True
    return wrote


def _multiline_page(chunk: list[list[str]], ncols: int, widths: list[int],
                    align: Sequence[bool]) -> list[str]:
    """:func:`_line` of each row of a page with multi-line cells (a battle map's
    milestones): every line's width measured once, a column at a time; a row's first
    lines laid out a column at a time, its further lines from the few cells that have
    them (the rest of such a line is blank)."""
    parts: list[Any] = []  # column → row → the cell's lines (the cell, if one line each)
    sizes: list[Any] = []  # their widths
    counts: list[Any] = []  # column → row → how many lines the cell has
    for col in zip(*chunk, strict=True):
        joined = "\n".join(col)
        if joined.count("\n") == len(col) - 1:  # one line per cell: no list per cell
            z = _column_widths(list(col), joined, joined.isascii())
            widths[len(parts)] = max(widths[len(parts)], max(z, default=0))
            parts.append(col)
            sizes.append(z)
            counts.append([1 if c else 0 for c in col])
            continue
        lines_of = [c.split("\n") if c else [] for c in col]
        flat = [p for ps in lines_of for p in ps]
        joined = "\n".join(flat)
        it = iter(_column_widths(flat, joined, joined.isascii()))
        zs = [list(islice(it, len(ps))) for ps in lines_of]
        widths[len(parts)] = max(widths[len(parts)], max(max(z, default=0) for z in zs))
        parts.append(lines_of)
        sizes.append(zs)
        counts.append(list(map(len, lines_of)))
    chunk.clear()  # held as lines now: the page's cells once, not twice
    firsts = []
    for ps_col, zs_col, n_col, w, right in zip(parts, sizes, counts, widths, align,
                                               strict=True):
        blank = " " * w
        if ps_col and isinstance(ps_col[0], str):  # one line per cell ("" is blank too)
            firsts.append([" " * (w - z) + c for c, z in zip(ps_col, zs_col, strict=True)]
                          if right else
                          [c + " " * (w - z) for c, z in zip(ps_col, zs_col, strict=True)])
        elif right:
            firsts.append([" " * (w - zs[0]) + ps[0] if n else blank
                           for ps, zs, n in zip(ps_col, zs_col, n_col, strict=True)])
        else:
            firsts.append([ps[0] + " " * (w - zs[0]) if n else blank
                           for ps, zs, n in zip(ps_col, zs_col, n_col, strict=True)])
    first_lines = list(map(str.rstrip, map("  ".join, zip(*firsts, strict=True))))
    del firsts
    heights = [max(t) for t in zip(*counts, strict=True)]
    offsets = [sum(widths[:i]) + 2 * i for i in range(ncols)]
    out = []
    for r, height in enumerate(heights):
        if not height:
            continue  # a row of empty cells has no line at all
        out.append(first_lines[r])
        if height == 1:
            continue
        tall = [i for i in range(ncols) if counts[i][r] > 1]
        for n in range(1, height):
            pieces = []
            at = 0  # columns written so far
            for i in tall:
                ps = parts[i][r]
                if n >= len(ps):
                    continue
                w, k = widths[i], sizes[i][r][n]
                pieces.append(" " * (offsets[i] - at))
                pieces.append(" " * (w - k) + ps[n] if align[i] else ps[n] + " " * (w - k))
                at = offsets[i] + w
            out.append("".join(pieces).rstrip())
    return out
