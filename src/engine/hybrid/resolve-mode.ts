import type { ExecutionMode, ModeSource } from "../../report/index.js";

/** The parts of a workflow that decide its mode. */
export interface ModeSettings {
  dspy_config?: { optimization_enabled?: boolean; hybrid_mode?: boolean };
  hybrid_config?: { mode?: ExecutionMode };
}

/**
 * Decides the execution mode. Precedence: the run option (`--mode`, Action input) >
 * `hybrid_config.mode` > `dspy_config.optimization_enabled` (dspy_optimized) > `dspy_config.hybrid_mode`
 * (hybrid) > traditional. Values are validated by the schema before this point, so there is no free text here.
 */
export function resolveExecutionMode(
  settings: ModeSettings,
  runOption?: ExecutionMode,
): { mode: ExecutionMode; source: ModeSource } {
  if (runOption) return { mode: runOption, source: "run_option" };
  const configured = settings.hybrid_config?.mode;
  if (configured) return { mode: configured, source: "hybrid_config" };
  const dspy = settings.dspy_config;
  if (dspy?.optimization_enabled === true) return { mode: "dspy_optimized", source: "dspy_config" };
  if (dspy?.hybrid_mode === true) return { mode: "hybrid", source: "dspy_config" };
  return { mode: "traditional", source: "default" };
}
