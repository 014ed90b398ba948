"""Traditional Chinese (zh-Hant) forms of the message templates of
kam.messages_zh: data, drafted by scripts/draft_messages_zh_hant.py with OpenCC
s2t and reviewed (kam.messages). A template missing here fails
tests/test_messages.py."""

# ruff: noqa: E501 - one message a line, however long

ZH_HANT: dict[str, str] = {
    '{name!r} 来自插件 {name!r}，该插件加载失败：{error.error}':
        '{name!r} 來自插件 {name!r}，該插件加載失敗：{error.error}',
    "--format：{fmt!r} 不是以下之一：{', '.join(FORMATS + extra)}":
        "--format：{fmt!r} 不是以下之一：{', '.join(FORMATS + extra)}",
    '--option：{pair!r} 应写成 key=value':
        '--option：{pair!r} 應寫成 key=value',
    'template：{kind!r} 不是模板格式；请用 xlsx':
        'template：{kind!r} 不是模板格式；請用 xlsx',
    "配置项 {key!r}：只能使用字母、数字、'_' 和 '.'":
        "配置項 {key!r}：只能使用字母、數字、'_' 和 '.'",
    '{path}: {exc}':
        '{path}: {exc}',
    '{path}：无法读取（{exc}）':
        '{path}：無法讀取（{exc}）',
    '没有配置项 {key!r}':
        '沒有配置項 {key!r}',
    '配置项 {key!r}：{part} 不是表':
        '配置項 {key!r}：{part} 不是表',
    '{text!r}：应为字符串或整数的列表':
        '{text!r}：應為字符串或整數的列表',
    '{text!r} 不是形如 ["a", "b"] 的列表':
        '{text!r} 不是形如 ["a", "b"] 的列表',
    '{where}: {key} {problem}':
        '{where}: {key} {problem}',
    '--field：{pair!r} 应写成 key=value':
        '--field：{pair!r} 應寫成 key=value',
    '--field {key}：{value} 不是数字':
        '--field {key}：{value} 不是數字',
    "--field {key}：{str(exc).split(': ', 1)[-1]}":
        "--field {key}：{str(exc).split(': ', 1)[-1]}",
    '--field {key}：{exc}':
        '--field {key}：{exc}',
    '从{stage}阶段起必须填写 {spec.shown(name, ws.lang)}（{name}）（--field {name}=...）':
        '從{stage}階段起必須填寫 {spec.shown(name, ws.lang)}（{name}）（--field {name}=...）',
    '{path} 已存在且不是之前生成的 kam 演示；请换一个 --path':
        '{path} 已存在且不是之前生成的 kam 演示；請換一個 --path',
    'kam.toml events.{key}：{raw!r} 必须是不小于 1 的整数':
        'kam.toml events.{key}：{raw!r} 必須是不小於 1 的整數',
    '--status：{status!r} 不是 pending、delivered、dead 之一':
        '--status：{status!r} 不是 pending、delivered、dead 之一',
    '{error}（{then}）':
        '{error}（{then}）',
    '事件投递无法记录（{exc}）；它们仍为待投递，可能会再次投递':
        '事件投遞無法記錄（{exc}）；它們仍為待投遞，可能會再次投遞',
    'PERIOD：{text!r} 必须是年份（2026）、季度（2026-Q1）或月份（2026-03）':
        'PERIOD：{text!r} 必須是年份（2026）、季度（2026-Q1）或月份（2026-03）',
    '阶段模型 {self.key} 中没有阶段 {key!r}':
        '階段模型 {self.key} 中沒有階段 {key!r}',
    "未知阶段 {text!r}；{self.key} 的阶段有：{', '.join((s.key for s in self.stages))}":
        "未知階段 {text!r}；{self.key} 的階段有：{', '.join((s.key for s in self.stages))}",
    '阶段模型 {self.key} 中没有检查项 {text!r}':
        '階段模型 {self.key} 中沒有檢查項 {text!r}',
    'kam.toml [{name}]：插件的配置模式返回了 {type(out).__name__}，而不是表':
        'kam.toml [{name}]：插件的配置模式返回了 {type(out).__name__}，而不是表',
    'kam.toml [{name}]：{exc}':
        'kam.toml [{name}]：{exc}',
    "kam.toml [{name}] {key}：{err['msg'].removeprefix('Value error, ')}":
        "kam.toml [{name}] {key}：{err['msg'].removeprefix('Value error, ')}",
    '插件目录 {folder} 不存在':
        '插件目錄 {folder} 不存在',
    '商机报表需要商机编号（kam report opportunity OP1）':
        '商機報表需要商機編號（kam report opportunity OP1）',
    '客户报表需要客户编号（kam report account CU1）':
        '客戶報表需要客戶編號（kam report account CU1）',
    '--buckets：{text!r} 必须是递增的整天数（≥ 1）':
        '--buckets：{text!r} 必須是遞增的整天數（≥ 1）',
    '交接单报表需要合同编号（kam report handover CO1）':
        '交接單報表需要合同編號（kam report handover CO1）',
    '--days：不能为负数':
        '--days：不能為負數',
    '--buckets：{text!r} 必须是整天数，如 30,60,90,180':
        '--buckets：{text!r} 必須是整天數，如 30,60,90,180',
    '--by：{by!r} 必须是 month、quarter 或 year':
        '--by：{by!r} 必須是 month、quarter 或 year',
    '{record_id}：活动记在商机（OP…）、线索（LD…）或客户（CU…）上':
        '{record_id}：活動記在商機（OP…）、線索（LD…）或客戶（CU…）上',
    "--contact：{contact['id']} 不是 {links['customer_id']} 的联系人":
        "--contact：{contact['id']} 不是 {links['customer_id']} 的聯繫人",
    "{record['opportunity_id']} 已连续 {CONTINUANCE_RUN} 次拜访以暂时中断告终：下一次要争取到客户承诺":
        "{record['opportunity_id']} 已連續 {CONTINUANCE_RUN} 次拜訪以暫時中斷告終：下一次要爭取到客戶承諾",
    '{path} 已经是 kam 工作区':
        '{path} 已經是 kam 工作區',
    "--backend：未知存储后端 {cfg['backend']!r}；已安装：{known}":
        "--backend：未知存儲後端 {cfg['backend']!r}；已安裝：{known}",
    '{path / kam_config.FILE}：{new[0][0]} {new[0][1]}':
        '{path / kam_config.FILE}：{new[0][0]} {new[0][1]}',
    '--currency：{currency!r} 不是三位字母的货币代码':
        '--currency：{currency!r} 不是三位字母的貨幣代碼',
    '--lang：{lang!r} 必须是 zh、zh-Hant 或 en':
        '--lang：{lang!r} 必須是 zh、zh-Hant 或 en',
    '--pipeline：未知阶段模型 {pipeline!r}；已注册：{known}':
        '--pipeline：未知階段模型 {pipeline!r}；已註冊：{known}',
    'language（语言）必须是 zh、zh-Hant 或 en':
        'language（語言）必須是 zh、zh-Hant 或 en',
    "pipeline：{typed!r} 不是阶段模型；可用：{', '.join(sorted(models))}":
        "pipeline：{typed!r} 不是階段模型；可用：{', '.join(sorted(models))}",
    '插件 {name!r} 不是必需插件':
        '插件 {name!r} 不是必需插件',
    '插件 {name!r} 未在此加载（见 kam plugins list）；设为必需会拒绝一切修改':
        '插件 {name!r} 未在此加載（見 kam plugins list）；設為必需會拒絕一切修改',
    '没有操作人：请设置 KAM_USER 或 kam.toml 中的 `user`':
        '沒有操作人：請設置 KAM_USER 或 kam.toml 中的 `user`',
    '--by：{by.strip()} 不是当前操作人 {actor}；审批记在执行者名下（KAM_USER={by.strip()} kam ...）':
        '--by：{by.strip()} 不是當前操作人 {actor}；審批記在執行者名下（KAM_USER={by.strip()} kam ...）',
    'kam.toml roles：必须是表，例如 [roles] "张伟" = ["sales_manager"]':
        'kam.toml roles：必須是表，例如 [roles] "張偉" = ["sales_manager"]',
    '{who} 没有角色 {role}（kam.toml [roles] 中 {who}：{mine}）；只有 {role} 才能对{what}作出决定':
        '{who} 沒有角色 {role}（kam.toml [roles] 中 {who}：{mine}）；只有 {role} 才能對{what}作出決定',
    'kam.toml roles.{user}：必须是角色名列表，例如 ["sales_manager"]':
        'kam.toml roles.{user}：必須是角色名列表，例如 ["sales_manager"]',
    '{who} 是{what}的负责人，不能自己审批（职责分离）：须由他人决定':
        '{who} 是{what}的負責人，不能自己審批（職責分離）：須由他人決定',
    'kam.toml receivables.overdue_levels：逾期级别至少为 1 天':
        'kam.toml receivables.overdue_levels：逾期級別至少為 1 天',
    'kam.toml receivables.overdue_levels：{raw!r} 必须是整天数的列表':
        'kam.toml receivables.overdue_levels：{raw!r} 必須是整天數的列表',
    'kam.toml receivables.due_reminder_days：{raw!r} 不是数字':
        'kam.toml receivables.due_reminder_days：{raw!r} 不是數字',
    '事件投递未重试：{exc}':
        '事件投遞未重試：{exc}',
    '{where}: {msg}':
        '{where}: {msg}',
    "合同 {contract['id']} 为{contract['status']}：不能变更":
        "合同 {contract['id']} 為{contract['status']}：不能變更",
    '--reason：合同变更需要说明原因':
        '--reason：合同變更需要說明原因',
    '--delta：不能为 0':
        '--delta：不能為 0',
    '--delta：金额将变为 {values.fmt_money(new_amount)}':
        '--delta：金額將變為 {values.fmt_money(new_amount)}',
    "合同 {contract['id']} 已有一项待审批的变更":
        "合同 {contract['id']} 已有一項待審批的變更",
    "合同 {contract['id']}：变更后金额为 {values.fmt_money(new_amount)}，低于已开票的 {values.fmt_money(total)}":
        "合同 {contract['id']}：變更後金額為 {values.fmt_money(new_amount)}，低於已開票的 {values.fmt_money(total)}",
    '{label}：变更后为 {values.fmt_money(amount)}，低于已回款或核销的 {values.fmt_money(paid)}':
        '{label}：變更後為 {values.fmt_money(amount)}，低於已回款或核銷的 {values.fmt_money(paid)}',
    '{label}：变更后为 {values.fmt_money(amount)}，低于已开票的 {values.fmt_money(billed)}':
        '{label}：變更後為 {values.fmt_money(amount)}，低於已開票的 {values.fmt_money(billed)}',
    '结转的合同需要说明原因':
        '結轉的合同需要說明原因',
    'signed_on：{on} 是未来日期（今天是 {ws.today}）':
        'signed_on：{on} 是未來日期（今天是 {ws.today}）',
    "合同 {contract['id']} 已经是{contract['status']}":
        "合同 {contract['id']} 已經是{contract['status']}",
    'FILE：{file} 不是可读的文件':
        'FILE：{file} 不是可讀的文件',
    'FILE：{file}：{exc.strerror}':
        'FILE：{file}：{exc.strerror}',
    "合同 {contract['id']} 为{contract['status']}：只有已签订的合同才能{what}":
        "合同 {contract['id']} 為{contract['status']}：只有已簽訂的合同才能{what}",
    '--date：{on} 是未来日期（今天是 {ws.today}）':
        '--date：{on} 是未來日期（今天是 {ws.today}）',
    '--date：{on} 早于{what}（{after}）':
        '--date：{on} 早於{what}（{after}）',
    "合同 {contract['id']} 已于 {contract['delivered_on']} 到货":
        "合同 {contract['id']} 已於 {contract['delivered_on']} 到貨",
    '--reason：强制交付需要说明原因':
        '--reason：強制交付需要說明原因',
    "合同 {contract['id']} 尚未到货（kam contract deliver {contract['id']}）":
        "合同 {contract['id']} 尚未到貨（kam contract deliver {contract['id']}）",
    "合同 {contract['id']} 已于 {contract['final_accepted_on']} 通过终验":
        "合同 {contract['id']} 已於 {contract['final_accepted_on']} 通過終驗",
    "合同 {contract['id']} 尚未终验（kam contract accept {contract['id']} --stage final）":
        "合同 {contract['id']} 尚未終驗（kam contract accept {contract['id']} --stage final）",
    '--reason：终止合同需要说明原因':
        '--reason：終止合同需要說明原因',
    "未知的交接单字段：{', '.join(sorted(unknown))}":
        "未知的交接單字段：{', '.join(sorted(unknown))}",
    '--end：实施结束日期早于开始日期':
        '--end：實施結束日期早於開始日期',
    "合同 {contract['id']} 已于 {contract['initial_accepted_on']} 通过初验":
        "合同 {contract['id']} 已於 {contract['initial_accepted_on']} 通過初驗",
    "合同 {contract['id']} 已交付，尽管{what}（强制：{reason}）":
        "合同 {contract['id']} 已交付，儘管{what}（強制：{reason}）",
    "合同 {contract['id']}：{what}；款到发货，须先收到预付款——请催收，或加 --force --reason T":
        "合同 {contract['id']}：{what}；款到發貨，須先收到預付款——請催收，或加 --force --reason T",
    "合同 {contract['id']} 已交付，尽管{what}":
        "合同 {contract['id']} 已交付，儘管{what}",
    '--plan：付款计划为空':
        '--plan：付款計劃為空',
    '--plan {part}：比例必须大于 0':
        '--plan {part}：比例必須大於 0',
    '--plan {part}：偏移 {text!r} 必须是天数（+10d）或月数（+12m）':
        '--plan {part}：偏移 {text!r} 必須是天數（+10d）或月數（+12m）',
    '--plan：最后一个之前的回款节点合计 {values.fmt_money(sum(head, Decimal(0)))}，超过合同金额 {values.fmt_money(amount)}':
        '--plan：最後一個之前的回款節點合計 {values.fmt_money(sum(head, Decimal(0)))}，超過合同金額 {values.fmt_money(amount)}',
    '所有回款节点均已回款或核销：没有节点可以承担这项变动':
        '所有回款節點均已回款或核銷：沒有節點可以承擔這項變動',
    '未结回款节点合计 {values.fmt_money(open_total)}：变动 {values.fmt_money(delta)} 会使其为负':
        '未結回款節點合計 {values.fmt_money(open_total)}：變動 {values.fmt_money(delta)} 會使其為負',
    '回款节点偏移 {offset!r} 无效':
        '回款節點偏移 {offset!r} 無效',
    '--plan：{part!r} 应写成 KIND:SHARE:OFFSET（down_payment:30%:+10d）':
        '--plan：{part!r} 應寫成 KIND:SHARE:OFFSET（down_payment:30%:+10d）',
    '--plan {part}：固定日期节点需要日期（fixed_date:20%:2026-06-30）':
        '--plan {part}：固定日期節點需要日期（fixed_date:20%:2026-06-30）',
    '审批角色规则返回了 {role!r}，不是角色名':
        '審批角色規則返回了 {role!r}，不是角色名',
    "--role：由哪个角色决定？需要：{', '.join(needed)}":
        "--role：由哪個角色決定？需要：{', '.join(needed)}",
    "商机 {opp['id']} 为{opp['status']}：不能为其建合同":
        "商機 {opp['id']} 為{opp['status']}：不能為其建合同",
    "--amount：商机 {opp['id']} 没有金额；请给出金额":
        "--amount：商機 {opp['id']} 沒有金額；請給出金額",
    "合同 {contract['id']} 为{contract['status']}：请通过合同变更修改（kam contract amend {contract['id']}）":
        "合同 {contract['id']} 為{contract['status']}：請通過合同變更修改（kam contract amend {contract['id']}）",
    "合同 {contract['id']} 为{contract['status']}":
        "合同 {contract['id']} 為{contract['status']}",
    "合同 {contract['id']} 为{contract['status']}，没有待审批的变更":
        "合同 {contract['id']} 為{contract['status']}，沒有待審批的變更",
    "合同 {contract['id']} 是草稿：请先评审（kam contract review {contract['id']}）":
        "合同 {contract['id']} 是草稿：請先評審（kam contract review {contract['id']}）",
    '{what}无需审批：没有要求任何角色':
        '{what}無需審批：沒有要求任何角色',
    "--role：由哪个角色审批？尚需：{', '.join(outstanding)}":
        "--role：由哪個角色審批？尚需：{', '.join(outstanding)}",
    '--force 需要 --reason：强制签约会连同原因一并记录':
        '--force 需要 --reason：強制簽約會連同原因一併記錄',
    "商机 {opp['id']} 为{opp['status']}：合同不能签订":
        "商機 {opp['id']} 為{opp['status']}：合同不能簽訂",
    "合同 {contract['id']} 有阻止性的评审意见：{'; '.join((f.message for f in blocks))}":
        "合同 {contract['id']} 有阻止性的評審意見：{'; '.join((f.message for f in blocks))}",
    "合同 {contract['id']} 为{contract['status']}，尚未审批通过：{hint}":
        "合同 {contract['id']} 為{contract['status']}，尚未審批通過：{hint}",
    "--term：{pair!r} 应写成 KEY=TEXT，KEY 为以下之一：{', '.join(TERM_KEYS)}":
        "--term：{pair!r} 應寫成 KEY=TEXT，KEY 為以下之一：{', '.join(TERM_KEYS)}",
    '--line：{spec!r} 应写成 ITEM|SPEC|QUANTITY|UNIT_PRICE':
        '--line：{spec!r} 應寫成 ITEM|SPEC|QUANTITY|UNIT_PRICE',
    '--line {spec!r}：数量必须大于 0':
        '--line {spec!r}：數量必須大於 0',
    '--line {spec!r}：该行合计过大':
        '--line {spec!r}：該行合計過大',
    "--number：{number} 已是合同 {other['id']} 的编号":
        "--number：{number} 已是合同 {other['id']} 的編號",
    "{what}无需以 {role.strip()} 身份审批：没有要求该角色（需要：{', '.join(needed)}）":
        "{what}無需以 {role.strip()} 身份審批：沒有要求該角色（需要：{', '.join(needed)}）",
    'DRIVER：请写出驱动因素（如 新建变电站）':
        'DRIVER：請寫出驅動因素（如 新建變電站）',
    "客户 {current['id']} 没有未复核的 {key} 标记":
        "客戶 {current['id']} 沒有未複核的 {key} 標記",
    "客户 {current['id']} 有 {len(waiting)} 种未复核的标记（{', '.join(waiting)}）：请用 --type 指定一种":
        "客戶 {current['id']} 有 {len(waiting)} 種未複核的標記（{', '.join(waiting)}）：請用 --type 指定一種",
    "客户 {current['id']} 没有未复核的标记":
        "客戶 {current['id']} 沒有未複核的標記",
    '此标记由 {ws.actor} 收集；须由他人复核':
        '此標記由 {ws.actor} 收集；須由他人複核',
    '{folder} 不是文件夹':
        '{folder} 不是文件夾',
    '{path}：不是 kam 导出清单':
        '{path}：不是 kam 導出清單',
    "{path}：导出格式版本 {version!r}；本 kam 读取版本 {FORMAT_VERSION}（由 kam {manifest.get('kam_version')} 生成）":
        "{path}：導出格式版本 {version!r}；本 kam 讀取版本 {FORMAT_VERSION}（由 kam {manifest.get('kam_version')} 生成）",
    '{path}：没有文件列表':
        '{path}：沒有文件列表',
    '{path}：SHA-256 与清单不符（已被修改或损坏）':
        '{path}：SHA-256 與清單不符（已被修改或損壞）',
    '{path}：{count} 行，清单记为 {rows} 行':
        '{path}：{count} 行，清單記為 {rows} 行',
    '{path} 第 {n} 行，refs 列：{refs!r} 不是编号列表':
        '{path} 第 {n} 行，refs 列：{refs!r} 不是編號列表',
    '{path} 第 {n} 行，payload 列：{payload!r} 不是对象':
        '{path} 第 {n} 行，payload 列：{payload!r} 不是對象',
    '{folder}：没有该文件夹':
        '{folder}：沒有該文件夾',
    '{ws.path} 不是空的：导入需要一个新工作区（kam init）':
        '{ws.path} 不是空的：導入需要一個新工作區（kam init）',
    '{folder} 不是空的，也不是之前的 kam 导出':
        '{folder} 不是空的，也不是之前的 kam 導出',
    '{folder}：无法写入（{exc.strerror}）':
        '{folder}：無法寫入（{exc.strerror}）',
    '{path}：缺失（不是 kam 导出文件夹）':
        '{path}：缺失（不是 kam 導出文件夾）',
    '{path}：不是有效的 JSON（{exc}）':
        '{path}：不是有效的 JSON（{exc}）',
    '{path}：本 kam（kam {__version__}）不认识记录类型 {name!r}；导入会丢失这些记录':
        '{path}：本 kam（kam {__version__}）不認識記錄類型 {name!r}；導入會丟失這些記錄',
    '{path}：{name!r} 的条目需要 file、rows 和 sha256':
        '{path}：{name!r} 的條目需要 file、rows 和 sha256',
    "{path}：文件名 {entry['file']!r} 必须是导出文件夹中的普通 NAME.csv":
        "{path}：文件名 {entry['file']!r} 必須是導出文件夾中的普通 NAME.csv",
    '{path}：{name!r} 的 rows 必须是整数':
        '{path}：{name!r} 的 rows 必須是整數',
    '{path}：{name!r} 的 sha256 必须是 64 位十六进制数字':
        '{path}：{name!r} 的 sha256 必須是 64 位十六進制數字',
    '{path}：缺失（清单中列出，属于 {name}）':
        '{path}：缺失（清單中列出，屬於 {name}）',
    '{path}：不是 UTF-8 文本（{exc.reason}）':
        '{path}：不是 UTF-8 文本（{exc.reason}）',
    '{path}：空文件（没有表头行）':
        '{path}：空文件（沒有表頭行）',
    '{path} 第 1 行：{k.name} 没有列 {unknown[0]!r}':
        '{path} 第 1 行：{k.name} 沒有列 {unknown[0]!r}',
    '{path} 第 1 行：需要 id 列，且任何列不能出现两次':
        '{path} 第 1 行：需要 id 列，且任何列不能出現兩次',
    '{path} 第 {n + 1} 行：{exc}':
        '{path} 第 {n + 1} 行：{exc}',
    '{path} 第 {n} 行：{len(cells)} 个单元格，表头有 {len(header)} 个':
        '{path} 第 {n} 行：{len(cells)} 個單元格，表頭有 {len(header)} 個',
    '{path} 第 {n} 行，id 列：{exc}':
        '{path} 第 {n} 行，id 列：{exc}',
    '{path} 第 {n} 行，{name} 列：{exc}':
        '{path} 第 {n} 行，{name} 列：{exc}',
    '{path}：编号 {rid} 出现了两次':
        '{path}：編號 {rid} 出現了兩次',
    '{path}：{rid} 的 {f.name} 指向 {value}，导出中没有该记录':
        '{path}：{rid} 的 {f.name} 指向 {value}，導出中沒有該記錄',
    '{record_id}：不是 kam 记录编号':
        '{record_id}：不是 kam 記錄編號',
    '未找到{k.name} {rid}':
        '未找到{k.name} {rid}',
    "合同 {contract['id']} 尚未签订：还不能开票":
        "合同 {contract['id']} 尚未簽訂：還不能開票",
    '--amount：必须大于 0':
        '--amount：必須大於 0',
    '--number：发票号必填':
        '--number：發票號必填',
    '--number：发票 {number} 已经登记过':
        '--number：發票 {number} 已經登記過',
    "合同 {contract['id']}：已开票 {values.fmt_money(invoiced)}；再开 {values.fmt_money(money)} 将超过合同金额 {values.fmt_money(contract['amount'])}":
        "合同 {contract['id']}：已開票 {values.fmt_money(invoiced)}；再開 {values.fmt_money(money)} 將超過合同金額 {values.fmt_money(contract['amount'])}",
    "--milestone：{rc['id']} 属于 {rc['contract_id']}":
        "--milestone：{rc['id']} 屬於 {rc['contract_id']}",
    "回款节点 {rc['id']}：已开票 {values.fmt_money(on_rc)}；再开 {values.fmt_money(money)} 将超过其金额 {values.fmt_money(rc['amount'])}":
        "回款節點 {rc['id']}：已開票 {values.fmt_money(on_rc)}；再開 {values.fmt_money(money)} 將超過其金額 {values.fmt_money(rc['amount'])}",
    "线索 {lead['id']} 为{lead['status']}":
        "線索 {lead['id']} 為{lead['status']}",
    "线索 {lead['id']} 已经是{lead['status']}{extra}":
        "線索 {lead['id']} 已經是{lead['status']}{extra}",
    "线索 {lead['id']} 未通过资格评估：{'; '.join((f.message for f in blocking(findings)))}":
        "線索 {lead['id']} 未通過資格評估：{'; '.join((f.message for f in blocking(findings)))}",
    'SPIN 没有 {sorted(unknown)[0]!r} 这一部分':
        'SPIN 沒有 {sorted(unknown)[0]!r} 這一部分',
    "线索 {lead['id']} 已经是{lead['status']}":
        "線索 {lead['id']} 已經是{lead['status']}",
    '--reason 必填':
        '--reason 必填',
    "--authority：{contact['id']} 不是 {lead['customer_id']} 的联系人":
        "--authority：{contact['id']} 不是 {lead['customer_id']} 的聯繫人",
    '--key：{kind} 记录不按某一列作为键（每个文件只导入一次；目标本就按负责人和期间各一条）':
        '--key：{kind} 記錄不按某一列作為鍵（每個文件只導入一次；目標本就按負責人和期間各一條）',
    '没有对应 {labels} 的列；请用 --map HEADER=FIELD 指定':
        '沒有對應 {labels} 的列；請用 --map HEADER=FIELD 指定',
    '{name}：{text!r} 不是日期（2026-03-02、2026/3/2 或 2026年3月2日）':
        '{name}：{text!r} 不是日期（2026-03-02、2026/3/2 或 2026年3月2日）',
    '{name}：{raw!r} 不是 是/否':
        '{name}：{raw!r} 不是 是/否',
    "--preset：{preset!r} 不是以下之一：{', '.join(PRESETS)}":
        "--preset：{preset!r} 不是以下之一：{', '.join(PRESETS)}",
    '--key：文件中没有列 {key!r}':
        '--key：文件中沒有列 {key!r}',
    '{name}：{text!r} 不是日期':
        '{name}：{text!r} 不是日期',
    'customer：该行没有写客户':
        'customer：該行沒有寫客戶',
    '客户 {text!r}：没有该客户；请先导入客户':
        '客戶 {text!r}：沒有該客戶；請先導入客戶',
    "客户 {text!r} 有歧义：{', '.join(found)}；请用编号":
        "客戶 {text!r} 有歧義：{', '.join(found)}；請用編號",
    'name（客户名称）：为空':
        'name（客戶名稱）：為空',
    'name（姓名）：为空':
        'name（姓名）：為空',
    'title（名称）：为空':
        'title（名稱）：為空',
    'title（项目名称）：为空':
        'title（項目名稱）：為空',
    '商机 {text!r}：没有该商机':
        '商機 {text!r}：沒有該商機',
    'number {number!r}：已有该编号的合同':
        'number {number!r}：已有該編號的合同',
    'signed_on（签订日期）：为空':
        'signed_on（簽訂日期）：為空',
    'paid（已回款）需要 paid_on（回款日期）：回款要有日期':
        'paid（已回款）需要 paid_on（回款日期）：回款要有日期',
    'contract_id（合同编号）：为空':
        'contract_id（合同編號）：為空',
    "合同 {text!r}：{'no such contract' if not ids else 'ambiguous: ' + ', '.join(ids)}":
        "合同 {text!r}：{'no such contract' if not ids else 'ambiguous: ' + ', '.join(ids)}",
    '回款需要金额（amount）和日期（date）':
        '回款需要金額（amount）和日期（date）',
    '目标需要负责人（owner）、期间（period）和金额（amount）':
        '目標需要負責人（owner）、期間（period）和金額（amount）',
    "商机 {text!r} 有歧义：{', '.join(found)}":
        "商機 {text!r} 有歧義：{', '.join(found)}",
    '{name}：{text!r} 不是整数':
        '{name}：{text!r} 不是整數',
    'KIND：{word!r} 不能导入；请用以下之一：customers、contacts、leads、opportunities、activities、targets、contracts、payments':
        'KIND：{word!r} 不能導入；請用以下之一：customers、contacts、leads、opportunities、activities、targets、contracts、payments',
    '--map {header}={name}：{kind} 没有字段 {name!r}':
        '--map {header}={name}：{kind} 沒有字段 {name!r}',
    '{option}：{pair!r} 应写成 NAME=VALUE':
        '{option}：{pair!r} 應寫成 NAME=VALUE',
    '--map-value：{left}={value!r} 应写成 FIELD:WORD=VALUE':
        '--map-value：{left}={value!r} 應寫成 FIELD:WORD=VALUE',
    '列 {seen[target]!r} 和 {shown!r} 都对应 {kind}.{target}；请用 --map 把其中一列映射到其他字段或 -':
        '列 {seen[target]!r} 和 {shown!r} 都對應 {kind}.{target}；請用 --map 把其中一列映射到其他字段或 -',
    '文件既不是 UTF-8 也不是 GB18030/GBK；请用 --encoding 指定':
        '文件既不是 UTF-8 也不是 GB18030/GBK；請用 --encoding 指定',
    "--sheet：没有工作表 {sheet!r}；该工作簿有：{', '.join(book.sheetnames)}":
        "--sheet：沒有工作表 {sheet!r}；該工作簿有：{', '.join(book.sheetnames)}",
    '{path}：没有该文件':
        '{path}：沒有該文件',
    '--sheet：只有 .xlsx 工作簿才有工作表':
        '--sheet：只有 .xlsx 工作簿才有工作表',
    '{path.name}：文件为空':
        '{path.name}：文件為空',
    '{path.name}：工作表 {ws.title!r} 为空':
        '{path.name}：工作表 {ws.title!r} 為空',
    '{path.name}：不是可读的 CSV 文件（{exc}）':
        '{path.name}：不是可讀的 CSV 文件（{exc}）',
    '第 {number} 行：每行必须是一个 JSON 对象':
        '第 {number} 行：每行必須是一個 JSON 對象',
    '{path.name}：不是可读的 .xlsx 工作簿（{exc}）':
        '{path.name}：不是可讀的 .xlsx 工作簿（{exc}）',
    '--encoding：未知编码 {encoding!r}':
        '--encoding：未知編碼 {encoding!r}',
    '文件不是 {encoding} 编码：第 {exc.start} 字节（{exc.reason}）':
        '文件不是 {encoding} 編碼：第 {exc.start} 字節（{exc.reason}）',
    '第 {number} 行：不是 JSON（{exc.msg}）':
        '第 {number} 行：不是 JSON（{exc.msg}）',
    "--renews：{contract['id']} 是 {contract['customer_id']} 的合同，不是 {customer_id} 的":
        "--renews：{contract['id']} 是 {contract['customer_id']} 的合同，不是 {customer_id} 的",
    "--renews：{contract['id']} 为{contract['status']}；续单续的是已签订的合同":
        "--renews：{contract['id']} 為{contract['status']}；續單續的是已簽訂的合同",
    "商机 {opp['id']} 为{opp['status']}；不能变更阶段":
        "商機 {opp['id']} 為{opp['status']}；不能變更階段",
    '--force 需要 --reason：强制推进会连同原因一并记录':
        '--force 需要 --reason：強制推進會連同原因一併記錄',
    "商机 {opp['id']} 已结项；没有可推进的阶段":
        "商機 {opp['id']} 已結項；沒有可推進的階段",
    "商机 {opp['id']} 不能离开{opp['stage']}阶段：{'; '.join((f.message for f in blocks))}":
        "商機 {opp['id']} 不能離開{opp['stage']}階段：{'; '.join((f.message for f in blocks))}",
    "商机 {opp['id']} 处于{stage}阶段，关键节点未通过：{'; '.join((f.message for f in blocks))}（请先推进，或用 --force --reason 签约）":
        "商機 {opp['id']} 處於{stage}階段，關鍵節點未通過：{'; '.join((f.message for f in blocks))}（請先推進，或用 --force --reason 簽約）",
    "商机 {opp['id']} 的重要性为 {opp.get('importance') or 'unset'}：无需{who_may.MANAGEMENT}审批（只有 I 和 VI 类商机需要）":
        "商機 {opp['id']} 的重要性為 {opp.get('importance') or 'unset'}：無需{who_may.MANAGEMENT}審批（只有 I 和 VI 類商機需要）",
    "商机 {opp['id']} 为{opp['status']}：不能再投标":
        "商機 {opp['id']} 為{opp['status']}：不能再投標",
    '--price：{price} 必须大于 0':
        '--price：{price} 必須大於 0',
    "--approved-by：{approver} 是 {opp['id']} 的负责人，不能审批自己的投标价":
        "--approved-by：{approver} 是 {opp['id']} 的負責人，不能審批自己的投標價",
    "{opp['id']} 以 {values.fmt_money(amount)} 投标的毛利率为 {pct.normalize():f}%，低于底线 {floor}%：须经销售经理批准才能投标（--approved-by NAME），否则放弃并写结项总结（kam opp abandon {opp['id']}）":
        "{opp['id']} 以 {values.fmt_money(amount)} 投標的毛利率為 {pct.normalize():f}%，低於底線 {floor}%：須經銷售經理批准才能投標（--approved-by NAME），否則放棄並寫結項總結（kam opp abandon {opp['id']}）",
    "{opp['id']} 的投标被拒绝：{'; '.join((f.message for f in blocks))}":
        "{opp['id']} 的投標被拒絕：{'; '.join((f.message for f in blocks))}",
    "商机 {opp['id']} 已经是{opp['status']}":
        "商機 {opp['id']} 已經是{opp['status']}",
    "--authority：{contact['id']} 不是 {current['customer_id']} 的联系人":
        "--authority：{contact['id']} 不是 {current['customer_id']} 的聯繫人",
    '没有已审批并签订的合同（合同审批和合同签订）：请用 kam contract sign 签约':
        '沒有已審批並簽訂的合同（合同審批和合同簽訂）：請用 kam contract sign 簽約',
    "--to {to}：{opp['id']} 已处于{opp['stage']}阶段；推进只能向前":
        "--to {to}：{opp['id']} 已處於{opp['stage']}階段；推進只能向前",
    '--competitor：{pair!r} 应写成 NAME=PRICE':
        '--competitor：{pair!r} 應寫成 NAME=PRICE',
    "商机 {opp['id']}：毛利率未知——投标前须先做成本与毛利核算（--cost N 或 --margin PCT）":
        "商機 {opp['id']}：毛利率未知——投標前須先做成本與毛利核算（--cost N 或 --margin PCT）",
    '超额回款：合同未回款 {values.fmt_money(total)}，本次给出 {values.fmt_money(amount)}':
        '超額回款：合同未回款 {values.fmt_money(total)}，本次給出 {values.fmt_money(amount)}',
    "合同 {contract['id']} 为{contract['status']}：回款只能记在已签订的合同上":
        "合同 {contract['id']} 為{contract['status']}：回款只能記在已簽訂的合同上",
    'AMOUNT：金额必须大于 0（给出的是 {amount}）':
        'AMOUNT：金額必須大於 0（給出的是 {amount}）',
    "--date：{on} 早于合同 {contract['id']} 的签订日期 {signed_on}":
        "--date：{on} 早於合同 {contract['id']} 的簽訂日期 {signed_on}",
    '--milestone：{milestone} 不是本合同的回款节点':
        '--milestone：{milestone} 不是本合同的回款節點',
    "超额回款：{target['id']} 未回款 {values.fmt_money(target['outstanding'])}，本次给出 {values.fmt_money(amount)}":
        "超額回款：{target['id']} 未回款 {values.fmt_money(target['outstanding'])}，本次給出 {values.fmt_money(amount)}",
    '--by：必须写明核销的审批人':
        '--by：必須寫明核銷的審批人',
    '--reason：核销需要说明原因':
        '--reason：核銷需要說明原因',
    "应收 {record['id']} 已经核销":
        "應收 {record['id']} 已經核銷",
    "应收 {record['id']} 没有可核销的未回款金额":
        "應收 {record['id']} 沒有可核銷的未回款金額",
    '未知报表 {name!r}；可用：{known}':
        '未知報表 {name!r}；可用：{known}',
    '报表 {key!r}（插件 {reg.owners[key]}）没有返回 Report':
        '報表 {key!r}（插件 {reg.owners[key]}）沒有返回 Report',
    "--format：{chosen!r} 不是以下之一：{', '.join(formats(ws))}":
        "--format：{chosen!r} 不是以下之一：{', '.join(formats(ws))}",
    '--format {chosen} 会写文件：请用 kam report today --output FILE':
        '--format {chosen} 會寫文件：請用 kam report today --output FILE',
    '--format {chosen} 会写文件：请加 --output FILE':
        '--format {chosen} 會寫文件：請加 --output FILE',
    '--output：{path} 是文件夹':
        '--output：{path} 是文件夾',
    '--output：无法写入 {path}：{exc.strerror or exc}':
        '--output：無法寫入 {path}：{exc.strerror or exc}',
    '--table：报表 {report.name} 没有表 {table!r}；可用的表：{names}':
        '--table：報表 {report.name} 沒有表 {table!r}；可用的表：{names}',
    'OWNER：目标需要负责人':
        'OWNER：目標需要負責人',
    '{k.name} 没有字段 {field!r}':
        '{k.name} 沒有字段 {field!r}',
    '未知的筛选运算符 {op!r}':
        '未知的篩選運算符 {op!r}',
    '未知的记录类型 {name!r}':
        '未知的記錄類型 {name!r}',
    '{field}：含有控制字符 {describe(found.group())}；文本只能包含制表符和换行，不能有其他控制字符':
        '{field}：含有控制字符 {describe(found.group())}；文本只能包含製表符和換行，不能有其他控制字符',
    '{field}：{value!r} 不是{what}（请使用 ASCII 数字 0-9）':
        '{field}：{value!r} 不是{what}（請使用 ASCII 數字 0-9）',
    '{field}：{value!r} 不是{what}':
        '{field}：{value!r} 不是{what}',
    '{field}：金额必须是文本或 Decimal，而不是 {type(value).__name__}':
        '{field}：金額必須是文本或 Decimal，而不是 {type(value).__name__}',
    '{field}：不能为负数（{value}）':
        '{field}：不能為負數（{value}）',
    '{field}：{value} 过大（最多 999999999999999.99）':
        '{field}：{value} 過大（最多 999999999999999.99）',
    '{field}：{value} 的小数超过两位':
        '{field}：{value} 的小數超過兩位',
    '{field}：{value!r} 必须是文本或 Decimal':
        '{field}：{value!r} 必須是文本或 Decimal',
    '{field}：{value!r} 不是小于 10^15 的数':
        '{field}：{value!r} 不是小於 10^15 的數',
    '{field}：{value!r} 必须在 {lo} 到 {hi} 之间':
        '{field}：{value!r} 必須在 {lo} 到 {hi} 之間',
    '{field}：{value!r} 不是整数':
        '{field}：{value!r} 不是整數',
    '{field}：{value!r} 不是百分比':
        '{field}：{value!r} 不是百分比',
    '{field}：{value!r} 超出年份范围 {MIN_YEAR}–{MAX_YEAR}':
        '{field}：{value!r} 超出年份範圍 {MIN_YEAR}–{MAX_YEAR}',
    '{field}：{value!r} 不是 ISO 日期（YYYY-MM-DD）':
        '{field}：{value!r} 不是 ISO 日期（YYYY-MM-DD）',
    '{field}：{value!r} 不是 ISO 日期时间':
        '{field}：{value!r} 不是 ISO 日期時間',
    '{field}：{value!r} 不是{what}（逗号只能用作千位分隔，如 1,234,567.89）':
        '{field}：{value!r} 不是{what}（逗號只能用作千位分隔，如 1,234,567.89）',
    '{field}：{value!r} 不是金额':
        '{field}：{value!r} 不是金額',
    '{field}：{value!r} 不是有效日期':
        '{field}：{value!r} 不是有效日期',
    '{field}：{value!r} 不是有效的日期时间':
        '{field}：{value!r} 不是有效的日期時間',
    '未知的{vocab} {value!r}；请用以下之一：{allowed}':
        '未知的{vocab} {value!r}；請用以下之一：{allowed}',
    '{folder} 没有 kam 工作区（请先运行 `kam init`）':
        '{folder} 沒有 kam 工作區（請先運行 `kam init`）',
    '--lang：{given!r} 必须是 zh、zh-Hant 或 en':
        '--lang：{given!r} 必須是 zh、zh-Hant 或 en',
    '未知阶段模型 {key!r}；已注册：{known}':
        '未知階段模型 {key!r}；已註冊：{known}',
    '{problem}：在它加载之前，一切修改都会被拒绝（见 kam plugins list）':
        '{problem}：在它加載之前，一切修改都會被拒絕（見 kam plugins list）',
    '未找到{kind} {record_id}{hint}':
        '未找到{kind} {record_id}{hint}',
    '存储后端 {name!r} 不可用{hint}；已安装：{known}':
        '存儲後端 {name!r} 不可用{hint}；已安裝：{known}',
    '提交后的步骤失败：{exc}':
        '提交後的步驟失敗：{exc}',
    '预算未确认（--budget-confirmed）':
        '預算未確認（--budget-confirmed）',
    '未指定决策者（--authority CONTACT）':
        '未指定決策者（--authority CONTACT）',
    '未说明需求（--need）':
        '未說明需求（--need）',
    '没有预计采购日期（--timeline）':
        '沒有預計採購日期（--timeline）',
    '决策人 {authority} 不是该客户的联系人':
        '決策人 {authority} 不是該客戶的聯繫人',
    '没有付款计划（--plan）':
        '沒有付款計劃（--plan）',
    '回款节点合计 {fmt_money(held)}，与合同金额 {fmt_money(amount)} 不符':
        '回款節點合計 {fmt_money(held)}，與合同金額 {fmt_money(amount)} 不符',
    '付款计划中没有首付款':
        '付款計劃中沒有首付款',
    '没有验收标准（--acceptance-criteria）':
        '沒有驗收標準（--acceptance-criteria）',
    '没有约定变更费用（--change-cost）':
        '沒有約定變更費用（--change-cost）',
    '服务义务没有截止日期（--service-end）':
        '服務義務沒有截止日期（--service-end）',
    '质保金 {_money(retention)}（{_pct(retention, amount)}%）超过上限 {cap}%':
        '質保金 {_money(retention)}（{_pct(retention, amount)}%）超過上限 {cap}%',
    "付款计划合计 {_money(total)}（{_pct(total, amount)}%），与合同金额 {_money(amount)} 不符：最后一个回款节点（{last['kind']} {share}）将随之调整，金额为 {_money(last['amount'])}（{_pct(last['amount'], amount)}%）":
        "付款計劃合計 {_money(total)}（{_pct(total, amount)}%），與合同金額 {_money(amount)} 不符：最後一個回款節點（{last['kind']} {share}）將隨之調整，金額為 {_money(last['amount'])}（{_pct(last['amount'], amount)}%）",
    '首付款 {_money(down)}（{_pct(down, amount)}%）低于 {floor}%':
        '首付款 {_money(down)}（{_pct(down, amount)}%）低於 {floor}%',
    '标的明细合计 {fmt_money(subject)}，合同金额为 {fmt_money(amount)}':
        '標的明細合計 {fmt_money(subject)}，合同金額為 {fmt_money(amount)}',
    "检查项：{t.zh} 未完成——kam opp check {opp['id']} {stage}.{t.key}":
        "檢查項：{t.zh} 未完成——kam opp check {opp['id']} {stage}.{t.key}",
    '立项报告：缺少{what}':
        '立項報告：缺少{what}',
    "客户 {opp['customer_id']} 未分级（A–D）":
        "客戶 {opp['customer_id']} 未分級（A–D）",
    '未记录竞争情况（--competition）':
        '未記錄競爭情況（--competition）',
    '未记录决策流程（--decision-process）':
        '未記錄決策流程（--decision-process）',
    '立项报告：预计金额必须大于 0':
        '立項報告：預計金額必須大於 0',
    '决策链中没有决策者':
        '決策鏈中沒有決策者',
    '决策链中没有向导':
        '決策鏈中沒有嚮導',
    '尚未提交方案或演示（请记录一次演示/方案活动，或勾选 proposal.written_proposal）':
        '尚未提交方案或演示（請記錄一次演示/方案活動，或勾選 proposal.written_proposal）',
    "没有中标记录（kam opp bid {opp['id']} --price N --result won）":
        "沒有中標記錄（kam opp bid {opp['id']} --price N --result won）",
    '毛利率未知：无法做毛利核算':
        '毛利率未知：無法做毛利核算',
    '未记录终验（工程验收）':
        '未記錄終驗（工程驗收）',
    "重要性为 {opp['importance']} 的商机需要管理层审批（kam opp approve {opp['id']}，由负责人以外的经理审批）":
        "重要性為 {opp['importance']} 的商機需要管理層審批（kam opp approve {opp['id']}，由負責人以外的經理審批）",
    '商机不明确：未说明需求':
        '商機不明確：未說明需求',
    '决策链中没有支持者':
        '決策鏈中沒有支持者',
    '尚未提交方案或演示':
        '尚未提交方案或演示',
    "重要性为 {opp['importance']} 的商机需要管理层审批：{latest.get('by')} 于 {latest.get('on')} 驳回（批准后再运行 kam opp approve {opp['id']}）":
        "重要性為 {opp['importance']} 的商機需要管理層審批：{latest.get('by')} 於 {latest.get('on')} 駁回（批准後再運行 kam opp approve {opp['id']}）",
    '中标价的毛利率 {margin}% 低于底线 {floor}%，且该价格未经批准':
        '中標價的毛利率 {margin}% 低於底線 {floor}%，且該價格未經批准',
    '毛利率 {margin}% 低于底线 {floor}%：请放弃并写结项总结（kam opp abandon）':
        '毛利率 {margin}% 低於底線 {floor}%：請放棄並寫結項總結（kam opp abandon）',
    '{self.folder} 中的工作区数据被另一个 kam 进程锁定（已等待 {self.lock_timeout:g} 秒）':
        '{self.folder} 中的工作區數據被另一個 kam 進程鎖定（已等待 {self.lock_timeout:g} 秒）',
    '{path}：必须把每种记录类型映射到其最后的编号':
        '{path}：必須把每種記錄類型映射到其最後的編號',
    '写入必须在 storage.transaction() 之内进行':
        '寫入必須在 storage.transaction() 之內進行',
    'references_checked() 必须在 storage.transaction() 之外使用':
        'references_checked() 必須在 storage.transaction() 之外使用',
    'load_journal() 必须在 storage.transaction() 之外使用':
        'load_journal() 必須在 storage.transaction() 之外使用',
    "{k.name} 没有字段 {', '.join(sorted(extra))}":
        "{k.name} 沒有字段 {', '.join(sorted(extra))}",
    '{k.name} 记录没有编号':
        '{k.name} 記錄沒有編號',
    '存储冲突：{k.name} {rid} 已存在':
        '存儲衝突：{k.name} {rid} 已存在',
    '事件只能追加':
        '事件只能追加',
    "不能修改{k.name}的字段 {', '.join(sorted(bad))}":
        "不能修改{k.name}的字段 {', '.join(sorted(bad))}",
    '{k.name} {record_id} 不存在':
        '{k.name} {record_id} 不存在',
    '无法创建 {self.folder}：{exc}':
        '無法創建 {self.folder}：{exc}',
    '无法打开 {self.folder} 中的锁文件：{exc}':
        '無法打開 {self.folder} 中的鎖文件：{exc}',
    '{self.folder} 的升级未完成（{exc}）；下次打开工作区时会继续完成':
        '{self.folder} 的升級未完成（{exc}）；下次打開工作區時會繼續完成',
    '{path}：不是 UTF-8 文本（第 {exc.start} 字节：{exc.reason}）':
        '{path}：不是 UTF-8 文本（第 {exc.start} 字節：{exc.reason}）',
    '无法读取 {path}：{exc}':
        '無法讀取 {path}：{exc}',
    '{path} 第 {n} 行，id 列：编号 {rid} 重复':
        '{path} 第 {n} 行，id 列：編號 {rid} 重複',
    '向 {self.folder} 的提交未完成（{exc}）；下次打开工作区时会继续完成':
        '向 {self.folder} 的提交未完成（{exc}）；下次打開工作區時會繼續完成',
    '存储冲突：{k.name}.{f.name} 指向不存在的 {f.ref} {row[f.name]}':
        '存儲衝突：{k.name}.{f.name} 指向不存在的 {f.ref} {row[f.name]}',
    '{where} 第 1 行：{k.name} 没有列 {unknown[0]!r}':
        '{where} 第 1 行：{k.name} 沒有列 {unknown[0]!r}',
    '{where} 第 1 行：有一列出现了两次':
        '{where} 第 1 行：有一列出現了兩次',
    '{where} 第 1 行：没有 id 列':
        '{where} 第 1 行：沒有 id 列',
    '{where} 第 {n + 1} 行：{exc}':
        '{where} 第 {n + 1} 行：{exc}',
    '{where} 第 {n} 行：{len(cells)} 个单元格，表头有 {width} 个':
        '{where} 第 {n} 行：{len(cells)} 個單元格，表頭有 {width} 個',
    '{where} 第 {n} 行，id 列：为空':
        '{where} 第 {n} 行，id 列：為空',
    '{k.name}.{name}：{value!r} 不是 {ftype}':
        '{k.name}.{name}：{value!r} 不是 {ftype}',
    '{where} 第 {n} 行，{name} 列：{exc}':
        '{where} 第 {n} 行，{name} 列：{exc}',
    '无法写入 {folder}：{exc}':
        '無法寫入 {folder}：{exc}',
    '{journal}：无法重放提交日志（{exc}）':
        '{journal}：無法重放提交日誌（{exc}）',
    '{path}：不是 kam CSV 清单（应为 {{"format": "{FORMAT}", "version": <number>, ...}}）':
        '{path}：不是 kam CSV 清單（應為 {{"format": "{FORMAT}", "version": <number>, ...}}）',
    '{self.folder / name}：不是 UTF-8 文本（{exc.reason}）':
        '{self.folder / name}：不是 UTF-8 文本（{exc.reason}）',
    '存储错误：{sql.split()[0]} 没有返回行':
        '存儲錯誤：{sql.split()[0]} 沒有返回行',
    '无法连接数据库：{first}':
        '無法連接數據庫：{first}',
    '{k.name} 没有字段 {name!r}':
        '{k.name} 沒有字段 {name!r}',
    'kam team 需要 postgres 工作区；当前是 {storage.name}':
        'kam team 需要 postgres 工作區；當前是 {storage.name}',
    'NAME：团队成员需要名字':
        'NAME：團隊成員需要名字',
    "--role：{role!r} 不是以下之一：{', '.join(ROLES)}":
        "--role：{role!r} 不是以下之一：{', '.join(ROLES)}",
    '--manager：{manager} 不在团队中（kam team add {manager} --role manager）':
        '--manager：{manager} 不在團隊中（kam team add {manager} --role manager）',
    '{path} 存放的是 CSV 数据（data/*.csv），但 kam.toml 写的是 sqlite 后端（或未写）；请在 kam.toml 中设置 backend = "csv"':
        '{path} 存放的是 CSV 數據（data/*.csv），但 kam.toml 寫的是 sqlite 後端（或未寫）；請在 kam.toml 中設置 backend = "csv"',
    '插件命令 {name!r} 被忽略：kam 自有同名命令':
        '插件命令 {name!r} 被忽略：kam 自有同名命令',
    '插件 {name!r} 加载失败：{failure.error}':
        '插件 {name!r} 加載失敗：{failure.error}',
    '{message}：未加载':
        '{message}：未加載',
    '插件 {plugin!r} 在 {hook} 中出错：{error}':
        '插件 {plugin!r} 在 {hook} 中出錯：{error}',
    '必需插件 {name!r} {why}':
        '必需插件 {name!r} {why}',
    '必需插件 {name!r} {why}（另有 {n} 个）':
        '必需插件 {name!r} {why}（另有 {n} 個）',
    '加载失败：{error}':
        '加載失敗：{error}',
    '已停用（KAM_DISABLE_PLUGINS 或 [plugins] disabled）':
        '已停用（KAM_DISABLE_PLUGINS 或 [plugins] disabled）',
    '未安装':
        '未安裝',
    '{overdue} 个回款节点逾期：{totals}':
        '{overdue} 個回款節點逾期：{totals}',
    '{overdue} 个回款节点逾期':
        '{overdue} 個回款節點逾期',
    "{what:<12} {n['receivable_id']:<7} {n['contract_id']:<7} {n['customer_id']:<7} {n['kind']:<14} 到期日 {n['due_date']}  未回款 {n['outstanding']} {n['currency']}  （逾期 {n['days_overdue']} 天）":
        "{what:<12} {n['receivable_id']:<7} {n['contract_id']:<7} {n['customer_id']:<7} {n['kind']:<14} 到期日 {n['due_date']}  未回款 {n['outstanding']} {n['currency']}  （逾期 {n['days_overdue']} 天）",
    "截至 {r['as_of']} 没有新的到期或逾期":
        "截至 {r['as_of']} 沒有新的到期或逾期",
    "预览：{r['as_of']} 晚于今天；未记录任何内容，也未发送通知":
        "預覽：{r['as_of']} 晚於今天；未記錄任何內容，也未發送通知",
    "事件投递：已投递 {d['delivered']}，待投递 {d['pending']}，已放弃 {d['dead']}":
        "事件投遞：已投遞 {d['delivered']}，待投遞 {d['pending']}，已放棄 {d['dead']}",
    '\n回款节点：':
        '\n回款節點：',
    "合同 {c['id']}（{c['number']}）已于 {c['signed_on']} 签订；商机 {o['id']} {o['status']}，阶段 {o['stage']}":
        "合同 {c['id']}（{c['number']}）已於 {c['signed_on']} 簽訂；商機 {o['id']} {o['status']}，階段 {o['stage']}",
    "\n需要审批：{', '.join(card['approvals_needed'])}":
        "\n需要審批：{', '.join(card['approvals_needed'])}",
    '\n审批：':
        '\n審批：',
    '\n合同变更：':
        '\n合同變更：',
    "\n待审变更：{p['delta']}（{p['reason']}），等待审批：{', '.join(p.get('roles') or [])}":
        "\n待審變更：{p['delta']}（{p['reason']}），等待審批：{', '.join(p.get('roles') or [])}",
    '\n附件：':
        '\n附件：',
    'kam: {contract_id.upper()} 有 {len(bad)} 个附件被修改或缺失：{listed}':
        'kam: {contract_id.upper()} 有 {len(bad)} 個附件被修改或缺失：{listed}',
    "kam: doctor 发现 {len(result['problems'])} 个问题":
        "kam: doctor 發現 {len(result['problems'])} 個問題",
    "正常：已检查 {result['records']} 条记录和 {result['events']} 个事件（{', '.join(result['checks'])}）":
        "正常：已檢查 {result['records']} 條記錄和 {result['events']} 個事件（{', '.join(result['checks'])}）",
    "已通过资格评估：{result['lead']['id']} → 商机 {opp['id']}":
        "已通過資格評估：{result['lead']['id']} → 商機 {opp['id']}",
    "\n阶段：{card['stage_label']} —— 关键节点：{card['key_node']}":
        "\n階段：{card['stage_label']} —— 關鍵節點：{card['key_node']}",
    '检查项：':
        '檢查項：',
    "{opp['id']}：{result['from']} → {result['to']}{forced}，赢率 {opp['probability']}%，状态 {opp['status']}":
        "{opp['id']}：{result['from']} → {result['to']}{forced}，贏率 {opp['probability']}%，狀態 {opp['status']}",
    "客户步骤：{card['customer_step']}":
        "客戶步驟：{card['customer_step']}",
    "开始条件：{card['start_condition']}":
        "開始條件：{card['start_condition']}",
    "  [{mark}] {item['task']}  {item['label']}{req}":
        "  [{mark}] {item['task']}  {item['label']}{req}",
    "离开{card['stage_label']}阶段，关键节点还需：":
        "離開{card['stage_label']}階段，關鍵節點還需：",
    "  - {f['message']}":
        "  - {f['message']}",
    "关键节点已满足：可推进到{card['next_stage']}":
        "關鍵節點已滿足：可推進到{card['next_stage']}",
    "{p['id']}：{p['date']} 回款 {p['amount']} {p['currency']}，合同 {p['contract_id']}":
        "{p['id']}：{p['date']} 回款 {p['amount']} {p['currency']}，合同 {p['contract_id']}",
    '（必需）':
        '（必需）',
    '（强制）':
        '（強制）',
    '已升级':
        '已升級',
    '到期':
        '到期',
    '逾期 {level} 天':
        '逾期 {level} 天',
    '{missing}：在它加载之前，一切修改都会被拒绝':
        '{missing}：在它加載之前，一切修改都會被拒絕',
    '交付':
        '交付',
    '验收':
        '驗收',
    '结项':
        '結項',
    '交接':
        '交接',
    '签订日期':
        '簽訂日期',
    '到货日期':
        '到貨日期',
    '前一次验收日期':
        '前一次驗收日期',
    '终验日期':
        '終驗日期',
    '首付款 {id}（{amount} {cur}，未回款 {outstanding}）已逾期 {days} 天':
        '首付款 {id}（{amount} {cur}，未回款 {outstanding}）已逾期 {days} 天',
    '合同 {id}':
        '合同 {id}',
    '合同 {id}（其待审变更）':
        '合同 {id}（其待審變更）',
    '商机 {id}':
        '商機 {id}',
    '金额':
        '金額',
    '数字':
        '數字',
    '整数':
        '整數',
    '项目编号（--number）':
        '項目編號（--number）',
    '客户方负责人（--customer-owner）':
        '客戶方負責人（--customer-owner）',
    '预计金额（--amount）':
        '預計金額（--amount）',
    '预计毛利率（--margin）':
        '預計毛利率（--margin）',
    '销售费用预算（--expense-budget）':
        '銷售費用預算（--expense-budget）',
    '类别（--category）':
        '類別（--category）',
    '预计签约日期（--close-date）':
        '預計簽約日期（--close-date）',
    '重要性等级（--importance）':
        '重要性等級（--importance）',
    '（商机 {id}）':
        '（商機 {id}）',
    '没有该合同':
        '沒有該合同',
    '有歧义：{ids}':
        '有歧義：{ids}',
    "{'escalated':<12} {c['complaint_id']:<7} {c['customer_id']:<7} {c['owner']} 的{c['severity']}投诉已升级至 {c['escalated_to']}":
        "{'escalated':<12} {c['complaint_id']:<7} {c['customer_id']:<7} {c['owner']} 的{c['severity']}投訴已升級至 {c['escalated_to']}",
    "投诉 {record['id']} 已于 {record.get('closed_on')} 关闭：无法再{action}":
        "投訴 {record['id']} 已於 {record.get('closed_on')} 關閉：無法再{action}",
    '--note：请写明给客户的答复':
        '--note：請寫明給客戶的答覆',
    "--date：{when} 早于投诉日期（{record['date']}）":
        "--date：{when} 早於投訴日期（{record['date']}）",
    "投诉 {record['id']} 已于 {record.get('escalated_on')} 升级至 {record['escalated_to']}":
        "投訴 {record['id']} 已於 {record.get('escalated_on')} 升級至 {record['escalated_to']}",
    "--to：按规则 {record['id']}（{record['severity']}）无需升级；请指明升级给谁":
        "--to：按規則 {record['id']}（{record['severity']}）無需升級；請指明升級給誰",
    "投诉 {record['id']} 尚未答复：请先答复客户（kam complaint reply {record['id']} --note ...）":
        "投訴 {record['id']} 尚未答覆：請先答覆客戶（kam complaint reply {record['id']} --note ...）",
    "--date：{when} 早于答复日期（{record['replied_on']}）":
        "--date：{when} 早於答覆日期（{record['replied_on']}）",
    "--contract：{found['id']} 是 {found['customer_id']} 的合同，不是 {customer['id']} 的":
        "--contract：{found['id']} 是 {found['customer_id']} 的合同，不是 {customer['id']} 的",
    "--contract：{contract['id']} 是 {contract['customer_id']} 的合同，不是 {customer_id} 的":
        "--contract：{contract['id']} 是 {contract['customer_id']} 的合同，不是 {customer_id} 的",
    "服务记录 {service['id']} 已做过满意度调查（{earlier['date']} 的 {earlier['id']}）：每次服务只调查一次":
        "服務記錄 {service['id']} 已做過滿意度調查（{earlier['date']} 的 {earlier['id']}）：每次服務只調查一次",
    "--date：{when} 早于服务日期（{service['date']}）":
        "--date：{when} 早於服務日期（{service['date']}）",
    '多余的参数 {left[0]!r}':
        '多餘的參數 {left[0]!r}',
    '{flag} {key}：请给出金额（{flag} KEY AMOUNT）':
        '{flag} {key}：請給出金額（{flag} KEY AMOUNT）',
    "售前费用预算：{fmt_money(view['budget'])} {view['currency'] or ''}（原预算 {fmt_money(view['original'])}，已批准调整 {fmt_money(view['adjustments'])}）；已花费 {fmt_money(view['spent'])}，剩余 {fmt_money(view['left'])}":
        "售前費用預算：{fmt_money(view['budget'])} {view['currency'] or ''}（原預算 {fmt_money(view['original'])}，已批准調整 {fmt_money(view['adjustments'])}）；已花費 {fmt_money(view['spent'])}，剩餘 {fmt_money(view['left'])}",
    "{p['id']}：{p['amount']} {p['currency']}，已由 {p['confirmed_by']} 确认，合同 {p['contract_id']}":
        "{p['id']}：{p['amount']} {p['currency']}，已由 {p['confirmed_by']} 確認，合同 {p['contract_id']}",
    "已申请：{p['id']} 经财务确认后计入（kam pay confirm {p['id']}）":
        "已申請：{p['id']} 經財務確認後計入（kam pay confirm {p['id']}）",
    'report war-room 需要商机编号（kam report war-room OP1）':
        'report war-room 需要商機編號（kam report war-room OP1）',
    '合同 {cid} 为{status}：{stage}成本在签约后才能记录':
        '合同 {cid} 為{status}：{stage}成本在簽約後才能記錄',
    '合同 {cid} 为{status}：其核算已关闭':
        '合同 {cid} 為{status}：其核算已關閉',
    '--revenue：已确认收入属于核算（--stage actual）':
        '--revenue：已確認收入屬於核算（--stage actual）',
    "--category：请至少给出一项 CATEGORY AMOUNT{' or --revenue' if stage == 'actual' else ''}":
        "--category：請至少給出一項 CATEGORY AMOUNT{' or --revenue' if stage == 'actual' else ''}",
    '--category：{key} 重复给出':
        '--category：{key} 重複給出',
    '--category {category}：成本不能为负数（{text}）':
        '--category {category}：成本不能為負數（{text}）',
    '合同 {cid} 已签订：其{stage}在签约时已冻结（实际成本请用 --stage actual 记录）':
        '合同 {cid} 已簽訂：其{stage}在簽約時已凍結（實際成本請用 --stage actual 記錄）',
    "--revenue：{values.fmt_money(recognised)} 应在 0 与合同金额 {values.fmt_money(contract['amount'])} 之间":
        "--revenue：{values.fmt_money(recognised)} 應在 0 與合同金額 {values.fmt_money(contract['amount'])} 之間",
    "合同 {contract['id']} 尚无决算（kam contract cost {contract['id']} --stage final --category CATEGORY AMOUNT）":
        "合同 {contract['id']} 尚無決算（kam contract cost {contract['id']} --stage final --category CATEGORY AMOUNT）",
    '--term：delivery_milestone 应为 full（默认：最后一行确认时）或 first，而不是 {out[key]!r}':
        '--term：delivery_milestone 應為 full（默認：最後一行確認時）或 first，而不是 {out[key]!r}',
    "合同 {contract['id']} 为{contract['status']}：只有已签订的合同才能发货":
        "合同 {contract['id']} 為{contract['status']}：只有已簽訂的合同才能發貨",
    "合同 {contract['id']} 已于 {contract['delivered_on']} 全部交付":
        "合同 {contract['id']} 已於 {contract['delivered_on']} 全部交付",
    "发货单 {d['id']} 为{d['status']}：只有{status}的发货单才能{what}":
        "發貨單 {d['id']} 為{d['status']}：只有{status}的發貨單才能{what}",
    "{who} 申请了发货单 {d['id']}，不能审核自己的申请（职责分离）：须由他人决定":
        "{who} 申請了發貨單 {d['id']}，不能審核自己的申請（職責分離）：須由他人決定",
    '--reason：强制出库需要说明原因':
        '--reason：強制出庫需要說明原因',
    "--line：{item!r} 不是合同 {contract['id']} 的标的行（{', '.join(items) or 'it has none'}）":
        "--line：{item!r} 不是合同 {contract['id']} 的標的行（{', '.join(items) or 'it has none'}）",
    '--line：{item} 重复给出':
        '--line：{item} 重複給出',
    '--line {spec}：数量必须大于 0':
        '--line {spec}：數量必須大於 0',
    '--line {spec}：{item} 尚待发货 {_qty(str(left.get(item, ZERO)))}':
        '--line {spec}：{item} 尚待發貨 {_qty(str(left.get(item, ZERO)))}',
    "--line：合同 {contract['id']} 没有标的行；请不带 --line 申请整单发货":
        "--line：合同 {contract['id']} 沒有標的行；請不帶 --line 申請整單發貨",
    "合同 {contract['id']} 没有标的行，且已申请过发货":
        "合同 {contract['id']} 沒有標的行，且已申請過發貨",
    "合同 {contract['id']}：所有标的行均已申请发货":
        "合同 {contract['id']}：所有標的行均已申請發貨",
    "发货单 {d['id']} 已出库，尽管{what}（强制：{reason}）":
        "發貨單 {d['id']} 已出庫，儘管{what}（強制：{reason}）",
    "发货单 {d['id']}：{what}；出库须等预付款到账（款到发货）——请先回款，或使用 --force --reason T":
        "發貨單 {d['id']}：{what}；出庫須等預付款到賬（款到發貨）——請先回款，或使用 --force --reason T",
    "发货单 {d['id']} 已出库，尽管{what}":
        "發貨單 {d['id']} 已出庫，儘管{what}",
    "此处发票须先申请再审批（kam.toml finance.approve_invoices）：kam invoice request {contract['id']} --amount A，然后由财务执行 kam invoice approve":
        "此處發票須先申請再審批（kam.toml finance.approve_invoices）：kam invoice request {contract['id']} --amount A，然後由財務執行 kam invoice approve",
    "发票 {invoice['id']} 为{invoice.get('status') or 'issued'}：只能审批待审批的发票":
        "發票 {invoice['id']} 為{invoice.get('status') or 'issued'}：只能審批待審批的發票",
    "回款 {payment['id']} 已确认":
        "回款 {payment['id']} 已確認",
    '{what}：金额必须大于 0（给出的是 {text}）':
        '{what}：金額必須大於 0（給出的是 {text}）',
    '--milestone：各阶段合计 {values.fmt_money(total)}，预算为 {values.fmt_money(amount)}；两者必须相等':
        '--milestone：各階段合計 {values.fmt_money(total)}，預算為 {values.fmt_money(amount)}；兩者必須相等',
    'AMOUNT：预算不能为负数（给出的是 {amount}）':
        'AMOUNT：預算不能為負數（給出的是 {amount}）',
    "商机 {opp['id']} 已花费 {values.fmt_money(spent)}：生效预算 {values.fmt_money(budget_in_force(after))} 低于已花费金额":
        "商機 {opp['id']} 已花費 {values.fmt_money(spent)}：生效預算 {values.fmt_money(budget_in_force(after))} 低於已花費金額",
    '--reason：请说明预算为何需要增加':
        '--reason：請說明預算為何需要增加',
    "商机 {opp['id']} 没有可调整的售前预算：请先设置（kam opp budget {opp['id']} AMOUNT）":
        "商機 {opp['id']} 沒有可調整的售前預算：請先設置（kam opp budget {opp['id']} AMOUNT）",
    "商机 {opp['id']} 已有一份待审批的预算调整：请先批准或驳回":
        "商機 {opp['id']} 已有一份待審批的預算調整：請先批准或駁回",
    "商机 {opp['id']} 没有待审批的预算调整（kam opp budget-adjust {opp['id']} AMOUNT --reason T）":
        "商機 {opp['id']} 沒有待審批的預算調整（kam opp budget-adjust {opp['id']} AMOUNT --reason T）",
    "商机 {opp['id']} 没有售前预算：请先设置（kam opp budget {opp['id']} AMOUNT）":
        "商機 {opp['id']} 沒有售前預算：請先設置（kam opp budget {opp['id']} AMOUNT）",
    "超出预算：商机 {opp['id']} 预算 {values.fmt_money(view['budget'])} 剩余 {values.fmt_money(view['left'])}，本次为 {values.fmt_money(money)}；经批准的预算调整可增加预算（kam opp budget-adjust {opp['id']} AMOUNT --reason T）":
        "超出預算：商機 {opp['id']} 預算 {values.fmt_money(view['budget'])} 剩餘 {values.fmt_money(view['left'])}，本次為 {values.fmt_money(money)}；經批准的預算調整可增加預算（kam opp budget-adjust {opp['id']} AMOUNT --reason T）",
    '--until：{end} 早于 --since {start}':
        '--until：{end} 早於 --since {start}',
    '--criterion：请给出撤出标准，或使用 --met N / --clear N':
        '--criterion：請給出撤出標準，或使用 --met N / --clear N',
    '--milestone：{stage} 重复给出':
        '--milestone：{stage} 重複給出',
    '--milestone {key}：金额不能为负数（{text}）':
        '--milestone {key}：金額不能為負數（{text}）',
    '{option}：{file} 不是可读取的文件':
        '{option}：{file} 不是可讀取的文件',
    '{option}：{file}：{exc.strerror}':
        '{option}：{file}：{exc.strerror}',
    "--{'met' if flag else 'clear'}：{n} 不是 {opp['id']} 的撤出标准（共 {len(current)} 条）":
        "--{'met' if flag else 'clear'}：{n} 不是 {opp['id']} 的撤出標準（共 {len(current)} 條）",
    "离开本阶段前请核对撤出标准：{'; '.join((str(t) for t in unmet))}":
        "離開本階段前請核對撤出標準：{'; '.join((str(t) for t in unmet))}",
    "撤出标准 {n} 已于 {c['met_on']} 满足：{c.get('criterion')} —— 执行 kam opp abandon {opp['id']} --reason T，或 kam opp withdrawal {opp['id']} --clear {n}":
        "撤出標準 {n} 已於 {c['met_on']} 滿足：{c.get('criterion')} —— 執行 kam opp abandon {opp['id']} --reason T，或 kam opp withdrawal {opp['id']} --clear {n}",
    "预算调整 {pending['amount']} 待审批":
        "預算調整 {pending['amount']} 待審批",
    "{'renewal':<12} {n['contract_id']:<7} {n['customer_id']:<7} 服务期于 {n['service_end']} 结束（还有 {n['days_left']} 天）":
        "{'renewal':<12} {n['contract_id']:<7} {n['customer_id']:<7} 服務期於 {n['service_end']} 結束（還有 {n['days_left']} 天）",
    "{'flagged':<12} {n['customer_id']:<7} {n['type']}：{n['note']}":
        "{'flagged':<12} {n['customer_id']:<7} {n['type']}：{n['note']}",
    "建议：{card['acquisition_advice']}":
        "建議：{card['acquisition_advice']}",
    '异常客户规则出错：{f.message} [{f.plugin}]':
        '異常客戶規則出錯：{f.message} [{f.plugin}]',
    '--team：{squad!r} 就是目标的负责人；团队自己的目标不带 --team':
        '--team：{squad!r} 就是目標的負責人；團隊自己的目標不帶 --team',
    "{who} 的 {outer['period']} 目标为 {fmt_money(outer['amount'])} {outer['currency']}，但其分解（{names}）合计 {fmt_money(total)}：{rule}，分解不能超过总目标；请调高 {outer['period']} 的目标或调低分解":
        "{who} 的 {outer['period']} 目標為 {fmt_money(outer['amount'])} {outer['currency']}，但其分解（{names}）合計 {fmt_money(total)}：{rule}，分解不能超過總目標；請調高 {outer['period']} 的目標或調低分解",
    '--{name}：{values.fmt_money(bound)} 与目标 {values.fmt_money(money)} 不符（保底目标 ≤ 目标 ≤ 挑战目标）':
        '--{name}：{values.fmt_money(bound)} 與目標 {values.fmt_money(money)} 不符（保底目標 ≤ 目標 ≤ 挑戰目標）',
    "鞭打快牛：{target['owner']} 的 {target['period']} 目标为 {values.fmt_money(target['amount'])} {target['currency']}，超过 {before} 实际签单 {values.fmt_money(history)} 的 {factor:g} 倍":
        "鞭打快牛：{target['owner']} 的 {target['period']} 目標為 {values.fmt_money(target['amount'])} {target['currency']}，超過 {before} 實際簽單 {values.fmt_money(history)} 的 {factor:g} 倍",
    "{len(late)} 个回款节点逾期 {days} 天以上（最久 {worst['id']}，逾期 {worst['days_overdue']} 天，未回款 {worst['outstanding']} {worst['currency']}）":
        "{len(late)} 個回款節點逾期 {days} 天以上（最久 {worst['id']}，逾期 {worst['days_overdue']} 天，未回款 {worst['outstanding']} {worst['currency']}）",
    '续单提醒':
        '續單提醒',
    '异常标记':
        '異常標記',
    '月目标汇入季度目标，季度目标汇入年度目标':
        '月目標匯入季度目標，季度目標匯入年度目標',
    '成员目标是团队目标的分解':
        '成員目標是團隊目標的分解',
    '客户目标是其负责人目标的分解':
        '客戶目標是其負責人目標的分解',
    '产品线目标是其负责人目标的分解':
        '產品線目標是其負責人目標的分解',
    "{path} 第 {n} 行：事件 {event['id']} 将变为 {kept['id']}；事件编号必须从 EV1、EV2 起连续，不能有空缺":
        "{path} 第 {n} 行：事件 {event['id']} 將變為 {kept['id']}；事件編號必須從 EV1、EV2 起連續，不能有空缺",
    "试用 {t['seq']} {t['start']}..{t['end']}：{t['scope']} — {t['criteria']} [{t['result']}]":
        "試用 {t['seq']} {t['start']}..{t['end']}：{t['scope']} — {t['criteria']} [{t['result']}]",
    "让步 {c['on']}（{c['direction']}）：{c['what']}":
        "讓步 {c['on']}（{c['direction']}）：{c['what']}",
    "评估 {e['on']}（{model}，评估人 {e['by']}）：得分 {e['score']}":
        "評估 {e['on']}（{model}，評估人 {e['by']}）：得分 {e['score']}",
    "  价值 {c['value']} {c['currency']}":
        "  價值 {c['value']} {c['currency']}",
    "  交换条件 {c['exchange']}":
        "  交換條件 {c['exchange']}",
    "  折扣 {c['discount']}%":
        "  折扣 {c['discount']}%",
    "  批准人 {c['approved_by']}":
        "  批准人 {c['approved_by']}",
    '--member：目标按负责人设定，不按项目团队；请用 --owner':
        '--member：目標按負責人設定，不按項目團隊；請用 --owner',
    '--criterion：{name!r} 不是评估模型 {self.key} 的评估项；其评估项为：{known}':
        '--criterion：{name!r} 不是評估模型 {self.key} 的評估項；其評估項為：{known}',
    '--criterion {self.key}：{value!r} 不在其评分范围内；请用以下之一：{allowed}':
        '--criterion {self.key}：{value!r} 不在其評分範圍內；請用以下之一：{allowed}',
    "评估模型 {self.key}：每个评估项都要打分；缺少 {', '.join(missing)}":
        "評估模型 {self.key}：每個評估項都要打分；缺少 {', '.join(missing)}",
    '评估模型 {self.key}：权重合计为 {total}':
        '評估模型 {self.key}：權重合計為 {total}',
    '--criterion {c.key}：重复给出':
        '--criterion {c.key}：重複給出',
    'USER：团队成员需要姓名':
        'USER：團隊成員需要姓名',
    '--role：负责人请用 kam opp edit --owner 设置；请为成员选择角色':
        '--role：負責人請用 kam opp edit --owner 設置；請為成員選擇角色',
    "{name} 已是 {opp['id']} 的团队成员，角色为 {vocab.label('deal_role', key, ws.lang)}":
        "{name} 已是 {opp['id']} 的團隊成員，角色為 {vocab.label('deal_role', key, ws.lang)}",
    "{name} 不是 {opp['id']} 的团队成员":
        "{name} 不是 {opp['id']} 的團隊成員",
    "商机 {opp['id']} 为{opp['status']}：谈判已结束":
        "商機 {opp['id']} 為{opp['status']}：談判已結束",
    '--what：请说明让步的内容':
        '--what：請說明讓步的內容',
    '--value：{value} 不能为负数':
        '--value：{value} 不能為負數',
    '--date：{day} 是未来日期（今天是 {ws.today}）':
        '--date：{day} 是未來日期（今天是 {ws.today}）',
    "商机 {opp['id']} 的这次让步使折扣达到 {discount}%，按合同规则需经 {', '.join(needed)} 审批：请记录其审批（--approved-by NAME）":
        "商機 {opp['id']} 的這次讓步使折扣達到 {discount}%，按合同規則需經 {', '.join(needed)} 審批：請記錄其審批（--approved-by NAME）",
    "--approved-by：{approver} 是 {opp['id']} 的负责人，不能批准自己的让步":
        "--approved-by：{approver} 是 {opp['id']} 的負責人，不能批准自己的讓步",
    "应收 {record['id']} 为{view['state']}：无需催收":
        "應收 {record['id']} 為{view['state']}：無需催收",
    '--promised：{day} 已过去（今天是 {ws.today}）':
        '--promised：{day} 已過去（今天是 {ws.today}）',
    "请为 {chosen.key} 的每个评估项给出 --criterion KEY=VALUE：{', '.join((c.key for c in chosen.criteria))}":
        "請為 {chosen.key} 的每個評估項給出 --criterion KEY=VALUE：{', '.join((c.key for c in chosen.criteria))}",
    '--criterion：{pair!r} 应写成 KEY=VALUE':
        '--criterion：{pair!r} 應寫成 KEY=VALUE',
    '{option}：新的试用必须给出':
        '{option}：新的試用必須給出',
    "--trial：{opp['id']} 没有第 {trial} 次试用（已记录 {len(trials)} 次）":
        "--trial：{opp['id']} 沒有第 {trial} 次試用（已記錄 {len(trials)} 次）",
    '--result：试用结果为 passed 或 failed':
        '--result：試用結果為 passed 或 failed',
    "{opp['id']} 的第 {trial} 次试用已为{entry['result']}：请记录新的试用":
        "{opp['id']} 的第 {trial} 次試用已為{entry['result']}：請記錄新的試用",
    "商机 {opp['id']} 为{opp['status']}：不能再记录试用":
        "商機 {opp['id']} 為{opp['status']}：不能再記錄試用",
    '--end：{last} 早于 --start {first}':
        '--end：{last} 早於 --start {first}',
    'OWNER：拜访计划需要负责人':
        'OWNER：拜訪計劃需要負責人',
    '--count：{count} 不能为负数':
        '--count：{count} 不能為負數',
    'PERIOD：{text!r} 不是有效的月份':
        'PERIOD：{text!r} 不是有效的月份',
    'PERIOD：{text!r} 应为月份（2026-03）、ISO 周（2026-W10）或日期（2026-03-02）':
        'PERIOD：{text!r} 應為月份（2026-03）、ISO 周（2026-W10）或日期（2026-03-02）',
    'PERIOD：{text!r} 不是有效的 ISO 周':
        'PERIOD：{text!r} 不是有效的 ISO 周',
    '未知的评估模型 {key!r}；已注册：{known}':
        '未知的評估模型 {key!r}；已註冊：{known}',
    "投标前没有通过的试用（kam opp trial {opp['id']} --scope T --start D --end D --criteria T，然后 --trial N --result passed）":
        "投標前沒有通過的試用（kam opp trial {opp['id']} --scope T --start D --end D --criteria T，然後 --trial N --result passed）",
    "尚无评估：立项需要至少 {minimum:f} 分（kam opp score {opp['id']} --criterion KEY=VALUE ...）":
        "尚無評估：立項需要至少 {minimum:f} 分（kam opp score {opp['id']} --criterion KEY=VALUE ...）",
    "{current['on']} 的评估得分 {current['score']} 低于立项最低分 {minimum:f}（rules.min_score）":
        "{current['on']} 的評估得分 {current['score']} 低於立項最低分 {minimum:f}（rules.min_score）",
    "\n{c['opportunity_id']} 的项目团队（铁三角）：":
        "\n{c['opportunity_id']} 的項目團隊（鐵三角）：",
    "招投标评分表：技术 {sheet['technical_weight']}%，商务 {sheet['commercial_weight']}%":
        "招投標評分表：技術 {sheet['technical_weight']}%，商務 {sheet['commercial_weight']}%",
    "我方排名：第 {sheet['our_rank']} / {len(sheet['bidders'])}（综合得分 {sheet['our_total']}）":
        "我方排名：第 {sheet['our_rank']} / {len(sheet['bidders'])}（綜合得分 {sheet['our_total']}）",
    '--competitor：{text!r} 应为 名称=技术分,商务分（NAME=TECH,COMM）':
        '--competitor：{text!r} 應為 名稱=技術分,商務分（NAME=TECH,COMM）',
    '--competitor：{name!r} 是我方一行的名称（请用 --ours）':
        '--competitor：{name!r} 是我方一行的名稱（請用 --ours）',
    "商机 {opp['id']} 为{opp['status']}：不能再记录招投标评分表":
        "商機 {opp['id']} 為{opp['status']}：不能再記錄招投標評分表",
    '--technical-weight {tw:f} 与 --commercial-weight {cw:f} 之和必须为 100':
        '--technical-weight {tw:f} 與 --commercial-weight {cw:f} 之和必須為 100',
    '--competitor：每个竞争对手只能出现一次':
        '--competitor：每個競爭對手只能出現一次',
    '已设置 {key} = {shown}':
        '已設置 {key} = {shown}',
    '已撤销信任：{key}':
        '已撤銷信任：{key}',
    '已信任：{key}':
        '已信任：{key}',
    '必需的插件（plugins.required）= {wanted}':
        '必需的插件（plugins.required）= {wanted}',
    '试运行，未保存任何记录：{summary}；忽略的列：{columns}':
        '試運行，未保存任何記錄：{summary}；忽略的列：{columns}',
    '试运行，未保存任何记录：{summary}':
        '試運行，未保存任何記錄：{summary}',
    '{summary}；忽略的列：{columns}':
        '{summary}；忽略的列：{columns}',
    "投递 {d['id']}：{d['hook']} 发往插件 {d['plugin']}，尝试 {d['tries']} 次后已放弃（{d['error']}）；请运行 kam events retry --dead":
        "投遞 {d['id']}：{d['hook']} 發往插件 {d['plugin']}，嘗試 {d['tries']} 次後已放棄（{d['error']}）；請運行 kam events retry --dead",
    "附件 {record['id']}：无法读取 {record['path']}（文件缺失？）":
        "附件 {record['id']}：無法讀取 {record['path']}（文件缺失？）",
    "回款节点 {r['id']}：已回款与核销合计 {taken}，超过其金额 {r['amount']}":
        "回款節點 {r['id']}：已回款與核銷合計 {taken}，超過其金額 {r['amount']}",
    "回款节点 {r['id']}：已开票 {billed[r['id']]}，超过其金额 {r['amount']}":
        "回款節點 {r['id']}：已開票 {billed[r['id']]}，超過其金額 {r['amount']}",
    "合同 {c['id']}：回款节点合计 {sums[c['id']]}，不等于合同金额 {c['amount']}":
        "合同 {c['id']}：回款節點合計 {sums[c['id']]}，不等於合同金額 {c['amount']}",
    "合同 {c['id']}：已开票 {billed[c['id']]}，超过合同金额 {c['amount']}":
        "合同 {c['id']}：已開票 {billed[c['id']]}，超過合同金額 {c['amount']}",
    "回款 {p['id']}：分配合计 {allocated}，不等于 {p['amount']}":
        "回款 {p['id']}：分配合計 {allocated}，不等於 {p['amount']}",
    '{k.name} {rid}：没有事件记录它（缺少审计记录的变更）':
        '{k.name} {rid}：沒有事件記錄它（缺少審計記錄的變更）',
    "附件 {record['id']}：{record['path']} 已被改动（SHA-256 与记录不符）":
        "附件 {record['id']}：{record['path']} 已被改動（SHA-256 與記錄不符）",
    "{k.name} {record['id']}：{name} 为负数（{value}）":
        "{k.name} {record['id']}：{name} 為負數（{value}）",
    "{k.name} {record['id']}：{name} 指向不存在的{target} {v}":
        "{k.name} {record['id']}：{name} 指向不存在的{target} {v}",
    '{folder}：同时有 kam.db 和 data/*.csv；backend = {backend!r} 只读取其中之一':
        '{folder}：同時有 kam.db 和 data/*.csv；backend = {backend!r} 只讀取其中之一',
    '{toml}：其他用户可写（请运行 chmod 600 {toml}）':
        '{toml}：其他用戶可寫（請運行 chmod 600 {toml}）',
    '{toml}：无法读取（{exc}）':
        '{toml}：無法讀取（{exc}）',
    "尝试投递 {result['tried']} 个：成功 {result['delivered']} 个，失败 {result['failed']} 个；剩余待投递 {result['pending']} 个，已放弃 {result['dead']} 个":
        "嘗試投遞 {result['tried']} 個：成功 {result['delivered']} 個，失敗 {result['failed']} 個；剩餘待投遞 {result['pending']} 個，已放棄 {result['dead']} 個",
    'kam: 已中断':
        'kam: 已中斷',
    'kam: 内部错误：{type(exc).__name__}: {exc}（这是程序缺陷；加 --debug 重新运行可看到调用栈）':
        'kam: 內部錯誤：{type(exc).__name__}: {exc}（這是程式缺陷；加 --debug 重新執行可看到呼叫堆疊）',
    'kam: --lang：{lang!r} 必须是 zh、zh-Hant 或 en':
        'kam: --lang：{lang!r} 必須是 zh、zh-Hant 或 en',
    '\n签约成交检查清单：':
        '\n簽約成交檢查清單：',
    '\n发货：':
        '\n發貨：',
    '\n损益（概算/预算/核算/决算）：':
        '\n損益（概算/預算/核算/決算）：',
    "{cu['id']} 客户矩阵：{cu.get('matrix')}，由 {cu['matrix_set_by']} 手工设定；规则给出：{r['rule'] or 'nothing'}（加 --rule 按规则设定）":
        "{cu['id']} 客戶矩陣：{cu.get('matrix')}，由 {cu['matrix_set_by']} 手工設定；規則給出：{r['rule'] or 'nothing'}（加 --rule 按規則設定）",
    "{cu['id']} 客户矩阵：{cu.get('matrix') or '-'}；规则需要潜力和关系（customer edit --potential --relationship）":
        "{cu['id']} 客戶矩陣：{cu.get('matrix') or '-'}；規則需要潛力和關係（customer edit --potential --relationship）",
    "{cu['id']} 客户矩阵：{cu['matrix']}（按规则）":
        "{cu['id']} 客戶矩陣：{cu['matrix']}（按規則）",
    "\n合同 {d['contract_id']} 已于 {d['confirmed_on']} 交付；现已到期的回款节点：{due}":
        "\n合同 {d['contract_id']} 已於 {d['confirmed_on']} 交付；現已到期的回款節點：{due}",
    "\n合同 {d['contract_id']} 已于 {d['confirmed_on']} 交付":
        "\n合同 {d['contract_id']} 已於 {d['confirmed_on']} 交付",
    "{record['id']} 已完成的检查项：{ticked}":
        "{record['id']} 已完成的檢查項：{ticked}",
    '无':
        '無',
    '合同 {contract_id} 已签订':
        '合同 {contract_id} 已簽訂',
    "复盘：{f['message']}":
        "復盤：{f['message']}",
    "案例分析报告（{case.get('by') or '-'}，{case['on']}）：{case['summary']}":
        "案例分析報告（{case.get('by') or '-'}，{case['on']}）：{case['summary']}",
    "  经验教训：{case['lessons']}":
        "  經驗教訓：{case['lessons']}",
    "  附件：{case['attachment']['path']}":
        "  附件：{case['attachment']['path']}",
    '--summary：请说明项目的经过':
        '--summary：請說明項目的經過',
    "商机 {opp['id']} 的状态是 {opp['status']}：案例分析报告在赢单或丢单之后撰写":
        "商機 {opp['id']} 的狀態是 {opp['status']}：案例分析報告在贏單或丟單之後撰寫",
    "超出阶段预算：商机 {opp['id']} 的 {stage} 阶段预算 {values.fmt_money(part['budget'])}，剩余 {values.fmt_money(part['left'])}，本次 {values.fmt_money(money)}；针对该阶段的调整表获批后方可增加（kam opp budget-adjust {opp['id']} AMOUNT --milestone {stage} --reason T）":
        "超出階段預算：商機 {opp['id']} 的 {stage} 階段預算 {values.fmt_money(part['budget'])}，剩餘 {values.fmt_money(part['left'])}，本次 {values.fmt_money(money)}；針對該階段的調整表獲批後方可增加（kam opp budget-adjust {opp['id']} AMOUNT --milestone {stage} --reason T）",
    "{opp.get('importance')} 级项目 {opp['id']} 已{opp['status']}，还没有案例分析报告 — kam opp case-analysis {opp['id']} --summary T":
        "{opp.get('importance')} 級項目 {opp['id']} 已{opp['status']}，還沒有案例分析報告 — kam opp case-analysis {opp['id']} --summary T",
    "商机 {opp['id']} 在 {under['stage']} 阶段已花费 {values.fmt_money(under['spent'])}：该阶段预算 {values.fmt_money(under['budget'])} 将低于已花费的金额":
        "商機 {opp['id']} 在 {under['stage']} 階段已花費 {values.fmt_money(under['spent'])}：該階段預算 {values.fmt_money(under['budget'])} 將低於已花費的金額",
    'payment_sums：{by!r} 须为 month（月）、quarter（季度）或 year（年）':
        'payment_sums：{by!r} 須為 month（月）、quarter（季度）或 year（年）',
}
