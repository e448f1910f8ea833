// The demo portfolio: a deterministic function of (seed, customers, asOf). Pure: no I/O, no clock, no Math.random.
// Customers come out one bundle at a time so a million loans never sit in memory at once.
import type { customers, loans } from "../db/schema";
import { payoffQuoteFen, type DelinquencyInput } from "../loans/delinquency";
import {
  addMonthsDay,
  dayToIso,
  formatRateMicro,
  installmentAmounts,
  isoToDay,
  type InstallmentAmount,
  type RepaymentMethod,
  type ScheduledInstallment,
} from "../loans/schedule";
import { withCheckChar } from "../reference/creditCode";
import { DIVISIONS } from "../reference/industries";
import type { ApplicationStatus, LoanStatus, ReasonFamily, Role, Stage as ChurnStage, Will as ChurnWill } from "../vocabulary";

// ---------------------------------------------------------------------------------------------------------------
// PRNG: sfc32 seeded through a murmur3 finaliser. Each customer gets its own stream keyed by (seed, index), so a
// customer's data does not depend on how many random numbers its predecessors happened to draw.

export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

type Weighted<T> = readonly (readonly [T, number])[];

class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(keys: readonly number[]) {
    let h = 0x243f6a88;
    for (const k of keys) h = fmix32((h ^ fmix32(k >>> 0)) + 0x9e3779b9);
    this.a = fmix32(h ^ 0x1);
    this.b = fmix32(h ^ 0x2);
    this.c = fmix32(h ^ 0x3);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  float(): number {
    return this.next() / 4294967296;
  }

  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`empty range ${min}..${max}`);
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(xs: readonly T[]): T {
    const x = xs[Math.floor(this.float() * xs.length)];
    if (x === undefined) throw new RangeError("pick from an empty list");
    return x;
  }

  weighted<T>(choices: Weighted<T>): T {
    let total = 0;
    for (const [, w] of choices) total += w;
    let r = this.float() * total;
    for (const [v, w] of choices) {
      r -= w;
      if (r < 0) return v;
    }
    const last = choices[choices.length - 1];
    if (!last) throw new RangeError("weighted pick from an empty list");
    return last[0];
  }
}

const STREAM_ORG = 1;
const STREAM_CUSTOMER = 2;
// A customer's fate beyond the behaviour (retained by an intervention, won back later) has its own stream, so drawing
// it leaves the customer's other data as the customer stream alone makes it.
const STREAM_FATE = 3;

// ---------------------------------------------------------------------------------------------------------------
// Reference data.

type City = {
  code: string;
  city: string;
  nameEn: string;
  province: string;
  provinceShort: string;
  districts: readonly (readonly [string, string])[];
};

// Hangzhou is always branch 1 (the head office's home); the others are drawn from the seed.
const CITIES: readonly City[] = [
  { code: "HZ01", city: "杭州", nameEn: "Hangzhou Branch", province: "浙江省", provinceShort: "浙江", districts: [["上城区", "330102"], ["拱墅区", "330105"], ["西湖区", "330106"], ["滨江区", "330108"], ["萧山区", "330109"], ["余杭区", "330110"]] },
  { code: "NB01", city: "宁波", nameEn: "Ningbo Branch", province: "浙江省", provinceShort: "浙江", districts: [["海曙区", "330203"], ["江北区", "330205"], ["北仑区", "330206"], ["镇海区", "330211"], ["鄞州区", "330212"]] },
  { code: "WZ01", city: "温州", nameEn: "Wenzhou Branch", province: "浙江省", provinceShort: "浙江", districts: [["鹿城区", "330302"], ["龙湾区", "330303"], ["瓯海区", "330304"], ["瑞安市", "330381"], ["乐清市", "330382"]] },
  { code: "SZ01", city: "苏州", nameEn: "Suzhou Branch", province: "江苏省", provinceShort: "江苏", districts: [["吴中区", "320506"], ["相城区", "320507"], ["姑苏区", "320508"], ["吴江区", "320509"], ["张家港市", "320582"], ["昆山市", "320583"]] },
  { code: "NJ01", city: "南京", nameEn: "Nanjing Branch", province: "江苏省", provinceShort: "江苏", districts: [["玄武区", "320102"], ["秦淮区", "320104"], ["建邺区", "320105"], ["鼓楼区", "320106"], ["江宁区", "320115"]] },
  { code: "WX01", city: "无锡", nameEn: "Wuxi Branch", province: "江苏省", provinceShort: "江苏", districts: [["锡山区", "320205"], ["惠山区", "320206"], ["滨湖区", "320211"], ["梁溪区", "320213"], ["江阴市", "320281"]] },
  { code: "SH01", city: "上海", nameEn: "Shanghai Branch", province: "上海市", provinceShort: "上海", districts: [["黄浦区", "310101"], ["徐汇区", "310104"], ["长宁区", "310105"], ["闵行区", "310112"], ["嘉定区", "310114"], ["浦东新区", "310115"]] },
  { code: "HF01", city: "合肥", nameEn: "Hefei Branch", province: "安徽省", provinceShort: "安徽", districts: [["瑶海区", "340102"], ["庐阳区", "340103"], ["蜀山区", "340104"], ["包河区", "340111"]] },
];

