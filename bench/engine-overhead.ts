import type { Workflow } from "../src/config/index.js";
import { createRunContext, runWorkflow } from "../src/engine/index.js";
import {
  SimModel,
  type LanguageModel,
  type LmRequest,
  type LmResponse,
} from "../src/providers/index.js";

/**
 * Engine overhead: 10,000 steps through `runWorkflow` (prompt building with a previous_response part,
 * step interpolation, condition check, request building, result shaping, metering, report) vs a bare
 * loop sending the same requests to the same provider, for two instant providers: the offline `sim`
 * (no sleeping: it hashes the request and composes an answer, the cheapest real provider) and a
 * stub that resolves a constant (pure engine cost per step, the floor). Rounds alternate so drift
 * hits both alike; the figure is the median round. Target (issue 2): ratio ≤ 1.5 with `sim`.
 */
const STEPS = 10_000;
const ROUNDS = 5;

const instant: LanguageModel = {
  provider: "sim",
  simulated: true,
  complete: (request: LmRequest): Promise<LmResponse> =>
    Promise.resolve({
      text: "ok",
      usage: { inputTokens: request.messages.length, outputTokens: 1, cachedInputTokens: 0 },
      latencyMs: 0,
      model: request.model,
      costUsd: 0,
    }),
};

const workflow = {
  name: "overhead",
  steps: Array.from({ length: STEPS }, (_, i) => ({
    name: `s${i}`,
    type: "claude",
    claude_options: { model: "sonnet" },
    prompt:
      i === 0
        ? [{ type: "static", content: "Start." }]
        : [
            { type: "static", content: `Step ${i} continues:` },
            { type: "previous_response", step: `s${i - 1}` },
          ],
  })),
} as unknown as Workflow;

async function engineRun(lm: LanguageModel): Promise<number> {
  const t0 = performance.now();
  const report = await runWorkflow({
    file: "overhead.yaml",
    workflow,
    lm,
    context: createRunContext(),
    workdir: process.cwd(),
  });
  if (report.status !== "success" || report.lm_calls.step !== STEPS)
    throw new Error(`engine run failed: ${report.status}`);
  return performance.now() - t0;
}

async function bareLoop(lm: LanguageModel): Promise<number> {
  const t0 = performance.now();
  let previous = "";
  for (let i = 0; i < STEPS; i++) {
    const content = i === 0 ? "Start." : `Step ${i} continues:\n${previous}`;
    const response = await lm.complete({
      model: "claude-sonnet-4-5",
      messages: [{ role: "user", content }],
      maxTokens: 4096,
      temperature: 0,
      purpose: "step",
    });
    previous = response.text;
  }
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(label: string, lm: LanguageModel): Promise<void> {
  await engineRun(lm);
  await bareLoop(lm);
  const engine: number[] = [];
  const bare: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    engine.push(await engineRun(lm));
    bare.push(await bareLoop(lm));
  }
  const [e, b] = [median(engine), median(bare)];
  console.log(
    `${label}: engine ${e.toFixed(1)} ms (${((e * 1000) / STEPS).toFixed(2)} µs/step) · bare loop ${b.toFixed(1)} ms (${((b * 1000) / STEPS).toFixed(2)} µs/step) · ratio ${(e / b).toFixed(2)} · engine overhead ${(((e - b) * 1000) / STEPS).toFixed(2)} µs/step`,
  );
}

console.log(`${STEPS} steps, median of ${ROUNDS} alternating rounds`);
await measure("sim provider (no sleep)", new SimModel());
await measure("constant stub (floor)  ", instant);
