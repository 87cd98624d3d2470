import type { LmRequest } from "../../providers/index.js";
import { systemMessage } from "../chat-adapter.js";
import type { Demo, Example, Program } from "../example.js";
import { signatureString } from "../signature.js";

/**
 * DSPy's proposer tips (dspy/propose/grounded_proposer.py `TIPS`), one drawn at random per
 * instruction candidate; `none` is a real member and leaves the tip out.
 */
export const TIPS: Record<string, string> = {
  none: "",
  creative: "Don't be afraid to be creative when creating the new instruction!",
  simple: "Keep the instruction clear and concise.",
  description: "Make sure your instruction is very informative and descriptive.",
  high_stakes:
    "The instruction should include a high stakes scenario in which the LM must solve the task!",
  persona:
    'Include a persona that is relevant to the task in the instruction (ie. "You are a ...")',
};

/** Token limit of the proposer's calls (summaries and instructions are short). */
export const PROPOSER_MAX_TOKENS = 512;

const fieldsText = (values: Record<string, string>) =>
  Object.entries(values)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");

/** A demo or example as the proposer reads it: its inputs, then its outputs. */
export function demoText(demo: Pick<Demo, "inputs" | "outputs">): string {
  return `${fieldsText(demo.inputs)}\n${fieldsText(demo.outputs)}`;
}

/** The "program code" the program-aware proposer reads: the predictor and the prompt it renders. */
export function programCode(program: Program, step: string | undefined): string {
  return `${step ?? "program"} = Predict("${signatureString(program.signature)}")\n\n${systemMessage(program.signature, program.instructions)}`;
}

/**
 * One call of DSPy's `DatasetDescriptor` (or `DatasetDescriptorWithPriorObservations` after the
 * first batch): observations on trends in a batch of training examples.
 */
export function observationRequest(
  model: string,
  batch: Example[],
  prior: string | null,
): LmRequest {
  const examples = batch.map((e, i) => `Example ${i + 1}:\n${demoText(e)}`).join("\n\n");
  return {
    model,
    system:
      "You describe a dataset. Given several examples from a dataset please write observations about trends that hold for most or all of the samples. Some areas you may consider in your observations: topics, content, syntax, conciceness, etc. It will be useful to make an educated guess as to the nature of the task this dataset will enable. Don't be afraid to be creative.",
    messages: [
      {
        role: "user",
        content: `${prior === null ? "" : `Prior observations:\n${prior}\n\nAdd only observations the prior ones miss; answer COMPLETE when there is nothing to add.\n\n`}Examples:\n${examples}`,
      },
    ],
    maxTokens: PROPOSER_MAX_TOKENS,
    temperature: 0,
  };
}

/** DSPy's `ObservationSummarizer`: the observations in a short paragraph, the dataset summary. */
export function summaryRequest(model: string, observations: string[]): LmRequest {
  return {
    model,
    system:
      "You describe a dataset. Given a series of observations I have made about my dataset, please summarize them into a brief 2-3 sentence summary which highlights only the most important details.",
    messages: [{ role: "user", content: `Observations:\n${observations.join("\n\n")}` }],
    maxTokens: PROPOSER_MAX_TOKENS,
    temperature: 0,
  };
}

/** DSPy's `DescribeProgram`: what the program is for, from its code and an example of its use. */
export function programDescriptionRequest(model: string, code: string, example: string): LmRequest {
  return {
    model,
    system:
      "You describe language-model programs. Below is some pseudo-code for a pipeline that solves tasks with calls to language models. Please describe what type of task this program appears to be designed to solve, and how it appears to work.",
    messages: [
      {
        role: "user",
        content: `Program code:\n${code}\n\nExample of the program in use:\n${example}`,
      },
    ],
    maxTokens: PROPOSER_MAX_TOKENS,
    temperature: 0,
  };
}

/** DSPy's `DescribeModule`: the role of the predictor being optimized within the program. */
export function moduleDescriptionRequest(
  model: string,
  code: string,
  programDescription: string,
): LmRequest {
  return {
    model,
    system:
      "You describe language-model programs. Describe the purpose of one module in the program, given the program code and what the program is for.",
    messages: [
      {
        role: "user",
        content: `Program code:\n${code}\n\nProgram description:\n${programDescription}\n\nModule: the Predict above (the only module).`,
      },
    ],
    maxTokens: PROPOSER_MAX_TOKENS,
    temperature: 0,
  };
}

/** What one instruction proposal is grounded on (DSPy's `GenerateSingleModuleInstruction` inputs). */
export interface ProposalGrounds {
  datasetSummary: string;
  programCode: string;
  programDescription: string;
  moduleDescription: string;
  demos: Demo[];
  basicInstruction: string;
  tip: string;
}

/** DSPy's `GenerateSingleModuleInstruction`: one new instruction from the grounds. */
export function proposalRequest(
  model: string,
  grounds: ProposalGrounds,
  temperature: number,
): LmRequest {
  const demos =
    grounds.demos.length === 0
      ? "No task demos provided."
      : grounds.demos.map((d, i) => `Demo ${i + 1}:\n${demoText(d)}`).join("\n\n");
  const sections = [
    `Dataset summary:\n${grounds.datasetSummary}`,
    `Program code:\n${grounds.programCode}`,
    `Program description:\n${grounds.programDescription}`,
    `Module description:\n${grounds.moduleDescription}`,
    `Task demos:\n${demos}`,
    `Basic instruction:\n${grounds.basicInstruction}`,
    ...(grounds.tip === "" ? [] : [`Tip:\n${grounds.tip}`]),
  ];
  return {
    model,
    system:
      "You are an instruction optimizer for a language-model program. Use the information below to learn about a task that we are trying to solve using calls to an LM, then generate a new instruction that will be used to prompt a Language Model to better solve the task. Reply with the instruction only.",
    messages: [{ role: "user", content: sections.join("\n\n") }],
    maxTokens: PROPOSER_MAX_TOKENS,
    temperature,
  };
}
