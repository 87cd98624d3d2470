import type { ActionCore } from "../../src/action/action-deps.js";
import type { CacheApi } from "../../src/action/cache-directory.js";

/** A core that gives the job's inputs and writes what the runner would receive as lines to `record`. */
export function recordingCore(
  inputs: Record<string, string>,
  record: (line: string) => void,
): ActionCore {
  const say = (kind: string) => (message: string, properties?: object) =>
    record(properties ? `${kind} ${JSON.stringify(properties)} ${message}` : `${kind} ${message}`);
  return {
    getInput: (name) => inputs[name] ?? "",
    setSecret: (secret) => record(`mask ${secret.length} chars`),
    info: say("info"),
    notice: say("notice"),
    warning: say("warning"),
    error: say("error"),
    startGroup: say("group"),
    endGroup: () => record("endgroup"),
    setOutput: (name, value) => record(`output ${name}=${value}`),
    setFailed: say("failed"),
  };
}

/** The cache service outside GitHub: not available, and never called. */
export const noCacheService: CacheApi = {
  isAvailable: async () => false,
  restore: () => Promise.reject(new Error("not expected")),
  save: () => Promise.reject(new Error("not expected")),
};
