// GB/T 4754-2017 industry classification: 20 sections (门类, A–T) and their two-digit divisions (大类).
// A code is the section letter followed by a division (2 digits), optionally a group/class (3–4 digits): "C36", "C3612".
export type Section = { letter: string; zh: string; en: string; from: number; to: number };

export const SECTIONS: readonly Section[] = [
  { letter: "A", zh: "农、林、牧、渔业", en: "Agriculture, forestry, animal husbandry and fishery", from: 1, to: 5 },
  { letter: "B", zh: "采矿业", en: "Mining", from: 6, to: 12 },
  { letter: "C", zh: "制造业", en: "Manufacturing", from: 13, to: 43 },
  { letter: "D", zh: "电力、热力、燃气及水生产和供应业", en: "Electricity, heat, gas and water supply", from: 44, to: 46 },
  { letter: "E", zh: "建筑业", en: "Construction", from: 47, to: 50 },
  { letter: "F", zh: "批发和零售业", en: "Wholesale and retail trade", from: 51, to: 52 },
  { letter: "G", zh: "交通运输、仓储和邮政业", en: "Transport, storage and post", from: 53, to: 60 },
  { letter: "H", zh: "住宿和餐饮业", en: "Accommodation and catering", from: 61, to: 62 },
  { letter: "I", zh: "信息传输、软件和信息技术服务业", en: "Information transmission, software and IT services", from: 63, to: 65 },
  { letter: "J", zh: "金融业", en: "Finance", from: 66, to: 69 },
  { letter: "K", zh: "房地产业", en: "Real estate", from: 70, to: 70 },
  { letter: "L", zh: "租赁和商务服务业", en: "Leasing and business services", from: 71, to: 72 },
  { letter: "M", zh: "科学研究和技术服务业", en: "Scientific research and technical services", from: 73, to: 75 },
  { letter: "N", zh: "水利、环境和公共设施管理业", en: "Water, environment and public facilities management", from: 76, to: 79 },
  { letter: "O", zh: "居民服务、修理和其他服务业", en: "Resident, repair and other services", from: 80, to: 82 },
  { letter: "P", zh: "教育", en: "Education", from: 83, to: 83 },
  { letter: "Q", zh: "卫生和社会工作", en: "Health and social work", from: 84, to: 85 },
  { letter: "R", zh: "文化、体育和娱乐业", en: "Culture, sports and entertainment", from: 86, to: 90 },
  { letter: "S", zh: "公共管理、社会保障和社会组织", en: "Public administration, social security and social organisations", from: 91, to: 96 },
  { letter: "T", zh: "国际组织", en: "International organisations", from: 97, to: 97 },
];

// Divisions the demo portfolio draws from, with names for display.
export const DIVISIONS: Readonly<Record<string, { zh: string; en: string }>> = {
  A01: { zh: "农业", en: "Agriculture" },
  C13: { zh: "农副食品加工业", en: "Agri-food processing" },
  C17: { zh: "纺织业", en: "Textiles" },
  C18: { zh: "纺织服装、服饰业", en: "Apparel" },
  C26: { zh: "化学原料和化学制品制造业", en: "Chemicals" },
  C29: { zh: "橡胶和塑料制品业", en: "Rubber and plastics" },
  C31: { zh: "黑色金属冶炼和压延加工业", en: "Ferrous metals" },
  C34: { zh: "通用设备制造业", en: "General machinery" },
  C36: { zh: "汽车制造业", en: "Automobiles" },
  C38: { zh: "电气机械和器材制造业", en: "Electrical machinery" },
  C39: { zh: "计算机、通信和其他电子设备制造业", en: "Electronics" },
  D44: { zh: "电力、热力生产和供应业", en: "Power and heat" },
  E47: { zh: "房屋建筑业", en: "Building construction" },
  E48: { zh: "土木工程建筑业", en: "Civil engineering" },
  F51: { zh: "批发业", en: "Wholesale" },
  F52: { zh: "零售业", en: "Retail" },
  G54: { zh: "道路运输业", en: "Road transport" },
  G59: { zh: "装卸搬运和仓储业", en: "Warehousing" },
  H61: { zh: "住宿业", en: "Accommodation" },
  H62: { zh: "餐饮业", en: "Catering" },
  I65: { zh: "软件和信息技术服务业", en: "Software and IT services" },
  K70: { zh: "房地产业", en: "Real estate" },
  L72: { zh: "商务服务业", en: "Business services" },
  M75: { zh: "科技推广和应用服务业", en: "Technology services" },
  R86: { zh: "新闻和出版业", en: "Publishing" },
};

const CODE_RE = /^([A-T])(\d{2})(\d{1,2})?$/;

export function parseIndustryCode(raw: string): { section: Section; division: string } | null {
  const m = CODE_RE.exec(raw.trim().toUpperCase());
  if (!m) return null;
  const section = SECTIONS.find((s) => s.letter === m[1]);
  const div = Number(m[2]);
  if (!section || div < section.from || div > section.to) return null;
  return { section, division: `${m[1]}${m[2]}` };
}

export function isValidIndustryCode(raw: string): boolean {
  return parseIndustryCode(raw) !== null;
}

export function industryName(code: string, locale: string): string {
  const parsed = parseIndustryCode(code);
  if (!parsed) return code;
  const name = DIVISIONS[parsed.division] ?? parsed.section;
  return locale.startsWith("zh") ? name.zh : name.en;
}
