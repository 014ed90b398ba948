"""The domain's enumerations: stable English keys with Chinese and English labels.

Keys are what the CLI, JSON, CSV, the database and plugins use; labels are shown
when the language is ``zh``/``en``. Input accepts a key or either label.
"""

from __future__ import annotations

from kam.errors import InputError

Labels = dict[str, tuple[str, str]]  # key -> (zh, en)

VOCAB: dict[str, Labels] = {
    "grade": {"A": ("A级", "A"), "B": ("B级", "B"), "C": ("C级", "C"), "D": ("D级", "D")},
    "matrix": {
        "core": ("核心客户", "core"),
        "growth": ("成长客户", "growth"),
        "traction": ("牵引客户", "traction"),
        "problem": ("问题客户", "problem"),
    },
    "purchase_type": {
        "continuous": ("持续购买", "continuous"),
        "occasional": ("偶发购买", "occasional"),
    },
    "relationship": {
        "acquainted": ("认识", "acquainted"),
        "dating": ("约会", "dating"),
        "trust": ("信任", "trust"),
        "alliance": ("联盟", "alliance"),
    },
    "flag_type": {
        "spend_anomaly": ("过高/过低消费", "spend anomaly"),
        "behaviour_change": ("行为变化异常", "behaviour change"),
        "low_credit": ("信用度很低", "low credit"),
        "churn_risk": ("客户流失", "churn risk"),
    },
    "flag_decision": {
        "confirmed": ("确认异常", "confirmed"),
        "cleared": ("解除", "cleared"),
    },
    "role": {
        "decision_maker": ("决策者", "decision maker"),
        "selector": ("选型者", "selector"),
        "purchaser": ("采购者", "purchaser"),
        "user": ("使用者", "user"),
        "evaluator": ("评估者", "evaluator"),
        "acceptor": ("验收者", "acceptor"),
        # the delivery phase's decision chain (002): who signs off payment and acceptance
        "finance": ("财务", "finance"),
        "supply_chain": ("供应链", "supply chain"),
        "quality": ("质量", "quality"),
        "supervisor": ("监理方", "supervisor (third party)"),
    },
    # 004: 组织/关键/普遍客户关系 — the tier of our relationship with a contact
    "relationship_tier": {
        "organizational": ("组织关系", "organizational"),
        "key": ("关键关系", "key"),
        "general": ("普遍关系", "general"),
    },
    "coach": {
        "none": ("无", "none"),
        "intel": ("提供信息", "intel"),
        "advise": ("提供建议", "advise"),
        "intervene": ("影响决策", "intervene"),
    },
    "stance": {
        "supporter": ("支持", "supporter"),
        "neutral": ("中立", "neutral"),
        "opponent": ("反对", "opponent"),
    },
    "style": {
        "controller": ("控制型", "controller"),
        "analyzer": ("分析型", "analyzer"),
        "promoter": ("创议型", "promoter"),
        "supporter_style": ("平和型", "supporter"),
    },
    "level": {
        "operational": ("操作层", "operational"),
        "management": ("管理层", "management"),
        "executive": ("决策层", "executive"),
    },
    # 铁三角: a deal team member's role, and the line (客户线/产品线/交付线) it belongs to
    # (kam.models.deal_team.LINE_OF)
    "deal_role": {
        "owner": ("销售负责人", "owner"),
        "account_manager": ("客户经理", "account manager"),
        "presales": ("售前", "presales"),
        "product": ("产品经理", "product manager"),
        "delivery": ("交付经理", "delivery manager"),
        "finance": ("财务", "finance"),
    },
    "deal_line": {
        "customer": ("客户线", "customer line"),
        "product": ("产品线", "product line"),
        "delivery": ("交付线", "delivery line"),
    },
    # 003: why a payment milestone is late (催收说明), recorded with kam receivable note
    "collection_reason": {
        "eager_signing": ("签单心切", "eager signing"),
        "dissatisfied": ("客户不满意", "customer dissatisfied"),
        "changed_mind": ("客户改变主意", "customer changed mind"),
        "cash_trouble": ("短期资金困难", "short-term cash trouble"),
        "approval_pending": ("付款审批中", "payment approval pending"),
        "acceptance_dispute": ("验收争议", "acceptance dispute"),
        "invoice_missing": ("发票未到", "invoice not received"),
        "contact_changed": ("对接人变动", "contact person changed"),
        "other": ("其他", "other"),
    },
    # 004: a concession in negotiation, given by us or received from the customer
    "concession_direction": {
        "given": ("我方让步", "given"),
        "received": ("对方让步", "received"),
    },
    # 002: the trial (试用体验/POC) before bidding
    "trial_result": {
        "pending": ("进行中", "pending"),
        "passed": ("通过", "passed"),
        "failed": ("未通过", "failed"),
    },
    # 招投标评分表: our own row among the bidders (competitors go by their names)
    "tender_bidder": {
        "us": ("我方", "us"),
    },
    "lead_status": {
        "open": ("跟进中", "open"),
        "converted": ("已转商机", "converted"),
        "dropped": ("已放弃", "dropped"),
    },
    "importance": {
        "N": ("一般", "normal"),
        "I": ("重要", "important"),
        "VI": ("非常重要", "very important"),
        "NI": ("不重要", "not important"),
    },
    "forecast_category": {
        "pipeline": ("管道", "pipeline"),
        "best_case": ("最佳情况", "best case"),
        "commit": ("承诺", "commit"),
        "closed": ("已成交", "closed"),
        "omitted": ("忽略", "omitted"),
    },
    "opp_status": {
        "open": ("进行中", "open"),
        "won": ("赢单", "won"),
        "lost": ("丢单", "lost"),
        "abandoned": ("结项", "abandoned"),
    },
    "bid_result": {
        "pending": ("待定", "pending"),
        "won": ("中标", "won"),
        "lost": ("未中标", "lost"),
    },
    "activity_type": {
        "visit": ("拜访", "visit"),
        "call": ("电话", "call"),
        "meeting": ("会议", "meeting"),
        "demo": ("演示", "demo"),
        "proposal": ("建议书", "proposal"),
        "bid": ("投标", "bid"),
        "negotiation": ("谈判", "negotiation"),
        "service": ("服务", "service"),
        "other": ("其他", "other"),
    },
    "outcome": {
        "order": ("订单", "order"),
        "advance": ("有进展", "advance"),
        "continuance": ("暂时中断", "continuance"),
        "no_sale": ("无订单", "no sale"),
    },
    # 003: buying signals seen on a call, and the closing method tried (成交方法)
    "buying_signal": {
        "bargaining": ("讨价还价", "bargaining"),
        "asks_timing": ("询问交货/实施时间", "asks about timing"),
        "asks_results": ("询问效果/案例", "asks about results"),
        "asks_payment": ("询问付款方式", "asks about payment terms"),
        "asks_service": ("询问售后服务", "asks about service"),
        "involves_others": ("请同事/上级参与", "brings in colleagues"),
    },
    "closing_method": {
        "direct": ("直接请求成交", "direct request"),
        "assumptive": ("假定成交", "assumptive close"),
        "alternative": ("选择成交", "alternative choice"),
        "concession": ("优惠成交", "concession close"),
        "urgency": ("最后机会", "last chance"),
        "summary": ("总结利益成交", "summary of benefits"),
        "trial": ("试用成交", "trial close"),
    },
    "severity": {"block": ("阻止", "block"), "warn": ("警告", "warn"), "info": ("提示", "info")},
    "contract_status": {
        "draft": ("草稿", "draft"),
        "in_review": ("评审中", "in review"),
        "approved": ("已审批", "approved"),
        "signed": ("已签订", "signed"),
        "executing": ("执行中", "executing"),
        "closed": ("已结项", "closed"),
        "terminated": ("已终止", "terminated"),
    },
    "milestone_kind": {
        "down_payment": ("首付款", "down payment"),
        "on_delivery": ("到货款", "on delivery"),
        "on_acceptance": ("验收款", "on acceptance"),
        "warranty": ("质保金", "warranty"),
        "fixed_date": ("固定日期", "fixed date"),
    },
    "receivable_state": {
        "scheduled": ("待触发", "scheduled"),
        "due": ("应收", "due"),
        "overdue": ("逾期", "overdue"),
        "partially_paid": ("部分回款", "partially paid"),
        "paid": ("已回款", "paid"),
        "written_off": ("已核销", "written off"),
    },
    "attachment_kind": {
        "contract": ("合同原件", "signed contract"),
        "configuration": ("最终配置清单", "final configuration list"),
        "bid": ("投标文件", "bid documents"),
        "delivery_note": ("到货签收单", "delivery note"),
        "acceptance": ("验收证书", "acceptance certificate"),
        "other": ("其他", "other"),
    },
    "acceptance_stage": {"initial": ("初验", "initial"), "final": ("终验", "final")},
    "approval_decision": {"approved": ("同意", "approved"), "rejected": ("驳回", "rejected")},
    # after-sales service (客户服务)
    "service_type": {
        "paid": ("有偿服务", "paid"),
        "contract": ("合同服务", "under contract"),
        "free": ("免费服务", "free"),
        "internal": ("内务", "internal"),
    },
    "satisfaction": {
        "very_satisfied": ("非常满意", "very satisfied"),
        "satisfied": ("满意", "satisfied"),
        "average": ("一般", "average"),
        "poor": ("较差", "poor"),
    },
    "complaint_severity": {
        "minor": ("轻微", "minor"),
        "normal": ("一般", "normal"),
        "serious": ("严重", "serious"),
    },
    "complaint_status": {
        "open": ("待处理", "open"),
        "replied": ("已答复", "replied"),
        "escalated": ("已升级", "escalated"),
        "closed": ("已关闭", "closed"),
    },
    "expense_type": {
        "travel": ("差旅费", "travel"),
        "entertainment": ("招待费", "entertainment"),
        "presales_engineering": ("售前技术支持", "presales engineering"),
        "bid_fees": ("投标费用", "bid fees"),
        "samples": ("样机测试", "samples and tests"),
        "gifts": ("礼品", "gifts"),
        "other": ("其他费用", "other"),
    },
    "cost_stage": {
        "estimate": ("概算", "estimate"),
        "budget": ("预算", "budget"),
        "actual": ("核算", "actual"),
        "final": ("决算", "final"),
    },
    "cost_category": {
        "hardware": ("硬件设备", "hardware"),
        "software": ("软件", "software"),
        "labour": ("实施人工", "labour"),
        "subcontract": ("外包服务", "subcontract"),
        "logistics": ("物流运输", "logistics"),
        "travel": ("差旅", "travel"),
        "warranty": ("质保服务", "warranty"),
        "tax": ("税金及附加", "taxes"),
        "other": ("其他成本", "other"),
    },
    "delivery_status": {
        "requested": ("已申请", "requested"),
        "approved": ("已审核", "approved"),
        "rejected": ("已驳回", "rejected"),
        "shipped": ("已出库", "shipped"),
        "confirmed": ("客户已确认", "confirmed"),
    },
    "payment_status": {
        "requested": ("待财务确认", "requested"),
        "confirmed": ("财务已确认", "confirmed"),
    },
    "invoice_status": {
        "requested": ("待审批", "requested"),
        "rejected": ("已驳回", "rejected"),
        "issued": ("已开票", "issued"),
    },
    # what commands report, not record fields: contract verify, kam load, events, plugins
    "attachment_status": {
        "ok": ("正常", "ok"),
        "changed": ("已被改动", "changed"),
        "missing": ("文件缺失", "missing"),
    },
    "load_action": {
        "create": ("新建", "create"),
        "update": ("更新", "update"),
        "unchanged": ("无变化", "unchanged"),
        "skip": ("跳过", "skip"),
        "refuse": ("拒绝", "refuse"),
    },
    "outbox_status": {
        "pending": ("待投递", "pending"),
        "delivered": ("已投递", "delivered"),
        "dead": ("已放弃投递", "dead"),
    },
    "approval_role": {  # who approves a contract or a project (kam.toml [roles])
        "sales_manager": ("销售经理", "sales manager"),
        "sales_director": ("销售总监", "sales director"),
        "general_manager": ("总经理", "general manager"),
        "finance": ("财务", "finance"),
        "management": ("管理层", "management"),
    },
    "doctor_check": {
        "integrity": ("存储完整性", "integrity"),
        "references": ("引用", "references"),
        "money": ("金额", "money"),
        "events": ("事件覆盖", "events"),
        "attachments": ("附件", "attachments"),
        "contract_money": ("合同金额", "contract_money"),
        "config": ("配置", "config"),
        "deliveries": ("事件投递", "deliveries"),
    },
    "plugin_source": {
        "built-in": ("内置", "built-in"),
        "package": ("安装包", "package"),
        "file": ("本地文件", "file"),
    },
    "plugin_status": {
        "loaded": ("已加载", "loaded"),
        "failed": ("加载失败", "failed"),
        "missing": ("未安装", "missing"),
        "disabled": ("已停用", "disabled"),
    },
    "adjustment_status": {
        "pending": ("待审批", "pending"),
        "approved": ("已批准", "approved"),
        "rejected": ("已驳回", "rejected"),
    },
}

