import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createTieredCache } from "../src/cache/index.js";
import { formatProblem, loadWorkflowText } from "../src/config/index.js";
import { createRunContext, runWorkflow } from "../src/engine/index.js";
import { SimModel } from "../src/providers/index.js";
import type { Needed, RunReport } from "../src/report/index.js";
import { percentile, seededRandom } from "../src/stats/index.js";

/**
 * Verdict calibration (issue 12): does "optimized is significantly better" hold at the rate it says?
 * Null data sets draw each label at random, independent of the ticket text (nothing to learn); signal
 * data sets give each label its own words in the text, so sim's nearest-neighbour demos learn it while
 * the step's own prompt (sim's zero-shot option heuristic, which finds no label word) does not. Each
 * data set (48 labelled tickets) runs through the engine under `sim` in evaluation mode (the verdict,
 * Δ and LM calls) and in hybrid mode (the route), sharing one in-memory optimization cache.
 */

const LABELS = ["billing", "shipping", "account", "technical"] as const;
/** Words each label's tickets use (never the label itself, so the zero-shot heuristic cannot read it). */
const VOCABULARY: Record<(typeof LABELS)[number], string[]> = {
  billing: ["invoice", "charged", "refund", "payment", "receipt", "overcharge"],
  shipping: ["parcel", "courier", "delivery", "tracking", "dispatch", "warehouse"],
  account: ["password", "login", "profile", "username", "verify", "signin"],
  technical: ["crash", "error", "freeze", "update", "install", "timeout"],
};
const FILLER = ["please", "urgent", "today", "again", "customer", "order", "thanks", "help"];

/** One data set's outcome. */
export interface DataSetOutcome {
  verdict: string;
  delta: number;
  ci95: [number, number];
  n: number;
  split: string;
  route: string;
  reason: string;
  /** LM calls sent for the evaluation-mode verdict (compiling and held-out scoring). */
  calls: number;
  /** What an open verdict says it needs (`ab.heldout.needed`), and the recommendation's reason. */
  needed: Needed | null;
  recommendationReason: string;
}

function tickets(kind: "null" | "signal", seed: number, size: number) {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  return Array.from({ length: size }, (_, i) => {
    const topic = pick(LABELS);
    const words = [
      pick(VOCABULARY[topic]),
      pick(VOCABULARY[topic]),
      pick(VOCABULARY[topic]),
      pick(FILLER),
      pick(FILLER),
    ];
    const label = kind === "signal" ? topic : pick(LABELS);
    return {
      id: `set${seed}-${i}`,
      input: { ticket: `${words.join(" ")}` },
      output: { category: label },
    };
  });
}

const workflowYaml = (mode: "evaluation" | "hybrid") => `workflow:
  name: verdict_calibration
  steps:
    - name: route_ticket
      type: claude
      signature:
        input_fields: [{ name: ticket, template: "{{inputs.ticket}}" }]
        output_fields: [{ name: category, type: literal, options: [billing, shipping, account, technical] }]
      metric: exact_match
      prompt: [{ type: static, content: "Route this support ticket to one of: billing, shipping, account, technical. Ticket: {{inputs.ticket}}" }]
  dspy_config: { training_data_path: training_data, evaluation_mode: bootstrap_few_shot }
  hybrid_config: { mode: ${mode}, performance_threshold: 0.1, ab_testing_enabled: false }
`;

async function run(
  dir: string,
  mode: "evaluation" | "hybrid",
  cache: Awaited<ReturnType<typeof createTieredCache>>,
): Promise<RunReport> {
  const yaml = workflowYaml(mode);
  await writeFile(path.join(dir, "wf.yaml"), yaml);
  const loaded = loadWorkflowText(yaml, "wf.yaml", { workdir: dir });
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join("\n"));
  return runWorkflow({
    file: "wf.yaml",
    workflow: loaded.workflow,
    lm: new SimModel(),
    context: createRunContext({ seed: 1 }),
    workdir: dir,
    cache,
    inputs: { ticket: "my invoice shows a double charge" },
  });
}

