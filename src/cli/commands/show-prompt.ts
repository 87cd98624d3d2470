import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatProblem, type MetricSpec } from "../../config/index.js";
import {
  DEFAULT_CACHE_DIR,
  isProviderChoice,
  loadPipeline,
  openRun,
  providerChoices,
  stepModel,
} from "../../engine/index.js";
import {
  chatMessages,
  describeChanges,
  inputTemplate,
  readProgramFile,
  renderMessages,
  resolveSignature,
  systemMessage,
  traditionalRequest,
  type Fields,
  type Program,
} from "../../optimize/index.js";
import { ExitCode, UsageError, type CliIo, type Command } from "../cli-io.js";

const usage = `Usage: hybrid-pipeline show-prompt FILE --step NAME [--input FIELD=VALUE]...
                                  [--provider P] [--cache-dir DIR] [--workdir DIR]

Prints the exact messages each variant of a step would send for one input: the step's own
prompt (traditional) and its optimized program (instructions, demos, the input). The program
is the committed one (.hybrid-pipeline/programs/<file stem>/<step>.json, or a file saved by
DSPy), else the one in the optimization cache, else the zero-shot program; nothing is compiled
and no LM is called. An input field without --input shows its template ({{...}}).

Options:
  --step NAME            the step (it must have a signature)
  --input FIELD=VALUE    the value of an input field; repeat for each field
  --provider P           whose cache entries to look up (default auto)
  --cache-dir DIR        optimization cache directory (default .hybrid-pipeline/cache)
  --workdir DIR          directory paths are relative to (default: the current directory)

Exit codes: 0 printed, 1 invalid input, 2 usage error.`;

function parseInputs(pairs: string[], known: string[]): Fields {
  const out: Fields = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--input takes FIELD=VALUE, not '${pair}'`);
    const name = pair.slice(0, eq);
    if (!known.includes(name))
      throw new UsageError(
        `--input: the step has no input field '${name}' (fields: ${known.join(", ")})`,
      );
    out[name] = pair.slice(eq + 1);
  }
  return out;
}

/** `hybrid-pipeline show-prompt`: the messages of both variants of a step for one input, as sent. */
export const showPromptCommand: Command = {
  name: "show-prompt",
  summary: "print the exact messages a step's traditional prompt and optimized program send",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        step: { type: "string" },
        input: { type: "string", multiple: true, default: [] },
        provider: { type: "string", default: "auto" },
        "cache-dir": { type: "string" },
        workdir: { type: "string" },
      },
    });
    if (positionals.length !== 1) throw new UsageError("give exactly one FILE");
    if (values.step === undefined) throw new UsageError("give --step NAME");
    const workdir = resolve(io.cwd, values.workdir ?? ".");
    const loaded = await loadPipeline(positionals[0]!, { workdir });
    if (!loaded.ok) {
      io.stderr([...loaded.problems, ...loaded.warnings].map(formatProblem).join("\n") + "\n");
      return ExitCode.failed;
    }
    const { workflow } = loaded;
    const step = workflow.steps.find((s) => s.name === values.step);
    const signature = step && resolveSignature(step, workflow);
    if (!step || !signature) {
      const known = workflow.steps.filter((s) => resolveSignature(s, workflow)).map((s) => s.name);
      io.stderr(
        `${loaded.file}: error: step '${values.step}' does not exist or has no signature (steps with a signature: ${known.join(", ") || "none"})\n`,
      );
      return ExitCode.failed;
    }
    const given = parseInputs(
      values.input,
      signature.inputs.map((f) => f.name),
    );
    const model = stepModel(step, workflow);
    const inputs: Fields = {
      ...inputTemplate({ instructions: "", signature, demos: [] }),
      ...given,
    };
    const asWritten = step as Record<string, unknown>;
    const traditional = traditionalRequest(
      {
        name: step.name,
        prompt: asWritten.prompt,
        // defaults.claude_options under the step's own, as the run sends them.
        claude_options: {
          ...(workflow.defaults?.claude_options ?? {}),
          ...((asWritten.claude_options as object | undefined) ?? {}),
        },
      },
      signature,
      inputs,
      { model },
    );
    const stepInput = {
      name: step.name,
      ...(step.signature ? { signature: step.signature } : {}),
      ...(step.metric ? { metric: step.metric as MetricSpec } : {}),
    };
    const file = await readProgramFile({
      workdir,
      workflowFile: loaded.file,
      step: stepInput,
      workflow,
    });
    const shown = relative(workdir, file.path);
    let program: Program | undefined;
    let source: string;
    if (file.kind === "committed" || file.kind === "external") {
      program = file.compiled.program;
      source =
        file.kind === "external"
          ? `external program ${shown} (saved by DSPy, predictor '${file.key}')`
          : `committed program ${shown}${file.changed.length > 0 ? ` (stale: ${describeChanges(file.changed)})` : ""}`;
    } else {
      if (file.kind === "invalid")
        io.stderr(`warning: ignoring the program file: ${file.message}\n`);
      const provider = values.provider;
      if (!isProviderChoice(provider))
        throw new UsageError(
          `--provider must be one of ${providerChoices.join(", ")}, not '${provider}'`,
        );
      const opened = await openRun(loaded, {
        env: io.env,
        provider,
        cache: { dir: values["cache-dir"] ?? DEFAULT_CACHE_DIR, redisUrl: null },
        warn: (m) => io.stderr(`warning: ${m}\n`),
      });
      if (opened.kind === "ready") {
        try {
          const cached = await opened.run.compile({
            step: { ...step, ...stepInput },
            allowCompile: false,
          });
          if (cached.kind === "compiled") {
            program = cached.program.program;
            source = `program from the ${cached.tier} cache`;
          } else source = "zero-shot program: no committed or cached program";
        } finally {
          await opened.run.close();
        }
      } else
        source = `zero-shot program: no committed program, and no model to read the cache (${opened.reason})`;
    }
    program ??= { instructions: signature.instructions, signature, demos: [] };
    io.stdout(
      [
        `show-prompt ${workflow.name} · step ${step.name} · model ${model}`,
        `inputs: ${signature.inputs.map((f) => `${f.name} (${f.name in given ? "given" : "template"})`).join(", ")}`,
        "",
        "## traditional: the step's own prompt",
        "",
        renderMessages(traditional.system, traditional.messages),
        "",
        `## optimized: ${source}; ${program.demos.length} demos`,
        "",
        renderMessages(
          systemMessage(program.signature, program.instructions),
          chatMessages(program.signature, program.demos, inputs),
        ),
        "",
      ].join("\n"),
    );
    return ExitCode.ok;
  },
};
