import { sleep, type Clock } from './clock';
import { CircuitBreaker } from './circuitBreaker';
import type { ClassifiedError } from './errors';
import type { SkipReason } from './gate';
import type { Logger } from './logger';

/**
 * A pause waits this long at most for a due recovery probe: about one probe interval
 * (PROBE_INTERVAL_MS), so a pause is never held longer than the probe it waits for takes to come.
 */
const PROBE_HOLD_MS = 2_000;

/**
 * The pause after errors, for ghost text: the circuit breaker's verdicts (the backoff itself, and
 * its recovery probe), waiting for a probe that is due in a moment, and the words for the log.
 */
export class Backoff {
  private readonly breaker: CircuitBreaker;

  constructor(
    private readonly clock: Clock,
    probeIntervalMs: number,
    private readonly logger: Logger,
  ) {
    this.breaker = new CircuitBreaker(clock, probeIntervalMs);
  }

  /**
   * While paused with the probe due within PROBE_HOLD_MS, waits for it rather than giving up: the
   * user who stopped typing just before the probe time still sees the suggestion once the server is
   * back. The wait resolves false when the signal aborts first; undefined: nothing to wait for.
   */
  waitForProbe(signal: AbortSignal): Promise<boolean> | undefined {
    const dueInMs = this.breaker.probeDueInMs();
    if (dueInMs === undefined || dueInMs <= 0 || dueInMs > PROBE_HOLD_MS) return undefined;
    this.logger.debug(`waiting ${dueInMs} ms for the recovery probe`);
    return sleep(this.clock, dueInMs, signal);
  }

  /** Asked last before a request is sent: a probe it lets through must really be sent. */
  admit(): Extract<SkipReason, { kind: 'paused' }> | undefined {
    const admission = this.breaker.admit();
    if (!admission.admitted) return { kind: 'paused', category: admission.category, waitMs: admission.waitMs };
    if (admission.probe) this.logger.info('probing whether the server has recovered');
    return undefined;
  }

  /** A request was answered: errors are over. */
  succeeded(): void {
    this.breaker.succeeded();
  }

  /** A request was aborted before its verdict: a probe may go again. */
  abandoned(): void {
    this.breaker.abandoned();
  }

  /** A request failed: pause, and say so in the log. */
  failed(error: ClassifiedError): void {
    const pauseMs = this.breaker.failed(error);
    this.logger.warn(`request failed: ${error.category} (${error.detail}); pausing ${pauseMs} ms`);
  }

  /** Forget every error: a new key, endpoint or model. */
  reset(): void {
    this.breaker.reset();
  }
}
