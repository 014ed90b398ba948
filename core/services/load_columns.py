"""Which column of a team's file is which field, and which word is which value.

Headers match a field by its name, its zh and en labels (declared once, in kam.kinds),
the synonyms below that other tools and spreadsheets use, a preset's own names
(``--preset salesforce|odoo|kam``) and the user's ``--map HEADER=field``. Enumerated
values match by key or label (kam.vocab), a stage by key or label, and a preset's or
the user's ``--map-value FIELD:WORD=VALUE``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kam.errors import InputError
from kam.kinds import KINDS

#: the kinds ``kam load`` takes, by the words a user may type
KIND_WORDS = {
    "customer": "customer", "customers": "customer", "客户": "customer",
    "contact": "contact", "contacts": "contact", "联系人": "contact",
    "lead": "lead", "leads": "lead", "线索": "lead",
    "opportunity": "opportunity", "opportunities": "opportunity", "opp": "opportunity",
    "opps": "opportunity", "deals": "opportunity", "商机": "opportunity",
    "activity": "activity", "activities": "activity", "拜访": "activity",
    "target": "target", "targets": "target", "目标": "target",
    "contract": "contract", "contracts": "contract", "合同": "contract",
    "payment": "payment", "payments": "payment", "回款": "payment",
}

#: columns that are no stored field but name one: a contact's first and last names,
#: an activity's deal; ``-`` ignores a column
PSEUDO = {"first_name", "last_name", "paid", "paid_on", "-"}

#: what other tools and spreadsheets call a field, per kind (normalised, see ``norm``)
SYNONYMS: dict[str, dict[str, str]] = {
    "customer": {
        "公司名称": "name", "单位名称": "name", "客户": "name", "account": "name",
        "accountname": "name", "company": "name", "companyname": "name",
        "customername": "name", "客户等级": "grade", "级别": "grade", "所属行业": "industry",
        "地区": "region", "省份": "region", "所在地区": "region", "城市": "region",
        "客户经理": "owner", "销售": "owner", "accountowner": "owner",
    },
    "contact": {
        "联系人": "name", "联系人姓名": "name", "contactname": "name", "fullname": "name",
        "职位": "title", "jobtitle": "title", "所属客户": "customer_id", "客户": "customer_id",
        "客户名称": "customer_id", "公司": "customer_id", "公司名称": "customer_id",
        "customer": "customer_id",
        "account": "customer_id", "accountname": "customer_id", "company": "customer_id",
        "手机": "phone", "手机号": "phone", "mobile": "phone", "邮件": "email",
        "firstname": "first_name", "名": "first_name", "lastname": "last_name",
        "姓": "last_name",
    },
    "lead": {
        "线索名称": "title", "线索": "title", "name": "title", "客户": "customer_id",
        "客户名称": "customer_id", "account": "customer_id", "accountname": "customer_id",
        "company": "customer_id", "customer": "customer_id", "leadsource": "source",
        "线索来源": "source", "leadstatus": "status",
    },
    "opportunity": {
        "商机名称": "title", "项目": "title", "opportunity": "title",
        "opportunityname": "title", "dealname": "title", "name": "title",
        "客户": "customer_id", "客户名称": "customer_id", "account": "customer_id",
        "accountname": "customer_id", "customer": "customer_id", "company": "customer_id",
        "金额": "amount", "预计金额": "amount", "合同金额": "amount",
        "expectedrevenue": "amount", "预计签单日期": "close_date",
        "预计签约": "close_date", "closedate": "close_date", "expectedclosing": "close_date",
        "阶段": "stage", "销售阶段": "stage", "负责人": "owner", "销售": "owner",
        "opportunityowner": "owner", "salesperson": "owner", "币种": "currency",
        "opportunitycurrency": "currency", "description": "need", "商机编号": "number",
        "项目编号": "number",
    },
    "activity": {
        "拜访日期": "date", "日期": "date", "活动类型": "type", "拜访类型": "type",
        "客户": "customer_id", "客户名称": "customer_id", "account": "customer_id",
        "accountname": "customer_id", "customer": "customer_id", "商机": "opportunity_id",
        "项目": "opportunity_id", "opportunity": "opportunity_id", "内容": "note",
        "拜访内容": "note", "subject": "note", "description": "note", "下一步计划": "next_step",
    },
    "contract": {
        "合同编号": "number", "合同号": "number", "contractnumber": "number",
        "合同名称": "title", "contractname": "title", "客户": "customer_id",
        "客户名称": "customer_id", "customer": "customer_id", "account": "customer_id",
        "accountname": "customer_id", "商机": "opportunity_id", "项目": "opportunity_id",
        "opportunity": "opportunity_id", "合同金额": "amount", "金额": "amount",
        "签约日期": "signed_on", "签订日期": "signed_on", "signeddate": "signed_on",
        "付款方式": "plan", "付款计划": "plan", "已回款": "paid", "回款金额": "paid",
        "已回款金额": "paid", "amountpaid": "paid", "paid": "paid", "回款日期": "paid_on",
        "最近回款日期": "paid_on", "paidon": "paid_on", "到货日期": "delivered_on",
        "验收日期": "final_accepted_on", "终验日期": "final_accepted_on",
        "服务到期日": "service_end", "销售": "owner",
    },
    "payment": {
        "合同编号": "contract_id", "合同号": "contract_id", "合同": "contract_id",
        "contract": "contract_id", "contractnumber": "contract_id", "回款金额": "amount",
        "金额": "amount", "收款金额": "amount", "回款日期": "date", "收款日期": "date",
        "到账日期": "date", "凭证号": "ref", "流水号": "ref", "银行流水号": "ref",
        "reference": "ref", "备注": "note",
    },
    "target": {
        "销售": "owner", "目标": "amount", "目标金额": "amount", "target": "amount",
        "月份": "period", "季度": "period", "年度": "period",
    },
}


@dataclass(frozen=True)
class Preset:
    """The column names and values of a tool teams come from."""

    name: str
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    #: field → {word: value}; a stage word may be ``@won``/``@lost`` (a closed deal)
    values: dict[str, dict[str, str]] = field(default_factory=dict)


PRESETS: dict[str, Preset] = {
    # Salesforce report and Data Loader exports (Accounts, Contacts, Opportunities)
    "salesforce": Preset("salesforce", {
        "customer": {"billingstate/province": "region", "billingstateprovince": "region",
                     "billingcity": "-", "type": "-", "annualrevenue": "-",
                     "website": "-", "phone": "-", "description": "scope"},
        "contact": {"mailingcity": "-", "department": "-", "description": "note"},
        "opportunity": {"probability": "-", "type": "category", "leadsource": "-",
                        "nextstep": "-", "fiscalperiod": "-", "createddate": "-"},
    }, {"stage": {
        "prospecting": "development", "qualification": "development",
        "needsanalysis": "initiation", "valueproposition": "proposal",
        "id.decisionmakers": "proposal", "iddecisionmakers": "proposal",
        "perceptionanalysis": "proposal", "proposal/pricequote": "bidding",
        "proposalpricequote": "bidding", "negotiation/review": "negotiation",
        "negotiationreview": "negotiation", "closedwon": "@won", "closedlost": "@lost",
    }}),
    # Odoo CRM (crm.lead) exports, by field label or technical name
    "odoo": Preset("odoo", {
        "opportunity": {"partner_id": "customer_id", "partnerid": "customer_id",
                        "expected_revenue": "amount", "date_deadline": "close_date",
                        "datedeadline": "close_date", "stage_id": "stage",
                        "stageid": "stage", "user_id": "owner", "userid": "owner",
                        "probability": "-", "salesteam": "-", "team_id": "-",
                        "priority": "-", "tags": "-", "email": "-", "phone": "-"},
        "customer": {"city": "region", "email": "-", "phone": "-", "website": "-",
                     "salesperson": "owner", "user_id": "owner"},
        "contact": {"company": "customer_id", "parent_id": "customer_id",
                    "jobposition": "title", "function": "title"},
    }, {"stage": {"new": "development", "qualified": "initiation",
                  "proposition": "proposal", "won": "@won", "lost": "@lost"}}),
    # kam's own template and exports: labels and field names, nothing more
    "kam": Preset("kam"),
}

_PUNCT = re.compile(r"[\s_\-*:：()（）%·.。,，'\"]+")


def norm(text: str) -> str:
    """Header and value text as compared: case and spacing and punctuation folded."""
    return _PUNCT.sub("", str(text)).casefold()


def kind_of(word: str) -> str:
    found = KIND_WORDS.get(word.strip().casefold())
    if found is None:
        raise InputError(f"KIND: {word!r} is not loadable; use one of: customers, "
                         "contacts, leads, opportunities, activities, targets, contracts, "
                         "payments")
    return found


def _header_index(kind: str, preset: Preset | None) -> dict[str, str]:
    """Normalised header → field: names, zh/zh-Hant/en labels, synonyms, the preset's."""
    from kam.i18n import hant

    declared = KINDS[kind]
    index: dict[str, str] = {}
    for f in declared.fields:
        for text in (f.name, f.label[0], hant(f.label[0]), f.label[1]):
            index.setdefault(norm(text), f.name)
    for source in (SYNONYMS.get(kind, {}), (preset.headers.get(kind, {}) if preset else {})):
        index.update({norm(k): v for k, v in source.items()})
        index.update({norm(hant(k)): v for k, v in source.items()})
    return index


