"""What every command shares: the CLI state, opening the workspace, printing results."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

TYPE_CHECKING = False  # not typing's: this module stays free of typer (kam.cli.everyday)
if TYPE_CHECKING:
    import typer


def _format_given(value: str | None) -> str | None:
    """Checked while the command line is parsed, so a bad ``--format`` on a mutating
    command is refused (exit 2) before anything is stored."""
    if value is not None:
        check_format(value)
    return value


def whole(name: str, lo: int = 0, hi: int = 10**9) -> Any:
    """An integer option read by kam's grammar (kam.values.integer): ASCII digits only
    (click's own int() would take ``١٢`` as 12), within ``lo..hi``, checked while the
    command line is parsed (one line, exit 2)."""

    def integer(value: Any) -> int:
        from kam.values import integer as parse

        return parse(value, name, lo=lo, hi=hi)

    return integer


def _options() -> dict[str, Any]:
    """The shared typer options, made on first use: this module is imported by kam's
    lean front end (kam.cli.fast), which must not import typer.

    - ``FormatOpt``: ``--format``/``-f`` of a command (public as ``kam.api.FormatOpt``):
      pass it to emit;
    - ``AsOfOpt``: a command's own ``--as-of`` (public as ``kam.api.AsOfOpt``): pass it
      to open_ws;
    - ``QuietOpt``, ``LimitOpt``, ``OutputOpt``."""
    import typer

    return {
        "FormatOpt": typer.Option("table", "--format", "-f", help="table, json or csv.",
                                  callback=_format_given),
        "AsOfOpt": typer.Option(None, "--as-of", help="Fix 'today' (YYYY-MM-DD)."),
        "QuietOpt": typer.Option(False, "--quiet", "-q", help="Print only the new id."),
        "LimitOpt": typer.Option(None, "--limit", "-n", click_type=whole("--limit"),
                                 help="At most this many rows."),
        "OutputOpt": typer.Option(None, "--output", "-o", help="Write to this file "
                                  "(owner-only) in --format or the format its extension "
                                  "names: .xlsx, .md, .csv, .json."),
    }


_OPTION_NAMES = frozenset({"FormatOpt", "AsOfOpt", "QuietOpt", "LimitOpt", "OutputOpt"})


def __getattr__(name: str) -> Any:
    """``from kam.cli.common import FormatOpt`` (and the other shared options): made
    once, on first use."""
    if name not in _OPTION_NAMES:
        raise AttributeError(f"module 'kam.cli.common' has no attribute {name!r}")
    made = _options()
    globals().update(made)
    return made[name]


def echo(message: Any = None, *, nl: bool = True, err: bool = False) -> None:
    """Print as ``typer.echo`` does (text, a line break, ANSI codes stripped when the
    stream is not a terminal, flushed) without importing typer: kam's lean front end
    (kam.cli.fast) prints through here too, byte for byte as the typer path."""
    import sys

    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    if not _utf8(stream) or sys.platform == "win32":
        # click re-wraps a stream it thinks misconfigured (ASCII) and talks to the
        # Windows console its own way: let it
        from typer._click.utils import echo as click_echo

        click_echo(message, nl=nl, err=err)
        return
    out = "" if message is None else message if isinstance(message, str) else str(message)
    if nl:
        out += "\n"
    if out:
        if "\x1b" in out and not _isatty(stream):
            import re

            out = re.sub(r"\033\[[;?0-9]*[a-zA-Z]", "", out)
        stream.write(out)
    stream.flush()


def _utf8(stream: Any) -> bool:
    """Whether ``stream`` writes UTF-8 (what kam.cli.echo writes as click does)."""
    encoding = getattr(stream, "encoding", None) or ""
    return isinstance(encoding, str) and encoding.lower().replace("-", "").replace(
        "_", "") == "utf8"


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except Exception:
        return False


class State:
    """The global options of one invocation and its open workspace (a plain class: it
    is made on every start, kam.cli.fast's included)."""

    __slots__ = ("plugins", "workspace", "as_of", "lang", "debug", "ws")

    def __init__(self, plugins: Any, workspace: str | None = None, as_of: str | None = None,
                 lang: str | None = None, debug: bool = False, ws: Any = None) -> None:
        self.plugins = plugins
        self.workspace = workspace
        self.as_of = as_of
        self.lang = lang
        self.debug = debug
        self.ws = ws


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if root.obj is None:
        from kam.plugin_manager import Plugins

        root.obj = State(plugins=Plugins())
    return root.obj


def output_lang(ctx: Any) -> str:
    """The language messages are shown in: the workspace's when it is open, else
    ``--lang``, ``KAM_LANG``, the workspace's kam.toml, the locale (as Workspace.open
    chooses), so an error met while opening speaks the user's language too."""
    import os

    from kam.i18n import from_locale, normalise

    root = ctx.find_root() if ctx is not None else None
    st = getattr(root, "obj", None)
    ws = getattr(st, "ws", None)
    if ws is not None:
        return str(ws.lang)
    # before the global options' callback (an unknown command): as they were parsed
    params = getattr(root, "params", None) or {}
    given = (getattr(st, "lang", None) or normalise(params.get("lang"))
             or normalise(os.environ.get("KAM_LANG")))
    if given:
        return str(given)
    try:
        from pathlib import Path

        from kam import config
        from kam.workspace import default_path

        where = getattr(st, "workspace", None) or params.get("workspace")
        folder = Path(where).expanduser() if where else default_path()
        found = normalise(config.load(folder, checked=False).get("language"))
    except Exception:  # no or a broken kam.toml: the error says so; speak the locale's
        found = None
    return found or from_locale()


def say(ctx: Any, message: str, *, err: bool = False) -> None:
    """Print a message (a notice, a warning, a finding) in the user's language
    (kam.messages); JSON output never goes through here. English is printed as it is
    written, without importing the catalogue (what kam.messages.localise gives it)."""
    from kam.i18n import is_zh

    lang = output_lang(ctx)
    if message and is_zh(lang):
        from kam.messages import localise

        message = localise(message, lang)
    echo(message, err=err)


def print_findings(ctx: Any, findings: Any) -> None:
    """The findings a change reports (a gate forced open, a qualification's warnings),
    one a line in the user's language (in English without importing kam.messages)."""
    from kam.i18n import is_zh

    lang = output_lang(ctx)
    if is_zh(lang):
        from kam.messages import finding_line

        for f in findings:
            echo(finding_line(f, lang))
        return
    from kam.findings import english_line

    for f in findings:
        echo(english_line(f))


def open_ws(ctx: typer.Context, as_of: str | None = None) -> Any:
    """The workspace for this invocation (opened once, closed by the app)."""
    from pathlib import Path

    from kam.workspace import Workspace

    st = state(ctx)
    if st.ws is None:
        st.ws = Workspace.open(
            Path(st.workspace).expanduser() if st.workspace else None,
            plugins=st.plugins, as_of=as_of or st.as_of, lang=st.lang,
        )
    elif as_of:
        from kam.workspace import resolve_today

        st.ws.today = resolve_today(as_of)
    return st.ws


def check_format(fmt: str, extra: tuple[str, ...] = ()) -> str:
    from kam.errors import InputError
    from kam.output import FORMATS

    if fmt not in FORMATS + extra:
        raise InputError(f"--format: {fmt!r} is not one of {', '.join(FORMATS + extra)}")
    return fmt


def labeler(ws: Any, vocab_of: dict[str, str]) -> Any:
    """Show enum keys as labels in tables when the language is Chinese (zh, zh-Hant)."""
    from kam.i18n import is_zh

    if not is_zh(ws.lang):
        return None
    return Labels(ws, vocab_of)


class Labels:
    """A Chinese table's labels: ``labels(column, value)`` for one cell, and
    :meth:`column_labels` for a page's column (kam.output.ColumnLabeler), which looks up
    each distinct enum key once instead of once per row."""

    def __init__(self, ws: Any, vocab_of: dict[str, str]) -> None:
        import datetime as dt
        from decimal import Decimal

        from kam.reports.labels import MESSAGE_COLUMNS

        self.ws = ws
        self.vocab_of = vocab_of
        #: columns whose text values are looked up (the rest show text as it is)
        self.looked_up = MESSAGE_COLUMNS | {"stage", "pipeline"} | set(vocab_of)
        self.known: dict[str, dict[str, Any]] = {}
        #: values a column not looked up shows as they are (not bool, dict or list)
        self.as_is = frozenset({str, type(None), int, float, Decimal, dt.date, dt.datetime})

    def column_labels(self, column: str, values: Sequence[Any]) -> Sequence[Any]:
        """``[self(column, v) for v in values]``."""
        kinds = set(map(type, values))
        if column not in self.looked_up:
            if kinds <= self.as_is:
                return values
            return [v if type(v) in self.as_is else self(column, v) for v in values]
        if not kinds <= {str, type(None)}:
            return [self(column, v) for v in values]
        known = self.known.setdefault(column, {})
        if len(known) > 10_000:  # free text (messages): keep the lookups few
            known.clear()
        for v in set(values).difference(known):
            known[v] = self(column, v)
        return list(map(known.__getitem__, values))

    def __call__(self, column: str, value: Any) -> Any:
        ws = self.ws
        from kam import vocab
        from kam.reports.labels import MESSAGE_COLUMNS

        if isinstance(value, bool):
            from kam.i18n import pick

            return pick(ws.lang, "是" if value else "否", "")
        if column in MESSAGE_COLUMNS and isinstance(value, str):
            from kam.messages import localise

            return localise(value, ws.lang)
        if column == "stage" and isinstance(value, str):
            # the workspace's stage model first, then every other (a dragon_six deal)
            from kam.pipeline import stage_label

            try:
                models = [ws.pipeline(), *ws.plugins.pipelines().items.values()]
            except Exception:
                return value
            return stage_label(models, value, ws.lang)
        if column == "pipeline" and isinstance(value, str):
            from kam.messages import _stage_label

            return _stage_label(value, ws.lang) or value
        if isinstance(value, dict) or (
                isinstance(value, list) and value and all(isinstance(v, dict) for v in value)):
            return nested_cell(column, value, ws.lang)
        name = self.vocab_of.get(column)
        if name is None or value is None:
            return value
        if isinstance(value, list):
            return [vocab.label(name, v, ws.lang) for v in value]
        return vocab.label(name, value, ws.lang)


def nested_cell(column: str, value: dict[str, Any] | list[dict[str, Any]],
                lang: str) -> str:
    """Records held inside a record (an opportunity's approvals and bids, a customer's
    flags) as a Chinese table shows them: ``标签：值`` pairs, enum keys as their labels,
    kam's notes translated, one record after another (JSON keeps them as they are)."""
    from kam import vocab
    from kam.messages import _label, localise
    from kam.output import cell
    from kam.reports.labels import NESTED_VOCAB, header

    vocab_of = NESTED_VOCAB.get(column, {})

    def shown(key: str, v: Any) -> str:
        if not isinstance(v, str):
            return cell(v)
        if key in vocab_of:
            return vocab.label(vocab_of[key], v, lang)
        return _label(key, v, lang) or cell(localise(v, lang) if key == "note" else v)

    def one(record: dict[str, Any]) -> str:
        return "，".join(f"{header(k, lang)}：{shown(k, v)}" for k, v in record.items()
                        if v is not None and v != "" and v != [] and v != {})

    records = [value] if isinstance(value, dict) else value
    return "；".join(one(r) for r in records)


def emit(ctx: typer.Context, data: Any, fmt: str, columns: list[str] | None = None,
         vocab_of: dict[str, str] | None = None, *, kind: str | None = None,
         output: str | None = None) -> None:
    """Print ``data``; ``kind`` names the record kind its rows are, whose declaration
    (kam.kinds) gives the default columns, the enumerations and the zh headers. With
    ``output`` (a list of records of ``kind``), write it to that file instead, in any
    report format."""
    from collections.abc import Mapping

    from kam.output import render, stream

    if output is not None and kind is not None:
        _write_list(ctx, data, fmt, columns, kind, output)
        return
    check_format(fmt)
    if fmt in ("json", "csv") and not isinstance(data, Mapping | list):
        import sys

        stream(data, fmt, [], sys.stdout.write)  # every field: scripts want them all
        return
    declared = _kind(kind)
    if declared is not None:
        if columns is None and not isinstance(data, Mapping):
            columns = list(declared.columns)
        vocab_of = {**declared.vocab_of(), **(vocab_of or {})}
    ws = state(ctx).ws
    if fmt == "table" and ws is not None and isinstance(data, Mapping):
        data, columns = _custom_field_rows(ws, data, columns)
    lab = labeler(ws, vocab_of or {}) if ws is not None and fmt == "table" else None
    headers = None
    if lab is not None and columns and not isinstance(data, Mapping):
        headers = [_header(declared, c, ws.lang) for c in columns]
    if not isinstance(data, Mapping):
        from kam.i18n import pick
        from kam.output import write_rows

        none = pick(ws.lang, "（无）", "(none)") if lab is not None else "(none)"
        write_rows(data, fmt, columns, _echo, labeler=lab, headers=headers, none=none)
        return
    names = None
    if lab is not None and ws is not None:
        lang = ws.lang

        def names(column: str) -> str:
            return _header(declared, column, lang)

    echo(render(data, fmt, columns if fmt != "json" else None, lab, headers, names))


def _echo(text: str) -> None:
    echo(text, nl=False)


def table_fields(fmt: str, output: str | None, kind: str) -> list[str] | None:
    """The fields a list command must read: a table on screen shows only the kind's
    declared columns (so the wide json columns are never read); anything else, all."""
    if fmt != "table" or output is not None:
        return None
    return list(_kind(kind).columns)


def _write_list(ctx: typer.Context, rows: Any, fmt: str, columns: list[str] | None,
                kind: str, output: str) -> None:
    from pathlib import Path

    from kam.reports import listing
    from kam.services import reports

    ws = state(ctx).ws
    chosen = reports.resolve_format(ws, None if fmt == "table" else fmt, output)
    data = reports.render(ws, listing.build(ws, kind, list(rows), columns), chosen)
    echo(str(reports.write_atomic(Path(output).expanduser(), data)))


def _kind(name: str | None) -> Any:
    if name is None:
        return None
    from kam.kinds import EVENT, KINDS

    return EVENT if name == "event" else KINDS[name]


def _header(declared: Any, column: str, lang: str) -> str:
    from kam.reports.labels import header

    if declared is not None and declared.field(column) is not None:
        return str(declared.header(column, lang))
    return header(column, lang)


def _custom_field_rows(ws: Any, record: Any, columns: list[str] | None
                       ) -> tuple[Any, list[str] | None]:
    """One table row per custom field of a shown record, named by its declared label
    (zh or en), in place of the raw ``fields`` object."""
    fields = record.get("fields")
    if not isinstance(fields, dict) or not fields or not isinstance(record.get("id"), str):
        return record, columns
    from kam.custom_fields import labelled
    from kam.kinds import kind_of_id

    kind = kind_of_id(record["id"])
    if kind is None:
        return record, columns
    shown = labelled(ws, kind.name, fields)
    out = {k: v for k, v in record.items() if k != "fields"}
    out.update(shown)
    if columns is not None:
        columns = [c for c in columns if c != "fields"] + list(shown)
    return out, columns


def emit_created(ctx: typer.Context, record: dict, fmt: str, quiet: bool, *,
                 kind: str | None = None) -> None:
    if quiet:
        echo(record["id"])
    else:
        emit(ctx, record, fmt, kind=kind)


def option_pairs(flag: str, keys: list[str], extra: list[str]) -> list[tuple[str, str]]:
    """A repeatable ``FLAG KEY AMOUNT`` option: typer takes KEY as the option's value and
    leaves AMOUNT among the command's extra arguments, in order (``FLAG KEY=AMOUNT``
    works too). Used with ``context_settings={"allow_extra_args": True}``."""
    from kam.errors import InputError

    left = list(extra)
    out = []
    for key in keys:
        name, sep, value = key.partition("=")
        if sep:
            out.append((name, value))
        elif left:
            out.append((key, left.pop(0)))
        else:
            raise InputError(f"{flag} {key}: give its amount ({flag} KEY AMOUNT)")
    if left:
        raise InputError(f"unexpected argument {left[0]!r}")
    return out
