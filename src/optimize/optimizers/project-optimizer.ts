import {
  addCalls,
  addProgramCalls,
  emptyProjection,
  type CallProjection,
} from "../call-projection.js";
import type { Example, Program } from "../example.js";
import type { OptimizerName, OptimizerParams } from "../optimizer.js";
import { seededShuffle } from "../split.js";
import { coproProposalRequest } from "./instruction-search.js";
import { labeledDemos } from "./labeled-few-shot.js";
import { planMipro } from "./mipro-auto.js";
import { miproSizes } from "./mipro-v2.js";
import { observationCalls } from "./propose-instructions.js";
import {
  moduleDescriptionRequest,
  observationRequest,
  programCode,
  programDescriptionRequest,
  proposalRequest,
  summaryRequest,
  TIPS,
} from "./proposer-prompts.js";
import { candidateSchedule, shuffledDemoCount, type Candidate } from "./random-search.js";

/** What the projection of one optimizer reads: the real program, data and settings. */
export interface ProjectionInput {
  program: Program;
  trainset: Example[];
  valset: Example[];
  params: OptimizerParams;
  model: string;
  proposalModel?: string;
  step?: string;
}

/**
 * Assumed length of a proposer answer (observations, summaries, descriptions, instructions): they are
 * not known before the call; 120 tokens is a short paragraph.
 */
const PROPOSER_OUTPUT_TOKENS = 120;
const standIn = "x".repeat(PROPOSER_OUTPUT_TOKENS * 4);

/** Demos a bootstrap run ends with (k traces that pass, then labelled fill), as stand-ins of that size. */
function bootstrapDemos(input: ProjectionInput, k: number, trainset: Example[]): Program["demos"] {
  const augmented = Math.min(k, trainset.length);
  const labeled = Math.max(
    0,
    Math.min(input.params.max_labeled_demos - augmented, trainset.length - augmented),
  );
  return labeledDemos(trainset, augmented + labeled, input.params.seed);
}

/**
 * The share of teacher traces assumed to pass the metric, before any is sent. Under sim on the
 * project's examples it ranges from about 0.4 (classify_finding) to 1 (generate_docs); 0.8 keeps every
 * step/optimizer pair of bench/optimize.ts within ±10% of the calls sent (docs/PERFORMANCE.md).
 * The "up to" figure assumes every trace fails for max_rounds.
 */
const TRACE_PASS_RATE = 0.8;

/**
 * A BootstrapFewShot run: its teacher traces (expected: enough attempts for the demos wanted at
 * {@link TRACE_PASS_RATE}; at most max_rounds × |trainset|) with the labelled teacher demos in the prompt.
 */
function addBootstrap(
  into: CallProjection,
  input: ProjectionInput,
  k: number,
  trainset: Example[],
) {
  const { params } = input;
  const teacher: Program = {
    ...input.program,
    demos:
      params.max_labeled_demos > 0
        ? labeledDemos(trainset, params.max_labeled_demos - 1, params.seed)
        : [],
  };
  // A trace passes with probability TRACE_PASS_RATE per attempt; an example gets up to max_rounds
  // attempts, and the loop stops once k demos are found.
  const rounds = Math.max(1, params.max_rounds);
  const perExample = 1 - (1 - TRACE_PASS_RATE) ** rounds;
  const examples = Math.min(trainset.length, Math.ceil(k / perExample));
  const expected = Math.round(examples * (perExample / TRACE_PASS_RATE));
  addProgramCalls(
    into,
    "teacher",
    teacher,
    trainset.slice(0, Math.max(1, examples)),
    expected,
    input.model,
  );
  into.max_calls += rounds * trainset.length - expected;
}

/** The demos of one schedule candidate, with its bootstrap calls added. */
function addCandidate(
  into: CallProjection,
  input: ProjectionInput,
  candidate: Candidate,
): Program["demos"] {
  const { params, trainset } = input;
  switch (candidate.build) {
    case "zero_shot":
      return [];
    case "labeled_only":
      return labeledDemos(trainset, params.max_labeled_demos, params.seed);
    case "bootstrap_unshuffled":
      addBootstrap(into, input, params.max_bootstrapped_demos, trainset);
      return bootstrapDemos(input, params.max_bootstrapped_demos, trainset);
    case "bootstrap_shuffled": {
      const k = shuffledDemoCount(params, candidate.seed);
      const shuffled = seededShuffle(trainset, params.seed + candidate.seed + 1);
      addBootstrap(into, input, k, shuffled);
      return bootstrapDemos(input, k, shuffled);
    }
  }
}

function projectRandomSearch(input: ProjectionInput): CallProjection {
  const out = emptyProjection();
  for (const candidate of candidateSchedule(input.params.num_candidate_programs)) {
    const demos = addCandidate(out, input, candidate);
    const program = { ...input.program, demos };
    addProgramCalls(out, "evaluation", program, input.valset, input.valset.length, input.model);
  }
  return out;
}