#: More words input accepts for a key, beside the key and its labels: the letters and
#: short words the trade uses (服务类型 A–D: 有偿 A, 合同 B, 免费 C, 内务 D).
ALIASES: dict[str, dict[str, str]] = {
    "service_type": {"a": "paid", "b": "contract", "c": "free", "d": "internal",
                     "有偿": "paid", "合同": "contract", "免费": "free"},
}


def parse(vocab: str, value: str) -> str:
    """Return the key for a key or label of ``vocab``; unknown values are bad input (exit 2)."""
    labels = VOCAB[vocab]
    text = str(value).strip()
    if text in labels:
        return text
    folded = text.casefold()
    for key, (zh, en) in labels.items():
        if folded in (key.casefold(), zh.casefold(), en.casefold()):
            return key
    alias = ALIASES.get(vocab, {}).get(folded)
    if alias is not None:
        return alias
    from kam.i18n import simplified  # a Traditional label (商務談判) is the same word

    plain = simplified(text)
    for key, (zh, _en) in labels.items():
        if plain == zh:
            return key
    if plain in ALIASES.get(vocab, {}):
        return ALIASES[vocab][plain]
    allowed = ", ".join(labels)
    if vocab in ALIASES:
        allowed += " (or " + ", ".join(a.upper() if a.isascii() else a
                                       for a in ALIASES[vocab]) + ")"
    raise InputError(f"unknown {vocab} {value!r}; use one of: {allowed}")


def label(vocab: str, key: str | None, lang: str = "en") -> str:
    if key is None:
        return ""
    zh_en = VOCAB.get(vocab, {}).get(key)
    if zh_en is None:
        return key
    from kam.i18n import pick

    return pick(lang, zh_en[0], key)
