"""``kam --help`` served from kam.cli.help_cache is typer's own rendering, byte for byte,
with an installed plugin that adds commands; changing that plugin, removing it or the
terminal width renders it again through typer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: runs ``kam --help`` as the console script does; says on stderr who answered
RUN = (
    "import sys\n"
    "sys.argv = ['kam', '--help']\n"
    "from kam.cli import main\n"
    "main()\n"
    "sys.stderr.write('TYPER' if 'typer' in sys.modules else 'CACHE')\n"
)

PLUGIN = '''
from kam.api import hookimpl

@hookimpl
def kam_register_commands(app, config):
    @app.command("hello")
    def hello() -> None:
        """Say hello from the helloplug plugin."""
{more}
'''

MORE = '''
    @app.command("goodbye")
    def goodbye() -> None:
        """Say goodbye from the helloplug plugin."""
'''


def _install(site: Path, more: str = "") -> None:
    """A pip-installed plugin, as far as kam's discovery can tell: a dist-info folder
    with its ``kam`` entry point, and the module beside it."""
    info = site / "helloplug-1.0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "entry_points.txt").write_text("[kam]\nhelloplug = helloplug\n", encoding="utf-8")
    (info / "METADATA").write_text("Name: helloplug\nVersion: 1.0\n", encoding="utf-8")
    (site / "helloplug.py").write_text(PLUGIN.format(more=more), encoding="utf-8")


def _help(env: dict[str, str], **extra: str) -> tuple[str, str]:
    r = subprocess.run([sys.executable, "-c", RUN], capture_output=True, text=True,
                       env={**env, **extra}, check=True)
    return r.stdout, r.stderr


def test_cached_help_is_typers_text_and_follows_the_plugins(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _install(site)
    env = {**os.environ, "PYTHONPATH": str(site), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "KAM_HOME": str(tmp_path / "ws"), "KAM_DISABLE_PLUGINS": "acme"}
    env.pop("COLUMNS", None)
    typer_text, who = _help(env, KAM_HELP_CACHE="0")
    assert who == "TYPER" and "Say hello from the helloplug plugin." in typer_text
    assert not (tmp_path / "cache").exists()  # switched off: nothing kept

    assert _help(env) == (typer_text, "TYPER")  # first run renders and keeps it
    assert _help(env) == (typer_text, "CACHE")  # then it is served, the same text

    _install(site, MORE)  # the plugin adds a command: rendered again
    text, who = _help(env)
    assert who == "TYPER" and "goodbye" in text
    assert text == _help(env, KAM_HELP_CACHE="0")[0]
    assert _help(env) == (text, "CACHE")

    narrow, who = _help(env, COLUMNS="60")  # the layout follows the terminal width
    assert who == "TYPER" and narrow == _help(env, COLUMNS="60", KAM_HELP_CACHE="0")[0]
    assert narrow != text

    (site / "helloplug.py").unlink()
    for file in (site / "helloplug-1.0.dist-info").iterdir():
        file.unlink()
    (site / "helloplug-1.0.dist-info").rmdir()  # uninstalled: its commands are gone
    text, who = _help(env)
    assert who == "TYPER" and "hello" not in text and "Commands:" in text


def test_help_follows_the_workspace_plugin_settings(tmp_path: Path) -> None:
    """kam.toml's [plugins] table is part of the cache's key (the file's stat); a
    plugins_dir is never cached: its plugins change with the trust list and the
    folder's permissions."""
    site = tmp_path / "site"
    _install(site)
    ws = tmp_path / "ws"
    ws.mkdir()
    toml = ws / "kam.toml"
    toml.write_text('[plugins]\ndisabled = ["acme"]\n', encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "KAM_HOME": str(ws),
           "PYTHONPATH": str(site)}
    with_hello = _help(env)
    assert with_hello[1] == "TYPER" and "hello" in with_hello[0]
    assert _help(env) == (with_hello[0], "CACHE")
    toml.write_text('[plugins]\ndisabled = ["acme", "helloplug"]\n', encoding="utf-8")
    text, who = _help(env)
    assert who == "TYPER" and "hello" not in text
    toml.write_text(f'plugins_dir = "{tmp_path / "none"}"\n', encoding="utf-8")
    assert _help(env)[1] == "TYPER"
    assert _help(env)[1] == "TYPER"
