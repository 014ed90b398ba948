"""The built-in stage models: ``six_stage`` (六阶段, default) and ``dragon_six`` (摧龙六式)."""

from __future__ import annotations

from kam.api import Pipeline, Stage, Task

SIX_STAGE = Pipeline(
    key="six_stage",
    zh="六阶段",
    en="six-stage",
    won_after="negotiation",
    stages=(
        Stage(
            "development", "客户开发", "development", 10,
            key_node_zh="项目信息准确：BANT完整、客户已分级、关键评估要素已记录",
            key_node_en="accurate project information: BANT complete, customer graded, "
            "key evaluation elements recorded",
            customer_step_zh="内部需求和立项", customer_step_en="internal need and initiation",
            tasks=(
                Task("find_leads", "线索寻找", "find leads and project information channels"),
                Task("evaluate", "评估销售机会", "evaluate the opportunity"),
                Task("strategy_fit", "战略、市场与产品方向匹配", "check strategy and product fit"),
                Task("grade_customer", "客户分级并填写大客户跟进表", "grade the customer, fill "
                     "the key-account follow-up form"),
                Task("update_list", "更新大客户名单与分配", "update the key-account list"),
            ),
        ),
        Stage(
            "initiation", "立项", "initiation", 20,
            key_node_zh="售前立项报告完整；重要性已分级；I/VI 已获管理层批准",
            key_node_en="initiation report complete; importance graded; I/VI approved",
            customer_step_zh="供应商调查筛选", customer_step_en="supplier survey",
            tasks=(
                Task("reach_decision_maker", "了解关键评估标准并接触决策者",
                     "learn the evaluation criteria and reach the decision maker"),
                Task("initiation_report", "提交立项报告", "submit the initiation report"),
                Task("marketing_plan", "市场计划与策略", "marketing plan and tactics"),
                Task("action_plan", "销售行动计划表/项目跟踪表",
                     "sales action plan and tracking sheet"),
                Task("executive_plan", "客户高层维护计划", "executive relationship plan"),
            ),
        ),
        Stage(
            "proposal", "提案", "proposal", 40,
            key_node_zh="关系有效推进：决策链中已识别决策者和向导；已提交方案/演示；已影响采购标准",
            key_node_en="decision maker and coach identified; proposal or demo delivered; "
            "purchase standard influenced",
            customer_step_zh="制定采购标准", customer_step_en="set purchase criteria",
            tasks=(
                Task("demo", "演示、公司与样板参观", "demos, company and reference visits"),
                Task("written_proposal", "提交建议书", "written proposal"),
                Task("review_report", "复核立项报告", "review the initiation report again"),
                Task("influence_criteria", "影响决策者与专家对采购标准的看法",
                     "influence the purchase criteria", required=True),
                Task("resolve_objections", "解除异议", "resolve objections"),
                Task("prepare_bid", "准备投标", "prepare the bid"),
            ),
        ),
        Stage(
            "bidding", "招投标", "bidding", 60,
            key_node_zh="投标或议标并中标；毛利检查通过",
            key_node_en="bid submitted or negotiated and won; margin check passed",
            customer_step_zh="招标评估", customer_step_en="tender evaluation",
            tasks=(
                Task("competitor_analysis", "竞争对手分析", "competitor analysis"),
                Task("margin_analysis", "成本与毛利分析", "cost and margin analysis"),
                Task("bid_strategy", "投标策略会", "bid strategy meeting, owners and schedule"),
                Task("bid_review", "标书分阶段评审", "staged review of the bid document"),
                Task("presentation", "讲标与答疑", "presenters and Q&A"),
                Task("price_approval", "投标报价决策与审批", "bid price decision and approval"),
                Task("stage_summary", "阶段总结报告", "stage summary report"),
            ),
        ),
        Stage(
            "negotiation", "商务谈判", "negotiation", 80,
            key_node_zh="合同审批和合同签订", key_node_en="contract approved and signed",
            customer_step_zh="考察供应商", customer_step_en="supplier visit",
            tasks=(
                Task("contract_review", "合同评审", "contract review"),
                Task("deviation_confirmed", "偏离报价/标书经销售经理确认",
                     "deviations from the quote confirmed by the sales manager"),
                Task("contract_approval", "合同审批", "contract approval"),
                Task("sign", "签订合同", "sign the contract"),
                Task("collect_advance", "催收预付款", "collect the advance"),
                Task("project_review", "项目总结与回顾", "project review"),
                Task("hand_documents", "文件移交销管中心",
                     "hand documents to sales administration"),
                # the work items of the eight-step process's step 8 (签约成交)
                Task("signing_ceremony", "签约仪式", "signing ceremony"),
                Task("supervise_execution", "监督执行", "supervise execution"),
                Task("early_order", "确认是否提前订货", "confirm whether to order in advance"),
                Task("delivery_done", "交货完成", "delivery completed"),
            ),
        ),
        Stage(
            "implementation", "工程实施", "implementation", 100,
            key_node_zh="工程验收和项目结项", key_node_en="acceptance done and project closed",
            customer_step_zh="签订合作协议", customer_step_en="sign the agreement",
            tasks=(
                Task("handover", "售前与实施交接", "presales-to-implementation handover"),
                Task("team", "实施团队与项目经理", "implementation team and project manager"),
                Task("implementation_plan", "实施计划", "implementation plan"),
                Task("collect_payments", "按合同回款", "collect payments per the contract"),
                Task("acceptance", "验收与结项", "acceptance and closure"),
            ),
        ),
    ),
)

DRAGON_SIX = Pipeline(
    key="dragon_six",
    zh="摧龙六式",
    en="dragon six",
    won_after="win_commitment",
    stages=(
        Stage(
            "customer_analysis", "客户分析", "customer analysis", 10,
            key_node_zh="找到明确的销售机会", key_node_en="a clear sales opportunity found",
            tasks=(
                Task("develop_guide", "发展向导", "develop an inside guide"),
                Task("collect_background", "收集背景、使用、组织、个人与竞争信息",
                     "collect background, usage, organisation and competitor information"),
                Task("analyse_organisation", "分析组织结构", "analyse the organisation"),
            ),
        ),
        Stage("build_trust", "建立信任", "build trust", 25,
              key_node_zh="决策链中有支持者", key_node_en="a supporter in the decision chain",
              tasks=(Task("meet_decision_chain", "拜访决策链", "meet the decision chain"),)),
        Stage("dig_needs", "挖掘需求", "dig needs", 40,
              key_node_zh="需求已明确", key_node_en="the need is stated",
              tasks=(Task("spin", "SPIN 提问", "SPIN questioning"),)),
        Stage("present_value", "呈现价值", "present value", 60,
              key_node_zh="方案或演示已提交", key_node_en="proposal or demo delivered",
              tasks=(Task("value_proposal", "价值呈现", "present the value proposition"),)),
        Stage("win_commitment", "赢取承诺", "win commitment", 80,
              key_node_zh="合同签订", key_node_en="contract signed",
              tasks=(Task("commitment", "获得采购承诺", "win the purchase commitment"),)),
        Stage("follow_up_service", "跟进服务", "follow-up service", 100,
              key_node_zh="验收完成", key_node_en="acceptance done",
              tasks=(Task("service", "跟进服务与续单", "follow-up service and renewal"),)),
    ),
)
