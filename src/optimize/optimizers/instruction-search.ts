import { systemMessage } from "../chat-adapter.js";
import type { Example, Program } from "../example.js";
import { scoreProgram, untilBudget, type CompileContext, type Optimizer } from "../optimizer.js";

/** An instruction tried and its valset score. */
export interface Attempt {
  instructions: string;
  score: number;
}

/** Sampling temperature of proposals, DSPy COPRO's `init_temperature`. */
const PROPOSAL_TEMPERATURE = 1.4;

/** A COPRO-style proposal request (also rendered by the projection). */
export function coproProposalRequest(
  program: Program,
  attempts: Attempt[],
  variant: number,
  ctx: Pick<CompileContext, "model" | "proposalModel">,
) {
  const history = attempts
    .slice(0, 5)
    .map((a, i) => `${i + 1}. (score ${a.score.toFixed(3)}) ${a.instructions}`)
    .join("\n");
  return {
    model: ctx.proposalModel ?? ctx.model,
    system:
      "You are an instruction optimizer for a language-model program. Propose one new instruction for the task; reply with the instruction only.",
    messages: [
      {
        role: "user" as const,
        content: `Task description (the program's prompt):\n${systemMessage(program.signature, program.instructions)}\n\nInstructions tried so far, best first:\n${history}\n\nPropose an improved instruction (variant ${variant}).`,
      },
    ],
    maxTokens: 256,
    temperature: PROPOSAL_TEMPERATURE,
  };
}

/**
 * An instruction search in the manner of DSPy's COPRO (dspy/teleprompt/copro_optimizer.py): each of
 * `depth` rounds asks the proposer for `breadth` new instructions given the best attempts so far, scores
 * each on the valset with the program's demos, and keeps the best. Stops at the call budget and keeps the
 * best fully scored instruction. The starting instruction is always an attempt, so the result is never
 * worse on the valset than the input program.
 */
export async function searchInstructions(
  program: Program,
  trainset: Example[],
  ctx: CompileContext,
): Promise<Program> {
  const valset = ctx.valset ?? trainset;
  const attempts: Attempt[] = [];
  const initial = await untilBudget(() => scoreProgram(program, valset, ctx));
  if (initial === undefined) return program;
  attempts.push({ instructions: program.instructions, score: initial.mean });
  let variant = 0;
  for (let round = 0; round < ctx.params.depth; round++) {
    for (let b = 0; b < ctx.params.breadth; b++) {
      variant++;
      const outcome = await untilBudget(async () => {
        const response = await ctx.ledger.call(
          ctx.lm,
          "proposal",
          coproProposalRequest(program, attempts, variant, ctx),
        );
        const instructions = response.text.trim().replace(/^["'`]+|["'`]+$/g, "");
        if (instructions === "" || attempts.some((a) => a.instructions === instructions))
          return null;
        const scored = await scoreProgram({ ...program, instructions }, valset, ctx);
        return { instructions, score: scored.mean };
      });
      if (outcome === undefined) return best(program, attempts);
      if (outcome !== null) attempts.push(outcome);
      attempts.sort((x, y) => y.score - x.score);
    }
  }
  return best(program, attempts);
}

function best(program: Program, attempts: Attempt[]): Program {
  const top = [...attempts].sort((x, y) => y.score - x.score)[0];
  return top ? { ...program, instructions: top.instructions } : program;
}

/** `copro`: the instruction search on the zero-shot program (COPRO optimizes instructions only). */
export const copro: Optimizer = {
  name: "copro",
  compile: (program, trainset, ctx) => searchInstructions({ ...program, demos: [] }, trainset, ctx),
};
