// Playbooks: the recommended retention actions for each churn reason family, drawn from the bank's retention
// strategies. Item keys are stable (they are stored when ticked); the labels are bilingual here because they are
// domain content, not UI chrome.
import { REASON_FAMILIES, type ReasonFamily } from "../vocabulary";

export type PlaybookItem = { key: string; zh: string; en: string };

export const PLAYBOOKS: Record<ReasonFamily, readonly PlaybookItem[]> = {
  market_demand: [
    { key: "md_confirm_need", zh: "了解客户经营计划与后续资金需求", en: "Ask about the customer's business plans and future funding needs" },
    { key: "md_match_product", zh: "匹配更合适的产品（期限、额度、还款方式）", en: "Offer a better-matching product (term, limit, repayment method)" },
    { key: "md_renewal_early", zh: "提前启动续贷或循环额度沟通", en: "Start the renewal or revolving-line conversation early" },
    { key: "md_cross_sell", zh: "介绍结算、票据等综合金融服务", en: "Introduce settlement, bills and other bundled services" },
  ],
  funding_chain: [
    { key: "fc_verify_cashflow", zh: "核实经营现金流与主要上下游回款情况", en: "Verify operating cash flow and receivables from key counterparties" },
    { key: "fc_site_visit", zh: "实地走访，核查经营与库存", en: "Visit the site; check operations and inventory" },
    { key: "fc_offer_restructure", zh: "评估并提出展期、重组或调整还款计划方案", en: "Assess and propose an extension, restructuring or new repayment plan" },
    { key: "fc_collateral", zh: "复核担保与抵押物价值", en: "Review guarantees and collateral value" },
    { key: "fc_agree_plan", zh: "与客户书面确认还款计划", en: "Agree a written repayment plan with the customer" },
  ],
  credit_risk: [
    { key: "cr_contact_now", zh: "当日联系客户，了解逾期原因", en: "Contact the customer today and find out why payments are late" },
    { key: "cr_financials", zh: "获取最新财务报表与征信报告", en: "Obtain the latest financial statements and credit report" },
    { key: "cr_promise", zh: "取得明确的还款承诺（金额、日期）", en: "Obtain a clear promise to pay (amount, date)" },
    { key: "cr_risk_review", zh: "提交风险部门复核，评估分类调整", en: "Refer to risk for review and a classification assessment" },
    { key: "cr_collateral_action", zh: "必要时启动担保或抵押处置预案", en: "Prepare guarantee or collateral actions if needed" },
  ],
  service_competition: [
    { key: "sc_rate_review", zh: "对照LPR与同业报价复核利率", en: "Review the rate against the LPR and competitors' offers" },
    { key: "sc_fast_approval", zh: "加快续贷/增贷审批流程", en: "Speed up the renewal or top-up approval" },
    { key: "sc_loyalty", zh: "为长期客户申请忠诚度优惠条款", en: "Apply for loyalty terms for a long-standing customer" },
    { key: "sc_service_issue", zh: "了解并解决服务中的不满意问题", en: "Find and fix what the customer was unhappy with in our service" },
    { key: "sc_senior_visit", zh: "安排主管或行领导拜访", en: "Arrange a visit by a supervisor or branch head" },
  ],
};

export const PLAYBOOK_KEYS: ReadonlySet<string> = new Set(Object.values(PLAYBOOKS).flatMap((items) => items.map((i) => i.key)));

/** The playbook sections a task shows: its primary family first, then the other families its warnings carry. */
export function playbookFor(primary: ReasonFamily, others: readonly ReasonFamily[]): { family: ReasonFamily; items: readonly PlaybookItem[] }[] {
  const families = [primary, ...REASON_FAMILIES.filter((f) => f !== primary && others.includes(f))];
  return families.map((family) => ({ family, items: PLAYBOOKS[family] }));
}
