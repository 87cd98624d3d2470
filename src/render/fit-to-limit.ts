import { cutRow } from "./render-step-table.js";

/** A report's part of the comment, in the order it is cut to fit: details, regressions, chart, warnings, rows. */
export interface Section {
  core: string[];
  rows: string[];
  /** Rows dropped to fit the size limit; said in one row. */
  cutRows: number;
  /** Columns of the table (the cut row fills them all). */
  width: number;
  tail: string[];
  warnings: string[];
  chart: string | null;
  /** One collapsed block per step with regressed examples. */
  regressions: string[];
  details: string[];
}

const CUT_NOTE =
  "Details were cut to fit GitHub's 65,536-character comment limit; the full report is in the job summary and the report JSON.";

function assemble(head: string[], notes: string[], sections: Section[], cut: boolean): string {
  const body = sections.flatMap((s) => [
    ...s.core,
    ...s.rows,
    ...(s.cutRows ? [cutRow(s.cutRows, s.width)] : []),
    ...s.tail,
    ...(s.warnings.length ? ["", ...s.warnings] : []),
    ...(s.chart ? ["", s.chart] : []),
    ...(s.regressions.length ? ["", s.regressions.join("\n\n")] : []),
    ...(s.details.length
      ? [
          "",
          "<details><summary>Why each step took its route, sample outputs, this run's executions</summary>",
          "",
          s.details.join("\n\n"),
          "",
          "</details>",
        ]
      : []),
    "",
  ]);
  return [
    ...head,
    ...body,
    ...notes,
    ...(notes.length ? [""] : []),
    ...(cut ? [`> ${CUT_NOTE}`, ""] : []),
  ].join("\n");
}

/** The largest k in [0, n] for which fits(k) holds, given fits is monotone (true up to some k). */
function largestFitting(n: number, fits: (k: number) => boolean): number {
  let low = 0;
  let high = n;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Drops sample details, then regressed examples, charts, warnings and table rows (last section first) until the text fits. */
export function fitToLimit(
  head: string[],
  notes: string[],
  sections: Section[],
  maxLength: number,
): string {
  const full = assemble(head, notes, sections, false);
  if (full.length <= maxLength) return full;
  const work = sections.map((s) => ({
    ...s,
    rows: [...s.rows],
    warnings: [...s.warnings],
    regressions: [...s.regressions],
    details: [...s.details],
  }));
  const fits = () => assemble(head, notes, work, true).length <= maxLength;
  const shrink = (section: Section, key: "rows" | "warnings" | "details" | "regressions") => {
    const all = section[key];
    const keep = largestFitting(all.length, (k) => {
      section[key] = all.slice(0, k);
      if (key === "rows") section.cutRows = all.length - k;
      return fits();
    });
    section[key] = all.slice(0, keep);
    if (key === "rows") section.cutRows = all.length - keep;
  };
  for (const section of [...work].reverse()) if (!fits()) shrink(section, "details");
  for (const section of [...work].reverse()) if (!fits()) shrink(section, "regressions");
  for (const section of [...work].reverse()) if (!fits()) section.chart = null;
  for (const section of [...work].reverse()) if (!fits()) shrink(section, "warnings");
  for (const section of [...work].reverse()) if (!fits()) shrink(section, "rows");
  const text = assemble(head, notes, work, true);
  return text.length <= maxLength
    ? text
    : `${text.slice(0, maxLength - 40)}\n\n> (report cut at the size limit)\n`;
}