const SURNAMES = [..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤"];
const GIVEN = [..."伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉萍红建文辉力鹏飞宇浩凯俊峰斌波晨琳雪婷倩颖慧佳欣悦志国海林春晓东军亮宁博思远嘉怡"];

// Shop names (字号). Index-derived rather than random, so that a million names are unique without a lookup set.
const BRAND_CHARS = [
  ...new Set(
    "华鑫泰恒瑞祥兴隆盛昌宏达源丰元利通顺福康宁安嘉和信诚德汇聚创新远航宇辰星光明阳天海中金银铭正东方江山川林森峰岳卓越博雅立志成凯旋腾飞龙凤麒麟锦绣美佳优品尚益民众联协同富裕润泽泓涛浩瀚晨曦曜晟昊煜灿烨炜彤辉耀亿万鼎盈晶莹玉璟琪瑾瑜璞茂荣蓉芳菲蕴蓝青翠宝永弘骏驰达旺乐百合道汉唐云",
  ),
];

// Business words per GB/T 4754 division; divisions added to DIVISIONS later fall back to 实业.
const INDUSTRY_WORDS: Readonly<Record<string, readonly string[]>> = {
  A01: ["农业科技", "生态农业", "农业开发"],
  C13: ["食品", "粮油", "农产品加工"],
  C17: ["纺织", "织造", "丝绸"],
  C18: ["服饰", "制衣", "服装"],
  C26: ["化工", "新材料", "精细化工"],
  C29: ["塑业", "橡塑制品", "塑胶"],
  C31: ["钢铁", "特钢", "金属材料"],
  C34: ["机械", "通用设备", "机电"],
  C36: ["汽车零部件", "汽车配件", "汽车部件"],
  C38: ["电气", "电器", "电机"],
  C39: ["电子", "光电科技", "通信设备"],
  D44: ["能源", "热电", "新能源"],
  E47: ["建设", "建筑工程", "建工"],
  E48: ["市政工程", "路桥建设", "土木工程"],
  F51: ["贸易", "商贸", "供应链管理"],
  F52: ["商业", "超市", "百货"],
  G54: ["物流", "运输", "货运"],
  G59: ["仓储", "仓储物流", "冷链物流"],
  H61: ["酒店管理", "酒店", "宾馆"],
  H62: ["餐饮管理", "餐饮服务", "美食"],
  I65: ["软件", "信息技术", "网络科技", "数据科技"],
  K70: ["置业", "房地产开发", "地产"],
  L72: ["企业管理咨询", "商务服务", "咨询"],
  M75: ["科技", "技术服务", "科技发展"],
  R86: ["文化传媒", "出版", "传媒"],
};

// Manufacturing dominates a regional bank's corporate book.
const INDUSTRIES: Weighted<string> = Object.keys(DIVISIONS).map((code) => [code, code.startsWith("C") ? 2 : 1] as const);

// Registered capital in 万元 (10,000 yuan): round figures, as on real business licences.
const CAPITAL_WAN: Weighted<number> = [
  [100, 6], [200, 8], [300, 8], [500, 12], [800, 8], [1000, 14], [1500, 8], [2000, 10],
  [3000, 8], [5000, 7], [8000, 4], [10000, 4], [20000, 2], [50000, 1],
];

const MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "157", "158", "159", "180", "181", "186", "187", "188", "189"];

type Product = {
  name: string;
  terms: Weighted<number>;
  methods: Weighted<RepaymentMethod>;
  rateMicro: readonly [number, number];
  wan: readonly [number, number];
};

const PRODUCTS: Weighted<Product> = [
  [{ name: "流动资金贷款", terms: [[12, 60], [24, 25], [6, 15]], methods: [["equal_installment", 35], ["interest_only", 30], ["equal_principal", 15], ["bullet", 20]], rateMicro: [36000, 55000], wan: [100, 3000] }, 35],
  [{ name: "固定资产贷款", terms: [[36, 60], [60, 20], [24, 20]], methods: [["equal_principal", 50], ["equal_installment", 50]], rateMicro: [38000, 58000], wan: [500, 8000] }, 20],
  [{ name: "科技贷", terms: [[24, 50], [36, 30], [12, 20]], methods: [["equal_installment", 50], ["interest_only", 50]], rateMicro: [32000, 46000], wan: [100, 2000] }, 20],
  [{ name: "普惠小微贷", terms: [[12, 40], [24, 30], [36, 30]], methods: [["equal_installment", 70], ["equal_principal", 30]], rateMicro: [34500, 48000], wan: [30, 1000] }, 25],
];

const RATE_CAP_MICRO = 80_000;

// ---------------------------------------------------------------------------------------------------------------
// Behaviours: what the generator decides will happen to each customer (recorded in churn_truth).

export const BEHAVIOURS = [
  "steady",
  "rate_sensitive_prepayer",
  "cash_flow_stressed",
  "credit_deterioration",
  "non_renewal",
  "application_rejected",
  "application_withdrawn",
  "approved_not_drawn",
] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

const BEHAVIOUR_WEIGHTS: Weighted<Behaviour> = [
  ["steady", 70],
  ["rate_sensitive_prepayer", 6],
  ["cash_flow_stressed", 6],
  ["credit_deterioration", 4],
  ["non_renewal", 5],
  ["application_rejected", 3],
  ["application_withdrawn", 3],
  ["approved_not_drawn", 3],
];

const NOTES = {
  steady: "按期足额还款的稳定客户 / Steady payer: pays in full on or before each due date",
  rate_sensitive_prepayer: "利率敏感，他行报价更低，先部分提前还款再提前结清 / Rate-sensitive: partial prepayment, then early settlement for a cheaper offer elsewhere",
  cash_flow_stressed: "资金链紧张：先逾期、再部分还款，最终停止还款并违约 / Cash-flow stress: late, then partial, then missed payments until default",
  credit_deterioration: "经营与信用恶化，停止还款，银行提前终止合同 / Credit deterioration: payments stop and the bank terminates the contract",
  non_renewal_market: "市场需求下降，贷款到期后不再续贷 / Demand fell: does not renew at maturity",
  non_renewal_service: "转向他行，贷款到期后不再续贷 / Moved to another lender: no renewal at maturity",
  application_rejected: "授信审查未通过，申请被拒绝 / Application rejected on credit review",
  application_withdrawn: "审批过慢，客户撤回申请 / Slow approval: the customer withdrew the application",
  approved_not_drawn_service: "审批通过后转向他行，未提款 / Approved, but drew from another lender instead",
  approved_not_drawn_market: "需求消失，审批通过后未提款 / Need went away: approved but never drawn",
  retained: "；客户经理干预后挽留成功，未流失 / retained: the RM's intervention kept the customer",
  wonBack: "；流失后重新在我行提款，已赢回 / won back: drew a new loan after leaving",
} as const;

// Of the customers who would have left by the as-of date, the share an intervention keeps (the generator decides it,
// so the data shows the customer staying; the demo's simulated RM then resolves the task "retained"). Defaults, bank
// terminations and rejections are not reversed by a call.
const RETAIN_SHARE: Partial<Record<Behaviour, number>> = {
  rate_sensitive_prepayer: 0.3,
  cash_flow_stressed: 0.25,
  non_renewal: 0.3,
  approved_not_drawn: 0.25,
  application_withdrawn: 0.25,
};
// Of the voluntary leavers, the share who come back and draw a new loan 100–400 days later.
const WIN_BACK_SHARE = 0.2;
const WIN_BACK: ReadonlySet<Behaviour> = new Set(["rate_sensitive_prepayer", "non_renewal", "approved_not_drawn", "application_withdrawn"]);

