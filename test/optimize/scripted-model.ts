import type { LanguageModel, LmRequest, LmResponse } from "../../src/providers/index.js";
import type { Example } from "../../src/optimize/index.js";

/** Which label each first word means; the model "knows" it only through demos or the MAGIC instruction. */
export const KINDS: Record<string, string> = {
  apple: "fruit",
  pear: "fruit",
  carrot: "vegetable",
  leek: "vegetable",
  salmon: "fish",
  trout: "fish",
};

export function example(id: string, text: string): Example {
  const first = text.split(" ")[0]!;
  return { id, inputs: { text }, outputs: { label: KINDS[first] ?? "none" } };
}

const field = (message: string, name: string) =>
  new RegExp(`\\[\\[ ## ${name} ## \\]\\]\\n([\\s\\S]*?)(?:\\n\\n|$)`).exec(message)?.[1]?.trim() ??
  "";
const words = (t: string) => new Set(t.toLowerCase().split(/\s+/));

/**
 * A scripted model whose accuracy depends on its demos: zero-shot it answers "unknown"; with demos it
 * copies the label of the demo sharing most words with the input (1-NN); with MAGIC in the instructions
 * it knows the KINDS table. Inputs containing "hard" always get a wrong answer. Proposal requests
 * answer from `proposals` in turn. Records every request.
 */
export class ScriptedModel implements LanguageModel {
  readonly provider = "sim" as const;
  readonly simulated = true;
  readonly requests: LmRequest[] = [];
  constructor(
    private readonly proposals: string[] = [],
    private readonly options: {
      broken?: boolean;
      latencyMs?: number;
      /** Fixed answers by a phrase of the system prompt (e.g. the proposer's dataset and program descriptions). */
      replies?: Record<string, string>;
    } = {},
  ) {}

  async complete(request: LmRequest): Promise<LmResponse> {
    this.requests.push(request);
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    const text = this.answer(request);
    return {
      text,
      usage: { inputTokens: 10, outputTokens: 2, cachedInputTokens: 0 },
      latencyMs: 100,
      model: request.model,
      costUsd: 0.001,
    };
  }

  private answer(request: LmRequest): string {
    const system = request.system ?? "";
    for (const [phrase, reply] of Object.entries(this.options.replies ?? {}))
      if (system.includes(phrase)) return reply;
    if (system.includes("instruction optimizer"))
      return (
        this.proposals[
          (this.requests.filter((r) => r.system?.includes("instruction optimizer")).length - 1) %
            Math.max(1, this.proposals.length)
        ] ?? "Plain instruction."
      );
    if (this.options.broken) return "I refuse to use markers.";
    const final = request.messages.at(-1)!.content;
    const text = field(final, "text") || final;
    const label = (() => {
      if (text.includes("hard")) return "wrong";
      if (system.includes("MAGIC")) return KINDS[text.split(" ")[0]!] ?? "none";
      const demos: Array<{ input: string; label: string }> = [];
      for (let i = 0; i + 1 < request.messages.length - 1; i += 2)
        demos.push({
          input: field(request.messages[i]!.content, "text"),
          label: field(request.messages[i + 1]!.content, "label"),
        });
      if (demos.length === 0) return "unknown";
      const target = words(text);
      let best = demos[0]!;
      let bestShared = -1;
      for (const d of demos) {
        const shared = [...words(d.input)].filter((w) => target.has(w)).length;
        if (shared > bestShared) [best, bestShared] = [d, shared];
      }
      return best.label;
    })();
    if (!system.includes("[[ ## ")) return label;
    return `[[ ## label ## ]]\n${label}\n\n[[ ## completed ## ]]`;
  }
}
