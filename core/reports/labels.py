"""Column headers of the built-in reports in Chinese and English.

A report's own ``Table.headers`` win. A column named like a record field takes the
field's label from kam.kinds (declared there once); ``HEADERS`` holds the columns that
are no field, and the few ``FIELD_NAMES_MEANING_ELSE`` (a report's ``pipeline`` column is
the forecast category 管道, not a deal's stage model). Unknown keys read as the key with
spaces.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from decimal import Decimal
from itertools import chain
from operator import itemgetter, methodcaller
from typing import Any

from kam.i18n import pick

#: columns whose cells are kam's English messages (a gate's findings): shown translated
_DATE = _dt.date
MESSAGE_COLUMNS = frozenset({"message", "problem", "error"})
#: records held inside a record (JSON fields): their keys that take an enumeration
NESTED_VOCAB: dict[str, dict[str, str]] = {
    "approvals": {"decision": "approval_decision"},
    "bids": {"result": "bid_result"},
    "flags": {"type": "flag_type", "decision": "flag_decision"},
}
#: report columns named like a record field that mean something else in reports
#: (contract P&L's ``cost`` is a cost account, not a service's cost)
FIELD_NAMES_MEANING_ELSE = frozenset({"pipeline", "terms", "name", "severity", "cost",
                                      "count", "scope"})

HEADERS: dict[str, tuple[str, str]] = {
    "from_stage": ("从阶段", "From"),
    "to_stage": ("到阶段", "To"),
    "count": ("数量", "Count"),
    "weighted": ("加权金额", "Weighted"),
    "customer": ("客户", "Customer"),
    "reached": ("进入数", "Reached"),
    "advanced": ("推进数", "Advanced"),
    "conversion": ("转化率%", "Conversion %"),
    "median_days": ("停留天数中位数", "Median days"),
    "lost": ("丢单", "Lost"),
    "abandoned": ("结项", "Abandoned"),
    "won": ("赢单", "Won"),
    "win_rate": ("赢单率%", "Win rate %"),
    "pipeline": ("管道", "Pipeline"),
    "best_case": ("最佳情况", "Best case"),
    "commit": ("承诺", "Commit"),
    "closed": ("已成交", "Closed"),
    "open_amount": ("在途金额", "Open pipeline"),
    "target": ("目标", "Target"),
    "remaining": ("剩余目标", "Remaining"),
    "budget": ("费用预算", "Budget"),
    "spent": ("实际费用", "Spent"),
    "left": ("预算余额", "Left"),
    "account": ("账目", "Account"),
    "presales_cost": ("售前费用", "Presales cost"),
    "won_amount": ("赢单金额", "Won amount"),
    "cost_ratio": ("费用占赢单金额%", "Cost per won amount %"),
    "risk": ("风险", "Risk"),
    "cost": ("成本", "Cost"),
    "revenue": ("收入", "Revenue"),
    "gross_profit": ("毛利", "Gross profit"),
    "margin_pct": ("毛利率%", "Margin %"),
    "estimate_cost": ("概算成本", "Estimate cost"),
    "budget_cost": ("预算成本", "Budget cost"),
    "actual_cost": ("核算成本", "Actual cost"),
    "final_cost": ("决算成本", "Final cost"),
    "estimate_margin": ("概算毛利率%", "Estimate margin %"),
    "budget_margin": ("预算毛利率%", "Budget margin %"),
    "actual_margin": ("核算毛利率%", "Actual margin %"),
    "final_margin": ("决算毛利率%", "Final margin %"),
    "cost_change": ("成本变化", "Cost change"),
    "margin_points": ("毛利率变化（点）", "Margin change (pts)"),
    "coverage": ("覆盖倍数", "Coverage ×"),
    "below": ("低于要求", "Below"),
    "attainment": ("完成率%", "Attainment %"),
    "week": ("周", "Week"),
    "calls": ("拜访数", "Calls"),
    "order": ("订单", "Order"),
    "advance": ("有进展", "Advance"),
    "continuance": ("暂时中断", "Continuance"),
    "no_sale": ("无订单", "No sale"),
    "no_outcome": ("未记录", "No outcome"),
    "last_activity": ("最近拜访", "Last activity"),
    "days_silent": ("未跟进天数", "Days silent"),
    "continuance_run": ("连续中断", "Continuance run"),
    "why": ("停滞原因", "Why stalled"),
    "name": ("姓名", "Name"),
    "task": ("任务", "Task"),
    "required": ("必需", "Required"),
    # plugins list, kam load, doctor
    "role": ("角色", "Role"),
    "collected_at": ("收集日期", "Collected on"),
    "collected_by": ("收集人", "Collected by"),
    "hooks": ("钩子", "Hooks"),
    "pending": ("待投递", "Pending"),
    "dead": ("已放弃投递", "Dead"),
    "row": ("行号", "Row"),
    "action": ("处理", "Action"),
    "check": ("检查项", "Check"),
    "done": ("完成", "Done"),
    "severity": ("级别", "Severity"),
    "message": ("说明", "Message"),
    "on": ("日期", "Date"),
    "price": ("报价", "Price"),
    "result": ("结果", "Result"),
    "by": ("经办人", "By"),
    "user": ("成员", "Member"),
    "what": ("让步内容", "What"),
    "start": ("开始日期", "Start"),
    "end": ("结束日期", "End"),
    "criteria": ("成功标准", "Success criteria"),
    "scope": ("试用范围", "Scope"),
    "direction": ("让步方", "Direction"),
    "value": ("价值", "Value"),
    "exchange": ("换取条件", "In exchange for"),
    "approved_by": ("批准人", "Approved by"),
    "criterion": ("评估要素", "Criterion"),
    "weight": ("权重", "Weight"),
    "rating": ("评分", "Rating"),
    "points": ("得分", "Points"),
    "top": ("满分", "Out of"),
    "line": ("铁三角", "Line"),
    "since": ("加入日期", "Since"),
    "decision": ("决定", "Decision"),
    "comment": ("意见", "Comment"),
    "contract": ("合同", "Contract"),
    "terms": ("付款条件", "Terms"),
    "milestones": ("回款节点", "Milestones"),
    "collected": ("已回款", "Collected"),
    "collected_pct": ("回款率%", "Collected %"),
    "next_action": ("下一步行动", "Next action"),
    "qing": ("情", "Relationship"),
    "li": ("理", "Performed"),
    "fa": ("法", "Evidence"),
    "bucket": ("账龄", "Bucket"),
    "not_due": ("未到期", "not due"),
    "1-30": ("1-30天", "1-30"),
    "31-60": ("31-60天", "31-60"),
    "61-90": ("61-90天", "61-90"),
    "91-180": ("91-180天", "91-180"),
    "180+": ("180天以上", "180+"),
    "total": ("合计", "Total"),
    "days_left": ("剩余天数", "Days left"),
    "renewal": ("续约商机", "Renewal deal"),
    "renewal_stage": ("续约阶段", "Renewal stage"),
    # 招投标评分表 (kam opp tender)
    "rank": ("排名", "Rank"),
    "bidder": ("投标方", "Bidder"),
    "technical": ("技术分", "Technical"),
    "commercial": ("商务分", "Commercial"),
    "weighted_total": ("综合得分", "Weighted total"),
}


def header(column: str, lang: str) -> str:
    from kam.kinds import LABELS

    zh_en = HEADERS.get(column) or LABELS.get(column)
    if zh_en is None:
        return column.replace("_", " ")
    return pick(lang, *zh_en)


def shown(table: Any, column: str, value: Any, lang: str) -> str:
    """A cell as a person reads it (md, table, xlsx): enum keys through the table's
    display map, money with thousands separators, yes/no, lists joined, a list of records
    (a contract's milestones) one per line with each value shown. JSON/CSV keep the data:
    reports put data in their rows, never text made for reading."""
    from kam.output import cell

    disp = table.display.get(column) if table is not None else None
    kind = type(value)
    if kind is str:  # most cells: the same answer as below, sooner
        return disp[value] if disp and value in disp else cell(value)
    if not disp:  # money, days, dates and empty cells likewise
        if kind is Decimal:
            return f"{value:,}"
        if value is None:
            return ""
        if kind is int:
            return str(value)
        if kind is _DATE:
            return value.isoformat()
    if isinstance(value, dict):
        return _record(table, column, value, lang, disp)
    if isinstance(value, list | tuple):
        if value and all(isinstance(v, dict) for v in value):  # a contract's milestones
            return "\n".join([_record(table, column, v, lang, disp) for v in value])
        items = [disp.get(v, v) if disp and isinstance(v, str) else v for v in value]
        return ", ".join(cell(v) for v in items)
    if disp:
        key = value if isinstance(value, str) else cell(value)
        if key in disp:
            return disp[key]
    if isinstance(value, bool):
        return pick(lang, "是", "yes") if value else pick(lang, "否", "no")
    if isinstance(value, Decimal):
        return f"{value:,}"
    if column in MESSAGE_COLUMNS and isinstance(value, str):
        from kam.messages import localise  # a finding's message, as the CLI prints it

        return cell(localise(value, lang))
    return cell(value)


def _record(table: Any, column: str, value: dict[str, Any], lang: str,
            disp: dict[str, str] | None) -> str:
    """A nested record (one of a contract's milestones) on one line: its values as
    :func:`shown` shows each, the common kinds (text, money, dates, days) without the
    round trip through it — a battle map has one per milestone."""
    from kam.output import cell

    parts = []
    for v in value.values():
        kind = type(v)
        if kind is str:
            if v:
                parts.append(disp[v] if disp and v in disp else cell(v))
        elif v is None:
            continue
        elif kind is Decimal and not (disp and str(v) in disp):
            parts.append(f"{v:,}")
        elif kind is _DATE and not (disp and v.isoformat() in disp):
            parts.append(v.isoformat())
        elif kind is int and not (disp and str(v) in disp):
            parts.append(str(v))
        else:
            parts.append(shown(table, column, v, lang))
    return " ".join(parts)


def column_header(table: Any, column: str, lang: str) -> str:
    return table.headers.get(column) or header(column, lang)


def is_numeric(table: Any, column: str) -> bool:
    """Right-align a column whose values are all numbers (and that has no display map)."""
    if column in table.display:
        return False
    if getattr(table, "numeric", None) is not None:
        return column in table.numeric
    # the kinds of value the column holds, each judged once (a report's forced deals:
    # 1k rows a column, looked at per cell before)
    kinds = set(map(type, map(methodcaller("get", column), chain(table.rows, table.totals))))
    kinds.discard(_NONE)
    return bool(kinds) and all(
        issubclass(k, int | Decimal) and not issubclass(k, bool) for k in kinds)


_NONE = type(None)


def shown_records(table: Any, column: str, values: list[Any], lang: str) -> list[str] | None:
    """``[shown(table, column, v, lang) for v in values]`` for a column whose cells are
    lists of records (a battle map's milestones, 200k on a big team), one field of every
    record at a time (:func:`shown_fields`). None when the column holds anything else
    (the caller then shows cell by cell)."""
    if set(map(type, values)) != {list}:
        return None
    records = [d for v in values for d in v]
    if set(map(type, records)) - {dict}:
        return None
    if not records:
        return [""] * len(values)
    shapes = set(map(tuple, records))
    if len(shapes) != 1:
        return None
    keys = shapes.pop()
    return shown_fields(table, column, [list(map(itemgetter(key), records)) for key in keys],
                        list(map(len, values)))


def shown_fields(table: Any, column: str, fields: Sequence[Sequence[Any]],
                 counts: Sequence[int]) -> list[str] | None:
    """:func:`shown_records` of a column of lists of records given as the records' fields
    (``fields[k]``: every record's k-th field, cell after cell; cell ``n`` holds
    ``counts[n]`` records): each distinct text, day or date shown once, money formatted
    in one pass, each record's line one join of its fields' texts. None when a field
    needs :func:`shown` value by value."""
    if not fields:
        return None
    if not fields[0]:
        return [""] * len(counts)
    disp = table.display.get(column) if table is not None else None
    texts = []
    for n, field in enumerate(fields):
        # each field past the first with its separating space, a gap as nothing; a gap
        # in the first field is NUL, dropped with the next field's space below
        made = _field_texts(field, disp, " " if n else "")
        if made is None:
            return None
        texts.append(made)
    lines = list(map("".join, zip(*texts, strict=True)))  # a record's line each
    if "\0" in texts[0]:
        lines = [s[2:] if s[:2] == "\0 " else s[1:] if s[:1] == "\0" else s
                 for s in lines]
    out = []
    at = 0
    for n in counts:
        out.append(lines[at] if n == 1 else "\n".join(lines[at:at + n]))
        at += n
    return out


def _field_texts(col: Sequence[Any], disp: dict[str, str] | None, lead: str = ""
                 ) -> list[str] | None:
    """One field of every record as :func:`_record` shows it, each after ``lead`` (its
    separating space; a gap, where it shows nothing, is "" then, or NUL without ``lead``),
    or None when some value needs :func:`shown` (a display map keyed by a number or a
    date, another type, a text shown as nothing or holding a line break or NUL)."""
    from kam.output import by_object, cell

    gap = "" if lead else "\0"
    kinds = set(map(type, col)) - {_NONE}
    if not kinds:
        return [gap] * len(col)
    if len(kinds) > 1:
        return None
    kind = kinds.pop()
    if kind is str:
        memo: dict[Any, str] = {v: disp[v] if disp and v in disp else cell(v)
                                for v in set(col) if v}
        if not all(memo.values()) or "\n" in (joined := "".join(memo.values())) \
                or "\0" in joined:
            return None  # a text shown as nothing would drop out of the line
        if lead:
            memo = {v: lead + t for v, t in memo.items()}
        memo[None] = memo[""] = gap
        return list(map(memo.__getitem__, col))
    if kind is Decimal:
        if disp and any(_is_number(k) for k in disp):
            return None
        # each shared amount's object once
        return by_object(_spaced_money_or_gap if lead else _money_or_gap, col)
    if kind is _DATE or kind is int:
        if disp and any(map(_maybe_day_or_date, disp)):
            return None  # a display key a day or date's text could be: shown() decides
        return list(map(_DAY_DATE_TEXTS[kind is _DATE, bool(lead)].__getitem__, col))
    return None


def _maybe_day_or_date(key: str) -> bool:
    """Whether ``key`` could be ``repr()`` of an int or ``isoformat()`` of a date (digits
    and dashes only): more than those, never fewer."""
    return bool(key) and key.lstrip("-")[:1].isdigit() and not key.strip("0123456789-")


class _DayDateTexts(dict[Any, str]):
    """A day count's or a date's text in a record's line (:func:`_field_texts`), after a
    space or not, a gap's for None; each made once across pages (a big team's ~200k
    milestones repeat ~2k due dates and a few hundred day counts)."""

    def __init__(self, show: Any, lead: str) -> None:
        super().__init__()
        self.show, self.lead = show, lead

    def __missing__(self, value: Any) -> str:
        if len(self) > 65536:
            self.clear()
        text = self[value] = ("" if self.lead else "\0") if value is None else \
            self.lead + self.show(value)
        return text


#: (a date, after a space) → its texts
_DAY_DATE_TEXTS = {(date, spaced): _DayDateTexts(_DATE.isoformat if date else int.__repr__,
                                                 " " if spaced else "")
                   for date in (False, True) for spaced in (False, True)}


def _spaced_money_or_gap(value: Decimal | None) -> str:
    """A space and the money with thousands separators, nothing for a gap."""
    return "" if value is None else f" {value:,}"


def _money_or_gap(value: Decimal | None) -> str:
    """Money with thousands separators, NUL for a gap (:func:`_field_texts`)."""
    return "\0" if value is None else f"{value:,}"


def _is_number(text: str) -> bool:
    """Whether ``text`` could be ``str()`` of a Decimal (a display key money would hit)."""
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True