// ---------------------------------------------------------------------------------------------------------------
// Output rows: the columns of lib/db/schema.ts with explicit ids, dates as YYYY-MM-DD.

export type PortfolioOptions = { customers: number; seed: number; asOf: string; branches?: number };

export type GenBranch = { id: number; code: string; name: string; nameEn: string; region: string };
export type GenUser = { id: number; username: string; displayName: string; role: Role; branchId: number | null; email: string };
// churnedOn / wonBackOn are not generated: churn detection derives them from the loaded data.
export type GenCustomer = Omit<typeof customers.$inferSelect, "createdAt" | "updatedAt" | "churnedOn" | "wonBackOn" | "contactPerson" | "contactPhone"> & { contactPerson: string; contactPhone: string };
export type GenApplication = {
  id: number;
  applicationNo: string;
  customerId: number;
  product: string;
  amountFen: number;
  submittedOn: string;
  decidedOn: string | null;
  status: ApplicationStatus;
};
// Every generated loan is drawn from an application.
export type GenLoan = Omit<typeof loans.$inferSelect, "applicationId" | "createdAt" | "updatedAt"> & { applicationId: number };
export type GenInstallment = ScheduledInstallment & { loanId: number };
export type GenRepayment = { id: number; loanId: number; paidOn: string; amountFen: number; externalId: string };
export type GenChurnTruth = {
  customerId: number;
  behaviour: Behaviour;
  churns: boolean;
  stage: ChurnStage | null;
  will: ChurnWill | null;
  reasonFamily: ReasonFamily | null;
  signalOn: string | null;
  churnOn: string | null;
  loanId: number | null;
  applicationId: number | null;
  note: string;
};
export type CustomerBundle = {
  customer: GenCustomer;
  applications: GenApplication[];
  loans: GenLoan[];
  installments: GenInstallment[];
  repayments: GenRepayment[];
  truth: GenChurnTruth;
};

export type PortfolioPlan = {
  options: Required<PortfolioOptions>;
  branches: GenBranch[];
  users: GenUser[];
  /** Internal: what generateCustomers needs to place customers. */
  placement: Placement;
};

type Placement = {
  asOfDay: number;
  seedKeys: readonly [number, number];
  cities: readonly City[];
  branchWeights: Weighted<number>;
  rmIdsByBranch: readonly (readonly number[])[];
  brandPerm2: AffinePerm;
  brandPerm3: AffinePerm;
  orgCodePerm: { mul: bigint; add: bigint };
};

type AffinePerm = { mul: number; add: number; size: number };

const BRAND_SPACE_2 = BRAND_CHARS.length ** 2;
const BRAND_SPACE_3 = BRAND_CHARS.length ** 3;
/** Shop names stay unique up to this many customers (two-, then three-character names). */
export const MAX_CUSTOMERS = BRAND_SPACE_2 + BRAND_SPACE_3;

const CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const ORG_CODE_SPACE = 31n ** 9n;

export const DEMO_PASSWORD = "demo-pass-2026";

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

// i ↦ (mul·i + add) mod size with gcd(mul, size) = 1 is a bijection: unique names and codes by construction.
function affinePerm(rng: Rng, size: number): AffinePerm {
  let mul = rng.int(Math.floor(size / 3), size - 1);
  while (gcd(mul, size) !== 1) mul++;
  return { mul, add: rng.int(0, size - 1), size };
}

function applyPerm(p: AffinePerm, i: number): number {
  return (p.mul * i + p.add) % p.size;
}

function personName(rng: Rng): string {
  const given = rng.chance(0.7) ? rng.pick(GIVEN) + rng.pick(GIVEN) : rng.pick(GIVEN);
  return rng.pick(SURNAMES) + given;
}

function validateOptions(o: PortfolioOptions): Required<PortfolioOptions> {
  if (!Number.isInteger(o.customers) || o.customers < 1 || o.customers > MAX_CUSTOMERS) {
    throw new RangeError(`customers must be a whole number from 1 to ${MAX_CUSTOMERS}, got ${o.customers}`);
  }
  if (!Number.isSafeInteger(o.seed)) throw new RangeError(`seed must be a whole number, got ${o.seed}`);
  const branches = o.branches ?? 4;
  if (!Number.isInteger(branches) || branches < 3 || branches > 5) throw new RangeError(`branches must be 3, 4 or 5, got ${branches}`);
  isoToDay(o.asOf);
  return { customers: o.customers, seed: o.seed, asOf: o.asOf, branches };
}

