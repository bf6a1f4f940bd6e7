import { ClientCache } from './api/clientCache';
import type { QwenClient } from './api/qwenClient';
import type { Logger } from './core/logger';
import { apiKeySlot, serverLabel, serverOf, type Server, type Settings } from './core/settings';
import type { ApiKeyStore } from './secrets';

/**
 * Where requests go and with which key: the server the settings point at, its key slot, and one
 * client per endpoint and key. A DashScope region needs its key; a custom server gets its own key
 * when one is stored, and none otherwise.
 */
export class ServerAccess {
  private readonly clients: ClientCache;

  constructor(
    private readonly settings: () => Settings,
    private readonly keys: ApiKeyStore,
    private readonly logger: Logger,
  ) {
    this.clients = new ClientCache(logger);
  }

  get server(): Server {
    return serverOf(this.settings());
  }

  get endpoint(): string {
    return this.server.baseUrl;
  }

  get keySlot(): string {
    return apiKeySlot(this.settings());
  }

  /** The client for the current server (completions, Check Server, the model list); undefined while a DashScope region has no key. */
  client(): QwenClient | undefined {
    const key = this.keys.cached(this.keySlot)?.key;
    if (key === undefined && this.server.kind === 'dashscope') return undefined;
    return this.clients.get(this.endpoint, key);
  }

  /** Loads the current slot's key; true when requests can be sent (a key, or a server that needs none). */
  async loadKey(): Promise<boolean> {
    const key = await this.keys.load(this.keySlot);
    const label = serverLabel(this.server);
    if (key) {
      this.logger.info(`API key for ${label} from ${key.source}`);
      return true;
    }
    const keyless = this.server.kind === 'custom';
    this.logger.info(keyless ? `no API key for ${label}: requests are sent without one` : `no API key for ${label}`);
    return keyless;
  }
}
