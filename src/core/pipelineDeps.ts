import type { CompletionBackend } from './backend';
import type { Clock } from './clock';
import type { Logger } from './logger';
import type { SettingsSource } from './settings';

/** What every request pipeline (ghost text, Continue This Block) reads. */
export interface PipelineDeps {
  /** Settings for a request's document (its language's overrides apply). */
  readonly settings: SettingsSource;
  /** The client for the current endpoint and key; undefined when there is no key. */
  readonly backend: () => CompletionBackend | undefined;
  readonly endpoint: () => string;
  readonly clock: Clock;
  readonly logger: Logger;
}
