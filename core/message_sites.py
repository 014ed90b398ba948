"""Where kam's user-facing English messages are written: the templates of every
``raise InputError/RefusedError/NotFoundError/StorageError(...)`` (and their subclasses),
every rule finding (``block/warn/info(code, message)``, ``Finding(...)``), every
warning appended to a ``warnings`` (or plugin ``failures``) list, every notice a
command prints with ``say(ctx, message)`` or fills with ``kam.messages.fill(template,
…)`` (``fill_rows``) and every problem doctor's checks yield, read from the source with :mod:`ast`.

Messages are translated on output (kam.messages) by these templates, so a message added
on any branch needs a catalogue entry (kam.messages_zh): ``python -m kam.message_sites``
prints ready-to-paste stubs for the missing ones; tests/test_messages.py fails naming them.
A template is the message with its f-string placeholders as written (``{opp_id!r}``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
#: exception classes whose message a user reads (kam.errors and their subclasses)
ERRORS = {"KamError", "InputError", "RefusedError", "NotFoundError", "StorageError",
          "ConflictError", "PluginError"}
#: calls whose second argument is a finding's message (kam.findings)
FINDINGS = {"block", "warn", "info", "Finding"}
#: modules of doctor's checks: the strings they yield are problems a user reads
PROBLEMS = {"doctor.py", "doctor_config.py"}
#: files that hold messages as data, not as sites
SKIP = {"messages_zh.py", "messages_zh_hant.py", "message_sites.py", "zh_hant.py"}


@dataclass(frozen=True)
class Site:
    """One message written in the code: its template, or ``None`` when it is built in a
    variable (listed apart: those need a hand-written entry, or none)."""

    path: str
    line: int
    template: str | None
    source: str


def template(node: ast.expr) -> str | None:
    """The template of a message expression, or ``None`` when it is not written in place
    (a variable, a call, ``%``-formatting)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.replace("{", "{{").replace("}", "}}")
    if isinstance(node, ast.JoinedStr):
        out = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                out.append(str(part.value).replace("{", "{{").replace("}", "}}"))
            elif isinstance(part, ast.FormattedValue):
                out.append(_placeholder(part))
        return "".join(out)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = template(node.left), template(node.right)
        if left is None and right is None:
            return None
        # the side computed in place (``', '.join(names)``) is a placeholder
        return ((left if left is not None else "{" + ast.unparse(node.left) + "}")
                + (right if right is not None else "{" + ast.unparse(node.right) + "}"))
    return None


def _placeholder(part: ast.FormattedValue) -> str:
    text = ast.unparse(part.value)
    if part.conversion != -1:
        text += "!" + chr(part.conversion)
    if part.format_spec is not None:
        spec = part.format_spec
        inner = "".join(str(v.value) if isinstance(v, ast.Constant) else "{...}"
                        for v in getattr(spec, "values", []))
        text += ":" + inner
    return "{" + text + "}"


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _messages(tree: ast.AST, problems: bool = False) -> Iterator[ast.expr]:
    for found in _written(tree, problems):
        if isinstance(found, ast.IfExp):  # one message or another: both are templates
            yield found.body
            yield found.orelse
        else:
            yield found


def _written(tree: ast.AST, problems: bool = False) -> Iterator[ast.expr]:
    """``problems``: a module of doctor's checks, whose problems are the strings they
    yield (or append to ``out``), shown in doctor's table."""
    for node in ast.walk(tree):
        if problems and isinstance(node, ast.Yield) and node.value is not None:
            yield node.value
        elif (problems and isinstance(node, ast.Call) and _name(node.func) == "append"
              and isinstance(node.func, ast.Attribute) and _name(node.func.value) == "out"
              and node.args and not isinstance(node.args[0], ast.Tuple)):
            yield node.args[0]
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            call = node.exc
            if _name(call.func) in ERRORS and call.args:
                yield call.args[0]
        elif isinstance(node, ast.Call):
            name = _name(node.func)
            if name in FINDINGS and len(node.args) >= 2 and name != "Finding":
                if isinstance(node.func, ast.Name) or _name_of(node.func) == "findings":
                    yield node.args[1]
            elif name == "Finding" and len(node.args) >= 3:
                yield node.args[2]
            elif name == "say" and len(node.args) >= 2:  # kam.cli.common.say
                yield node.args[1]
            elif (name in ("fill", "fill_rows") and node.args
                  and isinstance(node.args[0], ast.Constant)
                  and isinstance(node.args[0].value, str)):  # kam.messages.fill's template:
                yield _as_fstring(node.args[0])              # an f-string's text
            elif (name == "append" and isinstance(node.func, ast.Attribute)
                  and _name(node.func.value) in ("warnings", "failures") and node.args):
                yield node.args[0]


def _as_fstring(node: ast.Constant) -> ast.expr:
    """A template given as text (``fill("due {n['due_date']}", …)``) read as the f-string
    it stands for."""
    parsed = ast.parse("f" + repr(node.value), mode="eval").body
    return ast.copy_location(parsed, node)


def _name_of(func: ast.expr) -> str:
    return _name(func.value) if isinstance(func, ast.Attribute) else ""


def sites(root: Path = ROOT) -> list[Site]:
    """Every message site in core/ and plugins/, in file and line order."""
    out = []
    paths = sorted([*root.rglob("*.py"), *(root.parent / "plugins").rglob("*.py")])
    for path in paths:
        if path.name in SKIP or "testing" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _messages(tree, problems=path.name in PROBLEMS):
            rel = path.relative_to(root.parent).as_posix()
            out.append(Site(rel, node.lineno, template(node), ast.unparse(node)))
    return out


def missing(found: list[Site] | None = None) -> list[Site]:
    """The written-in-place templates without a catalogue entry (kam.messages_zh)."""
    from kam.messages_zh import ZH

    seen: set[str] = set()
    out = []
    for site in sites() if found is None else found:
        if site.template is None or site.template in ZH or site.template in seen:
            continue
        if not any(ch.isalpha() for ch in site.template.replace("{", " ")):
            continue
        seen.add(site.template)
        out.append(site)
    return out


def main() -> None:
    """Print a catalogue stub for each template without an entry, to paste into
    core/messages_zh.py and translate (then regenerate core/messages_zh_hant.py)."""
    todo = missing()
    for site in todo:
        print(f"    # {site.path}:{site.line}")
        print(f"    {site.template!r}:")
        print(f"        {site.template!r},")
    built = [s for s in sites() if s.template is None]
    if built:
        print("# built in variables (translate by hand if a user reads them):")
        for site in built:
            print(f"#   {site.path}:{site.line}: {site.source}")
    print(f"# {len(todo)} template(s) without a translation")


if __name__ == "__main__":
    main()
