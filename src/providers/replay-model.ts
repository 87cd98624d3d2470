import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  ProviderError,
  type LanguageModel,
  type LmRequest,
  type LmResponse,
} from "./language-model.js";
import { lmRequestKey } from "./lm-call-cache.js";
import { redactDeep } from "../report/index.js";

/** One recorded call: `<key>.json` in the cassette directory. */
export interface Cassette {
  version: 1;
  key: string;
  recordedProvider: string;
  /** The request as sent, secrets scrubbed; for people reading the cassette (the key is what matches). */
  request: LmRequest;
  response: LmResponse;
}

/** The cassette key: the LM-call key with a provider-neutral name, so a cassette replays under any provider. */
export function cassetteKey(request: LmRequest): string {
  return lmRequestKey(request, "replay");
}

/**
 * Wraps a real model: every successful response is also written to `dir` as `<key>.json`
 * (written to a temporary file and renamed, so a cassette is never half-written).
 */
export function createRecordingModel(
  inner: LanguageModel,
  dir: string,
  secrets: readonly string[] = [],
): LanguageModel {
  return {
    provider: inner.provider,
    simulated: inner.simulated,
    ...(inner.endpoint !== undefined ? { endpoint: inner.endpoint } : {}),
    async complete(request, signal) {
      const response = await inner.complete(request, signal);
      const key = cassetteKey(request);
      const { text, usage, latencyMs, model, costUsd } = response;
      const cassette: Cassette = redactDeep(
        {
          version: 1,
          key,
          recordedProvider: inner.provider,
          request,
          response: { text, usage, latencyMs, model, costUsd },
        },
        secrets,
      );
      await mkdir(dir, { recursive: true });
      const path = join(dir, `${key}.json`);
      await writeFile(`${path}.${process.pid}.tmp`, `${JSON.stringify(cassette, null, 2)}\n`);
      await rename(`${path}.${process.pid}.tmp`, path);
      return response;
    },
  };
}

function isCassetteResponse(value: unknown): value is { response: LmResponse } {
  if (typeof value !== "object" || value === null || !("response" in value)) return false;
  const r = value.response as Partial<LmResponse> | null;
  return (
    typeof r === "object" &&
    r !== null &&
    typeof r.text === "string" &&
    typeof r.model === "string" &&
    typeof r.usage === "object"
  );
}

/**
 * Replays recorded responses from `dir` without any key (fork PRs, offline CI). A request with
 * no cassette fails with ProviderError `replay_miss` naming the step, model, prompt start and key.
 */
export class ReplayModel implements LanguageModel {
  readonly provider = "replay";
  readonly simulated = false;

  constructor(readonly dir: string) {}

  async complete(request: LmRequest): Promise<LmResponse> {
    const key = cassetteKey(request);
    const path = join(this.dir, `${key}.json`);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch {
      throw new ProviderError("replay_miss", missMessage(request, key, this.dir), "replay");
    }
    const parsed: unknown = JSON.parse(text);
    if (!isCassetteResponse(parsed)) {
      throw new ProviderError(
        "replay_miss",
        `${path}: not a cassette (no response with text, model and usage); re-record it with --record`,
        "replay",
      );
    }
    return parsed.response;
  }
}

function missMessage(request: LmRequest, key: string, dir: string): string {
  const lastUser = request.messages.findLast((m) => m.role === "user")?.content ?? "";
  const start = lastUser.replace(/\s+/g, " ").trim().slice(0, 80);
  const step = request.step ? `step "${request.step}", ` : "";
  return (
    `no recorded response for ${step}model ${request.model}, prompt "${start}" (key ${key}) in ${dir}. ` +
    `The prompt or model changed since recording: re-record with --record ${dir} and a provider key.`
  );
}
