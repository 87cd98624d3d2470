import { describe, expect, it } from "vitest";
import { SimModel, type LmMessage, type LmRequest } from "../../src/providers/index.js";

const sim = () => new SimModel();

/** A DSPy ChatAdapter-style prompt for `ticket -> label` with a Literal output. */
const system = [
  "Your input fields are:",
  "1. `ticket` (str): the support ticket",
  "Your output fields are:",
  "1. `label` (Literal['billing', 'outage', 'login'])",
  "All interactions will be structured in the following way, with the appropriate values filled in.",
  "",
  "[[ ## ticket ## ]]",
  "{ticket}",
  "",
  "[[ ## label ## ]]",
  "{label}",
  "",
  "[[ ## completed ## ]]",
  "In adhering to this structure, your objective is: Classify the ticket.",
].join("\n");
const user = (ticket: string): LmMessage => ({
  role: "user",
  content: `[[ ## ticket ## ]]\n${ticket}\n\nRespond with the corresponding output fields, starting with the field \`[[ ## label ## ]]\`, and then ending with the marker for \`[[ ## completed ## ]]\`.`,
});
const answer = (label: string): LmMessage => ({
  role: "assistant",
  content: `[[ ## label ## ]]\n${label}\n\n[[ ## completed ## ]]`,
});
const demoUser = (ticket: string): LmMessage => ({
  role: "user",
  content: `[[ ## ticket ## ]]\n${ticket}`,
});

const trainset: Array<[string, string]> = [
  ["I was charged twice on my invoice this month", "billing"],
  ["refund my payment for the invoice", "billing"],
  ["the dashboard is down and returns errors for everyone", "outage"],
  ["servers unreachable since this morning, site down", "outage"],
  ["cannot sign in, password reset email never arrives", "login"],
  ["my password is rejected at sign in", "login"],
];
const devset: Array<[string, string]> = [
  ["why was my invoice charged twice", "billing"],
  ["payment refund for last invoice please", "billing"],
  ["site is down, errors for everyone", "outage"],
  ["servers unreachable, dashboard down", "outage"],
  ["password reset email never arrives so I cannot sign in", "login"],
  ["sign in rejected my password", "login"],
];
const demos: LmMessage[] = trainset.flatMap(([t, l]) => [demoUser(t), answer(l)]);

function request(messages: LmMessage[]): LmRequest {
  return { model: "sim-1", system, messages, maxTokens: 256 };
}

async function accuracy(withDemos: boolean): Promise<number> {
  let correct = 0;
  for (const [ticket, label] of devset) {
    const { text } = await sim().complete(request([...(withDemos ? demos : []), user(ticket)]));
    if (text === `[[ ## label ## ]]\n${label}\n\n[[ ## completed ## ]]`) correct++;
  }
  return correct / devset.length;
}

describe("SimModel", () => {
  it("answers the same request identically, with plausible tokens, latency and zero cost", async () => {
    const req = request([user("my invoice is wrong")]);
    const [a, b] = [await sim().complete(req), await sim().complete(req)];
    expect(a).toEqual(b);
    expect(sim().simulated).toBe(true);
    const promptChars = system.length + 1 + req.messages[0]!.content.length;
    expect(a.usage).toEqual({
      inputTokens: Math.ceil(promptChars / 4),
      outputTokens: Math.ceil(a.text.length / 4),
      cachedInputTokens: 0,
    });
    expect(a.latencyMs).toBeGreaterThanOrEqual(150 + 8 * a.usage.outputTokens);
    expect(a.latencyMs).toBeLessThanOrEqual(
      150 + 8 * a.usage.outputTokens + Math.floor(a.usage.inputTokens / 100) + 30,
    );
    expect(a.costUsd).toBe(0);
    expect(a.model).toBe("sim-1");
  });

  it("zero-shot picks the listed option whose word occurs most in the input, ties to the first", async () => {
    const outage = await sim().complete(
      request([user("outage again: the outage took the dashboard down, login works")]),
    );
    expect(outage.text).toBe("[[ ## label ## ]]\noutage\n\n[[ ## completed ## ]]");
    const none = await sim().complete(request([user("something odd happened")]));
    expect(none.text).toBe("[[ ## label ## ]]\nbilling\n\n[[ ## completed ## ]]");
  });

  it("answers with the nearest demo's output (1-NN, Jaccard), ties to the earliest demo", async () => {
    const near = await sim().complete(
      request([...demos, user("servers unreachable since the morning")]),
    );
    expect(near.text).toBe(answer("outage").content);
    const tie = await sim().complete(request([...demos, user("zzz qqq")]));
    expect(tie.text).toBe(answer("billing").content);
  });

  it("learns from demos: 1-NN with demos beats the zero-shot heuristic on a 3-label task", async () => {
    const [zeroShot, fewShot] = [await accuracy(false), await accuracy(true)];
    expect(zeroShot).toBeCloseTo(2 / 6, 5);
    expect(fewShot).toBe(1);
  });

  it("reads plain `one of:` lists without markers", async () => {
    const response = await sim().complete({
      model: "sim-1",
      messages: [
        {
          role: "user",
          content:
            "Classify as one of: bug, style, security.\nCode: security hole, security token leaked, style nit",
        },
      ],
      maxTokens: 50,
    });
    expect(response.text).toBe("security");
  });

  it("writes a [simulated] answer from salient words, JSON when asked", async () => {
    const prose = await sim().complete({
      model: "sim-1",
      messages: [
        {
          role: "user",
          content:
            "Summarise the migration plan: database migration, schema migration, rollback plan.",
        },
      ],
      maxTokens: 200,
    });
    expect(prose.text).toMatch(/^\[simulated\] /);
    expect(prose.text).toContain("migration");
    const json = await sim().complete({
      model: "sim-1",
      system: "Reply in JSON.",
      messages: [{ role: "user", content: "List the risks of the deployment pipeline." }],
      maxTokens: 200,
    });
    expect(JSON.parse(json.text)).toMatchObject({
      simulated: true,
      keywords: expect.arrayContaining(["risks", "deployment", "pipeline"]) as unknown,
    });
  });

  it("proposes deterministic instruction variants that depend on the seed", async () => {
    const ask = (n: number): LmRequest => ({
      model: "sim-1",
      system:
        "You are an instruction optimizer. Propose an instruction for the task: classify support tickets.",
      messages: [{ role: "user", content: `Candidate ${n}` }],
      maxTokens: 200,
    });
    const texts = await Promise.all(
      [0, 1, 2, 3, 4, 5].map(async (n) => (await sim().complete(ask(n))).text),
    );
    expect(new Set(texts).size).toBeGreaterThan(1);
    expect((await sim().complete(ask(0))).text).toBe(texts[0]);
    for (const text of texts)
      expect(text).toMatch(
        /^(Carefully|Step by step,|Concisely,|Thoroughly,|Precisely,) examine the /,
      );
  });

  it("stops at max tokens", async () => {
    const response = await sim().complete({
      model: "sim-1",
      messages: [{ role: "user", content: "Explain caching layers in depth." }],
      maxTokens: 5,
    });
    expect(response.text).toHaveLength(20);
    expect(response.usage.outputTokens).toBe(5);
  });
});
