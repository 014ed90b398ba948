"""The demo's cast: its customers, their decision chains (决策链), the deals and who
works them, in the language the demo is built in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CUSTOMERS = [
    # name, grade, matrix, purchase type, relationship, industry, region, potential
    ("华东电力集团", "A", "core", "occasional", "trust", "电力", "上海", "12000000"),
    ("深圳智造科技有限公司", "A", "growth", "continuous", "dating", "制造", "深圳", "6000000"),
    ("北京城市轨道交通公司", "B", "traction", "occasional", "acquainted", "交通", "北京",
     "8000000"),
    ("Northwind Logistics Ltd", "B", "growth", "continuous", "trust", "logistics", "Singapore",
     "2500000"),
    ("成都川味食品股份", "C", "problem", "continuous", "acquainted", "食品", "成都", "900000"),
    ("Contoso Pharma GmbH", "A", "core", "occasional", "alliance", "pharma", "Frankfurt",
     "5000000"),
    ("杭州云栖数据服务", "B", "growth", "occasional", "dating", "软件", "杭州", "3000000"),
    ("广州南方医疗器械", "C", "traction", "continuous", "acquainted", "医疗", "广州",
     "1500000"),
]

CONTACTS = {
    0: [("王建国", "总经理", ["decision_maker"], "none", "supporter", "executive"),
        ("李静", "信息中心主任", ["selector", "evaluator"], "intervene", "supporter",
         "management"),
        ("赵强", "采购部经理", ["purchaser"], "intel", "neutral", "management"),
        ("孙悦", "项目验收组长", ["acceptor", "user"], "none", "neutral", "operational")],
    1: [("陈晓东", "CTO", ["decision_maker", "selector"], "advise", "supporter", "executive"),
        ("刘芳", "采购专员", ["purchaser"], "none", "neutral", "operational")],
    2: [("周海", "副总工程师", ["selector"], "intel", "neutral", "management"),
        ("吴刚", "总经理", ["decision_maker"], "none", "opponent", "executive")],
    3: [("Alice Tan", "COO", ["decision_maker"], "advise", "supporter", "executive"),
        ("Ben Ong", "IT lead", ["selector", "user"], "intel", "supporter", "operational")],
    4: [("郑丽", "财务总监", ["decision_maker", "purchaser"], "none", "neutral", "executive")],
    5: [("Dr. Klaus Weber", "Head of Operations", ["decision_maker"], "intervene",
         "supporter", "executive"),
        ("Anna Schmidt", "Procurement", ["purchaser", "evaluator"], "none", "neutral",
         "management")],
    6: [("马云飞", "CIO", ["decision_maker"], "advise", "supporter", "executive")],
    7: [("黄敏", "设备科长", ["selector", "acceptor"], "intel", "neutral", "operational"),
        ("林志明", "院长", ["decision_maker"], "none", "neutral", "executive")],
}

# customer index, title, amount, currency, target stage, importance, owner, margin
DEALS = [
    (0, "智能变电站监控平台", "3200000", "CNY", "implementation", "VI", "张伟", "32"),
    (0, "配网自动化二期", "1800000", "CNY", "negotiation", "I", "张伟", "28"),
    (1, "MES 系统升级", "950000", "CNY", "bidding", "N", "李娜", "35"),
    (1, "工业质检视觉方案", "620000", "CNY", "proposal", "N", "李娜", "40"),
    (2, "地铁 5 号线通信系统", "4500000", "CNY", "initiation", "VI", "王磊", "22"),
    (2, "站务管理软件", "380000", "CNY", "development", "N", "王磊", "30"),
    (3, "Warehouse tracking rollout", "420000", "USD", "proposal", "I", "Emily Chen", "31"),
    (3, "Fleet telematics pilot", "85000", "USD", "development", "NI", "Emily Chen", "25"),
    (4, "冷链仓储改造", "560000", "CNY", "initiation", "N", "李娜", "18"),
    (5, "GMP data integrity suite", "1250000", "EUR", "negotiation", "VI", "Emily Chen", "38"),
    (5, "Lab automation study", "90000", "EUR", "bidding", "N", "Emily Chen", "12"),
    (6, "数据中台建设", "2100000", "CNY", "proposal", "I", "张伟", "27"),
    (6, "运维外包服务", "300000", "CNY", "development", "N", "张伟", "20"),
    (7, "影像设备联网", "450000", "CNY", "bidding", "N", "王磊", "26"),
    (4, "ERP 替换", "700000", "CNY", "lost", "N", "李娜", "15"),
    (7, "耗材集中采购", "150000", "CNY", "abandoned", "NI", "王磊", "8"),
    (3, "Warehouse scanners phase 1", "260000", "USD", "implementation", "N", "Emily Chen",
     "30"),
    (6, "数据治理咨询", "480000", "CNY", "implementation", "N", "张伟", "33"),
]

#: 铁三角 of the deals worth a team (I/VI or over 1,000,000): presales (产品线) on each,
#: a delivery manager (交付线) once the deal is headed for a contract
PRESALES = ("赵工", "Kevin Lim")
DELIVERY = "孙建"

#: who approves in the demo (kam.toml [roles]): never a deal's owner
APPROVERS = {"sales_manager": "陈静", "sales_director": "刘洋", "general_manager": "王建华",
             "finance": "周敏", "management": "刘洋"}
ROLES = {"陈静": ["sales_manager"], "刘洋": ["sales_director", "management"],
         "王建华": ["general_manager"], "周敏": ["finance"]}

#: the vice president serious complaints are escalated to (kam.toml [service])
VICE_PRESIDENT = "孙立"

OUTCOMES = ["advance", "advance", "continuance", "order", "no_sale", "advance"]
TYPES = ["visit", "call", "meeting", "demo", "proposal", "call"]
EXPENSES = ["entertainment", "presales_engineering", "travel", "samples"]

#: how the demo's contract costs split by category (the last takes the rounding)
COST_SHARES = (("hardware", 60), ("labour", 30), ("travel", 10))


@dataclass(frozen=True)
class Story:
    """The cast in the demo's language: a Traditional (zh-Hant) demo has its data in
    Traditional characters too, as a team in Taipei or Hong Kong would type it."""

    lang: str = "zh"
    customers: list[tuple[str, ...]] = field(init=False)
    contacts: dict[int, list[tuple[Any, ...]]] = field(init=False)
    deals: list[tuple[Any, ...]] = field(init=False)
    approvers: dict[str, str] = field(init=False)
    roles: dict[str, list[str]] = field(init=False)

    def __post_init__(self) -> None:
        for name, value in (("customers", CUSTOMERS), ("contacts", CONTACTS),
                            ("deals", DEALS), ("approvers", APPROVERS), ("roles", ROLES)):
            object.__setattr__(self, name, self.deep(value))

    def t(self, text: str) -> str:
        """``text`` as the demo's users would type it."""
        if self.lang != "zh-Hant":
            return text
        from kam.i18n import hant

        return hant(text)

    def deep(self, value: Any) -> Any:
        """``value`` with every string in it as :meth:`t` gives it."""
        if isinstance(value, str):
            return self.t(value)
        if isinstance(value, list | tuple):
            return type(value)(self.deep(v) for v in value)
        if isinstance(value, dict):
            return {self.deep(k): self.deep(v) for k, v in value.items()}
        return value
