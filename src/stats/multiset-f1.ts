/**
 * F1 of two token lists as multisets (SQuAD's token F1 on already-normalised tokens): precision and
 * recall of the shared tokens, each counted as often as both lists hold it. 1 when both are empty.
 */
export function multisetF1(gold: readonly string[], pred: readonly string[]): number {
  if (gold.length === 0 || pred.length === 0) return gold.length === pred.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of gold) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of pred) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      same++;
      counts.set(t, c - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / pred.length;
  const recall = same / gold.length;
  return (2 * precision * recall) / (precision + recall);
}