/** Runs one data set through evaluation and hybrid mode. */
export async function calibrateDataSet(
  kind: "null" | "signal",
  seed: number,
  size = 48,
): Promise<DataSetOutcome> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "verdict-"));
  try {
    await mkdir(path.join(dir, "training_data"));
    await writeFile(
      path.join(dir, "training_data", "route_ticket.jsonl"),
      tickets(kind, seed, size)
        .map((t) => JSON.stringify(t))
        .join("\n") + "\n",
    );
    const cache = await createTieredCache({ cacheDir: null, workdir: dir });
    const evaluation = await run(dir, "evaluation", cache);
    const hybrid = await run(dir, "hybrid", cache);
    await cache.close();
    const step = evaluation.steps.find((s) => s.name === "route_ticket");
    const ab = step?.ab;
    if (!ab?.heldout) throw new Error(`no held-out block: ${JSON.stringify(step?.decision)}`);
    return {
      verdict: ab.heldout.verdict,
      delta: ab.delta,
      ci95: ab.ci95,
      n: ab.n,
      split: ab.heldout.split,
      route: hybrid.steps.find((s) => s.name === "route_ticket")!.route,
      reason: hybrid.steps.find((s) => s.name === "route_ticket")!.decision.reason,
      calls: evaluation.lm_calls.optimize + evaluation.lm_calls.evaluate,
      needed: ab.heldout.needed ?? null,
      recommendationReason: ab.recommendation_reason,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The figures of many data sets of one kind. */
export interface Calibration {
  sets: number;
  better: number;
  worse: number;
  routedOptimized: number;
  meanDelta: number;
  crossFit: number;
  /** Of the cross-fitted data sets, those called better. */
  crossFitBetter: number;
  callsPerVerdict: number;
  /** Inconclusive data sets; of them, those whose evidence says the pairs needed, or too small to chase. */
  inconclusive: number;
  withNeeded: number;
  tooSmall: number;
  /** Median pairs needed over the inconclusive data sets not too small (NaN without any). */
  medianNeededPairs: number;
  /** Every outcome, for assertions on single data sets. */
  outcomes: DataSetOutcome[];
}

/** Runs `sets` data sets of `kind` (seeds `firstSeed`…), `concurrency` at a time. */
export async function calibrate(
  kind: "null" | "signal",
  sets: number,
  options: { firstSeed?: number; concurrency?: number } = {},
): Promise<Calibration> {
  const first = options.firstSeed ?? 1;
  const outcomes: DataSetOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < sets) {
      const i = next++;
      outcomes.push(await calibrateDataSet(kind, first + i));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  const count = (f: (o: DataSetOutcome) => boolean) => outcomes.filter(f).length;
  const chased = outcomes.flatMap((o) =>
    o.verdict === "inconclusive" && o.needed?.pairs != null && !o.needed.too_small
      ? [o.needed.pairs]
      : [],
  );
  return {
    sets,
    better: count((o) => o.verdict === "better"),
    worse: count((o) => o.verdict === "worse"),
    routedOptimized: count((o) => o.route === "optimized"),
    meanDelta: outcomes.reduce((a, o) => a + o.delta, 0) / sets,
    crossFit: count((o) => o.split === "cross_fit"),
    crossFitBetter: count((o) => o.split === "cross_fit" && o.verdict === "better"),
    callsPerVerdict: outcomes.reduce((a, o) => a + o.calls, 0) / sets,
    inconclusive: count((o) => o.verdict === "inconclusive"),
    withNeeded: count((o) => o.verdict === "inconclusive" && o.needed?.basis === "power"),
    tooSmall: count((o) => o.verdict === "inconclusive" && o.needed?.too_small === true),
    medianNeededPairs: chased.length ? percentile(chased, 0.5) : Number.NaN,
    outcomes,
  };
}

const pct = (k: number, n: number) => `${k}/${n} = ${((100 * k) / n).toFixed(1)}%`;

async function main(): Promise<void> {
  const sets = Number(process.env.VERDICT_SETS ?? 400);
  const started = Date.now();
  const nullRun = await calibrate("null", sets, { firstSeed: 1 });
  const signalRun = await calibrate("signal", sets, { firstSeed: 100_001 });
  console.log(
    `${sets} null + ${sets} signal data sets, 48 labelled examples each, sim, evaluation + hybrid mode`,
  );
  console.log(
    `null:   called better ${pct(nullRun.better, sets)} (target ≤ 5%, rule ≈ 2.5%) · worse ${pct(nullRun.worse, sets)} · routed optimized ${pct(nullRun.routedOptimized, sets)} (≤ 5%) · mean Δ ${nullRun.meanDelta.toFixed(4)} (|Δ| ≤ 0.02) · cross-fitted ${pct(nullRun.crossFit, sets)} (of which called better ${pct(nullRun.crossFitBetter, nullRun.crossFit)}) · LM calls per verdict ${nullRun.callsPerVerdict.toFixed(0)}`,
  );
  console.log(
    `signal: called better ${pct(signalRun.better, sets)} (power ≥ 80%) · routed optimized ${pct(signalRun.routedOptimized, sets)} (≥ 80%) · mean Δ ${signalRun.meanDelta.toFixed(3)} · cross-fitted ${pct(signalRun.crossFit, sets)} · LM calls per verdict ${signalRun.callsPerVerdict.toFixed(0)}`,
  );
  console.log(
    `null, inconclusive: ${nullRun.inconclusive}/${sets}, of which the evidence says the pairs needed ${pct(nullRun.withNeeded, nullRun.inconclusive)} · too small to chase ${pct(nullRun.tooSmall, nullRun.inconclusive)} · median pairs needed when not too small ${nullRun.medianNeededPairs}`,
  );
  console.log(`wall time ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
