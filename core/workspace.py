"""The Workspace: the one context passed to services, reports and hooks.

It holds the folder, its config, the plugin manager, the clock ("today" is
injectable: ``--as-of``/``KAM_TODAY``), the actor (``KAM_USER``) and the language,
and opens the configured storage backend lazily, only when a command needs data.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kam import config as kam_config
from kam import values
from kam.errors import InputError, StorageError
from kam.plain import PlainRecord

if TYPE_CHECKING:
    from kam.pipeline import Pipeline
    from kam.plugin_manager import Plugins
    from kam.scoring import EvaluationModel
    from kam.storage import Record, Storage


def default_path() -> Path:
    """``KAM_HOME``, else the platform's user data dir (defined in kam.plugin_discovery,
    which start-up loads anyway, so the two can never disagree)."""
    from kam.plugin_discovery import default_path as where

    return where()


def resolve_today(as_of: str | dt.date | None = None) -> dt.date:
    if as_of:
        return values.date(as_of, "--as-of")
    env = os.environ.get("KAM_TODAY")
    if env:
        return values.date(env, "KAM_TODAY")
    return dt.date.today()


def resolve_actor(config: dict[str, Any]) -> str:
    from kam.text import check

    actor = check(os.environ.get("KAM_USER") or config.get("user") or "", "KAM_USER")
    if not actor:
        import getpass  # here: it loads termios, for the few commands without KAM_USER

        try:
            actor = getpass.getuser()
        except Exception:
            actor = "unknown"
    return actor


#: what any mutation may build, imported before the write lock unless the change
#: says what it needs (``loads``): pydantic and every record model, the vocabularies
WRITE_PATH = ("csv", "hashlib", "kam.models.contracts", "kam.models.records")
#: what every mutation uses, whatever it declares: the outbox, custom fields, plugin
#: settings and approvals (light)
WRITE_BASE = ("kam.custom_fields", "kam.outbox", "kam.plugin_config",
              "kam.services.approvals", "kam.vocab")


#: in ``loads``: the change calls rules that read their plugin's settings
#: (:meth:`Workspace.plugin_config`): resolve and validate them before the lock too
PLUGIN_SETTINGS = "plugin settings"


def _load_write_path(ws: Workspace, loads: Sequence[str] | None = None) -> None:
    """Import what a mutation builds before the write lock is taken, not under it:
    with many writers, ~150 ms of imports inside each transaction made lock waits of
    10 s and more (issue #14); under the lock only the reads, checks and writes remain.

    ``loads``: the modules the change is known to import (its models, the rule
    plugins' modules it calls, :data:`PLUGIN_SETTINGS`), instead of the whole
    :data:`WRITE_PATH` — pydantic and all the record models cost ~100 ms, which a
    payment never uses. A built-in plugin's module (``kam.plugins.NAME.…``) is
    imported only while NAME is loaded. tests/test_write_lock.py checks that the
    everyday changes import nothing under the lock."""
    import importlib

    for name in (*WRITE_BASE, *(WRITE_PATH if loads is None else loads)):
        if name == PLUGIN_SETTINGS:
            for plugin in ws.plugins.settings_names():
                try:
                    ws.plugin_config(plugin)
                except InputError:  # a bad table: refused where a rule reads it
                    pass
        elif name.startswith("kam.plugins.") and name.split(".")[2] not in ws.plugins.infos:
            continue
        else:
            importlib.import_module(name)


class Mutation(PlainRecord):
    """One change in flight: its writes share one transaction with one event. A plain
    class with a dataclass's repr and equality (kam.plain; tested against a dataclass
    twin): making the dataclass cost every command ~0.5 ms at import."""

    _FIELDS = ("kind", "record_id", "payload", "refs", "after", "event")

    def __init__(self, kind: str, record_id: str, payload: dict[str, Any], refs: list[str],
                 after: list[Callable[[dict[str, Any]], None]] | None = None,
                 event: dict[str, Any] | None = None) -> None:
        self.kind = kind
        self.record_id = record_id
        self.payload = payload
        self.refs = refs
        self.after: list[Callable[[dict[str, Any]], None]] = [] if after is None else after
        self.event = event


@dataclass
class Workspace:
    path: Path
    config: dict[str, Any]
    plugins: Plugins
    today: dt.date
    actor: str
    lang: str
    _storage: Storage | None = None
    warnings: list[str] = field(default_factory=list)
    _depth: int = 0
    _deferred: list[Callable[[], None]] = field(default_factory=list)
    #: the event hooks fired while ``record_events`` runs, enqueued together at its end
    _gathered: list[tuple[str, dict[str, Any]]] | None = None

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        *,
        plugins: Plugins | None = None,
        as_of: str | dt.date | None = None,
        lang: str | None = None,
    ) -> Workspace:
        folder = Path(path) if path else default_path()
        if not (folder / kam_config.FILE).is_file():
            raise StorageError(f"no kam workspace at {folder} (run `kam init` first)")
        cfg = kam_config.load(folder)
        if plugins is None:
            from kam.plugin_manager import Plugins

            plugins = Plugins()
        plugins.apply_config(cfg, folder)
        missing = plugins.required_problem()
        from kam.i18n import from_locale, normalise

        given = lang or os.environ.get("KAM_LANG") or cfg.get("language")
        language = normalise(given) if given else from_locale()
        if language is None:
            raise InputError(f"--lang: {given!r} must be zh, zh-Hant or en")
        return cls(
            path=folder,
            config=cfg,
            plugins=plugins,
            today=resolve_today(as_of),
            actor=resolve_actor(cfg),
            lang=language,
            warnings=[f"{missing}: changes are refused until it loads"] if missing else [],
        )

    # --- storage ------------------------------------------------------------------

    @property
    def storage(self) -> Storage:
        if self._storage is None:
            name = self.config.get("backend", "sqlite")
            backends = self.plugins.storages()
            factory = backends.items.get(name)
            if factory is None:
                known = ", ".join(sorted(backends.items)) or "none"
                failed = "; ".join(self.plugins.failures)
                hint = f" ({failed})" if failed else ""
                raise StorageError(
                    f"storage backend {name!r} is not available{hint}; installed: {known}"
                )
            self._storage = factory(self.path, self.config)
            connected = getattr(self._storage, "actor", None)
            if connected:  # the backend knows who is connected (a postgres team member)
                self.actor = str(connected)
        return self._storage

    def close(self) -> None:
        if self._storage is not None:
            self._storage.close()
            self._storage = None

    # --- time -----------------------------------------------------------------------

    def now(self) -> str:
        """When a change is recorded: the wall clock, never ``--as-of`` (two clocks: the
        business date of a fact is ``today`` or the command's ``--date``)."""
        return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()

    @property
    def previewing(self) -> bool:
        """``--as-of`` beyond the real date: a preview, which must record nothing that a
        later real run depends on (``kam check``)."""
        return self.today > dt.date.today()

    # --- pipelines ------------------------------------------------------------------

    def pipeline(self, key: str | None = None) -> Pipeline:
        key = key or self.config.get("pipeline") or "six_stage"
        found = self.plugins.pipelines().items.get(key)
        if found is None:
            known = ", ".join(sorted(self.plugins.pipelines().items)) or "none"
            raise InputError(f"unknown pipeline {key!r}; registered: {known}")
        return found

    def evaluation_model(self, key: str | None = None) -> EvaluationModel:
        """An opportunity evaluation model (商机评估模型): ``key``, else kam.toml's
        ``rules.evaluation_model``, else ``standard``."""
        key = key or self.config.get("rules", {}).get("evaluation_model") or "standard"
        found = self.plugins.evaluation_models().items.get(key)
        if found is None:
            known = ", ".join(sorted(self.plugins.evaluation_models().items)) or "none"
            raise InputError(f"unknown evaluation model {key!r}; registered: {known}")
        return found

    # --- mutations ------------------------------------------------------------------

    def check_required(self) -> None:
        """Refuse a change while a plugin the workspace requires is not loaded (fail
        closed: its rules would be skipped). Exit 4, one line naming the plugin."""
        problem = self.plugins.required_problem()
        if problem:
            self.warnings[:] = [w for w in self.warnings if not w.startswith(problem)]
            raise StorageError(f"{problem}: changes are refused until it loads "
                               "(kam plugins list)")

    @contextmanager
    def writing(self, *, required: bool = True,
                loads: Sequence[str] | None = None) -> Iterator[None]:
        """Hold the write transaction around a whole service call: what it reads, checks
        and writes happens under the writer's lock, so no concurrent change is lost.

        Refused before anything is written while a required plugin is missing
        (``required=False`` only for the change that lifts the requirement).
        Event hooks fired inside run after the outermost commit; on error, never.
        ``loads``: what the change imports, loaded before the lock (``_load_write_path``).
        """
        outer = self._depth == 0
        if outer:
            if required:
                self.check_required()
            storage = self.storage  # opened (and migrated) before the lock is taken
            _load_write_path(self, loads)
        self._depth += 1
        try:
            with storage.transaction() if outer else self.storage.transaction():
                yield
        except BaseException:
            if outer:
                self._deferred.clear()
            raise
        finally:
            self._depth -= 1
        if outer:
            deferred, self._deferred = self._deferred, []
            for run in deferred:
                run()

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """One step of a larger change (a row of ``kam load``), inside ``writing``: on
        error it is undone alone, with the event hooks it queued, and the caller decides
        whether the whole commits."""
        queued = len(self._deferred)
        last = self._deferred[-1] if queued else None
        spanned = len(last) if isinstance(last, _Deliveries) else 0
        gathered = len(self._gathered) if self._gathered is not None else 0
        try:
            with self.writing():
                yield
        except BaseException:
            del self._deferred[queued:]
            if self._gathered is not None:
                del self._gathered[gathered:]
            if isinstance(last, _Deliveries):
                last.truncate(spanned)
            raise

    @contextmanager
    def mutation(
        self,
        kind: str,
        record_id: str = "",
        payload: dict[str, Any] | None = None,
        refs: list[str] | None = None,
    ) -> Iterator[Mutation]:
        """Writes inside the block and their one event commit together, or not at all.

        Event hooks run after the commit; a failing one is reported, never undoes it.
        """
        m = Mutation(kind, record_id, dict(payload or {}), list(refs or []))
        with self.writing():
            yield m
            m.event = self.storage.append_event(
                {
                    "at": self.now(),
                    "actor": self.actor,
                    "kind": m.kind,
                    "record_id": m.record_id,
                    "payload": m.payload,
                    "refs": sorted({r for r in m.refs if r and r != m.record_id}),
                }
            )
            from kam import outbox

            self._enqueue_gathered()  # the hooks fired before it keep their place
            self._defer(outbox.enqueue(self, "kam_event_committed", {"event": m.event}))
            if m.after:
                self._deferred.append(functools.partial(self._after, m))

    def record_events(
        self,
        changes: Sequence[tuple[str, str, dict[str, Any], list[str]]],
        each: Callable[[int, dict[str, Any]], None] | None = None,
    ) -> list[dict[str, Any]]:
        """Many changes that write nothing but their event (``kam check``'s reminders):
        the events ``mutation`` would append for each ``(kind, record_id, payload, refs)``,
        in order, through the backend's bulk append when it has one (``BulkEvents``), with
        the same after-commit hooks. ``each(i, event)`` runs after the i-th event's hook is
        queued (so a caller's own hook keeps its place). Inside ``writing``."""
        from kam.storage import BulkEvents

        with self.writing():
            at = self.now()
            drafts = [{"at": at, "actor": self.actor, "kind": kind, "record_id": record_id,
                       "payload": dict(payload),
                       "refs": sorted({r for r in refs if r and r != record_id})}
                      for kind, record_id, payload, refs in changes]
            storage = self.storage
            events = (storage.append_events(drafts) if isinstance(storage, BulkEvents)
                      else [storage.append_event(d) for d in drafts])
            hooked = bool(self.plugins.implementers("kam_event_committed"))
            outer = self._gathered
            gathered = self._gathered = [] if outer is None else outer
            try:
                for i, event in enumerate(events):
                    if hooked:  # else nothing to deliver
                        gathered.append(("kam_event_committed", {"event": event}))
                    if each is not None:
                        each(i, event)  # its ``fire`` calls are gathered too
            finally:
                self._gathered = outer
            if outer is None:
                self._gathered = gathered
                self._enqueue_gathered()
                self._gathered = None
        return events

    def record_event_ids(
        self, changes: Sequence[tuple[str, str, dict[str, Any], list[str]]]
    ) -> list[str]:
        """``record_events(changes)``'s event ids, when nothing else of the events is
        needed: written from the tuples by the backend (``ChangeEvents``) when no plugin
        hooks ``kam_event_committed``, else through ``record_events``."""
        from kam.storage import ChangeEvents

        storage = self.storage
        if not isinstance(storage, ChangeEvents) \
                or self.plugins.implementers("kam_event_committed"):
            return [event["id"] for event in self.record_events(changes)]
        with self.writing():
            return storage.append_change_events(self.now(), self.actor, changes)

    #: gathered hook calls enqueued per step of the outbox's sequence
    ENQUEUE_PAGE = 500

    def _enqueue_gathered(self) -> None:
        """Write the outbox rows of the hooks gathered so far, in the order fired
        (kam.outbox.enqueue_many: one step of the sequence and one statement a page)."""
        gathered = self._gathered
        if not gathered:
            return
        from kam import outbox

        for start in range(0, len(gathered), self.ENQUEUE_PAGE):
            self._defer(outbox.enqueue_many(self, gathered[start:start + self.ENQUEUE_PAGE]))
        gathered.clear()

    def _defer(self, rows: list[dict[str, Any]]) -> None:
        """Deliver ``rows`` (just enqueued in the open transaction) after the commit: only
        their outbox ids are kept, the arguments are read back from the outbox then, in
        pages (a run firing 100k hooks holds no copy of them). Deliveries queued one after
        the other share one :class:`_Deliveries`, so they are delivered in queue order."""
        if not rows:
            return
        last = self._deferred[-1] if self._deferred else None
        if not isinstance(last, _Deliveries):
            last = _Deliveries(self)
            self._deferred.append(last)
        for row in rows:
            last.add(row["id"])

    def _after(self, m: Mutation) -> None:
        event = m.event or {}
        for fn in m.after:
            try:
                fn(event)
            except Exception as exc:  # an event hook must never undo a committed change
                self.warnings.append(f"after-commit step failed: {exc}")

    def fire(self, hook: str, **kwargs: Any) -> None:
        """Fire an event hook after the commit, at least once per plugin: the deliveries
        are written with the change (kam.outbox); failures become warnings the CLI
        prints and are retried later."""
        from kam import outbox

        if self._depth:
            if self._gathered is not None:  # inside ``record_events``: written at its end
                self._gathered.append((hook, kwargs))
                return
            self._defer(outbox.enqueue(self, hook, kwargs))
            return
        with self.storage.transaction():
            rows = outbox.enqueue(self, hook, kwargs)
        self.warnings.extend(outbox.deliver(self, rows, kwargs))

    def plugin_config(self, name: str) -> dict[str, Any]:
        """A plugin's own settings: the ``[name]`` table of kam.toml (``{}`` when absent),
        validated by the schema the plugin declared (``kam_register_config``), defaults
        filled in; a bad value is an ``InputError`` naming the key (exit 2).

        A plugin keeps its settings in a table named after it, e.g. ``[acme]``.
        """
        section = self.config.get(name)
        table = dict(section) if isinstance(section, dict) else {}
        return self.plugins.settings(name, table)

    def find(
        self,
        kind: str,
        where: dict[str, Any] | None = None,
        order_by: tuple[str, ...] | list[str] = ("id",),
        limit: int | None = None,
    ) -> list[Record]:
        """Records of ``kind`` matching ``where`` (``{"field": value}`` or
        ``{"field__op": value}``, ops ``eq ne lt le gt ge in isnull``), in ``order_by``
        (``-field`` descending), at most ``limit``."""
        return list(self.storage.find(kind, where, order_by, limit))

    def get(self, kind: str, record_id: str) -> Record:
        """The record of ``kind`` with ``record_id``; ``NotFoundError`` (exit 3) if none."""
        from kam.errors import NotFoundError
        from kam.kinds import kind_of_id

        found = self.storage.get(kind, record_id.upper()) if record_id else None
        if found is None:
            k = kind_of_id(record_id or "")
            hint = f" (that id is a {k.name})" if k is not None and k.name != kind else ""
            raise NotFoundError(f"{kind} {record_id} not found{hint}")
        return found


class _Deliveries:
    """Outbox deliveries queued in one transaction, to run after its commit in the order
    queued: kept as their ids' numbers (``array('q')``; any id that is not the outbox
    prefix and a number is kept as text), read back :data:`PAGE` at a time and delivered
    with their stored arguments — what a retry would hand the plugin (kam.outbox)."""

    #: deliveries read back and delivered (then recorded) at once
    PAGE = 500

    def __init__(self, ws: Workspace) -> None:
        from array import array  # here: a change with no deliveries never needs it

        from kam.kinds import KINDS

        self.ws = ws
        self.prefix = KINDS["outbox"].prefix
        self.numbers = array("q")  # -1: the id is in ``odd``
        self.odd: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.numbers)

    def add(self, outbox_id: str) -> None:
        number = outbox_id[len(self.prefix):]
        if outbox_id.startswith(self.prefix) and number.isdigit() \
                and str(int(number)) == number:
            self.numbers.append(int(number))
        else:
            self.odd[len(self.numbers)] = outbox_id
            self.numbers.append(-1)

    def truncate(self, size: int) -> None:
        """Forget what was queued after the first ``size`` (a step that was undone)."""
        del self.numbers[size:]
        self.odd = {i: v for i, v in self.odd.items() if i < size}

    def __call__(self) -> None:
        from kam import outbox

        ws = self.ws
        for start in range(0, len(self.numbers), self.PAGE):
            ids = [self.odd[i] if n < 0 else f"{self.prefix}{n}"
                   for i, n in enumerate(self.numbers[start:start + self.PAGE], start)]
            found = {r["id"]: r for r in self._read(ids)}
            # a delivery whose step was rolled back is not there: nothing to deliver
            ws.warnings.extend(outbox.deliver(ws, [found[i] for i in ids if i in found]))

    def _read(self, ids: list[str]) -> Iterator[dict[str, Any]]:
        """The deliveries of ``ids`` (any order), their arguments as stored JSON text
        when the backend reads so (``StoredTextPages``: parsed and untagged in one pass
        by kam.outbox.stored_args), else parsed (``find``)."""
        from kam import outbox
        from kam.storage import StoredTextPages

        storage = self.ws.storage
        if not isinstance(storage, StoredTextPages):
            yield from storage.find(outbox.KIND, {"id__in": ids}, order_by=())
            return
        for names, cols in storage.stored_text_pages(outbox.KIND, None, {"id__in": ids},
                                                     order_by=(), size=self.PAGE):
            for row in zip(*cols, strict=True):
                yield dict(zip(names, row, strict=True))
