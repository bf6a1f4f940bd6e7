import type { Clock } from './clock';
import type { ClassifiedError } from './errors';
import type { Exclusion } from './exclusion';

export type StatusState = 'ready' | 'loading' | 'disabled' | 'excluded' | 'snoozed' | 'overBudget' | 'error' | 'needsKey';

export interface StatusSnapshot {
  readonly state: StatusState;
  readonly snoozedUntil?: number;
  readonly error?: ClassifiedError;
  /** Why the active file's text is never sent (state `excluded`). */
  readonly excluded?: Exclusion;
  /** State `disabled` for the active editor's language only (the id), not everywhere. */
  readonly disabledLanguage?: string;
  /**
   * What the last Continue This Block run used; `recent` while it is news.
   * @deprecated Nothing shows it: the status bar reads SpendingTracker's lastRequest. Goes once continueBlock.ts stops calling recordRun.
   */
  readonly lastRun?: RunUsage & { readonly recent: boolean };
}

interface RunUsage {
  /** For the status bar itself: "1,412 tok $0.0021". */
  readonly short: string;
  /** For the tooltip: tokens in, cached and out, and the estimated cost. */
  readonly detail: string;
}

/**
 * What the status bar shows, derived from a few facts rather than set directly, so no code path
 * can leave it stale.
 */
export class StatusModel {
  private enabled = true;
  private disabledLanguage: string | undefined;
  private excluded: Exclusion | undefined;
  private hasKey = false;
  private snoozedUntil = 0;
  private snoozeTimer: unknown;
  private inFlight = 0;
  private lastError: ClassifiedError | undefined;
  /** Set while today's estimated cost is at the daily budget: the message that says so. */
  private budgetReached: ClassifiedError | undefined;
  private lastRun: RunUsage | undefined;
  private lastRunRecentUntil = 0;
  private lastRunTimer: unknown;
  private readonly listeners = new Set<(snapshot: StatusSnapshot) => void>();
  /** What listeners last saw: time alone can change the state (a snooze ending). */
  private lastSeen: string;

  constructor(private readonly clock: Clock) {
    this.lastSeen = JSON.stringify(this.snapshot);
  }

  get snapshot(): StatusSnapshot {
    const now = this.clock.now();
    const state = this.stateAt(now);
    return this.lastRun ? { ...state, lastRun: { ...this.lastRun, recent: this.lastRunRecentUntil > now } } : state;
  }

  private stateAt(now: number): StatusSnapshot {
    if (!this.hasKey || this.lastError?.category === 'auth') return { state: 'needsKey', error: this.lastError };
    // Before "disabled": in a file of secrets, that nothing of it is ever sent is the news.
    if (this.excluded) return { state: 'excluded', excluded: this.excluded };
    if (!this.enabled) return this.disabledLanguage === undefined ? { state: 'disabled' } : { state: 'disabled', disabledLanguage: this.disabledLanguage };
    if (this.snoozedUntil > now) return { state: 'snoozed', snoozedUntil: this.snoozedUntil };
    if (this.budgetReached) return { state: 'overBudget', error: this.budgetReached };
    if (this.inFlight > 0) return { state: 'loading' };
    if (this.lastError) return { state: 'error', error: this.lastError };
    return { state: 'ready' };
  }

  /** The active editor's file is excluded (qwenInline.exclude), or not. */
  setExcluded(exclusion: Exclusion | undefined): void {
    this.update(() => (this.excluded = exclusion));
  }

  isSnoozed(): boolean {
    return this.snoozedUntil > this.clock.now();
  }

  onDidChange(listener: (snapshot: StatusSnapshot) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** `languageId`: off only for this language (the active editor's), not everywhere. */
  setEnabled(enabled: boolean, languageId?: string): void {
    this.update(() => {
      this.enabled = enabled;
      this.disabledLanguage = enabled ? undefined : languageId;
    });
  }

  setHasKey(hasKey: boolean): void {
    this.update(() => {
      this.hasKey = hasKey;
      if (this.lastError?.category === 'auth') this.lastError = undefined;
    });
  }

  snooze(minutes: number): void {
    this.update(() => {
      this.clock.clearTimeout(this.snoozeTimer);
      this.snoozedUntil = this.clock.now() + minutes * 60_000;
      this.snoozeTimer = this.clock.setTimeout(() => this.update(() => (this.snoozedUntil = 0)), minutes * 60_000);
    });
  }

  resume(): void {
    this.update(() => {
      this.clock.clearTimeout(this.snoozeTimer);
      this.snoozedUntil = 0;
    });
  }

  /** The daily budget's message while it is reached, undefined once it is lifted (a new day, a higher budget). */
  setBudgetReached(message: ClassifiedError | undefined): void {
    this.update(() => (this.budgetReached = message));
  }

  requestStarted(): void {
    this.update(() => this.inFlight++);
  }

  requestEnded(outcome: { error?: ClassifiedError; succeeded: boolean }): void {
    this.update(() => {
      this.inFlight = Math.max(0, this.inFlight - 1);
      if (outcome.error) this.lastError = outcome.error;
      else if (outcome.succeeded) this.lastError = undefined;
    });
  }

  /** Forgets the last error: the key, endpoint or model changed, so it may no longer apply. */
  clearError(): void {
    this.update(() => (this.lastError = undefined));
  }

  /** @deprecated See StatusSnapshot.lastRun. */
  recordRun(usage: RunUsage, recentMs: number): void {
    this.update(() => {
      this.clock.clearTimeout(this.lastRunTimer);
      this.lastRun = usage;
      this.lastRunRecentUntil = this.clock.now() + recentMs;
      this.lastRunTimer = this.clock.setTimeout(() => this.update(() => (this.lastRunRecentUntil = 0)), recentMs);
    });
  }

  dispose(): void {
    this.clock.clearTimeout(this.snoozeTimer);
    this.clock.clearTimeout(this.lastRunTimer);
    this.listeners.clear();
  }

  private update(change: () => void): void {
    change();
    const after = this.snapshot;
    const serialized = JSON.stringify(after);
    if (serialized === this.lastSeen) return;
    this.lastSeen = serialized;
    for (const listener of this.listeners) listener(after);
  }
}
