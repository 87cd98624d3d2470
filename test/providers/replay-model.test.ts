import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  cassetteKey,
  createLanguageModel,
  createRecordingModel,
  ProviderError,
  ReplayModel,
  SimModel,
  type LmRequest,
} from "../../src/providers/index.js";

const SECRET = "sk-ant-secret-abcdef0123456789";
const request: LmRequest = {
  model: "claude-sonnet-4-5",
  system: "Review.",
  messages: [{ role: "user", content: `Review this config: x-api-key: ${SECRET} and the rest` }],
  maxTokens: 64,
  step: "analyze",
};

describe("record and replay", () => {
  it("records a response as <key>.json without secrets and replays it without any key", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cassettes-"));
    const recorded = await createRecordingModel(new SimModel(), dir, [SECRET]).complete(request);
    expect(await readdir(dir)).toEqual([`${cassetteKey(request)}.json`]);
    const file = await readFile(join(dir, `${cassetteKey(request)}.json`), "utf8");
    expect(file).not.toContain(SECRET);
    expect(JSON.parse(file)).toMatchObject({
      version: 1,
      key: cassetteKey(request),
      recordedProvider: "sim",
      request: { model: "claude-sonnet-4-5", step: "analyze" },
    });

    const replay = createLanguageModel({ provider: "replay", env: {}, cassetteDir: dir });
    expect(replay.provider).toBe("replay");
    expect(await replay.complete({ ...request, purpose: "evaluate" })).toEqual(recorded);
  });

  it("fails a miss with replay_miss naming the step, model, prompt start and key", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cassettes-"));
    const miss: LmRequest = {
      ...request,
      messages: [{ role: "user", content: "Summarise   the\nrelease notes ".repeat(10) }],
    };
    const error = await new ReplayModel(dir).complete(miss).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    const start = "Summarise the release notes ".repeat(10).slice(0, 80);
    expect(error).toMatchObject({
      code: "replay_miss",
      message: `no recorded response for step "analyze", model claude-sonnet-4-5, prompt "${start}" (key ${cassetteKey(miss)}) in ${dir}. The prompt or model changed since recording: re-record with --record ${dir} and a provider key.`,
    });
  });
});
