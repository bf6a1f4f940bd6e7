import * as vscode from 'vscode';
import { slotTakesEnvironmentKey } from './core/settings';

const API_KEY_ENV_VAR = 'DASHSCOPE_API_KEY';
const SECRET_PREFIX = 'qwenInline.apiKey.';
/** Before keys were kept per server origin, one slot served every custom base URL: never used now. */
const LEGACY_CUSTOM_SLOT = 'custom';

interface ResolvedKey {
  readonly key: string;
  readonly source: 'secret storage' | 'environment';
}

/**
 * API keys, kept in VS Code's SecretStorage (the OS keychain) per slot: one per DashScope region,
 * one per custom server origin (see apiKeySlot). Only a region's slot falls back to
 * $DASHSCOPE_API_KEY, so that key never goes to a server that is not DashScope.
 * Keys are cached in memory after the first read so the per-keystroke path never awaits storage.
 */
export class ApiKeyStore implements vscode.Disposable {
  private readonly cache = new Map<string, string | undefined>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage, private readonly env: NodeJS.ProcessEnv = process.env) {
    this.subscription = secrets.onDidChange((event) => {
      if (!event.key.startsWith(SECRET_PREFIX)) return;
      this.cache.delete(event.key.slice(SECRET_PREFIX.length));
      this.changed.fire();
    });
  }

  /** Loads a slot into the cache; call before `cached` for that slot. */
  async load(slot: string): Promise<ResolvedKey | undefined> {
    if (!this.cache.has(slot)) this.cache.set(slot, (await this.secrets.get(SECRET_PREFIX + slot)) || undefined);
    return this.cached(slot);
  }

  /** The key for a slot from memory; undefined when none is stored (or not loaded yet) and none may come from the environment. */
  cached(slot: string): ResolvedKey | undefined {
    const stored = this.cache.get(slot);
    if (stored) return { key: stored, source: 'secret storage' };
    const fromEnv = slotTakesEnvironmentKey(slot) ? this.environmentKey() : undefined;
    return fromEnv ? { key: fromEnv, source: 'environment' } : undefined;
  }

  async store(slot: string, key: string): Promise<void> {
    this.cache.set(slot, key);
    // SecretStorage.onDidChange then tells every listener (ours too), also for changes from other windows.
    await this.secrets.store(SECRET_PREFIX + slot, key);
  }

  async clear(slot: string): Promise<void> {
    this.cache.set(slot, undefined);
    await this.secrets.delete(SECRET_PREFIX + slot);
  }

  /** Removes the key an earlier version kept for "any custom base URL", which no server may receive now. */
  async forgetLegacyCustomKey(): Promise<boolean> {
    if (!(await this.secrets.get(SECRET_PREFIX + LEGACY_CUSTOM_SLOT))) return false;
    await this.secrets.delete(SECRET_PREFIX + LEGACY_CUSTOM_SLOT);
    return true;
  }

  /** Every key value known, for redaction. */
  knownKeys(): string[] {
    const keys = [...this.cache.values()].filter((key): key is string => !!key);
    const fromEnv = this.environmentKey();
    if (fromEnv) keys.push(fromEnv);
    return keys;
  }

  private environmentKey(): string | undefined {
    return this.env[API_KEY_ENV_VAR]?.trim() || undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
