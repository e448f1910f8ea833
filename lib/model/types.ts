// Shapes shared by the scorecard pipeline. Everything here is plain data (JSON-serialisable), so a trained
// scorecard can be stored as a model version and read back.

/** A feature value: a number, a category, or missing. */
export type Value = number | string | null | undefined;
export type Values = Readonly<Record<string, Value>>;

export type FeatureKind = "numeric" | "categorical";
export type FeatureSpec = { name: string; kind: FeatureKind };

/** One training row: feature values and the binary label (1 = the event, e.g. churn or default). */
export type Example = { values: Values; label: 0 | 1 };
/** A feature snapshot as the product trains on it: the row as of a date (ISO `YYYY-MM-DD`). */
export type Snapshot = Example & { asOf: string };

/** Where a value falls: a numeric range (lo, hi] (open ends are null), a set of categories, or the missing bin. */
export type BinRule = { kind: "range"; lo: number | null; hi: number | null } | { kind: "categories"; values: string[] } | { kind: "missing" };

export type Bin = {
  rule: BinRule;
  /** Training rows in the bin, and events among them. */
  count: number;
  events: number;
  /** ln(share of all events / share of all non-events): positive where the event is more likely than average. */
  woe: number;
  /** This bin's part of the feature's information value. */
  iv: number;
};

export type FeatureBinning = { name: string; kind: FeatureKind; bins: Bin[]; iv: number };