/** Branches, users and the fixed parameters of a portfolio. Users carry no password hash: the loader adds it. */
export function planPortfolio(opts: PortfolioOptions): PortfolioPlan {
  const options = validateOptions(opts);
  // Two 32-bit halves so every safe-integer seed (negative included) gives its own stream.
  const seedKeys = [options.seed >>> 0, Math.floor(options.seed / 4294967296) >>> 0] as const;
  const rng = new Rng([...seedKeys, STREAM_ORG]);

  const [home, ...rest] = CITIES;
  if (!home) throw new Error("no cities");
  const others = [...rest];
  for (let i = others.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [others[i], others[j]] = [others[j] as City, others[i] as City];
  }
  const cities = [home, ...others.slice(0, options.branches - 1)];
  const branches: GenBranch[] = cities.map((c, i) => ({ id: i + 1, code: c.code, name: `${c.city}分行`, nameEn: c.nameEn, region: c.province }));
  const branchWeights: Weighted<number> = cities.map((_, i) => [i, i === 0 ? 15 : rng.int(8, 13)] as const);

  // About one RM per 40 customers, at least two per branch, shared out by branch size (largest remainder).
  const totalWeight = branchWeights.reduce((s, [, w]) => s + w, 0);
  const rmTotal = Math.max(2 * cities.length, Math.ceil(options.customers / 40));
  const extra = rmTotal - 2 * cities.length;
  const shares = branchWeights.map(([i, w]) => ({ i, exact: (extra * w) / totalWeight }));
  const counts = shares.map((s) => 2 + Math.floor(s.exact));
  let left = rmTotal - counts.reduce((s, n) => s + n, 0);
  for (const s of [...shares].sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || a.i - b.i)) {
    if (left-- <= 0) break;
    counts[s.i] = (counts[s.i] ?? 0) + 1;
  }

  // Drawn before the users, whose number depends on the portfolio size: names and codes depend on the seed alone.
  const brandPerm2 = affinePerm(rng, BRAND_SPACE_2);
  const brandPerm3 = affinePerm(rng, BRAND_SPACE_3);
  const big = () => (BigInt(rng.next()) << 32n) | BigInt(rng.next());
  let orgMul = (big() % (ORG_CODE_SPACE - 2n)) + 2n;
  if (orgMul % 31n === 0n) orgMul += 1n;
  const orgCodePerm = { mul: orgMul, add: big() % ORG_CODE_SPACE };

  const users: GenUser[] = [];
  const addUser = (username: string, role: Role, branchId: number | null) =>
    users.push({ id: users.length + 1, username, displayName: personName(rng), role, branchId, email: `${username}@churnwatch.example` });
  addUser("admin", "admin", null);
  addUser("admin2", "admin", null);
  addUser("hr1", "hr", null);
  addUser("hr2", "hr", null);
  branches.forEach((b, i) => addUser(`sup${i + 1}`, "supervisor", b.id));
  const rmIdsByBranch: number[][] = [];
  let rmNo = 0;
  branches.forEach((b, i) => {
    const ids: number[] = [];
    for (let k = 0; k < (counts[i] ?? 2); k++) {
      addUser(`rm${++rmNo}`, "rm", b.id);
      ids.push(users.length);
    }
    rmIdsByBranch.push(ids);
  });

  return {
    options,
    branches,
    users,
    placement: {
      asOfDay: isoToDay(options.asOf),
      seedKeys,
      cities,
      branchWeights,
      rmIdsByBranch,
      brandPerm2,
      brandPerm3,
      orgCodePerm,
    },
  };
}

function brandOf(p: Placement, index: number): string {
  const k = BRAND_CHARS.length;
  const twoChars = index < BRAND_SPACE_2;
  let n = twoChars ? applyPerm(p.brandPerm2, index) : applyPerm(p.brandPerm3, index - BRAND_SPACE_2);
  let s = "";
  for (let i = twoChars ? 2 : 3; i > 0; i--) {
    s += BRAND_CHARS[n % k];
    n = Math.floor(n / k);
  }
  return s;
}