function projectCopro(input: ProjectionInput): CallProjection {
  const out = emptyProjection();
  const program = { ...input.program, demos: [] as Program["demos"] };
  const proposals = input.params.breadth * input.params.depth;
  const attempts = Array.from({ length: Math.min(5, proposals) }, () => ({
    instructions: program.instructions,
    score: 0,
  }));
  const request = coproProposalRequest(program, attempts, proposals, input);
  addCalls(out, "proposal", request, proposals, PROPOSER_OUTPUT_TOKENS);
  addProgramCalls(
    out,
    "evaluation",
    program,
    input.valset,
    (1 + proposals) * input.valset.length,
    input.model,
  );
  return out;
}

function projectMipro(input: ProjectionInput): CallProjection {
  const out = emptyProjection();
  const { params, trainset } = input;
  const plan = planMipro(miproSizes(params), input.valset.length);
  const valset = input.valset.slice(0, plan.valSize);
  const sets = plan.zeroShot
    ? [
        addCandidate(
          out,
          { ...input, params: { ...params, max_bootstrapped_demos: 3, max_labeled_demos: 0 } },
          { seed: -1, build: "bootstrap_unshuffled" },
        ),
      ]
    : candidateSchedule(Math.max(0, plan.demoCandidates - 3))
        .slice(0, plan.demoCandidates)
        .map((c) => addCandidate(out, input, c));
  const model = input.proposalModel ?? input.model;
  if (plan.instructionCandidates > 1) {
    const size = Math.max(1, params.view_data_batch_size);
    const observations = observationCalls(trainset.length, size);
    for (let b = 0; b < observations; b++)
      addCalls(
        out,
        "proposal",
        observationRequest(
          model,
          trainset.slice(b * size, (b + 1) * size),
          b === 0 ? null : standIn,
        ),
        1,
        PROPOSER_OUTPUT_TOKENS,
      );
    addCalls(
      out,
      "proposal",
      summaryRequest(
        model,
        Array.from({ length: observations }, () => standIn),
      ),
      1,
      PROPOSER_OUTPUT_TOKENS,
    );
    const code = programCode(input.program, input.step);
    addCalls(
      out,
      "proposal",
      programDescriptionRequest(model, code, standIn),
      1,
      PROPOSER_OUTPUT_TOKENS,
    );
    addCalls(
      out,
      "proposal",
      moduleDescriptionRequest(model, code, standIn),
      1,
      PROPOSER_OUTPUT_TOKENS,
    );
    const grounds = {
      datasetSummary: standIn,
      programCode: code,
      programDescription: standIn,
      moduleDescription: standIn,
      demos: (sets.find((s) => s.length > 0) ?? []).slice(0, 3),
      basicInstruction: input.program.instructions,
      tip: TIPS.description!,
    };
    addCalls(
      out,
      "proposal",
      proposalRequest(model, grounds, 1),
      plan.instructionCandidates - 1,
      PROPOSER_OUTPUT_TOKENS,
    );
  }
  // Trials draw demo sets across the candidates: price them with the average set.
  const searchSets = plan.zeroShot ? [input.program.demos] : sets;
  const trialCalls = (calls: number) => {
    for (const demos of searchSets)
      addProgramCalls(
        out,
        "evaluation",
        { ...input.program, demos },
        valset,
        calls / searchSets.length,
        input.model,
      );
  };
  addProgramCalls(out, "evaluation", input.program, valset, valset.length, input.model);
  const batch = plan.minibatch ? plan.minibatchSize : valset.length;
  const fullEvals = plan.minibatch ? Math.ceil(plan.numTrials / plan.minibatchFullEvalSteps) : 0;
  trialCalls(plan.numTrials * batch + fullEvals * valset.length);
  roundCalls(out);
  return out;
}

/** Trial calls spread over the demo sets are fractional per set; the totals are whole calls. */
function roundCalls(p: CallProjection): void {
  for (const kind of Object.keys(p.calls) as Array<keyof CallProjection["calls"]>)
    p.calls[kind] = Math.round(p.calls[kind]);
  p.total_calls = Math.round(p.total_calls);
  p.max_calls = Math.round(p.max_calls);
}

/**
 * The LM calls an optimizer is projected to send with an empty cache, and their tokens and dollars,
 * from the prompts it would render (the real program, trainset and valset; demos not yet bootstrapped
 * are stood in for by labelled examples of the same number). Sends nothing.
 */
export function projectOptimizer(name: OptimizerName, input: ProjectionInput): CallProjection {
  switch (name) {
    case "labeled_few_shot":
      return emptyProjection();
    case "bootstrap_few_shot": {
      const out = emptyProjection();
      addBootstrap(out, input, input.params.max_bootstrapped_demos, input.trainset);
      return out;
    }
    case "bootstrap_few_shot_random_search":
      return projectRandomSearch(input);
    case "copro":
      return projectCopro(input);
    case "mipro":
      return projectMipro(input);
  }
}