@dataclass
class Column:
    index: int
    header: str
    field: str | None
    how: str


def map_columns(kind: str, headers: list[list[str]], explicit: dict[str, str],
                preset: Preset | None) -> list[Column]:
    """Each column's field (``None``: ignored); a header named twice, or a ``--map`` to
    an unknown field, is refused."""
    declared = KINDS[kind]
    for header, name in explicit.items():
        if name not in declared.names and name not in PSEUDO:
            raise InputError(f"--map {header}={name}: {kind} has no field {name!r}")
    wanted = {norm(h): f for h, f in explicit.items()}
    index = _header_index(kind, preset)
    out: list[Column] = []
    seen: dict[str, str] = {}
    for i, texts in enumerate(headers):
        shown = " / ".join(texts)
        candidates = [texts[-1], "".join(texts), texts[0]] if texts else []
        target: str | None = None
        how = "no field by that name"
        for text in candidates:
            if norm(text) in wanted:
                target, how = wanted[norm(text)], "--map"
                break
        else:
            for text in candidates:
                if norm(text) in index:
                    target, how = index[norm(text)], "matched"
                    break
        if target == "-":
            target, how = None, "ignored"
        if target is not None:
            if target in seen:
                raise InputError(f"columns {seen[target]!r} and {shown!r} are both "
                                 f"{kind}.{target}; --map one of them to another field or -")
            seen[target] = shown
        out.append(Column(i, shown, target, how))
    return out


def parse_pairs(option: str, pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        left, sep, right = pair.rpartition("=")
        if not sep or not left.strip() or not right.strip():
            raise InputError(f"{option}: {pair!r} must look like NAME=VALUE")
        out[left.strip()] = right.strip()
    return out


def value_maps(pairs: list[str], preset: Preset | None) -> dict[str, dict[str, str]]:
    """``--map-value FIELD:WORD=VALUE`` over the preset's own, by normalised word."""
    out = {f: dict(words) for f, words in (preset.values if preset else {}).items()}
    for left, value in parse_pairs("--map-value", pairs).items():
        name, sep, word = left.partition(":")
        if not sep or not word.strip():
            raise InputError(f"--map-value: {left}={value!r} must look like FIELD:WORD=VALUE")
        out.setdefault(name.strip(), {})[norm(word)] = value
    return out
