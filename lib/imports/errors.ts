// Import problems as data ({row, column, code, params}), rendered later in the reader's language. Rows are data
// rows (1 = the first row under the header); columns are named as the file's own header names them.
import type { Params } from "./values";

export type ImportError = { row: number | null; column: string | null; code: string; params: Params };
export type ImportWarning = { code: string; params: Params };

/** A problem with the file as a whole (unreadable, no header, broken CSV): nothing row by row follows it. */
export class ImportFileError extends Error {
  constructor(
    public readonly code: string,
    public readonly params: Params = {},
    /** The data row where reading broke off, when there is one. */
    public readonly row: number | null = null,
  ) {
    super(code);
    this.name = "ImportFileError";
  }
}

/** Files refused for their size or shape (zip bombs, too many rows): never worth another attempt. */
export const REFUSED_FILE_CODES: ReadonlySet<string> = new Set(["file.tooManyRows", "file.xlsxEntries", "file.xlsxTooLarge", "file.xlsxEntryTooLarge", "file.xlsxCompression", "file.xlsxInconsistent"]);

type Text = { zh: string; en: string };

const MESSAGES: Record<string, Text> = {
  "file.empty": { zh: "文件是空的。", en: "The file is empty." },
  "file.noRows": { zh: "文件只有表头，没有数据行。", en: "The file has a header but no data rows." },
  "file.unreadable": { zh: "无法按 {format} 读取该文件，请确认文件未损坏。", en: "The file cannot be read as {format}; check that it is not damaged." },
  "file.unsupportedFormat": { zh: "不支持的文件类型 {format}：请上传 CSV 或 XLSX（.xls 请先另存为 .xlsx）。", en: "Unsupported file type {format}: upload CSV or XLSX (save .xls files as .xlsx first)." },
  "file.encoding": { zh: "不支持的文件编码 {encoding}：请另存为 UTF-8 或 GBK。", en: "Unsupported encoding {encoding}: save the file as UTF-8 or GBK." },
  "file.csvSyntax": { zh: "CSV 格式错误：{reason}，文件从此处起无法读取。", en: "CSV syntax error: {reason}; the file cannot be read from here on." },
  "file.tooManyRows": { zh: "文件超过 {max} 行数据，已拒绝：请拆分成多个文件导入。", en: "The file has more than {max} data rows and was refused: split it into several files." },
  "file.xlsxEntries": { zh: "XLSX 文件内含 {count} 个部件，超过上限 {max} 个，已拒绝。", en: "The XLSX file holds {count} parts, more than the {max} accepted; it was refused." },
  "file.xlsxTooLarge": { zh: "XLSX 文件解压后超过 {max}，已拒绝：请拆分成多个文件导入。", en: "Uncompressed, the XLSX file is larger than {max} and was refused: split it into several files." },
  "file.xlsxEntryTooLarge": { zh: "XLSX 文件中的 {entry} 解压后超过 {max}，已拒绝：请拆分成多个文件导入。", en: "Uncompressed, the part {entry} of the XLSX file is larger than {max} and was refused: split the file into several." },
  "file.xlsxCompression": { zh: "XLSX 文件中的 {entry} 压缩比异常（{ratio}:1，上限 {max}:1），疑似压缩炸弹，已拒绝。", en: "The part {entry} of the XLSX file is compressed {ratio}:1 (at most {max}:1 is accepted): it looks like a zip bomb and was refused." },
  "file.xlsxInconsistent": { zh: "XLSX 文件中 {entry} 的结构或大小与文件目录不符，已拒绝：请用 Excel 重新保存后再上传。", en: "The part {entry} of the XLSX file does not match the file's directory (structure or size) and was refused: save the file again in Excel and upload it." },
  "file.missingColumns": { zh: "缺少必填列：{columns}。", en: "Required columns are missing: {columns}." },
  "file.duplicateColumn": { zh: "表头中 {column} 列出现了不止一次。", en: "The column {column} appears more than once in the header." },
  required: { zh: "必填，不能为空。", en: "A value is required." },
  encoding: { zh: "含有无法识别的字符：请检查文件编码（UTF-8 或 GBK）。", en: "Contains characters that could not be decoded: check the file's encoding (UTF-8 or GBK)." },
  fieldCount: { zh: "该行有 {actual} 个字段，表头有 {expected} 个（行被截断或错位，金额中的逗号需加引号）。", en: "The row has {actual} fields where the header has {expected} (a truncated or shifted row; quote amounts that contain commas)." },
  formula: { zh: "以 =、+、-、@ 开头或是公式：不予接受，以免在表格软件中被当作公式执行。", en: "Starts with =, +, - or @, or is a formula: refused, as a spreadsheet would run it as a formula." },
  "cell.error": { zh: "单元格是表格错误值 {value}。", en: "The cell holds the spreadsheet error {value}." },
  "text.control": { zh: "含有换行或控制字符。", en: "Contains line breaks or control characters." },
  "text.tooLong": { zh: "超过 {max} 个字符。", en: "Longer than {max} characters." },
  "text.date": { zh: "应为文本，但单元格是日期。", en: "Text expected, but the cell is a date." },
  "number.invalid": { zh: "不是有效数字。", en: "Not a valid number." },
  "id.number": { zh: "长数字编号在 Excel 中已丢失精度：请把编号列设为文本格式。", en: "A long numeric id lost digits in Excel: format the id column as text." },
  "id.space": { zh: "编号中间含有空格。", en: "The id contains spaces." },
  "amount.invalid": { zh: "“{value}”不是金额（示例：1,234.56）。", en: '"{value}" is not an amount (for example 1,234.56).' },
  "amount.precision": { zh: "“{value}”超过两位小数。", en: '"{value}" has more than two decimals.' },
  "amount.tooLarge": { zh: "“{value}”超出可处理的金额范围。", en: '"{value}" is too large.' },
  "amount.negative": { zh: "金额不能为负数。", en: "Must not be negative." },
  "amount.zero": { zh: "金额必须大于零。", en: "Must be greater than zero." },
  "rate.invalid": { zh: "“{value}”不是利率（示例：0.0435 或 4.35%）。", en: '"{value}" is not a rate (for example 0.0435 or 4.35%).' },
  "rate.precision": { zh: "“{value}”的精度超过小数点后 6 位。", en: '"{value}" has more than 6 decimals as a fraction.' },
  "rate.outOfRange": { zh: "利率“{value}”超出范围：须大于 0 且不超过 {max}（百分数请带 %）。", en: 'The rate "{value}" is out of range: above 0 and at most {max} (write percentages with %).' },
  "integer.invalid": { zh: "“{value}”不是整数。", en: '"{value}" is not a whole number.' },
  "integer.outOfRange": { zh: "“{value}”须在 {min} 到 {max} 之间。", en: '"{value}" must be between {min} and {max}.' },
  "date.invalid": { zh: "“{value}”不是日期（可用 2026-03-01、2026/3/1 或 20260301）。", en: '"{value}" is not a date (use 2026-03-01, 2026/3/1 or 20260301).' },
  "date.afterAsOf": { zh: "日期晚于数据日期 {asOf}。", en: "Dated after the as-of date {asOf}." },
  "date.beforeOther": { zh: "不能早于 {other}。", en: "Must not be earlier than {other}." },
  "date.notAfterOther": { zh: "必须晚于 {other}。", en: "Must be later than {other}." },
  "date.beforeDisbursement": { zh: "早于该贷款的放款日期 {disbursedOn}。", en: "Earlier than the loan's disbursement date {disbursedOn}." },
  "creditCode.length": { zh: "统一社会信用代码“{value}”应为 18 位。", en: 'The credit code "{value}" must have 18 characters.' },
  "creditCode.charset": { zh: "统一社会信用代码“{value}”含有无效字符（不使用 I、O、Z、S、V）。", en: 'The credit code "{value}" has invalid characters (I, O, Z, S and V are not used).' },
  "creditCode.checkDigit": { zh: "统一社会信用代码“{value}”校验位不正确。", en: 'The credit code "{value}" has a wrong check character.' },
  "industryCode.invalid": { zh: "“{value}”不是国民经济行业分类代码（示例：C36）。", en: '"{value}" is not a GB/T 4754 industry code (for example C36).' },
  "enum.invalid": { zh: "“{value}”不是有效取值，可用：{allowed}。", en: '"{value}" is not allowed; use one of {allowed}.' },
  "ref.unknownCustomer": { zh: "客户 {value} 不存在：请先导入客户。", en: "There is no customer {value}: import customers first." },
  "ref.unknownLoan": { zh: "合同 {value} 不存在：请先导入贷款。", en: "There is no loan contract {value}: import loans first." },
  "ref.unknownRm": { zh: "没有登录名为 {value} 的在职客户经理。", en: "There is no active relationship manager with the sign-in name {value}." },
  "ref.unknownBranch": { zh: "机构代码 {value} 不存在。", en: "There is no branch with the code {value}." },
  "ref.rmNoBranch": { zh: "客户经理 {value} 未归属任何机构：请填写机构代码。", en: "The relationship manager {value} has no branch: fill in the branch code." },
  "duplicate.inFile": { zh: "与第 {firstRow} 行重复。", en: "Duplicates row {firstRow}." },
  "conflict.creditCode": { zh: "该统一社会信用代码已属于客户 {value}。", en: "This credit code already belongs to customer {value}." },
  "conflict.externalId": { zh: "该流水号已记录在合同 {value} 下。", en: "This transaction id is already recorded for contract {value}." },
  "conflict.customer": { zh: "已登记在客户 {value} 名下，不能改为其他客户。", en: "Already recorded for customer {value}; it cannot move to another customer." },
};