function creditCodeOf(p: Placement, index: number, districtCode: string): string {
  let n = (p.orgCodePerm.mul * BigInt(index) + p.orgCodePerm.add) % ORG_CODE_SPACE;
  let org = "";
  for (let i = 0; i < 9; i++) {
    org = CODE_ALPHABET[Number(n % 31n)] + org;
    n /= 31n;
  }
  // 9 = registered by the market regulator, 1 = enterprise.
  return withCheckChar(`91${districtCode}${org}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Loans and their repayment histories.

type Terms = { product: string; principalFen: number; rateMicro: number; termMonths: number; method: RepaymentMethod };
type Pay = { day: number; amount: number };
type PayPlan =
  | { kind: "regular" }
  | { kind: "prepay"; partialDay: number; payoffDay: number; pct: number }
  | { kind: "stressed"; firstLate: number; lateCount: number; partialCount: number; cure?: boolean }
  | { kind: "stop"; firstMissed: number; lateBefore: boolean; terminateDay: number };

type LoanDraft = {
  terms: Terms;
  disbDay: number;
  maturityDay: number;
  amounts: InstallmentAmount[];
  dueDays: number[];
  pays: Pay[]; // only those on or before asOf
  status: LoanStatus;
  closedDay: number | null;
  signalDay: number | null;
  churnDay: number | null;
};

function drawTerms(rng: Rng, monthly: boolean, rateBumpMicro = 0): Terms {
  const p = rng.weighted(PRODUCTS);
  const termMonths = rng.weighted(monthly ? p.terms.filter(([t]) => t >= 12) : p.terms);
  const method = rng.weighted(monthly || termMonths > 12 ? p.methods.filter(([m]) => m !== "bullet") : p.methods);
  const [lo, hi] = p.rateMicro;
  const rateMicro = Math.min(RATE_CAP_MICRO, lo + 500 * rng.int(0, Math.floor((hi - lo) / 500)) + rateBumpMicro);
  // Skewed towards smaller loans: u² puts most of the mass near the bottom of the range.
  const u = rng.float();
  const wan = p.wan[0] + Math.floor(u * u * (p.wan[1] - p.wan[0] + 1));
  return { product: p.name, principalFen: wan * 1_000_000, rateMicro, termMonths, method };
}

/** First day on which days past due exceeds `limit`, paying installments oldest first; null if it never does. */
function firstDayDpdOver(dueDays: readonly number[], totals: readonly number[], pays: readonly Pay[], limit: number): number | null {
  let k = 0;
  let cumDue = totals[0] ?? 0;
  let paid = 0;
  let p = 0;
  for (;;) {
    while (k < totals.length && cumDue <= paid) cumDue += totals[++k] ?? 0;
    if (k >= totals.length) return null;
    const candidate = (dueDays[k] as number) + limit + 1;
    const pay = pays[p++];
    if (!pay || candidate < pay.day) return candidate;
    paid += pay.amount;
  }
}

function earlyDays(rng: Rng): number {
  return rng.chance(0.7) ? 0 : rng.int(1, 3);
}

/** A drafted loan in the delinquency engine's terms, with the payments made so far. */
function engineInput(terms: Terms, disbDay: number, maturityDay: number, amounts: readonly InstallmentAmount[], dueDays: readonly number[], pays: readonly Pay[], asOf: number): DelinquencyInput {
  return {
    loan: { principalFen: terms.principalFen, annualRate: formatRateMicro(terms.rateMicro), disbursedOn: dayToIso(disbDay), maturityOn: dayToIso(maturityDay) },
    installments: amounts.map((a, k) => ({ installmentNo: k + 1, dueOn: dayToIso(dueDays[k] as number), ...a })),
    // Ids in payment order, as buildCustomer numbers them.
    repayments: pays.map((p, k) => ({ id: k + 1, paidOn: dayToIso(p.day), amountFen: p.amount, externalId: String(k + 1).padStart(6, "0") })),
    asOf: dayToIso(asOf),
  };
}

function simulateLoan(rng: Rng, terms: Terms, disbDay: number, plan: PayPlan, asOf: number): LoanDraft {
  const amounts = installmentAmounts(terms.principalFen, terms.rateMicro, terms.termMonths, terms.method);
  const n = amounts.length;
  const dueDays = amounts.map((_, i) => addMonthsDay(disbDay, terms.method === "bullet" ? terms.termMonths : i + 1));
  const totals = amounts.map((a) => a.principalDueFen + a.interestDueFen);
  const maturityDay = addMonthsDay(disbDay, terms.termMonths);
  const planned: Pay[] = [];
  let status: LoanStatus = "active";
  let closedDay: number | null = null;
  let signalDay: number | null = null;
  let churnDay: number | null = null;

  switch (plan.kind) {
    case "regular": {
      for (let k = 0; k < n; k++) planned.push({ day: (dueDays[k] as number) - earlyDays(rng), amount: totals[k] as number });
      const last = planned[n - 1] as Pay;
      if (last.day <= asOf) [status, closedDay] = ["matured", last.day];
      break;
    }
    case "prepay": {
      // Regular installments until the payoff; the partial prepayment comes out of what will be left at payoff,
      // so the payoff itself always has principal to settle.
      let principalPaid = 0;
      for (let k = 0; k < n; k++) {
        const day = (dueDays[k] as number) - earlyDays(rng);
        if (day >= plan.payoffDay) break;
        planned.push({ day, amount: totals[k] as number });
        principalPaid += (amounts[k] as InstallmentAmount).principalDueFen;
      }
      const extra = Math.floor(((terms.principalFen - principalPaid) * plan.pct) / 100 / 10_000) * 10_000;
      planned.push({ day: plan.partialDay, amount: extra });
      planned.sort((a, b) => a.day - b.day);
      // The payoff is the delinquency engine's own settlement quote, so the engine sees this loan settle that day.
      planned.push({ day: plan.payoffDay, amount: payoffQuoteFen(engineInput(terms, disbDay, maturityDay, amounts, dueDays, planned, plan.payoffDay)) });
      signalDay = plan.partialDay;
      churnDay = plan.payoffDay;
      if (plan.payoffDay <= asOf) [status, closedDay] = ["prepaid", plan.payoffDay];
      break;
    }
    case "stressed": {
      const firstPartial = plan.firstLate + plan.lateCount;
      for (let k = 0; k < firstPartial + plan.partialCount && k < n; k++) {
        const due = dueDays[k] as number;
        const total = totals[k] as number;
        if (k < plan.firstLate) planned.push({ day: due - earlyDays(rng), amount: total });
        else if (k < firstPartial) planned.push({ day: due + rng.int(5, 25), amount: total });
        else planned.push({ day: due + rng.int(3, 20), amount: Math.floor((total * rng.int(40, 85)) / 100) });
      }
      const lastPartial = firstPartial + plan.partialCount - 1;
      if (plan.cure && lastPartial < n - 1) {
        // Kept: the arrears are paid in one go before the oldest unpaid installment is 60 days late, then every
        // installment on time again.
        const lastPay = Math.max(...planned.map((p) => p.day));
        const catchUp = Math.max(lastPay + 1, Math.min(lastPay + rng.int(1, 5), (dueDays[firstPartial] as number) + 85));
        const owed = totals.slice(0, lastPartial + 1).reduce((a, b) => a + b, 0) - planned.reduce((a, p) => a + p.amount, 0);
        planned.push({ day: catchUp, amount: owed });
        for (let k = lastPartial + 1; k < n; k++) planned.push({ day: Math.max(catchUp + 1, (dueDays[k] as number) - earlyDays(rng)), amount: totals[k] as number });
        planned.sort((a, b) => a.day - b.day);
        signalDay = firstDayDpdOver(dueDays, totals, planned, 0);
        const last = planned[planned.length - 1] as Pay;
        if (last.day <= asOf) [status, closedDay] = ["matured", last.day];
        break;
      }
      signalDay = firstDayDpdOver(dueDays, totals, planned, 0);
      churnDay = firstDayDpdOver(dueDays, totals, planned, 90);
      if (churnDay !== null && churnDay <= asOf) status = "defaulted";
      break;
    }
    case "stop": {
      for (let k = 0; k < plan.firstMissed; k++) {
        const late = plan.lateBefore && k === plan.firstMissed - 1;
        planned.push({ day: (dueDays[k] as number) + (late ? rng.int(3, 10) : -earlyDays(rng)), amount: totals[k] as number });
      }
      signalDay = firstDayDpdOver(dueDays, totals, planned, 0);
      churnDay = plan.terminateDay;
      if (plan.terminateDay <= asOf) [status, closedDay] = ["terminated", plan.terminateDay];
      break;
    }
  }
  return {
    terms,
    disbDay,
    maturityDay,
    amounts,
    dueDays,
    pays: planned.filter((p) => p.day <= asOf),
    status,
    closedDay,
    signalDay,
    churnDay,
  };
}

type AppDraft = { product: string; amountFen: number; submittedDay: number; decidedDay: number | null; status: ApplicationStatus; loan: LoanDraft | null };

type TruthDraft = {
  behaviour: Behaviour;
  stage: ChurnStage;
  will: ChurnWill;
  reasonFamily: ReasonFamily;
  signalDay: number;
  /** null: the customer was kept (fate.retained). */
  churnDay: number | null;
  loan: LoanDraft | null;
  app: AppDraft | null;
  note: string;
};

/** Earlier loans renewed one after another, the last one maturing shortly before `beforeDay`. */
function renewalChain(rng: Rng, beforeDay: number, count: number, asOf: number): LoanDraft[] {
  const out: LoanDraft[] = [];
  let next = beforeDay;
  for (let c = 0; c < count; c++) {
    const terms = drawTerms(rng, false);
    const disbDay = addMonthsDay(next - rng.int(0, 20), -terms.termMonths);
    if (disbDay < asOf - 3650) break;
    out.unshift(simulateLoan(rng, terms, disbDay, { kind: "regular" }, asOf));
    next = disbDay;
  }
  return out;
}

/** A drawdown date that leaves the loan running at asOf. */
function activeDisbursal(rng: Rng, terms: Terms, asOf: number): number {
  return addMonthsDay(asOf, -rng.int(0, terms.termMonths - 1)) - rng.int(5, 27);
}

function uniformDay(rng: Rng, from: number, to: number): number {
  return rng.int(Math.min(from, to), Math.max(from, to));
}

function loanCount(rng: Rng): number {
  return rng.weighted([[1, 55], [2, 30], [3, 15]]);
}

type CustomerDraft = { loans: LoanDraft[]; apps: AppDraft[]; truth: TruthDraft | null };

/** Renewals drawn as each loan matures, until one runs past the as-of date: a customer who stays keeps borrowing. */
function keepBorrowing(rng: Rng, from: LoanDraft, A: number): LoanDraft[] {
  const out: LoanDraft[] = [];
  let last = from;
  while (last.maturityDay <= A && out.length < 6) {
    const t = drawTerms(rng, false);
    last = simulateLoan(rng, t, Math.max(last.disbDay + 1, last.maturityDay - rng.int(0, 5)), { kind: "regular" }, A);
    out.push(last);
  }
  return out;
}

/** What the fate stream decided: kept by an intervention (the churn does not happen), or won back after it. */
type Fate = { retained: boolean; winBack: boolean };

function draftBehaviour(rng: Rng, behaviour: Behaviour, A: number, fate: Fate): CustomerDraft {
  const apps: AppDraft[] = [];
  let loans: LoanDraft[] = [];
  let truth: TruthDraft | null = null;
  const postLoan = (primary: LoanDraft, will: ChurnWill, reasonFamily: ReasonFamily, note: string) => {
    loans = [...renewalChain(rng, primary.disbDay, loanCount(rng) - 1, A), primary];
    truth = { behaviour, stage: "post_loan", will, reasonFamily, signalDay: primary.signalDay as number, churnDay: primary.churnDay, loan: primary, app: null, note };
  };

  switch (behaviour) {
    case "steady": {
      const terms = drawTerms(rng, false);
      const primary = simulateLoan(rng, terms, activeDisbursal(rng, terms, A), { kind: "regular" }, A);
      loans = [primary];
      for (let c = loanCount(rng) - 1; c > 0; c--) {
        if (rng.chance(0.35)) {
          const t = drawTerms(rng, false);
          loans.push(simulateLoan(rng, t, activeDisbursal(rng, t, A), { kind: "regular" }, A));
        } else {
          const earliest = Math.min(...loans.map((l) => l.disbDay));
          loans.push(...renewalChain(rng, earliest, 1, A));
        }
      }
      // A few steady customers have a renewal application waiting for a decision.
      if (rng.chance(0.03)) {
        const t = drawTerms(rng, false);
        apps.push({ product: t.product, amountFen: t.principalFen, submittedDay: A - rng.int(0, 10), decidedDay: null, status: "submitted", loan: null });
      }
      // A customer who stays files the renewal (续贷) two to three months before a loan matures, and the bank decides
      // it just before maturity, so the new loan is drawn as the old one is repaid. Without this every steady loan
      // near maturity looked like a non-renewal; some steady customers still leave it late.
      for (const l of [...loans]) {
        if (l.status !== "active" || l.maturityDay <= A || l.maturityDay > A + 100 || !rng.chance(0.85)) continue;
        const submittedDay = l.maturityDay - rng.int(60, 90);
        if (submittedDay > A) continue;
        const decidedDay = l.maturityDay - rng.int(3, 10);
        const decided = decidedDay <= A;
        apps.push({ product: l.terms.product, amountFen: l.terms.principalFen, submittedDay, decidedDay: decided ? decidedDay : null, status: decided ? "approved" : "submitted", loan: null });
      }
      break;
    }
    case "rate_sensitive_prepayer": {
      const future = rng.chance(0.3);
      const terms = drawTerms(rng, true, 500 * rng.int(12, 30));
      const partialDay = future ? A - rng.int(0, 45) : A - rng.int(100, 540);
      const payoffDay = future ? A + rng.int(1, 90) : partialDay + rng.int(15, 80);
      const disbDay = uniformDay(rng, addMonthsDay(payoffDay + 31, -terms.termMonths), addMonthsDay(partialDay, -3));
      const pct = rng.int(20, 50);
      if (fate.retained && !future) {
        // Kept with a better rate: no prepayment; the loan runs its course and is renewed.
        const primary = simulateLoan(rng, terms, disbDay, { kind: "regular" }, A);
        [primary.signalDay, primary.churnDay] = [partialDay, null];
        postLoan(primary, "voluntary", "service_competition", NOTES.rate_sensitive_prepayer);
        loans.push(...keepBorrowing(rng, primary, A));
        break;
      }
      const primary = simulateLoan(rng, terms, disbDay, { kind: "prepay", partialDay, payoffDay, pct }, A);
      postLoan(primary, "voluntary", "service_competition", NOTES.rate_sensitive_prepayer);
      break;
    }
    case "cash_flow_stressed": {
      const terms = drawTerms(rng, true, 500 * rng.int(10, 30));
      const lateCount = rng.int(1, 2);
      const partialCount = rng.int(1, 3);
      const firstLate = rng.int(2, terms.termMonths - 4 - lateCount - partialCount);
      // The first partial payment's due date sets when the 90-day default lands relative to asOf.
      const firstPartialDue = rng.chance(0.35) ? A - rng.int(15, 85) : A - rng.int(200, 600);
      const disbDay = addMonthsDay(firstPartialDue, -(firstLate + lateCount + 1));
      // Kept: the customer catches up (only for a default that would have come by the as-of date).
      const cure = fate.retained && firstPartialDue + 120 <= A;
      const primary = simulateLoan(rng, terms, disbDay, { kind: "stressed", firstLate, lateCount, partialCount, cure }, A);
      postLoan(primary, "involuntary", "funding_chain", NOTES.cash_flow_stressed);
      if (cure) loans.push(...keepBorrowing(rng, primary, A));
      break;
    }
    case "credit_deterioration": {
      const terms = drawTerms(rng, true, 500 * rng.int(10, 30));
      const firstMissed = rng.int(2, terms.termMonths - 2);
      const missedDue = rng.chance(0.3) ? A - rng.int(1, 30) : A - rng.int(90, 540);
      const disbDay = addMonthsDay(missedDue, -(firstMissed + 1));
      const dueMissed = addMonthsDay(disbDay, firstMissed + 1);
      const terminateDay = dueMissed + rng.int(45, 80);
      const primary = simulateLoan(rng, terms, disbDay, { kind: "stop", firstMissed, lateBefore: rng.chance(0.5), terminateDay }, A);
      postLoan(primary, "involuntary", "credit_risk", NOTES.credit_deterioration);
      break;
    }
    case "non_renewal": {
      const terms = drawTerms(rng, false);
      const maturityTarget = rng.chance(0.3) ? A + rng.int(1, 90) : A - rng.int(15, 540);
      const primary = simulateLoan(rng, terms, addMonthsDay(maturityTarget, -terms.termMonths), { kind: "regular" }, A);
      primary.signalDay = primary.maturityDay - 90;
      // Kept: renews at maturity after all (only where the maturity has passed).
      const kept = fate.retained && primary.maturityDay <= A;
      primary.churnDay = kept ? null : primary.maturityDay;
      const market = rng.chance(0.6);
      postLoan(primary, "voluntary", market ? "market_demand" : "service_competition", market ? NOTES.non_renewal_market : NOTES.non_renewal_service);
      if (kept) loans.push(...keepBorrowing(rng, primary, A));
      break;
    }
    case "application_rejected":
    case "application_withdrawn":
    case "approved_not_drawn": {
      const future = rng.chance(0.25);
      const t = drawTerms(rng, false);
      let app: AppDraft;
      let signalDay: number;
      let churnDay: number;
      let will: ChurnWill = "voluntary";
      let reasonFamily: ReasonFamily = "service_competition";
      let note: string;
      if (behaviour === "application_rejected") {
        const submitted = future ? A - rng.int(0, 9) : A - rng.int(25, 540);
        churnDay = future ? A + rng.int(1, 15) : submitted + rng.int(5, 20);
        signalDay = submitted;
        app = { product: t.product, amountFen: t.principalFen, submittedDay: submitted, decidedDay: churnDay, status: "rejected", loan: null };
        [will, reasonFamily, note] = ["involuntary", "credit_risk", NOTES.application_rejected];
      } else if (behaviour === "application_withdrawn") {
        const submitted = future ? A - rng.int(10, 14) : A - rng.int(50, 540);
        churnDay = future ? A + rng.int(1, 20) : submitted + rng.int(15, 45);
        // Pending for more than ten days is when slowness shows.
        signalDay = submitted + 10;
        app = { product: t.product, amountFen: t.principalFen, submittedDay: submitted, decidedDay: churnDay, status: "withdrawn", loan: null };
        note = NOTES.application_withdrawn;
      } else {
        const approved = future ? A - rng.int(15, 55) : A - rng.int(70, 540);
        // Undrawn for 15 days is visible; the approval lapses after 60.
        signalDay = approved + 15;
        churnDay = approved + 60;
        app = { product: t.product, amountFen: t.principalFen, submittedDay: approved - rng.int(3, 10), decidedDay: approved, status: "approved", loan: null };
        const market = rng.chance(0.4);
        if (market) reasonFamily = "market_demand";
        note = market ? NOTES.approved_not_drawn_market : NOTES.approved_not_drawn_service;
      }
      if (app.decidedDay !== null && app.decidedDay > A) [app.decidedDay, app.status] = [null, "submitted"];
      // Some were borrowers before; most are prospects the bank never lent to.
      if (rng.chance(0.4)) loans = renewalChain(rng, app.submittedDay - rng.int(10, 200), 1, A);
      let kept: LoanDraft | null = null;
      if (fate.retained && behaviour !== "application_rejected" && churnDay <= A) {
        // Kept: the approval came in time (withdrawn) or the customer drew after all (approved, not drawn).
        const approved = behaviour === "application_withdrawn" ? app.submittedDay + rng.int(11, 14) : (app.decidedDay as number);
        const drawDay = behaviour === "application_withdrawn" ? approved + rng.int(1, 5) : approved + rng.int(16, 45);
        if (drawDay <= A) {
          kept = simulateLoan(rng, t, drawDay, { kind: "regular" }, A);
          [app.decidedDay, app.status, app.loan] = [approved, "drawn", kept];
          loans.push(kept, ...keepBorrowing(rng, kept, A));
        }
      }
      apps.push(app);
      truth = { behaviour, stage: "pre_loan", will, reasonFamily, signalDay, churnDay: kept ? null : churnDay, loan: null, app, note };
      break;
    }
  }
  // Won back: a voluntary leaver draws a new loan 100–400 days after leaving (after the 90 days that still count as a
  // renewal), and churn detection marks the customer won back.
  const left = (truth as TruthDraft | null)?.churnDay ?? null;
  if (fate.winBack && WIN_BACK.has(behaviour) && left !== null && left + 110 <= A) {
    const t = drawTerms(rng, false);
    loans.push(simulateLoan(rng, t, left + rng.int(100, Math.min(400, A - left - 10)), { kind: "regular" }, A));
    (truth as unknown as TruthDraft).note += NOTES.wonBack;
  }
  loans.sort((a, b) => a.disbDay - b.disbDay);
  // Each loan was drawn on an application: submitted a few weeks before drawdown and approved just before it.
  const own = new Set(apps.flatMap((a) => (a.loan ? [a.loan] : [])));
  const drawn = loans.filter((l) => !own.has(l)).map<AppDraft>((l) => {
    const decided = l.disbDay - rng.int(0, 3);
    return { product: l.terms.product, amountFen: l.terms.principalFen, submittedDay: decided - rng.int(5, 25), decidedDay: decided, status: "drawn", loan: l };
  });
  return { loans, apps: [...drawn, ...apps], truth };
}

type IdCounters = { application: number; loan: number; repayment: number };

function buildCustomer(plan: PortfolioPlan, index: number, ids: IdCounters): CustomerBundle {
  const p = plan.placement;
  const A = p.asOfDay;
  const rng = new Rng([...p.seedKeys, STREAM_CUSTOMER, index]);
  const behaviour = rng.weighted(BEHAVIOUR_WEIGHTS);
  const branchIndex = rng.weighted(p.branchWeights);
  const city = p.cities[branchIndex] as City;
  const rmId = rng.pick(p.rmIdsByBranch[branchIndex] as readonly number[]);
  const [district, districtCode] = rng.pick(city.districts);
  const industryCode = rng.weighted(INDUSTRIES);
  const capitalWan = rng.weighted(CAPITAL_WAN);
  const prefix = city.city === city.provinceShort || rng.chance(0.8) ? city.city : city.provinceShort;
  const word = rng.pick(INDUSTRY_WORDS[industryCode] ?? ["实业"]);
  const suffix = rng.chance(capitalWan >= 5000 ? 0.5 : 0.1) ? "股份有限公司" : "有限公司";
  const legalRep = personName(rng);
  const contactPerson = rng.chance(0.4) ? legalRep : personName(rng);
  const contactPhone = rng.pick(MOBILE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, "0");

  const fateRng = new Rng([...p.seedKeys, STREAM_FATE, index]);
  const fate: Fate = { retained: fateRng.chance(RETAIN_SHARE[behaviour] ?? 0), winBack: fateRng.chance(WIN_BACK_SHARE) };
  const draft = draftBehaviour(rng, behaviour, A, fate);
  const firstSeen = Math.min(...draft.apps.map((a) => a.submittedDay));
  const customerId = index + 1;

  const applications = draft.apps.map<GenApplication>((a) => {
    const id = ++ids.application;
    return {
      id,
      applicationNo: `A${String(id).padStart(7, "0")}`,
      customerId,
      product: a.product,
      amountFen: a.amountFen,
      submittedOn: dayToIso(a.submittedDay),
      decidedOn: a.decidedDay === null ? null : dayToIso(a.decidedDay),
      status: a.status,
    };
  });
  const appIds = new Map(draft.apps.map((a, i) => [a, (applications[i] as GenApplication).id]));
  const drawnOn = new Map(draft.apps.flatMap((a) => (a.loan ? [[a.loan, appIds.get(a) as number] as const] : [])));
  const loanIds = new Map<LoanDraft, number>();
  const loans: GenLoan[] = [];
  const installments: GenInstallment[] = [];
  const repayments: GenRepayment[] = [];
  draft.loans.forEach((l) => {
    const loanId = ++ids.loan;
    loanIds.set(l, loanId);
    loans.push({
      id: loanId,
      contractNo: `L${String(loanId).padStart(8, "0")}`,
      customerId,
      applicationId: drawnOn.get(l) as number,
      product: l.terms.product,
      principalFen: l.terms.principalFen,
      annualRate: formatRateMicro(l.terms.rateMicro),
      termMonths: l.terms.termMonths,
      method: l.terms.method,
      disbursedOn: dayToIso(l.disbDay),
      maturityOn: dayToIso(l.maturityDay),
      status: l.status,
      closedOn: l.closedDay === null ? null : dayToIso(l.closedDay),
    });
    l.amounts.forEach((a, k) =>
      installments.push({ loanId, installmentNo: k + 1, dueOn: dayToIso(l.dueDays[k] as number), principalDueFen: a.principalDueFen, interestDueFen: a.interestDueFen }),
    );
    l.pays.forEach((pay, k) =>
      repayments.push({ id: ++ids.repayment, loanId, paidOn: dayToIso(pay.day), amountFen: pay.amount, externalId: `R${loanId}-${k + 1}` }),
    );
  });

  const t = draft.truth;
  return {
    customer: {
      id: customerId,
      customerNo: `C${String(customerId).padStart(6, "0")}`,
      name: `${prefix}${brandOf(p, index)}${word}${suffix}`,
      creditCode: creditCodeOf(p, index, districtCode),
      legalRep,
      registeredCapitalFen: capitalWan * 1_000_000,
      industryCode,
      region: `${city.city}市${district}`,
      branchId: branchIndex + 1,
      rmId,
      onboardedOn: dayToIso(Math.min(firstSeen - rng.int(0, 365), A - 1)),
      // Churned or not follows from churn detection over the demo's history (lib/seed/history.ts), week by week.
      status: "active",
      contactPerson,
      contactPhone,
    },
    applications,
    loans,
    installments,
    repayments,
    truth: t
      ? {
          customerId,
          behaviour,
          churns: t.churnDay !== null,
          stage: t.stage,
          will: t.will,
          reasonFamily: t.reasonFamily,
          signalOn: dayToIso(t.signalDay),
          churnOn: t.churnDay === null ? null : dayToIso(t.churnDay),
          loanId: t.loan ? (loanIds.get(t.loan) as number) : null,
          applicationId: t.app ? (appIds.get(t.app) as number) : null,
          note: t.churnDay === null ? t.note + NOTES.retained : t.note,
        }
      : { customerId, behaviour, churns: false, stage: null, will: null, reasonFamily: null, signalOn: null, churnOn: null, loanId: null, applicationId: null, note: NOTES.steady },
  };
}

/** Customers in id order, each with its applications, loans, schedules, repayments and churn truth. */
export function* generateCustomers(plan: PortfolioPlan): Generator<CustomerBundle> {
  const ids: IdCounters = { application: 0, loan: 0, repayment: 0 };
  for (let i = 0; i < plan.options.customers; i++) yield buildCustomer(plan, i, ids);
}

export type PortfolioSummary = {
  branches: number;
  users: number;
  customers: number;
  applications: number;
  loans: number;
  installments: number;
  repayments: number;
  behaviours: Record<Behaviour, number>;
};

export function emptySummary(plan: PortfolioPlan): PortfolioSummary {
  const behaviours = Object.fromEntries(BEHAVIOURS.map((b) => [b, 0])) as Record<Behaviour, number>;
  return { branches: plan.branches.length, users: plan.users.length, customers: 0, applications: 0, loans: 0, installments: 0, repayments: 0, behaviours };
}

export function addToSummary(s: PortfolioSummary, b: CustomerBundle): void {
  s.customers++;
  s.applications += b.applications.length;
  s.loans += b.loans.length;
  s.installments += b.installments.length;
  s.repayments += b.repayments.length;
  s.behaviours[b.truth.behaviour]++;
}

/** Row counts of the whole portfolio, streaming (what seedDemo will write). */
export function summarizePortfolio(opts: PortfolioOptions): PortfolioSummary {
  const plan = planPortfolio(opts);
  const s = emptySummary(plan);
  for (const b of generateCustomers(plan)) addToSummary(s, b);
  return s;
}
