import type { Clock } from './clock';
import { backoffMs, isTransient, type ClassifiedError, type ErrorCategory } from './errors';

/**
 * A transient failure lets one probe through this long after it (half-open), however long the
 * backoff has grown: a 429 storm or an outage then ends for the user within seconds of the server
 * recovering, instead of after a pause that doubled up to minutes. Two seconds keeps a dead server
 * at one request per two seconds of the user's pauses.
 */
export const PROBE_INTERVAL_MS = 2_000;

type Admission =
  | { readonly admitted: true; readonly probe: boolean }
  | { readonly admitted: false; readonly category: ErrorCategory; readonly waitMs: number };

/**
 * Whether a request may be sent after errors. Closed: every request goes. A failure opens it for
 * its backoff (Retry-After when the server sent one, else the category's pause, doubled per repeat).
 * While open after a transient failure without Retry-After, one probe at a time may go once
 * PROBE_INTERVAL_MS has passed; its success closes the breaker, its failure opens it again.
 */
export class CircuitBreaker {
  private openUntil = 0;
  private probeFrom = Infinity;
  private probeInFlight = false;
  private lastCategory: ErrorCategory | undefined;
  private consecutive = 0;

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    private readonly probeIntervalMs = PROBE_INTERVAL_MS,
  ) {}

  admit(): Admission {
    const now = this.clock.now();
    if (now >= this.openUntil) return { admitted: true, probe: false };
    if (now >= this.probeFrom && !this.probeInFlight) {
      this.probeInFlight = true;
      return { admitted: true, probe: true };
    }
    const waitMs = Math.min(this.openUntil, this.probeInFlight ? Infinity : this.probeFrom) - now;
    return { admitted: false, category: this.lastCategory!, waitMs };
  }

  /** How long until a probe may go, when one is due soon and none is in flight; undefined otherwise. */
  probeDueInMs(): number | undefined {
    const now = this.clock.now();
    if (now >= this.openUntil || this.probeInFlight || this.probeFrom === Infinity) return undefined;
    return Math.max(0, this.probeFrom - now);
  }

  /** A request was answered: errors are over. */
  succeeded(): void {
    this.reset();
  }

  /** A request failed; returns how long ordinary requests now wait. */
  failed(error: ClassifiedError): number {
    const now = this.clock.now();
    this.consecutive = error.category === this.lastCategory ? this.consecutive + 1 : 0;
    this.lastCategory = error.category;
    const pauseMs = backoffMs(error, this.consecutive);
    this.openUntil = now + pauseMs;
    const probes = isTransient(error.category) && error.retryAfterMs === undefined;
    this.probeFrom = probes ? now + Math.min(pauseMs, this.probeIntervalMs) : Infinity;
    this.probeInFlight = false;
    return pauseMs;
  }

  /** A request ended with no verdict (the user typed on and it was aborted): a probe may go again. */
  abandoned(): void {
    this.probeInFlight = false;
  }

  /** Forget every error: a new key, endpoint or model. */
  reset(): void {
    this.openUntil = 0;
    this.probeFrom = Infinity;
    this.probeInFlight = false;
    this.lastCategory = undefined;
    this.consecutive = 0;
  }
}
