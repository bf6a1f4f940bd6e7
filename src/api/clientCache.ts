import type { Logger } from '../core/logger';
import { QwenClient } from './qwenClient';

/** Reuses one client (and its connection pool) until the endpoint or the key changes. */
export class ClientCache {
  private current: { baseURL: string; apiKey: string | undefined; client: QwenClient } | undefined;

  constructor(private readonly logger: Logger) {}

  /** `apiKey` undefined: a server that needs no key, asked without an Authorization header. */
  get(baseURL: string, apiKey: string | undefined): QwenClient {
    if (this.current?.baseURL !== baseURL || this.current.apiKey !== apiKey) {
      this.current = { baseURL, apiKey, client: new QwenClient({ baseURL, apiKey, logger: this.logger }) };
      this.logger.info(`client for ${baseURL}${apiKey === undefined ? ', without an API key' : ''}`);
    }
    return this.current.client;
  }
}
