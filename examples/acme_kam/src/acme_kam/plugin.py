"""Acme's hooks. Only kam's public API, ``kam.api``, is used: hookimpl, findings, the
pipeline and report dataclasses, and the workspace passed in."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kam.api import Pipeline, Stage, Task, block, hookimpl, warn

if TYPE_CHECKING:  # names only for annotations: they load nothing at run time
    from kam.api import (
        Contract,
        Customer,
        Event,
        Finding,
        Lead,
        Opportunity,
        RegisterConfig,
        RegisterField,
        RegisterPipeline,
        RegisterReport,
        Report,
        Workspace,
    )

__version__ = "1.0.0"

ACME_FIVE = Pipeline(
    key="acme_five",
    zh="制造业大客户五阶段",
    en="Acme five phases",
    won_after="close",
    stages=(
        Stage("target", "选择目标客户", "choose the target", 10,
              key_node_zh="潜在需求已确认", key_node_en="latent need confirmed",
              tasks=(Task("latent_need", "潜在需求", "latent need", required=True),)),
        Stage("samples", "样品与信息", "samples and information", 25,
              key_node_zh="内线已发展、样品已送、需求明确",
              key_node_en="inside contact, samples sent, need clear",
              tasks=(Task("inside_contact", "发展内线", "inside contact", required=True),
                     Task("samples_sent", "送样", "samples sent", required=True))),
        Stage("value", "价值评估", "value assessment", 45,
              tasks=(Task("obstacles", "成交障碍与预期费用", "obstacles and expected cost"),)),
        Stage("relationship", "关系建立", "relationship building", 70,
              tasks=(Task("key_decider", "接触关键决策人", "meet the key decision maker",
                          required=True),)),
        Stage("close", "成交", "close", 90,
              tasks=(Task("factory_audit", "考察/验厂", "factory audit", required=True),)),
    ),
)

#: Acme's own eight-step process (八步法): each step paired with the customer's purchase
#: step, a milestone and completion standard (key node) and its work items. Step 8,
#: 签约成交, is the methodology's own: its start condition, completion standard and work
#: items; steps 1-7 are Acme's.
ACME_EIGHT = Pipeline(
    key="acme_eight",
    zh="八步法",
    en="Acme eight steps",
    won_after="sign",
    stages=(
        Stage("lead", "线索获取", "find the lead", 5,
              key_node_zh="客户需求线索已登记、客户已分级",
              key_node_en="the need is logged and the customer graded",
              customer_step_zh="发现问题", customer_step_en="problem recognised",
              tasks=(Task("log_lead", "登记线索", "log the lead", required=True),
                     Task("grade", "客户分级", "grade the customer"))),
        Stage("visit", "初次拜访", "first visit", 10,
              key_node_zh="已见到使用部门负责人", key_node_en="met the user department head",
              customer_step_zh="内部酝酿", customer_step_en="internal discussion",
              tasks=(Task("first_visit", "首次拜访", "first visit", required=True),)),
        Stage("survey", "需求调研", "needs survey", 20,
              key_node_zh="需求调研报告经客户确认", key_node_en="needs report confirmed by "
              "the customer",
              customer_step_zh="需求确认", customer_step_en="need confirmed",
              tasks=(Task("survey_report", "需求调研报告", "needs survey report",
                          required=True),
                     Task("line_audit", "现场产线勘查", "on-site line survey"))),
        Stage("solution", "方案设计", "solution design", 35,
              key_node_zh="技术方案通过客户技术评审", key_node_en="the solution passed the "
              "customer's technical review",
              customer_step_zh="制定采购标准", customer_step_en="set purchase criteria",
              tasks=(Task("solution", "技术方案", "technical solution", required=True),
                     Task("influence_spec", "影响技术规格", "influence the specification"))),
        Stage("demo", "技术交流与考察", "exchange and visits", 50,
              key_node_zh="客户高层完成样板线考察", key_node_en="the customer's executives "
              "visited a reference line",
              customer_step_zh="评估供应商", customer_step_en="evaluate suppliers",
              tasks=(Task("reference_visit", "样板线考察", "reference line visit",
                          required=True),
                     Task("factory_audit", "验厂", "factory audit"))),
        Stage("quote", "报价投标", "quote and bid", 65,
              key_node_zh="报价或标书已提交且毛利达标", key_node_en="quote or bid submitted at "
              "the margin floor",
              customer_step_zh="招标评标", customer_step_en="tender evaluation",
              tasks=(Task("cost_check", "成本与毛利核算", "cost and margin check",
                          required=True),
                     Task("bid_document", "标书/报价单", "bid document or quote"))),
        Stage("negotiate", "商务谈判", "negotiation", 80,
              key_node_zh="条款谈妥，签约时间地点已定", key_node_en="terms agreed, signing time "
              "and place set",
              customer_step_zh="商务谈判", customer_step_en="commercial negotiation",
              tasks=(Task("terms", "合同条款谈妥", "terms agreed", required=True),
                     Task("contract_review", "合同评审", "contract review"))),
        Stage("sign", "签约成交", "signing", 90,
              start_zh="条款已谈妥，签约时间、地点已确定",
              start_en="terms agreed, time and place of signing set",
              key_node_zh="合同签订，赢单", key_node_en="contract signed, deal won",
              customer_step_zh="签订合同", customer_step_en="sign the contract",
              tasks=(Task("signing_ceremony", "签约仪式", "signing ceremony"),
                     Task("supervise_execution", "监督执行", "supervise execution"),
                     Task("early_order", "确认是否提前订货",
                          "confirm whether to order in advance"),
                     Task("delivery_done", "交货完成", "delivery completed"))),
    ),
)

SAP_NO = re.compile(r"^P\d{8}$")


def _settings(ws: Workspace) -> dict[str, Any]:
    """The ``[acme]`` table of kam.toml, validated by :func:`kam_register_config`."""
    return ws.plugin_config("acme")


@hookimpl
def kam_register_config(register: RegisterConfig) -> None:
    from pydantic import BaseModel, Field  # here, not at import: kam --help stays fast

    class AcmeSettings(BaseModel):
        margin_floor: Decimal = Field(Decimal(15), ge=0, le=100)
        legal_review_above: Decimal = Field(Decimal(5_000_000), ge=0)

    register("acme", AcmeSettings)


@hookimpl
def kam_register_pipelines(register: RegisterPipeline) -> None:
    register(ACME_FIVE.key, ACME_FIVE)
    register(ACME_EIGHT.key, ACME_EIGHT)


@hookimpl
def kam_register_fields(register: RegisterField) -> None:
    def credit_days(text: str) -> int:
        value = int(text)
        if not 0 <= value <= 365:
            raise ValueError("credit days must be between 0 and 365")
        return value

    def sap_project_no(text: str) -> str:
        if not SAP_NO.match(text.strip()):
            raise ValueError("an SAP project number is P followed by 8 digits")
        return text.strip()

    register("customer", "credit_days", credit_days, "账期天数")
    register("opportunity", "sap_project_no", sap_project_no, "SAP 项目号")


@hookimpl(tryfirst=True)
def kam_stage_exit(ws: Workspace, opportunity: Opportunity, pipeline: Pipeline,
                   stage: str, target: str) -> list[Finding]:
    if pipeline.key != "six_stage":
        return []
    settings = _settings(ws)  # read first: a bad [acme] table refuses, never skips a rule
    found: list[Finding] = []
    if stage == "initiation" and not (opportunity.get("fields") or {}).get("sap_project_no"):
        found.append(block("acme_sap", "Acme: no SAP project number "
                           "(--field sap_project_no=P12345678)"))
    if stage == "bidding":
        floor = settings["margin_floor"]
        margin = opportunity.get("margin")
        if margin is not None and Decimal(margin) < floor:
            found.append(block("acme_margin", f"Acme: margin {margin}% is below {floor}%"))
    return found


@hookimpl(tryfirst=True)
def kam_qualify_lead(ws: Workspace, lead: Lead, customer: Customer) -> list[Finding]:
    open_flags = [f for f in customer.get("flags") or []
                  if f.get("type") == "low_credit" and not f.get("decision")]
    if open_flags:
        return [block("acme_credit", "Acme: customer flagged low_credit; finance must review")]
    if not lead.get("budget_amount"):
        return [warn("acme_budget", "Acme: no budget amount recorded")]
    return []


@hookimpl
def kam_required_approvals(ws: Workspace, contract: Contract) -> list[str]:
    limit = _settings(ws)["legal_review_above"]
    return ["legal"] if (contract.get("amount") or 0) > limit else []


@hookimpl
def kam_register_reports(register: RegisterReport) -> None:
    register("acme-big-deals", big_deals, "Acme: open deals of at least 1,000,000")


def big_deals(ws: Workspace, **_: Any) -> Report:
    from kam.api import Report, Table

    rows = [
        {"id": o["id"], "title": o["title"], "stage": o["stage"], "owner": o["owner"],
         "amount": o["amount"], "currency": o["currency"]}
        for o in ws.storage.find("opportunity", {"status": "open",
                                                 "amount__ge": Decimal("1000000")})
    ]
    table = Table("big_deals", ["id", "title", "stage", "owner", "amount", "currency"], rows)
    return Report("acme-big-deals", "Acme big deals", ws.today.isoformat(), [table])


@hookimpl
def kam_contract_event(ws: Workspace, contract: Contract, action: str, event: Event) -> None:
    if action != "signed":
        return
    line = {"event": event["id"], "contract": contract["id"], "number": contract.get("number"),
            "amount": str(contract.get("amount")), "currency": contract.get("currency")}
    with open(ws.path / "erp-outbox.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(line, ensure_ascii=False) + "\n")
