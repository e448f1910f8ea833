// A figure as the tables show it: tabular digits (cw-num), never broken across lines.
export function num(s: string) {
  return (
    <span className="cw-num" style={{ whiteSpace: "nowrap" }}>
      {s}
    </span>
  );
}
