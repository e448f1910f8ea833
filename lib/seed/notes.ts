// What the demo's simulated RMs write in their follow-ups (lib/seed/rmwork.ts): short Chinese notes as bank staff write
// them, one vocabulary per reason family, drawn from the signal lexicon's own terms (lib/signals/lexicon.json) so the
// text-signal engine finds in the demo the same signals it would find in real notes: competitor offers, cash-flow
// trouble, rate complaints, shrinking orders, ownership changes; and notes of customers who are fine, written with
// the negations RMs use ("没有资金压力", "暂无转贷打算"). lib/seed/notes.test.ts checks each note against the engine.
import type { ReasonFamily } from "../vocabulary";

/** Notes of a contact that found the trouble the warning pointed at: the family's risk signals. */
export const RISK_NOTES: Readonly<Record<ReasonFamily, readonly string[]>> = {
  funding_chain: [
    "电话联系财务负责人，对方表示下游回款很慢，资金周转困难，本期还款可能要晚几天。",
    "上门走访，原材料涨价叠加账期拉长，企业现金流很紧，正在筹钱归还欠款。",
    "客户反映应收账款迟迟收不回，资金紧张，希望申请展期。",
    "财务总监坦言资金缺口较大，工资已经延发，只能先还利息。",
    "走访车间开工不足，企业靠股东借款维持运转，还款压力明显。",
  ],
  service_competition: [
    "客户反映他行给出的报价更低，利率比我行低约五十个基点，考虑提前还款转贷。",
    "财务总监抱怨我行利率偏高，希望下调利率，否则将提前结清。",
    "客户表示其他银行主动找上门，报价更优惠，正在比较。",
    "客户对审批太慢表示不满，放款延迟影响了采购安排。",
    "电话回访，客户认为我行手续费太高，已有别的银行提供更低的费用。",
  ],
  market_demand: [
    "走访了解到企业订单减少，营收下降，暂无新增用款需求。",
    "受行业政策调整影响，下游需求下滑，产量下降，到期后可能不再续贷。",
    "客户表示今年订单锐减，正在收缩产能，贷款到期后不打算续借。",
    "企业主要客户停止下单，销售额下滑明显，经营规模在缩小。",
  ],
  credit_risk: [
    "了解到企业实际控制人变更，股权结构变动，经营情况待进一步核实。",
    "核查发现企业涉及多起诉讼，原财务负责人已离职，还款来源存疑。",
    "企业法定代表人变更，原股东退股，新管理层对我行贷款安排尚不清楚。",
    "走访得知企业大股东变更，新管理层调整了经营方向，财务报表与纳税数据不符。",
  ],
};

/** Notes of a contact that found nothing wrong: negated risk terms, so the engine reads no risk signal in them. */
export const CLEAR_NOTES: readonly string[] = [
  "电话回访，企业经营正常，没有资金压力，订单稳定。",
  "走访了解，客户表示暂无转贷打算，也没有提前还款的计划。",
  "客户确认没有他行报价，资金周转正常，按期还款没有困难。",
  "上门拜访，生产经营有序，回款正常，没有拖欠供应商货款。",
];

/** A promise to pay, appended to the note of the contact that obtained it. */
export function promiseNote(amountFen: number, dueOn: string): string {
  return `客户承诺于${dueOn}前归还逾期款项${(amountFen / 100).toFixed(2)}元。`;
}

/** The resolution note per outcome (and, for a churn, its family). */
export const RESOLUTION_NOTES = {
  false_alarm: "多次沟通核实，客户经营正常，预警信号属于偶发情况，关闭任务。",
  retained: {
    funding_chain: "客户已补齐逾期款项，经营逐步恢复，继续在我行合作。",
    service_competition: "经分行审批给予利率优惠，客户表示满意，继续在我行合作，暂无转贷打算。",
    market_demand: "企业拿到新订单，经营好转，已提交续贷申请。",
    credit_risk: "企业补充了担保措施，实际控制人承诺维持经营，继续合作观察。",
  } satisfies Record<ReasonFamily, string>,
  restructured: "与客户协商调整还款计划，延长部分期限，客户按新计划还款。",
  recovered: "逾期本息已全部收回，客户恢复按期还款。",
  churned: {
    funding_chain: "企业资金链断裂，已停止还款，移交资产保全部门处置。",
    service_competition: "客户已在他行办理转贷，结清我行贷款，挽留未成功。",
    market_demand: "企业收缩经营规模，不再有融资需求，挽留未成功。",
    credit_risk: "企业信用状况恶化，我行已提前终止合同，启动催收。",
  } satisfies Record<ReasonFamily, string>,
} as const;
