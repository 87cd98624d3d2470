import type { LmRequest } from "../../providers/index.js";
import type { Demo, Example, Program } from "../example.js";
import { untilBudget, type CompileContext } from "../optimizer.js";
import {
  demoText,
  moduleDescriptionRequest,
  observationRequest,
  programCode,
  programDescriptionRequest,
  proposalRequest,
  summaryRequest,
  TIPS,
} from "./proposer-prompts.js";

/** DSPy's cap on data-summary observation calls (`create_dataset_summary`, `max_calls = 10`). */
const MAX_OBSERVATION_CALLS = 10;
/** Demos shown to the proposer per candidate (DSPy `BOOTSTRAPPED_FEWSHOT_EXAMPLES_IN_CONTEXT`). */
const DEMOS_IN_CONTEXT = 3;
/** DSPy 3.0 MIPROv2's `init_temperature`; each proposal adds a seeded 0.01–0.05 as DSPy does. */
const INIT_TEMPERATURE = 1.0;

/** Observation calls of the data summary for a trainset (batches of `batchSize`, at most 10). */
export function observationCalls(trainSize: number, batchSize: number): number {
  return Math.min(MAX_OBSERVATION_CALLS, Math.ceil(trainSize / Math.max(1, batchSize)));
}

/** Proposer calls for `candidates` instructions: observations + summary + program and module descriptions + candidates − 1. */
export function proposerCalls(trainSize: number, batchSize: number, candidates: number): number {
  return observationCalls(trainSize, batchSize) + 1 + 2 + Math.max(0, candidates - 1);
}

async function ask(ctx: CompileContext, request: LmRequest): Promise<string> {
  const response = await ctx.ledger.call(ctx.lm, "proposal", {
    ...request,
    ...(ctx.step ? { step: ctx.step } : {}),
  });
  return response.text.trim();
}

/** DSPy's `create_dataset_summary`: observations batch by batch, then one summary of them. */
async function datasetSummary(trainset: Example[], ctx: CompileContext): Promise<string> {
  const model = ctx.proposalModel ?? ctx.model;
  const size = Math.max(1, ctx.params.view_data_batch_size);
  const observations: string[] = [];
  for (let b = 0; b < observationCalls(trainset.length, size); b++) {
    const batch = trainset.slice(b * size, (b + 1) * size);
    const prior = observations.length === 0 ? null : observations.join("\n\n");
    observations.push(await ask(ctx, observationRequest(model, batch, prior)));
  }
  return ask(ctx, summaryRequest(model, observations));
}

/** The demo sets the proposer reads in turn: the non-empty ones (zero-shot has nothing to show). */
function groundingSets(demoSets: Demo[][]): Demo[][] {
  const nonEmpty = demoSets.filter((s) => s.length > 0);
  return nonEmpty.length > 0 ? nonEmpty : [[]];
}

/**
 * DSPy's GroundedProposer (dspy/propose/grounded_proposer.py) for one predictor: a summary of the
 * training data, a description of the program and of the module, then one instruction per candidate
 * grounded on those, a few bootstrapped demos and a random tip. Candidate 0 is the original
 * instruction; DSPy proposes N and overwrites the first, here N − 1 are proposed (one call fewer).
 * A budget stop returns the candidates found so far (the original at least).
 */
export async function proposeInstructions(
  program: Program,
  trainset: Example[],
  demoSets: Demo[][],
  count: number,
  ctx: CompileContext,
  random: () => number,
): Promise<string[]> {
  const candidates = [program.instructions];
  if (count <= 1) return candidates;
  const model = ctx.proposalModel ?? ctx.model;
  const code = programCode(program, ctx.step);
  const grounds = await untilBudget(async () => {
    const summary = await datasetSummary(trainset, ctx);
    const example = trainset[0] ? demoText(trainset[0]) : "";
    const description = await ask(ctx, programDescriptionRequest(model, code, example));
    const module = await ask(ctx, moduleDescriptionRequest(model, code, description));
    return { summary, description, module };
  });
  if (grounds === undefined) return candidates;
  const sets = groundingSets(demoSets);
  const tips = Object.values(TIPS);
  for (let k = 1; k < count; k++) {
    const tip = tips[Math.floor(random() * tips.length)]!;
    const temperature = INIT_TEMPERATURE + 0.01 + 0.04 * random();
    const request = proposalRequest(
      model,
      {
        datasetSummary: grounds.summary,
        programCode: code,
        programDescription: grounds.description,
        moduleDescription: grounds.module,
        demos: sets[(k - 1) % sets.length]!.slice(0, DEMOS_IN_CONTEXT),
        basicInstruction: program.instructions,
        tip,
      },
      temperature,
    );
    const text = await untilBudget(() => ask(ctx, request));
    if (text === undefined) break;
    const instruction = text.replace(/^["'`]+|["'`]+$/g, "").trim();
    candidates.push(instruction === "" ? program.instructions : instruction);
  }
  return candidates;
}