function interpolate(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** The message for one problem, without its position. Unknown codes fall back to the code itself. */
export function importErrorMessage(err: Pick<ImportError, "code" | "params">, locale: string): string {
  const t = MESSAGES[err.code];
  if (!t) return err.code;
  return interpolate(locale.startsWith("zh") ? t.zh : t.en, err.params);
}

/** `row 12, column 还款金额: Must not be negative.` (zh: `第 12 行，还款金额 列：…`); file-level problems have no position. */
export function formatImportError(err: ImportError, locale: string): string {
  const msg = importErrorMessage(err, locale);
  const zh = locale.startsWith("zh");
  const where: string[] = [];
  if (err.row !== null) where.push(zh ? `第 ${err.row} 行` : `row ${err.row}`);
  if (err.column !== null) where.push(zh ? `${err.column} 列` : `column ${err.column}`);
  if (!where.length) return msg;
  return zh ? `${where.join("，")}：${msg}` : `${where.join(", ")}: ${msg}`;
}

export function formatImportWarning(w: ImportWarning, locale: string): string {
  if (w.code === "column.ignored") return locale.startsWith("zh") ? `已忽略未知列 ${w.params.column}。` : `Ignored the unknown column ${w.params.column}.`;
  return w.code;
}

// The report is opened in spreadsheets: a cell that could run as a formula is prefixed with a quote.
function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The error report as CSV (UTF-8 with BOM so Excel shows Chinese correctly). */
export function errorReportCsv(errors: readonly ImportError[], locale: string): string {
  const zh = locale.startsWith("zh");
  const head = zh ? ["行", "列", "错误代码", "说明"] : ["row", "column", "code", "message"];
  const lines = errors.map((e) => [e.row === null ? "" : String(e.row), e.column ?? "", e.code, importErrorMessage(e, locale)].map(csvCell).join(","));
  return `\uFEFF${[head.join(","), ...lines].join("\r\n")}\r\n`;
}
