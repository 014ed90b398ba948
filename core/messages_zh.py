"""Simplified Chinese (zh) forms of the messages users read: English template →
Chinese template, a template being the message with its f-string placeholders as
written at the raise site (kam.message_sites reads them; kam.messages matches them).
Add an entry for each new message: ``python -m kam.message_sites`` prints stubs;
then ``python scripts/draft_messages_zh_hant.py > core/messages_zh_hant.py`` and review."""

# ruff: noqa: E501 - one message a line, however long

ZH: dict[str, str] = {
    # core/cli/__init__.py
    '{name!r} comes from plugin {name!r}, which failed to load: {error.error}':
        '{name!r} 来自插件 {name!r}，该插件加载失败：{error.error}',
    # core/cli/common.py
    "--format: {fmt!r} is not one of {', '.join(FORMATS + extra)}":
        "--format：{fmt!r} 不是以下之一：{', '.join(FORMATS + extra)}",
    # core/cli/report.py
    '--option: {pair!r} must look like key=value':
        '--option：{pair!r} 应写成 key=value',
    # core/cli/template.py
    'template: {kind!r} is not a template format; use xlsx':
        'template：{kind!r} 不是模板格式；请用 xlsx',
    # core/config.py
    "config key {key!r}: use letters, digits, '_' and '.'":
        "配置项 {key!r}：只能使用字母、数字、'_' 和 '.'",
    '{path}: {exc}':
        '{path}: {exc}',
    '{path}: cannot be read ({exc})':
        '{path}：无法读取（{exc}）',
    'no config key {key!r}':
        '没有配置项 {key!r}',
    'config key {key!r}: {part} is not a table':
        '配置项 {key!r}：{part} 不是表',
    '{text!r}: a list of strings or integers':
        '{text!r}：应为字符串或整数的列表',
    '{text!r} is not a list like ["a", "b"]':
        '{text!r} 不是形如 ["a", "b"] 的列表',
    # core/config_schema.py
    '{where}: {key} {problem}':
        '{where}: {key} {problem}',
    # core/custom_fields.py
    '--field: {pair!r} must look like key=value':
        '--field：{pair!r} 应写成 key=value',
    '--field {key}: {value} is not a number':
        '--field {key}：{value} 不是数字',
    "--field {key}: {str(exc).split(': ', 1)[-1]}":
        "--field {key}：{str(exc).split(': ', 1)[-1]}",
    '--field {key}: {exc}':
        '--field {key}：{exc}',
    '{spec.shown(name, ws.lang)} ({name}) is required from {stage} on (--field {name}=...)':
        '从{stage}阶段起必须填写 {spec.shown(name, ws.lang)}（{name}）（--field {name}=...）',
    # core/demo.py
    '{path} exists and is not an earlier kam demo; choose another --path':
        '{path} 已存在且不是之前生成的 kam 演示；请换一个 --path',
    # core/outbox.py
    'kam.toml events.{key}: {raw!r} must be a whole number of 1 or more':
        'kam.toml events.{key}：{raw!r} 必须是不小于 1 的整数',
    '--status: {status!r} is not one of pending, delivered, dead':
        '--status：{status!r} 不是 pending、delivered、dead 之一',
    '{error} ({then})':
        '{error}（{then}）',
    'event deliveries could not be recorded ({exc}); they stay pending and may be delivered again':
        '事件投递无法记录（{exc}）；它们仍为待投递，可能会再次投递',
    # core/periods.py
    'PERIOD: {text!r} must be a year (2026), a quarter (2026-Q1) or a month (2026-03)':
        'PERIOD：{text!r} 必须是年份（2026）、季度（2026-Q1）或月份（2026-03）',
    # core/pipeline.py
    'unknown stage {key!r} in pipeline {self.key}':
        '阶段模型 {self.key} 中没有阶段 {key!r}',
    "unknown stage {text!r}; {self.key} stages are: {', '.join((s.key for s in self.stages))}":
        "未知阶段 {text!r}；{self.key} 的阶段有：{', '.join((s.key for s in self.stages))}",
    'unknown checklist task {text!r} in pipeline {self.key}':
        '阶段模型 {self.key} 中没有检查项 {text!r}',
    # core/plugin_config.py
    "kam.toml [{name}]: the plugin's schema returned {type(out).__name__}, not a table":
        'kam.toml [{name}]：插件的配置模式返回了 {type(out).__name__}，而不是表',
    'kam.toml [{name}]: {exc}':
        'kam.toml [{name}]：{exc}',
    "kam.toml [{name}] {key}: {err['msg'].removeprefix('Value error, ')}":
        "kam.toml [{name}] {key}：{err['msg'].removeprefix('Value error, ')}",
    # core/plugin_manager.py
    'plugins folder {folder} does not exist':
        '插件目录 {folder} 不存在',
    # core/reports/cards.py
    'report opportunity needs an opportunity ID (kam report opportunity OP1)':
        '商机报表需要商机编号（kam report opportunity OP1）',
    'report account needs a customer ID (kam report account CU1)':
        '客户报表需要客户编号（kam report account CU1）',
    # core/reports/contracts.py
    '--buckets: {text!r} must be increasing whole days ≥ 1':
        '--buckets：{text!r} 必须是递增的整天数（≥ 1）',
    'report handover needs a contract ID (kam report handover CO1)':
        '交接单报表需要合同编号（kam report handover CO1）',
    '--days: must not be negative':
        '--days：不能为负数',
    '--buckets: {text!r} must be whole days like 30,60,90,180':
        '--buckets：{text!r} 必须是整天数，如 30,60,90,180',
    # core/reports/forecast.py
    '--by: {by!r} must be month, quarter or year':
        '--by：{by!r} 必须是 month、quarter 或 year',
    # core/services/activities.py
    '{record_id}: activities are logged on an opportunity (OP…), a lead (LD…) or a customer (CU…)':
        '{record_id}：活动记在商机（OP…）、线索（LD…）或客户（CU…）上',
    "--contact: {contact['id']} is not a contact of {links['customer_id']}":
        "--contact：{contact['id']} 不是 {links['customer_id']} 的联系人",
    "{CONTINUANCE_RUN} calls in a row on {record['opportunity_id']} ended in continuance (暂时中断): win a commitment on the next one":
        "{record['opportunity_id']} 已连续 {CONTINUANCE_RUN} 次拜访以暂时中断告终：下一次要争取到客户承诺",
    # core/services/admin.py
    '{path} is already a kam workspace':
        '{path} 已经是 kam 工作区',
    "--backend: unknown backend {cfg['backend']!r}; installed: {known}":
        "--backend：未知存储后端 {cfg['backend']!r}；已安装：{known}",
    '{path / kam_config.FILE}: {new[0][0]} {new[0][1]}':
        '{path / kam_config.FILE}：{new[0][0]} {new[0][1]}',
    '--currency: {currency!r} is not a 3-letter currency code':
        '--currency：{currency!r} 不是三位字母的货币代码',
    '--lang: {lang!r} must be zh, zh-Hant or en':
        '--lang：{lang!r} 必须是 zh、zh-Hant 或 en',
    '--pipeline: unknown pipeline {pipeline!r}; registered: {known}':
        '--pipeline：未知阶段模型 {pipeline!r}；已注册：{known}',
    'language must be zh, zh-Hant or en':
        'language（语言）必须是 zh、zh-Hant 或 en',
    "pipeline: {typed!r} is not a stage model; use one of: {', '.join(sorted(models))}":
        "pipeline：{typed!r} 不是阶段模型；可用：{', '.join(sorted(models))}",
    'plugin {name!r} is not required':
        '插件 {name!r} 不是必需插件',
    'plugin {name!r} is not loaded here (kam plugins list); requiring it would refuse every change':
        '插件 {name!r} 未在此加载（见 kam plugins list）；设为必需会拒绝一切修改',
    # core/services/approvals.py
    'no acting user: set KAM_USER or `user` in kam.toml':
        '没有操作人：请设置 KAM_USER 或 kam.toml 中的 `user`',
    '--by: {by.strip()} is not the acting user {actor}; an approval is recorded as whoever runs it (KAM_USER={by.strip()} kam ...)':
        '--by：{by.strip()} 不是当前操作人 {actor}；审批记在执行者名下（KAM_USER={by.strip()} kam ...）',
    'kam.toml roles: must be a table, e.g. [roles] "张伟" = ["sales_manager"]':
        'kam.toml roles：必须是表，例如 [roles] "张伟" = ["sales_manager"]',
    '{who} does not hold the role {role} (kam.toml [roles] gives {who}: {mine}); only a holder of {role} may decide on {what}':
        '{who} 没有角色 {role}（kam.toml [roles] 中 {who}：{mine}）；只有 {role} 才能对{what}作出决定',
    'kam.toml roles.{user}: must be a list of role names, e.g. ["sales_manager"]':
        'kam.toml roles.{user}：必须是角色名列表，例如 ["sales_manager"]',
    '{who} owns {what} and may not approve it (separation of duties): another person must decide':
        '{who} 是{what}的负责人，不能自己审批（职责分离）：须由他人决定',
    # core/services/check.py
    'kam.toml receivables.overdue_levels: levels must be 1 day or more':
        'kam.toml receivables.overdue_levels：逾期级别至少为 1 天',
    'kam.toml receivables.overdue_levels: {raw!r} must be a list of whole days':
        'kam.toml receivables.overdue_levels：{raw!r} 必须是整天数的列表',
    'kam.toml receivables.due_reminder_days: {raw!r} is not a number':
        'kam.toml receivables.due_reminder_days：{raw!r} 不是数字',
    'event deliveries not retried: {exc}':
        '事件投递未重试：{exc}',
    # core/services/common.py
    '{where}: {msg}':
        '{where}: {msg}',
    # core/services/contract_amendments.py
    "contract {contract['id']} is {contract['status']}: it cannot be amended":
        "合同 {contract['id']} 为{contract['status']}：不能变更",
    '--reason: an amendment needs a reason':
        '--reason：合同变更需要说明原因',
    '--delta: must not be 0':
        '--delta：不能为 0',
    '--delta: the amount would become {values.fmt_money(new_amount)}':
        '--delta：金额将变为 {values.fmt_money(new_amount)}',
    "contract {contract['id']} already has an amendment waiting for approval":
        "合同 {contract['id']} 已有一项待审批的变更",
    "contract {contract['id']}: the amendment would leave the amount at {values.fmt_money(new_amount)}, below the {values.fmt_money(total)} invoiced on it":
        "合同 {contract['id']}：变更后金额为 {values.fmt_money(new_amount)}，低于已开票的 {values.fmt_money(total)}",
    '{label}: the amendment would leave it at {values.fmt_money(amount)}, below the {values.fmt_money(paid)} paid or written off on it':
        '{label}：变更后为 {values.fmt_money(amount)}，低于已回款或核销的 {values.fmt_money(paid)}',
    '{label}: the amendment would leave it at {values.fmt_money(amount)}, below the {values.fmt_money(billed)} invoiced on it':
        '{label}：变更后为 {values.fmt_money(amount)}，低于已开票的 {values.fmt_money(billed)}',
    # core/services/contract_carry_over.py
    'a carried-over contract needs a reason':
        '结转的合同需要说明原因',
    'signed_on: {on} is in the future (today is {ws.today})':
        'signed_on：{on} 是未来日期（今天是 {ws.today}）',
    "contract {contract['id']} is already {contract['status']}":
        "合同 {contract['id']} 已经是{contract['status']}",
    # core/services/contract_evidence.py
    'FILE: {file} is not a readable file':
        'FILE：{file} 不是可读的文件',
    'FILE: {file}: {exc.strerror}':
        'FILE：{file}：{exc.strerror}',
    # core/services/contract_lifecycle.py
    "contract {contract['id']} is {contract['status']}: only a signed contract can be {what}":
        "合同 {contract['id']} 为{contract['status']}：只有已签订的合同才能{what}",
    '--date: {on} is in the future (today is {ws.today})':
        '--date：{on} 是未来日期（今天是 {ws.today}）',
    '--date: {on} is before {what} ({after})':
        '--date：{on} 早于{what}（{after}）',
    "contract {contract['id']} was delivered on {contract['delivered_on']}":
        "合同 {contract['id']} 已于 {contract['delivered_on']} 到货",
    '--reason: a forced delivery needs a reason':
        '--reason：强制交付需要说明原因',
    "contract {contract['id']} is not delivered yet (kam contract deliver {contract['id']})":
        "合同 {contract['id']} 尚未到货（kam contract deliver {contract['id']}）",
    "contract {contract['id']} passed final acceptance on {contract['final_accepted_on']}":
        "合同 {contract['id']} 已于 {contract['final_accepted_on']} 通过终验",
    "contract {contract['id']} has no final acceptance yet (kam contract accept {contract['id']} --stage final)":
        "合同 {contract['id']} 尚未终验（kam contract accept {contract['id']} --stage final）",
    '--reason: a termination needs a reason':
        '--reason：终止合同需要说明原因',
    "unknown handover field(s): {', '.join(sorted(unknown))}":
        "未知的交接单字段：{', '.join(sorted(unknown))}",
    '--end: the implementation ends before it starts':
        '--end：实施结束日期早于开始日期',
    "contract {contract['id']} passed initial acceptance on {contract['initial_accepted_on']}":
        "合同 {contract['id']} 已于 {contract['initial_accepted_on']} 通过初验",
    "contract {contract['id']} delivered although {what} (forced: {reason})":
        "合同 {contract['id']} 已交付，尽管{what}（强制：{reason}）",
    "contract {contract['id']}: {what}; delivery waits for the advance (款到发货) — collect it, or pass --force --reason T":
        "合同 {contract['id']}：{what}；款到发货，须先收到预付款——请催收，或加 --force --reason T",
    "contract {contract['id']} delivered although {what}":
        "合同 {contract['id']} 已交付，尽管{what}",
    # core/services/contract_plan.py
    '--plan: empty payment plan':
        '--plan：付款计划为空',
    '--plan {part}: a share must be above 0':
        '--plan {part}：比例必须大于 0',
    '--plan {part}: offset {text!r} must be days (+10d) or months (+12m)':
        '--plan {part}：偏移 {text!r} 必须是天数（+10d）或月数（+12m）',
    '--plan: the milestones before the last add up to {values.fmt_money(sum(head, Decimal(0)))}, more than the contract amount {values.fmt_money(amount)}':
        '--plan：最后一个之前的回款节点合计 {values.fmt_money(sum(head, Decimal(0)))}，超过合同金额 {values.fmt_money(amount)}',
    'every milestone is paid or written off: nothing can carry the change':
        '所有回款节点均已回款或核销：没有节点可以承担这项变动',
    'the open milestones hold {values.fmt_money(open_total)}: a delta of {values.fmt_money(delta)} would make them negative':
        '未结回款节点合计 {values.fmt_money(open_total)}：变动 {values.fmt_money(delta)} 会使其为负',
    'bad milestone offset {offset!r}':
        '回款节点偏移 {offset!r} 无效',
    '--plan: {part!r} must look like KIND:SHARE:OFFSET (down_payment:30%:+10d)':
        '--plan：{part!r} 应写成 KIND:SHARE:OFFSET（down_payment:30%:+10d）',
    '--plan {part}: a fixed_date milestone needs a date (fixed_date:20%:2026-06-30)':
        '--plan {part}：固定日期节点需要日期（fixed_date:20%:2026-06-30）',
    # core/services/contract_reading.py
    'a required-approvals rule returned {role!r}, not a role name':
        '审批角色规则返回了 {role!r}，不是角色名',
    # core/services/contracts.py
    "--role: which role is deciding? required: {', '.join(needed)}":
        "--role：由哪个角色决定？需要：{', '.join(needed)}",
    "opportunity {opp['id']} is {opp['status']}: no contract for it":
        "商机 {opp['id']} 为{opp['status']}：不能为其建合同",
    "--amount: opportunity {opp['id']} has no amount; give one":
        "--amount：商机 {opp['id']} 没有金额；请给出金额",
    "contract {contract['id']} is {contract['status']}: change it with an amendment (kam contract amend {contract['id']})":
        "合同 {contract['id']} 为{contract['status']}：请通过合同变更修改（kam contract amend {contract['id']}）",
    "contract {contract['id']} is {contract['status']}":
        "合同 {contract['id']} 为{contract['status']}",
    "contract {contract['id']} is {contract['status']} and has no pending amendment to approve":
        "合同 {contract['id']} 为{contract['status']}，没有待审批的变更",
    "contract {contract['id']} is a draft: review it first (kam contract review {contract['id']})":
        "合同 {contract['id']} 是草稿：请先评审（kam contract review {contract['id']}）",
    '{what} needs no approval: no role is required':
        '{what}无需审批：没有要求任何角色',
    "--role: which role is approving? still needed: {', '.join(outstanding)}":
        "--role：由哪个角色审批？尚需：{', '.join(outstanding)}",
    '--force needs --reason: a forced signing is recorded with its reason':
        '--force 需要 --reason：强制签约会连同原因一并记录',
    "opportunity {opp['id']} is {opp['status']}: the contract cannot be signed":
        "商机 {opp['id']} 为{opp['status']}：合同不能签订",
    "contract {contract['id']} has blocking review findings: {'; '.join((f.message for f in blocks))}":
        "合同 {contract['id']} 有阻止性的评审意见：{'; '.join((f.message for f in blocks))}",
    "contract {contract['id']} is {contract['status']}, not approved: {hint}":
        "合同 {contract['id']} 为{contract['status']}，尚未审批通过：{hint}",
    "--term: {pair!r} must be KEY=TEXT with KEY one of {', '.join(TERM_KEYS)}":
        "--term：{pair!r} 应写成 KEY=TEXT，KEY 为以下之一：{', '.join(TERM_KEYS)}",
    '--line: {spec!r} must be ITEM|SPEC|QUANTITY|UNIT_PRICE':
        '--line：{spec!r} 应写成 ITEM|SPEC|QUANTITY|UNIT_PRICE',
    '--line {spec!r}: quantity must be above 0':
        '--line {spec!r}：数量必须大于 0',
    '--line {spec!r}: the line total is too large':
        '--line {spec!r}：该行合计过大',
    "--number: {number} is already contract {other['id']}":
        "--number：{number} 已是合同 {other['id']} 的编号",
    "{what} needs no approval as {role.strip()}: nobody required that role (required: {', '.join(needed)})":
        "{what}无需以 {role.strip()} 身份审批：没有要求该角色（需要：{', '.join(needed)}）",
    # core/services/customers.py
    'DRIVER: name the driver (e.g. 新建变电站)':
        'DRIVER：请写出驱动因素（如 新建变电站）',
    "customer {current['id']} has no unreviewed {key} flag":
        "客户 {current['id']} 没有未复核的 {key} 标记",
    "customer {current['id']} has unreviewed flags of {len(waiting)} types ({', '.join(waiting)}): name one with --type":
        "客户 {current['id']} 有 {len(waiting)} 种未复核的标记（{', '.join(waiting)}）：请用 --type 指定一种",
    "customer {current['id']} has no unreviewed flag":
        "客户 {current['id']} 没有未复核的标记",
    '{ws.actor} collected this flag; someone else reviews it':
        '此标记由 {ws.actor} 收集；须由他人复核',
    # core/services/exchange*.py (export, import and their checks)
    '{folder} is not a folder':
        '{folder} 不是文件夹',
    '{path}: not a kam export manifest':
        '{path}：不是 kam 导出清单',
    "{path}: export format version {version!r}; this kam reads version {FORMAT_VERSION} (made by kam {manifest.get('kam_version')})":
        "{path}：导出格式版本 {version!r}；本 kam 读取版本 {FORMAT_VERSION}（由 kam {manifest.get('kam_version')} 生成）",
    '{path}: no file list':
        '{path}：没有文件列表',
    '{path}: SHA-256 does not match the manifest (changed or damaged)':
        '{path}：SHA-256 与清单不符（已被修改或损坏）',
    '{path}: {count} rows, the manifest says {rows}':
        '{path}：{count} 行，清单记为 {rows} 行',
    '{path} row {n}, column refs: {refs!r} is not a list of ids':
        '{path} 第 {n} 行，refs 列：{refs!r} 不是编号列表',
    '{path} row {n}, column payload: {payload!r} is not an object':
        '{path} 第 {n} 行，payload 列：{payload!r} 不是对象',
    '{folder}: no such folder':
        '{folder}：没有该文件夹',
    '{ws.path} is not empty: import needs a new workspace (kam init)':
        '{ws.path} 不是空的：导入需要一个新工作区（kam init）',
    '{folder} is not empty and not an earlier kam export':
        '{folder} 不是空的，也不是之前的 kam 导出',
    '{folder}: cannot be written ({exc.strerror})':
        '{folder}：无法写入（{exc.strerror}）',
    '{path}: missing (not a kam export folder)':
        '{path}：缺失（不是 kam 导出文件夹）',
    '{path}: not valid JSON ({exc})':
        '{path}：不是有效的 JSON（{exc}）',
    '{path}: record kind {name!r} is unknown to this kam (kam {__version__}); importing would lose it':
        '{path}：本 kam（kam {__version__}）不认识记录类型 {name!r}；导入会丢失这些记录',
    '{path}: entry for {name!r} needs file, rows and sha256':
        '{path}：{name!r} 的条目需要 file、rows 和 sha256',
    "{path}: file name {entry['file']!r} must be a plain NAME.csv in the export folder":
        "{path}：文件名 {entry['file']!r} 必须是导出文件夹中的普通 NAME.csv",
    '{path}: rows for {name!r} must be a whole number':
        '{path}：{name!r} 的 rows 必须是整数',
    '{path}: sha256 for {name!r} must be 64 hex digits':
        '{path}：{name!r} 的 sha256 必须是 64 位十六进制数字',
    '{path}: missing (listed in the manifest for {name})':
        '{path}：缺失（清单中列出，属于 {name}）',
    '{path}: not UTF-8 text ({exc.reason})':
        '{path}：不是 UTF-8 文本（{exc.reason}）',
    '{path}: empty file (no header row)':
        '{path}：空文件（没有表头行）',
    '{path} row 1: unknown column {unknown[0]!r} for {k.name}':
        '{path} 第 1 行：{k.name} 没有列 {unknown[0]!r}',
    '{path} row 1: needs an id column and no column twice':
        '{path} 第 1 行：需要 id 列，且任何列不能出现两次',
    '{path} row {n + 1}: {exc}':
        '{path} 第 {n + 1} 行：{exc}',
    '{path} row {n}: {len(cells)} cells, the header has {len(header)}':
        '{path} 第 {n} 行：{len(cells)} 个单元格，表头有 {len(header)} 个',
    '{path} row {n}, column id: {exc}':
        '{path} 第 {n} 行，id 列：{exc}',
    '{path} row {n}, column {name}: {exc}':
        '{path} 第 {n} 行，{name} 列：{exc}',
    '{path}: id {rid} appears twice':
        '{path}：编号 {rid} 出现了两次',
    '{path}: {rid} {f.name} names {value}, which is not in the export':
        '{path}：{rid} 的 {f.name} 指向 {value}，导出中没有该记录',
    # core/services/history.py
    '{record_id}: not a kam record id':
        '{record_id}：不是 kam 记录编号',
    '{k.name} {rid} not found':
        '未找到{k.name} {rid}',
    # core/services/invoices.py
    "contract {contract['id']} is not signed: nothing to invoice yet":
        "合同 {contract['id']} 尚未签订：还不能开票",
    '--amount: must be above 0':
        '--amount：必须大于 0',
    '--number: the invoice number is required':
        '--number：发票号必填',
    '--number: invoice {number} is already recorded':
        '--number：发票 {number} 已经登记过',
    "contract {contract['id']}: {values.fmt_money(invoiced)} is invoiced already; {values.fmt_money(money)} more would exceed the amount {values.fmt_money(contract['amount'])}":
        "合同 {contract['id']}：已开票 {values.fmt_money(invoiced)}；再开 {values.fmt_money(money)} 将超过合同金额 {values.fmt_money(contract['amount'])}",
    "--milestone: {rc['id']} belongs to {rc['contract_id']}":
        "--milestone：{rc['id']} 属于 {rc['contract_id']}",
    "milestone {rc['id']}: {values.fmt_money(on_rc)} is invoiced already; {values.fmt_money(money)} more would exceed its amount {values.fmt_money(rc['amount'])}":
        "回款节点 {rc['id']}：已开票 {values.fmt_money(on_rc)}；再开 {values.fmt_money(money)} 将超过其金额 {values.fmt_money(rc['amount'])}",
    # core/services/leads.py
    "lead {lead['id']} is {lead['status']}":
        "线索 {lead['id']} 为{lead['status']}",
    "lead {lead['id']} is already {lead['status']}{extra}":
        "线索 {lead['id']} 已经是{lead['status']}{extra}",
    "lead {lead['id']} is not qualified: {'; '.join((f.message for f in blocking(findings)))}":
        "线索 {lead['id']} 未通过资格评估：{'; '.join((f.message for f in blocking(findings)))}",
    'SPIN has no part {sorted(unknown)[0]!r}':
        'SPIN 没有 {sorted(unknown)[0]!r} 这一部分',
    "lead {lead['id']} is already {lead['status']}":
        "线索 {lead['id']} 已经是{lead['status']}",
    '--reason is required':
        '--reason 必填',
    "--authority: {contact['id']} is not a contact of {lead['customer_id']}":
        "--authority：{contact['id']} 不是 {lead['customer_id']} 的联系人",
    # core/services/load.py
    "--key: {kind} records are not keyed by a column{'; a target is already one per owner and period' if kind == 'target' else '; load each file once'}":
        '--key：{kind} 记录不按某一列作为键（每个文件只导入一次；目标本就按负责人和期间各一条）',
    'no column for {labels}; name it with --map HEADER=FIELD':
        '没有对应 {labels} 的列；请用 --map HEADER=FIELD 指定',
    '{name}: {text!r} is not a date (2026-03-02, 2026/3/2 or 2026年3月2日)':
        '{name}：{text!r} 不是日期（2026-03-02、2026/3/2 或 2026年3月2日）',
    '{name}: {raw!r} is not yes/no':
        '{name}：{raw!r} 不是 是/否',
    "--preset: {preset!r} is not one of {', '.join(PRESETS)}":
        "--preset：{preset!r} 不是以下之一：{', '.join(PRESETS)}",
    '--key: the file has no column {key!r}':
        '--key：文件中没有列 {key!r}',
    '{name}: {text!r} is not a date':
        '{name}：{text!r} 不是日期',
    'customer: the row names no customer':
        'customer：该行没有写客户',
    'customer {text!r}: no such customer; load customers first':
        '客户 {text!r}：没有该客户；请先导入客户',
    "customer {text!r} is ambiguous: {', '.join(found)}; use the id":
        "客户 {text!r} 有歧义：{', '.join(found)}；请用编号",
    'name (客户名称): empty':
        'name（客户名称）：为空',
    'name (姓名): empty':
        'name（姓名）：为空',
    'title (名称): empty':
        'title（名称）：为空',
    'title (项目名称): empty':
        'title（项目名称）：为空',
    'opportunity {text!r}: no such deal':
        '商机 {text!r}：没有该商机',
    'number {number!r}: a contract with that number exists':
        'number {number!r}：已有该编号的合同',
    'signed_on (签订日期): empty':
        'signed_on（签订日期）：为空',
    'paid (已回款) needs paid_on (回款日期): a payment has a date':
        'paid（已回款）需要 paid_on（回款日期）：回款要有日期',
    'contract_id (合同编号): empty':
        'contract_id（合同编号）：为空',
    "contract {text!r}: {'no such contract' if not ids else 'ambiguous: ' + ', '.join(ids)}":
        "合同 {text!r}：{'no such contract' if not ids else 'ambiguous: ' + ', '.join(ids)}",
    'a payment needs amount (金额) and date (日期)':
        '回款需要金额（amount）和日期（date）',
    'a target needs owner (负责人), period (期间) and amount (金额)':
        '目标需要负责人（owner）、期间（period）和金额（amount）',
    "opportunity {text!r} is ambiguous: {', '.join(found)}":
        "商机 {text!r} 有歧义：{', '.join(found)}",
    '{name}: {text!r} is not a whole number':
        '{name}：{text!r} 不是整数',
    # core/services/load_columns.py
    'KIND: {word!r} is not loadable; use one of: customers, contacts, leads, opportunities, activities, targets, contracts, payments':
        'KIND：{word!r} 不能导入；请用以下之一：customers、contacts、leads、opportunities、activities、targets、contracts、payments',
    '--map {header}={name}: {kind} has no field {name!r}':
        '--map {header}={name}：{kind} 没有字段 {name!r}',
    '{option}: {pair!r} must look like NAME=VALUE':
        '{option}：{pair!r} 应写成 NAME=VALUE',
    '--map-value: {left}={value!r} must look like FIELD:WORD=VALUE':
        '--map-value：{left}={value!r} 应写成 FIELD:WORD=VALUE',
    'columns {seen[target]!r} and {shown!r} are both {kind}.{target}; --map one of them to another field or -':
        '列 {seen[target]!r} 和 {shown!r} 都对应 {kind}.{target}；请用 --map 把其中一列映射到其他字段或 -',
    # core/services/load_files.py
    'the file is neither UTF-8 nor GB18030/GBK; name it with --encoding':
        '文件既不是 UTF-8 也不是 GB18030/GBK；请用 --encoding 指定',
    "--sheet: no sheet {sheet!r}; the workbook has {', '.join(book.sheetnames)}":
        "--sheet：没有工作表 {sheet!r}；该工作簿有：{', '.join(book.sheetnames)}",
    '{path}: no such file':
        '{path}：没有该文件',
    '--sheet: only an .xlsx workbook has sheets':
        '--sheet：只有 .xlsx 工作簿才有工作表',
    '{path.name}: the file is empty':
        '{path.name}：文件为空',
    '{path.name}: sheet {ws.title!r} is empty':
        '{path.name}：工作表 {ws.title!r} 为空',
    '{path.name}: not a readable CSV file ({exc})':
        '{path.name}：不是可读的 CSV 文件（{exc}）',
    'row {number}: a line must be a JSON object':
        '第 {number} 行：每行必须是一个 JSON 对象',
    '{path.name}: not a readable .xlsx workbook ({exc})':
        '{path.name}：不是可读的 .xlsx 工作簿（{exc}）',
    '--encoding: unknown encoding {encoding!r}':
        '--encoding：未知编码 {encoding!r}',
    'the file is not {encoding}: byte {exc.start} ({exc.reason})':
        '文件不是 {encoding} 编码：第 {exc.start} 字节（{exc.reason}）',
    'row {number}: not JSON ({exc.msg})':
        '第 {number} 行：不是 JSON（{exc.msg}）',
    # core/services/opportunities.py
    "--renews: {contract['id']} is a contract of {contract['customer_id']}, not of {customer_id}":
        "--renews：{contract['id']} 是 {contract['customer_id']} 的合同，不是 {customer_id} 的",
    "--renews: {contract['id']} is {contract['status']}; a renewal renews a signed contract":
        "--renews：{contract['id']} 为{contract['status']}；续单续的是已签订的合同",
    "opportunity {opp['id']} is {opp['status']}; it cannot change stage":
        "商机 {opp['id']} 为{opp['status']}；不能变更阶段",
    '--force needs --reason: a forced advance is recorded with its reason':
        '--force 需要 --reason：强制推进会连同原因一并记录',
    "opportunity {opp['id']} is completed (结项); nothing to advance":
        "商机 {opp['id']} 已结项；没有可推进的阶段",
    "opportunity {opp['id']} cannot leave {opp['stage']}: {'; '.join((f.message for f in blocks))}":
        "商机 {opp['id']} 不能离开{opp['stage']}阶段：{'; '.join((f.message for f in blocks))}",
    "opportunity {opp['id']} is in {stage} and its gates do not pass: {'; '.join((f.message for f in blocks))} (advance it first, or sign with --force --reason)":
        "商机 {opp['id']} 处于{stage}阶段，关键节点未通过：{'; '.join((f.message for f in blocks))}（请先推进，或用 --force --reason 签约）",
    "opportunity {opp['id']} has importance {opp.get('importance') or 'unset'}: nobody required a {who_may.MANAGEMENT} approval (only I and VI deals need one)":
        "商机 {opp['id']} 的重要性为 {opp.get('importance') or 'unset'}：无需{who_may.MANAGEMENT}审批（只有 I 和 VI 类商机需要）",
    "opportunity {opp['id']} is {opp['status']}: no more bids":
        "商机 {opp['id']} 为{opp['status']}：不能再投标",
    '--price: {price} must be above 0':
        '--price：{price} 必须大于 0',
    "--approved-by: {approver} owns {opp['id']} and cannot approve its own bid price":
        "--approved-by：{approver} 是 {opp['id']} 的负责人，不能审批自己的投标价",
    "bid on {opp['id']} at {values.fmt_money(amount)} has a gross margin of {pct.normalize():f}%, below the floor {floor}%: bid only with a manager's approval (--approved-by NAME), or quit and write the summary (kam opp abandon {opp['id']})":
        "{opp['id']} 以 {values.fmt_money(amount)} 投标的毛利率为 {pct.normalize():f}%，低于底线 {floor}%：须经销售经理批准才能投标（--approved-by NAME），否则放弃并写结项总结（kam opp abandon {opp['id']}）",
    "bid on {opp['id']} refused: {'; '.join((f.message for f in blocks))}":
        "{opp['id']} 的投标被拒绝：{'; '.join((f.message for f in blocks))}",
    "opportunity {opp['id']} is already {opp['status']}":
        "商机 {opp['id']} 已经是{opp['status']}",
    "--authority: {contact['id']} is not a contact of {current['customer_id']}":
        "--authority：{contact['id']} 不是 {current['customer_id']} 的联系人",
    'no approved and signed contract (合同审批和合同签订): sign it with kam contract sign':
        '没有已审批并签订的合同（合同审批和合同签订）：请用 kam contract sign 签约',
    "--to {to}: {opp['id']} is already in {opp['stage']}; advance moves forward only":
        "--to {to}：{opp['id']} 已处于{opp['stage']}阶段；推进只能向前",
    '--competitor: {pair!r} must be NAME=PRICE':
        '--competitor：{pair!r} 应写成 NAME=PRICE',
    "opportunity {opp['id']}: gross margin unknown — the cost and margin check comes before the bid (--cost N or --margin PCT)":
        "商机 {opp['id']}：毛利率未知——投标前须先做成本与毛利核算（--cost N 或 --margin PCT）",
    # core/services/payments.py
    'over-payment: the contract has {values.fmt_money(total)} outstanding, {values.fmt_money(amount)} was given':
        '超额回款：合同未回款 {values.fmt_money(total)}，本次给出 {values.fmt_money(amount)}',
    "contract {contract['id']} is {contract['status']}: payments are recorded against signed contracts":
        "合同 {contract['id']} 为{contract['status']}：回款只能记在已签订的合同上",
    'AMOUNT: the amount must be above 0 ({amount} was given)':
        'AMOUNT：金额必须大于 0（给出的是 {amount}）',
    "--date: {on} is before contract {contract['id']} was signed on {signed_on}":
        "--date：{on} 早于合同 {contract['id']} 的签订日期 {signed_on}",
    '--milestone: {milestone} is not a milestone of this contract':
        '--milestone：{milestone} 不是本合同的回款节点',
    "over-payment: {target['id']} has {values.fmt_money(target['outstanding'])} outstanding, {values.fmt_money(amount)} was given":
        "超额回款：{target['id']} 未回款 {values.fmt_money(target['outstanding'])}，本次给出 {values.fmt_money(amount)}",
    # core/services/receivables.py
    '--by: who approves the write-off is required':
        '--by：必须写明核销的审批人',
    '--reason: a write-off needs a reason':
        '--reason：核销需要说明原因',
    "receivable {record['id']} is already written off":
        "应收 {record['id']} 已经核销",
    "receivable {record['id']} has nothing outstanding to write off":
        "应收 {record['id']} 没有可核销的未回款金额",
    # core/services/reports.py
    'unknown report {name!r}; available: {known}':
        '未知报表 {name!r}；可用：{known}',
    'report {key!r} (plugin {reg.owners[key]}) did not return a Report':
        '报表 {key!r}（插件 {reg.owners[key]}）没有返回 Report',
    "--format: {chosen!r} is not one of {', '.join(formats(ws))}":
        "--format：{chosen!r} 不是以下之一：{', '.join(formats(ws))}",
    '--format {chosen} writes a file: use kam report today --output FILE':
        '--format {chosen} 会写文件：请用 kam report today --output FILE',
    '--format {chosen} writes a file: add --output FILE':
        '--format {chosen} 会写文件：请加 --output FILE',
    '--output: {path} is a folder':
        '--output：{path} 是文件夹',
    '--output: cannot write {path}: {exc.strerror or exc}':
        '--output：无法写入 {path}：{exc.strerror or exc}',
    '--table: report {report.name} has no table {table!r}; tables: {names}':
        '--table：报表 {report.name} 没有表 {table!r}；可用的表：{names}',
    # core/services/targets.py
    'OWNER: a target needs an owner':
        'OWNER：目标需要负责人',
    # core/storage.py
    '{k.name} has no field {field!r}':
        '{k.name} 没有字段 {field!r}',
    'unknown filter operator {op!r}':
        '未知的筛选运算符 {op!r}',
    'unknown record kind {name!r}':
        '未知的记录类型 {name!r}',
    # core/text.py
    '{field}: contains the control character {describe(found.group())}; text may hold tabs and line breaks, no other control characters':
        '{field}：含有控制字符 {describe(found.group())}；文本只能包含制表符和换行，不能有其他控制字符',
    # core/values.py
    '{field}: {value!r} is not {what} (use ASCII digits 0-9)':
        '{field}：{value!r} 不是{what}（请使用 ASCII 数字 0-9）',
    '{field}: {value!r} is not {what}':
        '{field}：{value!r} 不是{what}',
    '{field}: money must be text or a Decimal, not {type(value).__name__}':
        '{field}：金额必须是文本或 Decimal，而不是 {type(value).__name__}',
    '{field}: must not be negative ({value})':
        '{field}：不能为负数（{value}）',
    '{field}: {value} is too large (at most 999999999999999.99)':
        '{field}：{value} 过大（最多 999999999999999.99）',
    '{field}: {value} has more than two decimal places':
        '{field}：{value} 的小数超过两位',
    '{field}: {value!r} must be text or a Decimal':
        '{field}：{value!r} 必须是文本或 Decimal',
    '{field}: {value!r} is not a number below 10^15':
        '{field}：{value!r} 不是小于 10^15 的数',
    '{field}: {value!r} must be between {lo} and {hi}':
        '{field}：{value!r} 必须在 {lo} 到 {hi} 之间',
    '{field}: {value!r} is not a whole number':
        '{field}：{value!r} 不是整数',
    '{field}: {value!r} is not a percentage':
        '{field}：{value!r} 不是百分比',
    '{field}: {value!r} is outside the years {MIN_YEAR}–{MAX_YEAR}':
        '{field}：{value!r} 超出年份范围 {MIN_YEAR}–{MAX_YEAR}',
    '{field}: {value!r} is not an ISO date (YYYY-MM-DD)':
        '{field}：{value!r} 不是 ISO 日期（YYYY-MM-DD）',
    '{field}: {value!r} is not an ISO date-time':
        '{field}：{value!r} 不是 ISO 日期时间',
    '{field}: {value!r} is not {what} (a comma may only separate thousands, as in 1,234,567.89)':
        '{field}：{value!r} 不是{what}（逗号只能用作千位分隔，如 1,234,567.89）',
    '{field}: {value!r} is not an amount':
        '{field}：{value!r} 不是金额',
    '{field}: {value!r} is not a valid date':
        '{field}：{value!r} 不是有效日期',
    '{field}: {value!r} is not a valid date-time':
        '{field}：{value!r} 不是有效的日期时间',
    # core/vocab.py
    'unknown {vocab} {value!r}; use one of: {allowed}':
        '未知的{vocab} {value!r}；请用以下之一：{allowed}',
    # core/workspace.py
    'no kam workspace at {folder} (run `kam init` first)':
        '{folder} 没有 kam 工作区（请先运行 `kam init`）',
    '--lang: {given!r} must be zh, zh-Hant or en':
        '--lang：{given!r} 必须是 zh、zh-Hant 或 en',
    'unknown pipeline {key!r}; registered: {known}':
        '未知阶段模型 {key!r}；已注册：{known}',
    '{problem}: changes are refused until it loads (kam plugins list)':
        '{problem}：在它加载之前，一切修改都会被拒绝（见 kam plugins list）',
    '{kind} {record_id} not found{hint}':
        '未找到{kind} {record_id}{hint}',
    'storage backend {name!r} is not available{hint}; installed: {known}':
        '存储后端 {name!r} 不可用{hint}；已安装：{known}',
    'after-commit step failed: {exc}':
        '提交后的步骤失败：{exc}',
    # plugins/rules_standard/bant.py
    'budget not confirmed (--budget-confirmed)':
        '预算未确认（--budget-confirmed）',
    'no decision maker named (--authority CONTACT)':
        '未指定决策者（--authority CONTACT）',
    'need not stated (--need)':
        '未说明需求（--need）',
    'no expected purchase date (--timeline)':
        '没有预计采购日期（--timeline）',
    'authority {authority} is not a contact of this customer':
        '决策人 {authority} 不是该客户的联系人',
    # plugins/rules_standard/contracts.py
    'no payment plan (--plan)':
        '没有付款计划（--plan）',
    'milestones add up to {fmt_money(held)}, not the contract amount {fmt_money(amount)}':
        '回款节点合计 {fmt_money(held)}，与合同金额 {fmt_money(amount)} 不符',
    'no down payment (首付款) in the payment plan':
        '付款计划中没有首付款',
    'no acceptance criteria (--acceptance-criteria)':
        '没有验收标准（--acceptance-criteria）',
    'no cost defined for changes (--change-cost)':
        '没有约定变更费用（--change-cost）',
    'service obligations have no end date (--service-end)':
        '服务义务没有截止日期（--service-end）',
    'warranty retention (质保金) {_money(retention)} ({_pct(retention, amount)}%) is above the {cap}% cap':
        '质保金 {_money(retention)}（{_pct(retention, amount)}%）超过上限 {cap}%',
    "payment plan adds up to {_money(total)} ({_pct(total, amount)}%), not the contract amount {_money(amount)}: the last milestone ({last['kind']} {share}) would take the {'rest' if total < amount else 'cut'} and come to {_money(last['amount'])} ({_pct(last['amount'], amount)}%)":
        "付款计划合计 {_money(total)}（{_pct(total, amount)}%），与合同金额 {_money(amount)} 不符：最后一个回款节点（{last['kind']} {share}）将随之调整，金额为 {_money(last['amount'])}（{_pct(last['amount'], amount)}%）",
    'down payment {_money(down)} ({_pct(down, amount)}%) is below {floor}%':
        '首付款 {_money(down)}（{_pct(down, amount)}%）低于 {floor}%',
    'subject lines add up to {fmt_money(subject)}, the contract amount is {fmt_money(amount)}':
        '标的明细合计 {fmt_money(subject)}，合同金额为 {fmt_money(amount)}',
    # plugins/rules_standard/gates.py
    "checklist: {t.en} ({t.zh}) not done — kam opp check {opp['id']} {stage}.{t.key}":
        "检查项：{t.zh} 未完成——kam opp check {opp['id']} {stage}.{t.key}",
    'initiation report: {what} missing':
        '立项报告：缺少{what}',
    "customer {opp['customer_id']} not graded (A–D)":
        "客户 {opp['customer_id']} 未分级（A–D）",
    'competition not recorded (--competition)':
        '未记录竞争情况（--competition）',
    'decision process not recorded (--decision-process)':
        '未记录决策流程（--decision-process）',
    'initiation report: expected amount must be above 0':
        '立项报告：预计金额必须大于 0',
    'no decision maker (决策者) in the decision chain':
        '决策链中没有决策者',
    'no coach (向导) in the decision chain':
        '决策链中没有向导',
    'no proposal or demo delivered (log a demo/proposal activity or check proposal.written_proposal)':
        '尚未提交方案或演示（请记录一次演示/方案活动，或勾选 proposal.written_proposal）',
    "no winning bid (kam opp bid {opp['id']} --price N --result won)":
        "没有中标记录（kam opp bid {opp['id']} --price N --result won）",
    'gross margin unknown: margin check not possible':
        '毛利率未知：无法做毛利核算',
    'final acceptance not recorded (工程验收)':
        '未记录终验（工程验收）',
    "importance {opp['importance']} needs management approval (kam opp approve {opp['id']}, by a manager other than the owner)":
        "重要性为 {opp['importance']} 的商机需要管理层审批（kam opp approve {opp['id']}，由负责人以外的经理审批）",
    'no clear opportunity: need not stated':
        '商机不明确：未说明需求',
    'no supporter in the decision chain':
        '决策链中没有支持者',
    'no proposal or demo delivered':
        '尚未提交方案或演示',
    "importance {opp['importance']} needs management approval: {latest.get('by')} rejected it on {latest.get('on')} (kam opp approve {opp['id']} once it is approved)":
        "重要性为 {opp['importance']} 的商机需要管理层审批：{latest.get('by')} 于 {latest.get('on')} 驳回（批准后再运行 kam opp approve {opp['id']}）",
    "the winning bid's gross margin {margin}% is below the floor {floor}% and its price was not approved":
        '中标价的毛利率 {margin}% 低于底线 {floor}%，且该价格未经批准',
    'gross margin {margin}% is below the floor {floor}%: quit and write the summary (kam opp abandon)':
        '毛利率 {margin}% 低于底线 {floor}%：请放弃并写结项总结（kam opp abandon）',
    # plugins/storage_csv/backend.py
    'the workspace data in {self.folder} is locked by another kam process (waited {self.lock_timeout:g}s)':
        '{self.folder} 中的工作区数据被另一个 kam 进程锁定（已等待 {self.lock_timeout:g} 秒）',
    '{path}: must map each kind to its last id number':
        '{path}：必须把每种记录类型映射到其最后的编号',
    'writes must happen inside storage.transaction()':
        '写入必须在 storage.transaction() 之内进行',
    'references_checked() goes outside storage.transaction()':
        'references_checked() 必须在 storage.transaction() 之外使用',
    'load_journal() goes outside storage.transaction()':
        'load_journal() 必须在 storage.transaction() 之外使用',
    "{k.name} has no field(s) {', '.join(sorted(extra))}":
        "{k.name} 没有字段 {', '.join(sorted(extra))}",
    '{k.name} record has no id':
        '{k.name} 记录没有编号',
    'storage conflict: {k.name} {rid} exists already':
        '存储冲突：{k.name} {rid} 已存在',
    'events are append-only':
        '事件只能追加',
    "cannot update {k.name} field(s) {', '.join(sorted(bad))}":
        "不能修改{k.name}的字段 {', '.join(sorted(bad))}",
    '{k.name} {record_id} does not exist':
        '{k.name} {record_id} 不存在',
    'cannot create {self.folder}: {exc}':
        '无法创建 {self.folder}：{exc}',
    'cannot open the lock file in {self.folder}: {exc}':
        '无法打开 {self.folder} 中的锁文件：{exc}',
    'upgrade of {self.folder} is incomplete ({exc}); it will be completed when the workspace is next opened':
        '{self.folder} 的升级未完成（{exc}）；下次打开工作区时会继续完成',
    '{path}: not UTF-8 text ({exc.reason} at byte {exc.start})':
        '{path}：不是 UTF-8 文本（第 {exc.start} 字节：{exc.reason}）',
    'cannot read {path}: {exc}':
        '无法读取 {path}：{exc}',
    '{path} row {n}, column id: duplicate id {rid}':
        '{path} 第 {n} 行，id 列：编号 {rid} 重复',
    'commit to {self.folder} is incomplete ({exc}); it will be completed when the workspace is next opened':
        '向 {self.folder} 的提交未完成（{exc}）；下次打开工作区时会继续完成',
    'storage conflict: {k.name}.{f.name} names a missing {f.ref} {row[f.name]}':
        '存储冲突：{k.name}.{f.name} 指向不存在的 {f.ref} {row[f.name]}',
    # plugins/storage_csv/cells.py
    '{where} row 1: unknown column {unknown[0]!r} for {k.name}':
        '{where} 第 1 行：{k.name} 没有列 {unknown[0]!r}',
    '{where} row 1: a column appears twice':
        '{where} 第 1 行：有一列出现了两次',
    '{where} row 1: no id column':
        '{where} 第 1 行：没有 id 列',
    '{where} row {n + 1}: {exc}':
        '{where} 第 {n + 1} 行：{exc}',
    '{where} row {n}: {len(cells)} cells, the header has {width}':
        '{where} 第 {n} 行：{len(cells)} 个单元格，表头有 {width} 个',
    '{where} row {n}, column id: empty':
        '{where} 第 {n} 行，id 列：为空',
    '{k.name}.{name}: {value!r} is not a {ftype}':
        '{k.name}.{name}：{value!r} 不是 {ftype}',
    '{where} row {n}, column {name}: {exc}':
        '{where} 第 {n} 行，{name} 列：{exc}',
    # plugins/storage_csv/journal.py
    'cannot write to {folder}: {exc}':
        '无法写入 {folder}：{exc}',
    '{journal}: cannot replay the commit journal ({exc})':
        '{journal}：无法重放提交日志（{exc}）',
    # plugins/storage_csv/versions.py
    '{path}: not a kam CSV manifest (want {{"format": "{FORMAT}", "version": <number>, ...}})':
        '{path}：不是 kam CSV 清单（应为 {{"format": "{FORMAT}", "version": <number>, ...}}）',
    '{self.folder / name}: not UTF-8 text ({exc.reason})':
        '{self.folder / name}：不是 UTF-8 文本（{exc.reason}）',
    # plugins/storage_postgres/backend.py
    'storage error: no row from {sql.split()[0]}':
        '存储错误：{sql.split()[0]} 没有返回行',
    'cannot connect to the database: {first}':
        '无法连接数据库：{first}',
    '{k.name} has no field {name!r}':
        '{k.name} 没有字段 {name!r}',
    # plugins/storage_postgres/team_cli.py
    'kam team needs a postgres workspace; this one is {storage.name}':
        'kam team 需要 postgres 工作区；当前是 {storage.name}',
    'NAME: a team member needs a name':
        'NAME：团队成员需要名字',
    "--role: {role!r} is not one of {', '.join(ROLES)}":
        "--role：{role!r} 不是以下之一：{', '.join(ROLES)}",
    '--manager: {manager} is not in the team (kam team add {manager} --role manager)':
        '--manager：{manager} 不在团队中（kam team add {manager} --role manager）',
    # plugins/storage_sqlite/__init__.py
    '{path} holds CSV data (data/*.csv) but kam.toml says backend sqlite (or nothing); set backend = "csv" in kam.toml':
        '{path} 存放的是 CSV 数据（data/*.csv），但 kam.toml 写的是 sqlite 后端（或未写）；请在 kam.toml 中设置 backend = "csv"',
    # plugins: loading and failing
    'plugin command {name!r} ignored: kam has its own':
        '插件命令 {name!r} 被忽略：kam 自有同名命令',
    'plugin {name!r} failed to load: {failure.error}':
        '插件 {name!r} 加载失败：{failure.error}',
    '{message}: not loaded':
        '{message}：未加载',
    'plugin {plugin!r} failed in {hook}: {error}':
        '插件 {plugin!r} 在 {hook} 中出错：{error}',
    'required plugin {name!r} {why}':
        '必需插件 {name!r} {why}',
    'required plugin {name!r} {why} (and {n} more)':
        '必需插件 {name!r} {why}（另有 {n} 个）',
    'failed to load: {error}':
        '加载失败：{error}',
    'disabled (KAM_DISABLE_PLUGINS or [plugins] disabled)':
        '已停用（KAM_DISABLE_PLUGINS 或 [plugins] disabled）',
    'not installed':
        '未安装',
    # notices commands print (kam.cli)
    '{overdue} milestone(s) overdue: {totals}':
        '{overdue} 个回款节点逾期：{totals}',
    '{overdue} milestone(s) overdue':
        '{overdue} 个回款节点逾期',
    "{what:<12} {n['receivable_id']:<7} {n['contract_id']:<7} {n['customer_id']:<7} {n['kind']:<14} due {n['due_date']}  outstanding {n['outstanding']} {n['currency']}  ({n['days_overdue']} days overdue)":
        "{what:<12} {n['receivable_id']:<7} {n['contract_id']:<7} {n['customer_id']:<7} {n['kind']:<14} 到期日 {n['due_date']}  未回款 {n['outstanding']} {n['currency']}  （逾期 {n['days_overdue']} 天）",
    "nothing new as of {r['as_of']}":
        "截至 {r['as_of']} 没有新的到期或逾期",
    "preview: {r['as_of']} is after today; nothing was recorded and no notification was sent":
        "预览：{r['as_of']} 晚于今天；未记录任何内容，也未发送通知",
    "event deliveries: {d['delivered']} delivered, {d['pending']} pending, {d['dead']} dead":
        "事件投递：已投递 {d['delivered']}，待投递 {d['pending']}，已放弃 {d['dead']}",
    '\nmilestones:':
        '\n回款节点：',
    "contract {c['id']} ({c['number']}) signed on {c['signed_on']}; opportunity {o['id']} {o['status']}, stage {o['stage']}":
        "合同 {c['id']}（{c['number']}）已于 {c['signed_on']} 签订；商机 {o['id']} {o['status']}，阶段 {o['stage']}",
    "\napprovals needed: {', '.join(card['approvals_needed'])}":
        "\n需要审批：{', '.join(card['approvals_needed'])}",
    '\napprovals:':
        '\n审批：',
    '\namendments:':
        '\n合同变更：',
    "\npending amendment: {p['delta']} ({p['reason']}), waiting for {', '.join(p.get('roles') or [])}":
        "\n待审变更：{p['delta']}（{p['reason']}），等待审批：{', '.join(p.get('roles') or [])}",
    '\nattachments:':
        '\n附件：',
    'kam: {len(bad)} attachment(s) of {contract_id.upper()} changed or missing: {listed}':
        'kam: {contract_id.upper()} 有 {len(bad)} 个附件被修改或缺失：{listed}',
    "kam: doctor found {len(result['problems'])} problem(s)":
        "kam: doctor 发现 {len(result['problems'])} 个问题",
    "ok: {result['records']} records and {result['events']} events checked ({', '.join(result['checks'])})":
        "正常：已检查 {result['records']} 条记录和 {result['events']} 个事件（{', '.join(result['checks'])}）",
    "qualified: {result['lead']['id']} → opportunity {opp['id']}":
        "已通过资格评估：{result['lead']['id']} → 商机 {opp['id']}",
    "\nstage: {card['stage_label']} — key node: {card['key_node']}":
        "\n阶段：{card['stage_label']} —— 关键节点：{card['key_node']}",
    'checklist:':
        '检查项：',
    "{opp['id']}: {result['from']} → {result['to']}{forced}, probability {opp['probability']}%, status {opp['status']}":
        "{opp['id']}：{result['from']} → {result['to']}{forced}，赢率 {opp['probability']}%，状态 {opp['status']}",
    "customer's step: {card['customer_step']}":
        "客户步骤：{card['customer_step']}",
    "start condition: {card['start_condition']}":
        "开始条件：{card['start_condition']}",
    "  [{mark}] {item['task']}  {item['label']}{req}":
        "  [{mark}] {item['task']}  {item['label']}{req}",
    "to leave {card['stage_label']} the gate still needs:":
        "离开{card['stage_label']}阶段，关键节点还需：",
    "  - {f['message']}":
        "  - {f['message']}",
    "gate open: ready to advance to {card['next_stage']}":
        "关键节点已满足：可推进到{card['next_stage']}",
    "{p['id']}: {p['amount']} {p['currency']} on {p['date']} for {p['contract_id']}":
        "{p['id']}：{p['date']} 回款 {p['amount']} {p['currency']}，合同 {p['contract_id']}",
    ' (required)':
        '（必需）',
    ' (forced)':
        '（强制）',
    'escalated':
        '已升级',
    'due':
        '到期',
    'overdue {level}d':
        '逾期 {level} 天',
    '{missing}: changes are refused until it loads':
        '{missing}：在它加载之前，一切修改都会被拒绝',
    # words and phrases code puts in a message's placeholder (a placeholder named
    # ``{id}`` matches one word)
    'delivered':
        '交付',
    'accepted':
        '验收',
    'closed':
        '结项',
    'handed over':
        '交接',
    'the signing':
        '签订日期',
    'the delivery':
        '到货日期',
    'the earlier acceptance':
        '前一次验收日期',
    'the final acceptance':
        '终验日期',
    'down payment {id} ({amount} {cur}, {outstanding} outstanding) is {days} days overdue':
        '首付款 {id}（{amount} {cur}，未回款 {outstanding}）已逾期 {days} 天',
    'contract {id}':
        '合同 {id}',
    'contract {id} (its pending amendment)':
        '合同 {id}（其待审变更）',
    'opportunity {id}':
        '商机 {id}',
    'an amount':
        '金额',
    'a number':
        '数字',
    'a whole number':
        '整数',
    'project number (--number)':
        '项目编号（--number）',
    'customer-side owner (--customer-owner)':
        '客户方负责人（--customer-owner）',
    'expected amount (--amount)':
        '预计金额（--amount）',
    'gross-margin estimate (--margin)':
        '预计毛利率（--margin）',
    'sales expense budget (--expense-budget)':
        '销售费用预算（--expense-budget）',
    'category (--category)':
        '类别（--category）',
    'expected signing date (--close-date)':
        '预计签约日期（--close-date）',
    'importance grade (--importance)':
        '重要性等级（--importance）',
    ' to {id}': '（商机 {id}）',
    'no such contract': '没有该合同',
    'ambiguous: {ids}': '有歧义：{ids}',
    # core/cli/check.py (complaints)
    "{'escalated':<12} {c['complaint_id']:<7} {c['customer_id']:<7} {c['severity']} complaint of {c['owner']} to {c['escalated_to']}":
        "{'escalated':<12} {c['complaint_id']:<7} {c['customer_id']:<7} {c['owner']} 的{c['severity']}投诉已升级至 {c['escalated_to']}",
    # core/services/complaints.py
    "complaint {record['id']} was closed on {record.get('closed_on')}: nothing to {action}":
        "投诉 {record['id']} 已于 {record.get('closed_on')} 关闭：无法再{action}",
    '--note: say what was replied to the customer':
        '--note：请写明给客户的答复',
    "--date: {when} is before the complaint ({record['date']})":
        "--date：{when} 早于投诉日期（{record['date']}）",
    "complaint {record['id']} was escalated already, to {record['escalated_to']} on {record.get('escalated_on')}":
        "投诉 {record['id']} 已于 {record.get('escalated_on')} 升级至 {record['escalated_to']}",
    "--to: the rules escalate {record['id']} ({record['severity']}) to nobody; name whom to escalate it to":
        "--to：按规则 {record['id']}（{record['severity']}）无需升级；请指明升级给谁",
    "complaint {record['id']} has no reply yet: reply to the customer first (kam complaint reply {record['id']} --note ...)":
        "投诉 {record['id']} 尚未答复：请先答复客户（kam complaint reply {record['id']} --note ...）",
    "--date: {when} is before the reply ({record['replied_on']})":
        "--date：{when} 早于答复日期（{record['replied_on']}）",
    "--contract: {found['id']} is a contract of {found['customer_id']}, not of {customer['id']}":
        "--contract：{found['id']} 是 {found['customer_id']} 的合同，不是 {customer['id']} 的",
    # core/services/service.py
    "--contract: {contract['id']} is a contract of {contract['customer_id']}, not of {customer_id}":
        "--contract：{contract['id']} 是 {contract['customer_id']} 的合同，不是 {customer_id} 的",
    "service {service['id']} was surveyed already ({earlier['id']} on {earlier['date']}): one survey per service":
        "服务记录 {service['id']} 已做过满意度调查（{earlier['date']} 的 {earlier['id']}）：每次服务只调查一次",
    "--date: {when} is before the service itself ({service['date']})":
        "--date：{when} 早于服务日期（{service['date']}）",
    # the money of a project (presales budget, contract P&L, deliveries, two-step collection)
    'unexpected argument {left[0]!r}':
        '多余的参数 {left[0]!r}',
    '{flag} {key}: give its amount ({flag} KEY AMOUNT)':
        '{flag} {key}：请给出金额（{flag} KEY AMOUNT）',
    'presales budget: {fmt_money(view[\'budget\'])} {view[\'currency\'] or \'\'} (original {fmt_money(view[\'original\'])}, approved adjustments {fmt_money(view[\'adjustments\'])}); spent {fmt_money(view[\'spent\'])}, left {fmt_money(view[\'left\'])}':
        '售前费用预算：{fmt_money(view[\'budget\'])} {view[\'currency\'] or \'\'}（原预算 {fmt_money(view[\'original\'])}，已批准调整 {fmt_money(view[\'adjustments\'])}）；已花费 {fmt_money(view[\'spent\'])}，剩余 {fmt_money(view[\'left\'])}',
    "{p['id']}: {p['amount']} {p['currency']} confirmed by {p['confirmed_by']} for {p['contract_id']}":
        "{p['id']}：{p['amount']} {p['currency']}，已由 {p['confirmed_by']} 确认，合同 {p['contract_id']}",
    "requested: {p['id']} counts once finance confirms it (kam pay confirm {p['id']})":
        "已申请：{p['id']} 经财务确认后计入（kam pay confirm {p['id']}）",
    'report war-room needs an opportunity ID (kam report war-room OP1)':
        'report war-room 需要商机编号（kam report war-room OP1）',
    'contract {cid} is {status}: {stage} costs are recorded once it is signed':
        '合同 {cid} 为{status}：{stage}成本在签约后才能记录',
    'contract {cid} is {status}: its accounts are closed':
        '合同 {cid} 为{status}：其核算已关闭',
    '--revenue: recognised revenue belongs to the actual account (--stage actual)':
        '--revenue：已确认收入属于核算（--stage actual）',
    "--category: give at least one CATEGORY AMOUNT{' or --revenue' if stage == 'actual' else ''}":
        "--category：请至少给出一项 CATEGORY AMOUNT{' or --revenue' if stage == 'actual' else ''}",
    '--category: {key} is given twice':
        '--category：{key} 重复给出',
    '--category {category}: a cost cannot be negative ({text})':
        '--category {category}：成本不能为负数（{text}）',
    'contract {cid} is signed: its {stage} is frozen at signing (record actual costs with --stage actual)':
        '合同 {cid} 已签订：其{stage}在签约时已冻结（实际成本请用 --stage actual 记录）',
    "--revenue: {values.fmt_money(recognised)} must be between 0 and the contract amount {values.fmt_money(contract['amount'])}":
        "--revenue：{values.fmt_money(recognised)} 应在 0 与合同金额 {values.fmt_money(contract['amount'])} 之间",
    "contract {contract['id']} has no final accounts (决算) yet (kam contract cost {contract['id']} --stage final --category CATEGORY AMOUNT)":
        "合同 {contract['id']} 尚无决算（kam contract cost {contract['id']} --stage final --category CATEGORY AMOUNT）",
    '--term: delivery_milestone must be full (the default: when the last line is confirmed) or first, not {out[key]!r}':
        '--term：delivery_milestone 应为 full（默认：最后一行确认时）或 first，而不是 {out[key]!r}',
    "contract {contract['id']} is {contract['status']}: only a signed contract delivers":
        "合同 {contract['id']} 为{contract['status']}：只有已签订的合同才能发货",
    "contract {contract['id']} was delivered in full on {contract['delivered_on']}":
        "合同 {contract['id']} 已于 {contract['delivered_on']} 全部交付",
    "delivery {d['id']} is {d['status']}: only a {status} delivery can be {what}":
        "发货单 {d['id']} 为{d['status']}：只有{status}的发货单才能{what}",
    "{who} requested delivery {d['id']} and may not review it (separation of duties): another person must decide":
        "{who} 申请了发货单 {d['id']}，不能审核自己的申请（职责分离）：须由他人决定",
    '--reason: a forced outbound needs a reason':
        '--reason：强制出库需要说明原因',
    "--line: {item!r} is not a subject line of contract {contract['id']} ({', '.join(items) or 'it has none'})":
        "--line：{item!r} 不是合同 {contract['id']} 的标的行（{', '.join(items) or 'it has none'}）",
    '--line: {item} is given twice':
        '--line：{item} 重复给出',
    '--line {spec}: the quantity must be above 0':
        '--line {spec}：数量必须大于 0',
    '--line {spec}: {_qty(str(left.get(item, ZERO)))} of {item} is still to deliver':
        '--line {spec}：{item} 尚待发货 {_qty(str(left.get(item, ZERO)))}',
    "--line: contract {contract['id']} has no subject lines; request the whole delivery without --line":
        "--line：合同 {contract['id']} 没有标的行；请不带 --line 申请整单发货",
    "contract {contract['id']} has no subject lines and its delivery is already requested":
        "合同 {contract['id']} 没有标的行，且已申请过发货",
    "contract {contract['id']}: every subject line is already requested":
        "合同 {contract['id']}：所有标的行均已申请发货",
    "delivery {d['id']} shipped although {what} (forced: {reason})":
        "发货单 {d['id']} 已出库，尽管{what}（强制：{reason}）",
    "delivery {d['id']}: {what}; the outbound waits for the advance (款到发货) — collect it, or pass --force --reason T":
        "发货单 {d['id']}：{what}；出库须等预付款到账（款到发货）——请先回款，或使用 --force --reason T",
    "delivery {d['id']} shipped although {what}":
        "发货单 {d['id']} 已出库，尽管{what}",
    "invoices are requested and approved here (kam.toml finance.approve_invoices): kam invoice request {contract['id']} --amount A, then finance runs kam invoice approve":
        "此处发票须先申请再审批（kam.toml finance.approve_invoices）：kam invoice request {contract['id']} --amount A，然后由财务执行 kam invoice approve",
    "invoice {invoice['id']} is {invoice.get('status') or 'issued'}: only a requested invoice is approved":
        "发票 {invoice['id']} 为{invoice.get('status') or 'issued'}：只能审批待审批的发票",
    "payment {payment['id']} is already confirmed":
        "回款 {payment['id']} 已确认",
    '{what}: the amount must be above 0 ({text} was given)':
        '{what}：金额必须大于 0（给出的是 {text}）',
    '--milestone: the milestones add up to {values.fmt_money(total)}, the budget is {values.fmt_money(amount)}; they must be equal':
        '--milestone：各阶段合计 {values.fmt_money(total)}，预算为 {values.fmt_money(amount)}；两者必须相等',
    'AMOUNT: the budget cannot be negative ({amount} was given)':
        'AMOUNT：预算不能为负数（给出的是 {amount}）',
    "opportunity {opp['id']} has already spent {values.fmt_money(spent)}: a budget of {values.fmt_money(budget_in_force(after))} in force is below it":
        "商机 {opp['id']} 已花费 {values.fmt_money(spent)}：生效预算 {values.fmt_money(budget_in_force(after))} 低于已花费金额",
    '--reason: say why the budget must grow':
        '--reason：请说明预算为何需要增加',
    "opportunity {opp['id']} has no presales budget to adjust: set one first (kam opp budget {opp['id']} AMOUNT)":
        "商机 {opp['id']} 没有可调整的售前预算：请先设置（kam opp budget {opp['id']} AMOUNT）",
    "opportunity {opp['id']} already has a budget adjustment waiting for approval: approve or reject it first":
        "商机 {opp['id']} 已有一份待审批的预算调整：请先批准或驳回",
    "opportunity {opp['id']} has no budget adjustment waiting for approval (kam opp budget-adjust {opp['id']} AMOUNT --reason T)":
        "商机 {opp['id']} 没有待审批的预算调整（kam opp budget-adjust {opp['id']} AMOUNT --reason T）",
    "opportunity {opp['id']} has no presales budget: set one first (kam opp budget {opp['id']} AMOUNT)":
        "商机 {opp['id']} 没有售前预算：请先设置（kam opp budget {opp['id']} AMOUNT）",
    "over budget: opportunity {opp['id']} has {values.fmt_money(view['left'])} of {values.fmt_money(view['budget'])} left, {values.fmt_money(money)} was given; an approved adjustment raises it (kam opp budget-adjust {opp['id']} AMOUNT --reason T)":
        "超出预算：商机 {opp['id']} 预算 {values.fmt_money(view['budget'])} 剩余 {values.fmt_money(view['left'])}，本次为 {values.fmt_money(money)}；经批准的预算调整可增加预算（kam opp budget-adjust {opp['id']} AMOUNT --reason T）",
    '--until: {end} is before --since {start}':
        '--until：{end} 早于 --since {start}',
    '--criterion: give the criteria, or --met N / --clear N':
        '--criterion：请给出撤出标准，或使用 --met N / --clear N',
    '--milestone: {stage} is given twice':
        '--milestone：{stage} 重复给出',
    '--milestone {key}: the amount cannot be negative ({text})':
        '--milestone {key}：金额不能为负数（{text}）',
    '{option}: {file} is not a readable file':
        '{option}：{file} 不是可读取的文件',
    '{option}: {file}: {exc.strerror}':
        '{option}：{file}：{exc.strerror}',
    "--{'met' if flag else 'clear'}: {n} is not a criterion of {opp['id']} (it has {len(current)})":
        "--{'met' if flag else 'clear'}：{n} 不是 {opp['id']} 的撤出标准（共 {len(current)} 条）",
    "check the withdrawal criteria (撤出标准) before leaving: {'; '.join((str(t) for t in unmet))}":
        "离开本阶段前请核对撤出标准：{'; '.join((str(t) for t in unmet))}",
    "withdrawal criterion {n} met on {c['met_on']} (撤出标准): {c.get('criterion')} — kam opp abandon {opp['id']} --reason T, or kam opp withdrawal {opp['id']} --clear {n}":
        "撤出标准 {n} 已于 {c['met_on']} 满足：{c.get('criterion')} —— 执行 kam opp abandon {opp['id']} --reason T，或 kam opp withdrawal {opp['id']} --clear {n}",
    "budget adjustment of {pending['amount']} waiting for approval":
        "预算调整 {pending['amount']} 待审批",
    # plans, renewals and anomaly flags
    "{'renewal':<12} {n['contract_id']:<7} {n['customer_id']:<7} service ends {n['service_end']} ({n['days_left']} days)":
        "{'renewal':<12} {n['contract_id']:<7} {n['customer_id']:<7} 服务期于 {n['service_end']} 结束（还有 {n['days_left']} 天）",
    "{'flagged':<12} {n['customer_id']:<7} {n['type']}: {n['note']}":
        "{'flagged':<12} {n['customer_id']:<7} {n['type']}：{n['note']}",
    "advice: {card['acquisition_advice']}":
        "建议：{card['acquisition_advice']}",
    'anomaly rule failed: {f.message} [{f.plugin}]':
        '异常客户规则出错：{f.message} [{f.plugin}]',
    "--team: {squad!r} is the owner itself; a team's own target has no --team":
        '--team：{squad!r} 就是目标的负责人；团队自己的目标不带 --team',
    "target {outer['period']} for {who} is {fmt_money(outer['amount'])} {outer['currency']} but its parts ({names}) add up to {fmt_money(total)}: {rule}, so the parts must fit; raise {outer['period']} or lower its parts":
        "{who} 的 {outer['period']} 目标为 {fmt_money(outer['amount'])} {outer['currency']}，但其分解（{names}）合计 {fmt_money(total)}：{rule}，分解不能超过总目标；请调高 {outer['period']} 的目标或调低分解",
    '--{name}: {values.fmt_money(bound)} does not fit the target {values.fmt_money(money)} (保底 floor ≤ target ≤ stretch)':
        '--{name}：{values.fmt_money(bound)} 与目标 {values.fmt_money(money)} 不符（保底目标 ≤ 目标 ≤ 挑战目标）',
    "鞭打快牛 fast ox: target {target['period']} for {target['owner']} is {values.fmt_money(target['amount'])} {target['currency']}, more than {factor:g} × the {values.fmt_money(history)} won in {before}":
        "鞭打快牛：{target['owner']} 的 {target['period']} 目标为 {values.fmt_money(target['amount'])} {target['currency']}，超过 {before} 实际签单 {values.fmt_money(history)} 的 {factor:g} 倍",
    "{len(late)} milestone(s) {days}+ days overdue (worst {worst['id']}, {worst['days_overdue']} days, {worst['outstanding']} {worst['currency']} outstanding)":
        "{len(late)} 个回款节点逾期 {days} 天以上（最久 {worst['id']}，逾期 {worst['days_overdue']} 天，未回款 {worst['outstanding']} {worst['currency']}）",
    'renewal':
        '续单提醒',
    'flagged':
        '异常标记',
    'a month rolls up into its quarter and a quarter into its year':
        '月目标汇入季度目标，季度目标汇入年度目标',
    "the members' targets are parts of their team's":
        '成员目标是团队目标的分解',
    "customer targets are parts of their owner's":
        '客户目标是其负责人目标的分解',
    "product-line targets are parts of their owner's":
        '产品线目标是其负责人目标的分解',
    # import in bulk
    "{path} row {n}: event {event['id']} would become {kept['id']}; events must run EV1, EV2, … without gaps":
        "{path} 第 {n} 行：事件 {event['id']} 将变为 {kept['id']}；事件编号必须从 EV1、EV2 起连续，不能有空缺",
    # selling as a team (deal team, scoring, negotiation, trials, visit plans, collection notes)
    "trial {t['seq']} {t['start']}..{t['end']}: {t['scope']} — {t['criteria']} [{t['result']}]":
        "试用 {t['seq']} {t['start']}..{t['end']}：{t['scope']} — {t['criteria']} [{t['result']}]",
    "concession {c['on']} ({c['direction']}): {c['what']}":
        "让步 {c['on']}（{c['direction']}）：{c['what']}",
    "evaluation {e['on']} ({model}, by {e['by']}): score {e['score']}":
        "评估 {e['on']}（{model}，评估人 {e['by']}）：得分 {e['score']}",
    "  value {c['value']} {c['currency']}":
        "  价值 {c['value']} {c['currency']}",
    "  in exchange for {c['exchange']}":
        "  交换条件 {c['exchange']}",
    "  discount {c['discount']}%":
        "  折扣 {c['discount']}%",
    "  approved by {c['approved_by']}":
        "  批准人 {c['approved_by']}",
    '--member: targets are per owner, not per deal team; use --owner':
        '--member：目标按负责人设定，不按项目团队；请用 --owner',
    '--criterion: {name!r} is no criterion of the evaluation model {self.key}; its criteria: {known}':
        '--criterion：{name!r} 不是评估模型 {self.key} 的评估项；其评估项为：{known}',
    '--criterion {self.key}: {value!r} is not on its scale; use one of: {allowed}':
        '--criterion {self.key}：{value!r} 不在其评分范围内；请用以下之一：{allowed}',
    "evaluation model {self.key}: score every criterion; missing {', '.join(missing)}":
        "评估模型 {self.key}：每个评估项都要打分；缺少 {', '.join(missing)}",
    'evaluation model {self.key}: weights add up to {total}':
        '评估模型 {self.key}：权重合计为 {total}',
    '--criterion {c.key}: given twice':
        '--criterion {c.key}：重复给出',
    'USER: a team member needs a name':
        'USER：团队成员需要姓名',
    "--role: the owner is set with kam opp edit --owner; choose a member's role":
        '--role：负责人请用 kam opp edit --owner 设置；请为成员选择角色',
    "{name} is already on the team of {opp['id']} as {vocab.label('deal_role', key, ws.lang)}":
        "{name} 已是 {opp['id']} 的团队成员，角色为 {vocab.label('deal_role', key, ws.lang)}",
    "{name} is not on the team of {opp['id']}":
        "{name} 不是 {opp['id']} 的团队成员",
    "opportunity {opp['id']} is {opp['status']}: the negotiation is over":
        "商机 {opp['id']} 为{opp['status']}：谈判已结束",
    '--what: say what was conceded':
        '--what：请说明让步的内容',
    '--value: {value} must not be negative':
        '--value：{value} 不能为负数',
    '--date: {day} is in the future (today is {ws.today})':
        '--date：{day} 是未来日期（今天是 {ws.today}）',
    "concession on {opp['id']} brings the discount to {discount}%, which a contract would send to {', '.join(needed)}: record it with their approval (--approved-by NAME)":
        "商机 {opp['id']} 的这次让步使折扣达到 {discount}%，按合同规则需经 {', '.join(needed)} 审批：请记录其审批（--approved-by NAME）",
    "--approved-by: {approver} owns {opp['id']} and cannot approve its own concession":
        "--approved-by：{approver} 是 {opp['id']} 的负责人，不能批准自己的让步",
    "receivable {record['id']} is {view['state']}: nothing to collect":
        "应收 {record['id']} 为{view['state']}：无需催收",
    '--promised: {day} is in the past (today is {ws.today})':
        '--promised：{day} 已过去（今天是 {ws.today}）',
    "--criterion KEY=VALUE for each criterion of {chosen.key}: {', '.join((c.key for c in chosen.criteria))}":
        "请为 {chosen.key} 的每个评估项给出 --criterion KEY=VALUE：{', '.join((c.key for c in chosen.criteria))}",
    '--criterion: {pair!r} must be KEY=VALUE':
        '--criterion：{pair!r} 应写成 KEY=VALUE',
    '{option}: required for a new trial':
        '{option}：新的试用必须给出',
    "--trial: {opp['id']} has no trial {trial} ({len(trials)} recorded)":
        "--trial：{opp['id']} 没有第 {trial} 次试用（已记录 {len(trials)} 次）",
    "--result: passed or failed, for the trial's result":
        '--result：试用结果为 passed 或 failed',
    "trial {trial} of {opp['id']} already {entry['result']}: record a new trial":
        "{opp['id']} 的第 {trial} 次试用已为{entry['result']}：请记录新的试用",
    "opportunity {opp['id']} is {opp['status']}: no new trials":
        "商机 {opp['id']} 为{opp['status']}：不能再记录试用",
    '--end: {last} is before --start {first}':
        '--end：{last} 早于 --start {first}',
    'OWNER: a visit plan needs an owner':
        'OWNER：拜访计划需要负责人',
    '--count: {count} must not be negative':
        '--count：{count} 不能为负数',
    'PERIOD: {text!r} is no month':
        'PERIOD：{text!r} 不是有效的月份',
    'PERIOD: {text!r} must be a month (2026-03), an ISO week (2026-W10) or a day (2026-03-02)':
        'PERIOD：{text!r} 应为月份（2026-03）、ISO 周（2026-W10）或日期（2026-03-02）',
    'PERIOD: {text!r} is no ISO week':
        'PERIOD：{text!r} 不是有效的 ISO 周',
    'unknown evaluation model {key!r}; registered: {known}':
        '未知的评估模型 {key!r}；已注册：{known}',
    "no passed trial before bidding (kam opp trial {opp['id']} --scope T --start D --end D --criteria T, then --trial N --result passed)":
        "投标前没有通过的试用（kam opp trial {opp['id']} --scope T --start D --end D --criteria T，然后 --trial N --result passed）",
    "no evaluation: 立项 needs a score of at least {minimum:f} (kam opp score {opp['id']} --criterion KEY=VALUE ...)":
        "尚无评估：立项需要至少 {minimum:f} 分（kam opp score {opp['id']} --criterion KEY=VALUE ...）",
    "evaluation score {current['score']} of {current['on']} is below the minimum {minimum:f} for 立项 (rules.min_score)":
        "{current['on']} 的评估得分 {current['score']} 低于立项最低分 {minimum:f}（rules.min_score）",
    # 招投标评分表 (kam opp tender) and a contract's deal team (kam contract show)
    "\ndeal team of {c['opportunity_id']}:":
        "\n{c['opportunity_id']} 的项目团队（铁三角）：",
    "tender scoring sheet: technical {sheet['technical_weight']}%, commercial {sheet['commercial_weight']}%":
        "招投标评分表：技术 {sheet['technical_weight']}%，商务 {sheet['commercial_weight']}%",
    "our rank: {sheet['our_rank']} of {len(sheet['bidders'])} (weighted total {sheet['our_total']})":
        "我方排名：第 {sheet['our_rank']} / {len(sheet['bidders'])}（综合得分 {sheet['our_total']}）",
    '--competitor: {text!r} must be NAME=TECH,COMM':
        '--competitor：{text!r} 应为 名称=技术分,商务分（NAME=TECH,COMM）',
    '--competitor: {name!r} is the name of our own row (use --ours)':
        '--competitor：{name!r} 是我方一行的名称（请用 --ours）',
    "opportunity {opp['id']} is {opp['status']}: no new tender sheet":
        "商机 {opp['id']} 为{opp['status']}：不能再记录招投标评分表",
    '--technical-weight {tw:f} and --commercial-weight {cw:f} must add up to 100':
        '--technical-weight {tw:f} 与 --commercial-weight {cw:f} 之和必须为 100',
    '--competitor: each competitor once':
        '--competitor：每个竞争对手只能出现一次',
    # kam config set, plugins trust|require, kam load's summary
    '{key} = {shown}':
        '已设置 {key} = {shown}',
    'no longer trusted: {key}':
        '已撤销信任：{key}',
    'trusted: {key}':
        '已信任：{key}',
    'plugins.required = {wanted}':
        '必需的插件（plugins.required）= {wanted}',
    'dry run, nothing kept: {summary}; columns ignored: {columns}':
        '试运行，未保存任何记录：{summary}；忽略的列：{columns}',
    'dry run, nothing kept: {summary}':
        '试运行，未保存任何记录：{summary}',
    '{summary}; columns ignored: {columns}':
        '{summary}；忽略的列：{columns}',
    # doctor's problems
    "outbox {d['id']}: {d['hook']} to plugin {d['plugin']} is dead after {d['tries']} tries ({d['error']}); kam events retry --dead":
        "投递 {d['id']}：{d['hook']} 发往插件 {d['plugin']}，尝试 {d['tries']} 次后已放弃（{d['error']}）；请运行 kam events retry --dead",
    "attachment {record['id']}: {record['path']} cannot be read (missing?)":
        "附件 {record['id']}：无法读取 {record['path']}（文件缺失？）",
    "receivable {r['id']}: paid and written off {taken} exceed its amount {r['amount']}":
        "回款节点 {r['id']}：已回款与核销合计 {taken}，超过其金额 {r['amount']}",
    "receivable {r['id']}: invoiced {billed[r['id']]} exceeds its amount {r['amount']}":
        "回款节点 {r['id']}：已开票 {billed[r['id']]}，超过其金额 {r['amount']}",
    "contract {c['id']}: milestones sum to {sums[c['id']]}, not the contract amount {c['amount']}":
        "合同 {c['id']}：回款节点合计 {sums[c['id']]}，不等于合同金额 {c['amount']}",
    "contract {c['id']}: invoiced {billed[c['id']]} exceeds the contract amount {c['amount']}":
        "合同 {c['id']}：已开票 {billed[c['id']]}，超过合同金额 {c['amount']}",
    "payment {p['id']}: allocations sum to {allocated}, not {p['amount']}":
        "回款 {p['id']}：分配合计 {allocated}，不等于 {p['amount']}",
    '{k.name} {rid}: no event names it (a change without its audit trail)':
        '{k.name} {rid}：没有事件记录它（缺少审计记录的变更）',
    "attachment {record['id']}: {record['path']} changed (SHA-256 differs from the record)":
        "附件 {record['id']}：{record['path']} 已被改动（SHA-256 与记录不符）",
    "{k.name} {record['id']}: {name} is negative ({value})":
        "{k.name} {record['id']}：{name} 为负数（{value}）",
    "{k.name} {record['id']}: {name} names {target} {v}, which does not exist":
        "{k.name} {record['id']}：{name} 指向不存在的{target} {v}",
    '{folder}: holds both kam.db and data/*.csv; backend = {backend!r} reads only one of them':
        '{folder}：同时有 kam.db 和 data/*.csv；backend = {backend!r} 只读取其中之一',
    '{toml}: writable by others (chmod 600 {toml})':
        '{toml}：其他用户可写（请运行 chmod 600 {toml}）',
    '{toml}: cannot be read ({exc})':
        '{toml}：无法读取（{exc}）',
    # kam events retry
    "{result['tried']} tried: {result['delivered']} delivered, {result['failed']} failed; left: {result['pending']} pending, {result['dead']} dead":
        "尝试投递 {result['tried']} 个：成功 {result['delivered']} 个，失败 {result['failed']} 个；剩余待投递 {result['pending']} 个，已放弃 {result['dead']} 个",
    # notices and section titles commands print (kam.cli)
    'kam: interrupted':
        'kam: 已中断',
    'kam: internal error: {type(exc).__name__}: {exc} (a bug; rerun with --debug for the traceback)':
        'kam: 内部错误：{type(exc).__name__}: {exc}（这是程序缺陷；加 --debug 重新运行可看到调用栈）',
    'kam: --lang: {lang!r} must be zh, zh-Hant or en':
        'kam: --lang：{lang!r} 必须是 zh、zh-Hant 或 en',
    "\nsigning checklist ({_term(ctx, '签约成交')}):":
        '\n签约成交检查清单：',
    "\ndeliveries ({_term(ctx, '发货')}):":
        '\n发货：',
    "\nP&L ({_term(ctx, '概算/预算/核算/决算')}):":
        '\n损益（概算/预算/核算/决算）：',
    "{cu['id']} matrix {cu.get('matrix')}, set by hand by {cu['matrix_set_by']}; the rule says {r['rule'] or 'nothing'} (--rule to apply it)":
        "{cu['id']} 客户矩阵：{cu.get('matrix')}，由 {cu['matrix_set_by']} 手工设定；规则给出：{r['rule'] or 'nothing'}（加 --rule 按规则设定）",
    "{cu['id']} matrix {cu.get('matrix') or '-'}: the rule needs the potential and the relationship (customer edit --potential --relationship)":
        "{cu['id']} 客户矩阵：{cu.get('matrix') or '-'}；规则需要潜力和关系（customer edit --potential --relationship）",
    "{cu['id']} matrix {cu['matrix']} (by rule)":
        "{cu['id']} 客户矩阵：{cu['matrix']}（按规则）",
    "\ncontract {d['contract_id']} delivered on {d['confirmed_on']}; milestones now due: {due}":
        "\n合同 {d['contract_id']} 已于 {d['confirmed_on']} 交付；现已到期的回款节点：{due}",
    "\ncontract {d['contract_id']} delivered on {d['confirmed_on']}":
        "\n合同 {d['contract_id']} 已于 {d['confirmed_on']} 交付",
    "{record['id']} checklist: {ticked}":
        "{record['id']} 已完成的检查项：{ticked}",
    'nothing':
        '无',
    # a stage passage's note (kam.services.opportunities)
    'contract {contract_id} signed':
        '合同 {contract_id} 已签订',
    # case-analysis report (案例分析报告) and the budget per milestone
    "review: {f['message']}":
        "复盘：{f['message']}",
    "case analysis by {case.get('by') or '-'} on {case['on']}: {case['summary']}":
        "案例分析报告（{case.get('by') or '-'}，{case['on']}）：{case['summary']}",
    "  lessons: {case['lessons']}":
        "  经验教训：{case['lessons']}",
    "  attachment: {case['attachment']['path']}":
        "  附件：{case['attachment']['path']}",
    '--summary: say what happened in the deal':
        '--summary：请说明项目的经过',
    "opportunity {opp['id']} is {opp['status']}: a case analysis is written after a win or a loss":
        "商机 {opp['id']} 的状态是 {opp['status']}：案例分析报告在赢单或丢单之后撰写",
    "over the milestone budget: {stage} of opportunity {opp['id']} has {values.fmt_money(part['left'])} of {values.fmt_money(part['budget'])} left, {values.fmt_money(money)} was given; an approved adjustment for it raises it (kam opp budget-adjust {opp['id']} AMOUNT --milestone {stage} --reason T)":
        "超出阶段预算：商机 {opp['id']} 的 {stage} 阶段预算 {values.fmt_money(part['budget'])}，剩余 {values.fmt_money(part['left'])}，本次 {values.fmt_money(money)}；针对该阶段的调整表获批后方可增加（kam opp budget-adjust {opp['id']} AMOUNT --milestone {stage} --reason T）",
    "{opp.get('importance')} deal {opp['id']} was {opp['status']} without a case-analysis report (案例分析报告) — kam opp case-analysis {opp['id']} --summary T":
        "{opp.get('importance')} 级项目 {opp['id']} 已{opp['status']}，还没有案例分析报告 — kam opp case-analysis {opp['id']} --summary T",
    "opportunity {opp['id']} has already spent {values.fmt_money(under['spent'])} in {under['stage']}: its milestone budget of {values.fmt_money(under['budget'])} would be below it":
        "商机 {opp['id']} 在 {under['stage']} 阶段已花费 {values.fmt_money(under['spent'])}：该阶段预算 {values.fmt_money(under['budget'])} 将低于已花费的金额",
    'payment_sums: {by!r} must be month, quarter or year':
        'payment_sums：{by!r} 须为 month（月）、quarter（季度）或 year（年）',
}
