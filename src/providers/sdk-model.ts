import { logAttempts } from "./attempt-log.js";
import type { LanguageModel, LmRequest, LmResponse, ProviderName } from "./language-model.js";
import {
  connectOnFirstCall,
  remoteModelSettings,
  type RemoteModelOptions,
  type RemoteModelSettings,
} from "./remote-model-options.js";

/**
 * What the SDK-backed adapters share: their settings with defaults filled, the SDK imported and its
 * client built on the first call (a run on another provider never loads it), and every call run with
 * an attempt log, so the failed attempts the SDK retried come back as `faults` or on the error.
 */
export abstract class SdkModel<Connection> implements LanguageModel {
  abstract readonly provider: ProviderName;
  readonly simulated = false;
  /** The base URL when not the provider's own: part of the LM-call cache key. */
  readonly endpoint: string | undefined;
  protected readonly settings: RemoteModelSettings;
  readonly #connect: () => Promise<Connection>;

  constructor(
    options: RemoteModelOptions,
    connect: (settings: RemoteModelSettings) => Promise<Connection>,
  ) {
    this.settings = remoteModelSettings(options);
    this.endpoint = this.settings.baseUrl;
    this.#connect = connectOnFirstCall(() => connect(this.settings));
  }

  complete(request: LmRequest, signal?: AbortSignal): Promise<LmResponse> {
    return logAttempts(async () => this.send(await this.#connect(), request, signal));
  }

  /** One completion through the SDK; faults become a `ProviderError`. */
  protected abstract send(
    connection: Connection,
    request: LmRequest,
    signal?: AbortSignal,
  ): Promise<LmResponse>;
}
