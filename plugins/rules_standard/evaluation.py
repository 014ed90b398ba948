"""The standard opportunity evaluation model (商机评估模型) of 001: the project's factors
and the competition's, weighted to 100, each on a five-step scale."""

from __future__ import annotations

from decimal import Decimal

from kam.api import Criterion, EvaluationModel, Level

#: the five-step scale of the standard model
FIVE = (Level("5", 5, "很好", "very good"), Level("4", 4, "较好", "good"),
        Level("3", 3, "一般", "fair"), Level("2", 2, "较差", "poor"),
        Level("1", 1, "很差", "very poor"))


def _c(key: str, zh: str, en: str, weight: int, group: str) -> Criterion:
    return Criterion(key, zh, en, Decimal(weight), FIVE, group)


#: 001's factors: the project (项目等级、资金状况、技术要求、客情关系、客户信誉) and the
#: competition (产品、价格、技术方案、售后服务), weights adding up to 100
STANDARD = EvaluationModel("standard", "标准评估模型", "standard evaluation", (
    _c("project_grade", "项目等级", "project grade", 15, "project"),
    _c("funding", "资金状况", "funding", 15, "project"),
    _c("technical", "技术要求", "technical requirements", 10, "project"),
    _c("relationship", "客情关系", "customer relationship", 15, "project"),
    _c("credit", "客户信誉", "customer credit", 10, "project"),
    _c("product", "产品", "product", 10, "competition"),
    _c("price", "价格", "price", 10, "competition"),
    _c("solution", "技术方案", "technical solution", 10, "competition"),
    _c("service", "售后服务", "after-sales service", 5, "competition"),
))
