"""Stage models (阶段模型) as data: stages, default probabilities, checklists.

A pipeline is registered by a plugin (``kam_register_pipelines``); its key-node
rules are ``kam_stage_exit`` implementations that look at ``pipeline.key``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kam.errors import InputError


@dataclass(frozen=True)
class Task:
    """A checklist item of a stage (标准任务); ``required`` ones gate the stage exit."""

    key: str
    zh: str
    en: str
    required: bool = False


@dataclass(frozen=True)
class Stage:
    """One step: labels, default probability, its key node (the milestone and completion
    standard, 关键节点/完成标准), checklist, the customer's mirror purchase step and the
    start condition (开始条件) a company's process may name."""

    key: str
    zh: str
    en: str
    probability: int
    key_node_zh: str = ""
    key_node_en: str = ""
    tasks: tuple[Task, ...] = ()
    customer_step_zh: str = ""
    customer_step_en: str = ""
    start_zh: str = ""
    start_en: str = ""

    def label(self, lang: str) -> str:
        """How the stage reads in ``lang``: the Chinese label in zh, else the English one."""
        from kam.i18n import pick

        return pick(lang, self.zh, self.en or self.key)


@dataclass(frozen=True)
class Pipeline:
    key: str
    zh: str
    en: str
    stages: tuple[Stage, ...] = field(default_factory=tuple)
    #: stage whose exit means the contract is signed (the opportunity is won on leaving it)
    won_after: str | None = None

    def stage(self, key: str) -> Stage:
        for s in self.stages:
            if s.key == key:
                return s
        raise InputError(f"unknown stage {key!r} in pipeline {self.key}")

    def index(self, key: str) -> int:
        return [s.key for s in self.stages].index(self.stage(key).key)

    def parse_stage(self, text: str) -> str:
        """A stage key from its key or either label (``提案`` → ``proposal``)."""
        from kam.i18n import simplified

        folded = text.strip().casefold()
        plain = simplified(text.strip())  # 商務談判 = 商务谈判
        for s in self.stages:
            if folded in (s.key.casefold(), s.zh.casefold(), s.en.casefold()) or plain == s.zh:
                return s.key
        raise InputError(
            f"unknown stage {text!r}; {self.key} stages are: "
            + ", ".join(s.key for s in self.stages)
        )

    def next_stage(self, key: str) -> str | None:
        i = self.index(key)
        return self.stages[i + 1].key if i + 1 < len(self.stages) else None

    def task(self, text: str) -> tuple[Stage, Task]:
        """Find a checklist task by ``stage.task`` key, bare task key or label."""
        folded = text.strip().casefold()
        for s in self.stages:
            for t in s.tasks:
                names = (f"{s.key}.{t.key}".casefold(), t.key.casefold(), t.zh.casefold(),
                         t.en.casefold())
                if folded in names:
                    return s, t
        raise InputError(f"unknown checklist task {text!r} in pipeline {self.key}")


def stage_label(pipelines: Iterable[Pipeline], key: str, lang: str) -> str:
    """A stage key's label in ``lang``, looked up in the given stage models in order (the
    workspace's first, so its label wins when two models share a key); the key itself
    when no model knows it. A ``dragon_six`` deal in a ``six_stage`` workspace reads
    ``赢取承诺``, not ``win_commitment``."""
    for pipeline in pipelines:
        for s in pipeline.stages:
            if s.key == key:
                return s.label(lang)
    return key
