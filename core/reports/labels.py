"""Column headers of the built-in reports in Chinese and English.

A report's own ``Table.headers`` win; unknown keys read as the key with spaces.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

HEADERS: dict[str, tuple[str, str]] = {
    "id": ("编号", "ID"),
    "industry": ("行业", "Industry"),
    "region": ("区域", "Region"),
    "matrix": ("客户矩阵", "Matrix"),
    "relationship": ("关系", "Relationship"),
    "source": ("来源", "Source"),
    "scenario": ("购买类型", "Scenario"),
    "opportunity_id": ("商机编号", "Opportunity"),
    "next_due": ("下一步到期", "Next due"),
    "paid": ("已回款", "Paid"),
    "receivable_id": ("回款节点", "Milestone"),
    "ref": ("凭证号", "Reference"),
    "signed_on": ("签订日期", "Signed on"),
    "allocations": ("分配", "Allocations"),
    "stage": ("阶段", "Stage"),
    "from_stage": ("从阶段", "From"),
    "to_stage": ("到阶段", "To"),
    "currency": ("币种", "Currency"),
    "count": ("数量", "Count"),
    "amount": ("金额", "Amount"),
    "weighted": ("加权金额", "Weighted"),
    "forced": ("强制推进", "Forced"),
    "probability": ("赢率%", "Prob. %"),
    "title": ("名称", "Title"),
    "owner": ("负责人", "Owner"),
    "customer": ("客户", "Customer"),
    "customer_id": ("客户编号", "Customer ID"),
    "reason": ("原因", "Reason"),
    "status": ("状态", "Status"),
    "reached": ("进入数", "Reached"),
    "advanced": ("推进数", "Advanced"),
    "conversion": ("转化率%", "Conversion %"),
    "median_days": ("停留天数中位数", "Median days"),
    "lost": ("丢单", "Lost"),
    "abandoned": ("结项", "Abandoned"),
    "won": ("赢单", "Won"),
    "win_rate": ("赢单率%", "Win rate %"),
    "period": ("期间", "Period"),
    "pipeline": ("管道", "Pipeline"),
    "best_case": ("最佳情况", "Best case"),
    "commit": ("承诺", "Commit"),
    "closed": ("已成交", "Closed"),
    "open_amount": ("在途金额", "Open pipeline"),
    "target": ("目标", "Target"),
    "remaining": ("剩余目标", "Remaining"),
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
    "importance": ("重要性", "Importance"),
    "close_date": ("预计签约", "Close date"),
    "closed_at": ("关闭日期", "Closed on"),
    "name": ("姓名", "Name"),
    "roles": ("角色", "Roles"),
    "coach": ("向导", "Coach"),
    "stance": ("态度", "Stance"),
    "level": ("层级", "Level"),
    "task": ("任务", "Task"),
    "required": ("必需", "Required"),
    "done": ("完成", "Done"),
    "severity": ("级别", "Severity"),
    "message": ("说明", "Message"),
    "on": ("日期", "Date"),
    "date": ("日期", "Date"),
    "price": ("报价", "Price"),
    "result": ("结果", "Result"),
    "type": ("类型", "Type"),
    "outcome": ("结果", "Outcome"),
    "note": ("备注", "Note"),
    "next_step": ("下一步", "Next step"),
    "by": ("经办人", "By"),
    "decision": ("决定", "Decision"),
    "comment": ("意见", "Comment"),
    "contract": ("合同", "Contract"),
    "contract_id": ("合同编号", "Contract ID"),
    "number": ("合同号", "Number"),
    "terms": ("付款条件", "Terms"),
    "milestones": ("回款节点", "Milestones"),
    "collected": ("已回款", "Collected"),
    "collected_pct": ("回款率%", "Collected %"),
    "outstanding": ("未回款", "Outstanding"),
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
    "service_end": ("服务到期", "Service ends"),
    "days_left": ("剩余天数", "Days left"),
    "renewal": ("续约商机", "Renewal deal"),
    "renewal_stage": ("续约阶段", "Renewal stage"),
    "due_date": ("到期日", "Due date"),
    "state": ("状态", "State"),
    "days_overdue": ("逾期天数", "Days overdue"),
    "kind": ("类型", "Kind"),
    "grade": ("级别", "Grade"),
}


def header(column: str, lang: str) -> str:
    zh_en = HEADERS.get(column)
    if zh_en is None:
        return column.replace("_", " ")
    return zh_en[0] if lang == "zh" else zh_en[1]


def shown(table: Any, column: str, value: Any, lang: str) -> str:
    """A cell as a person reads it (md, table): enum keys through the table's display
    map, money with thousands separators, yes/no, lists joined. JSON/CSV keep the data."""
    from kam.output import cell

    disp = table.display.get(column) if table is not None else None
    if isinstance(value, list | tuple):
        items = [disp.get(v, v) if disp and isinstance(v, str) else v for v in value]
        return ", ".join(cell(v) for v in items)
    if disp:
        key = value if isinstance(value, str) else cell(value)
        if key in disp:
            return disp[key]
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, Decimal):
        return f"{value:,}"
    return cell(value)


def column_header(table: Any, column: str, lang: str) -> str:
    return table.headers.get(column) or header(column, lang)


def is_numeric(table: Any, column: str) -> bool:
    """Right-align a column whose values are all numbers (and that has no display map)."""
    if column in table.display:
        return False
    values = [r.get(column) for r in (*table.rows, *table.totals) if r.get(column) is not None]
    return bool(values) and all(
        isinstance(v, int | Decimal) and not isinstance(v, bool) for v in values)
