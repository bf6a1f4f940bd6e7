import type { Clock } from '../clock';
import { textExclusion } from '../exclusion';
import type { Logger } from '../logger';
import type { SettingsScope, SettingsSource } from '../settings';
import { carriedOver, NOTHING_SHOWN, remember, type ShownContext } from './carryOver';
import { EMPTY_SELECTION, selectContext, snippetCost, type ContextSelection } from './selection';
import type { ContextQuery, ContextSnippet, ContextSource, ProjectAccess } from './types';

/** A gather waits this long after the last event that asked for one: a burst of typing costs one gather. */
export const GATHER_DELAY_MS = 300;
/**
 * Sources get this long; what they found by then is used. A language server that answers later
 * (tsserver loading a project takes seconds) usually has the answer cached for the next gather.
 */
export const GATHER_TIME_LIMIT_MS = 750;
/** After the time limit, a source has this long to hand over what it has before it counts as empty. */
const HAND_OVER_MS = 50;
/** The end of a PEM private key: a hunk may start inside a key block and show only its end. */
const KEY_BLOCK_END = /-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/;
/** Documents whose selection is remembered (the least recently gathered is forgotten first). */
const MAX_DOCUMENTS = 50;

export interface ContextRequest {
  /** The document's identity, as the engine's requests name it. */
  readonly documentKey: string;
  readonly query: ContextQuery;
  /** Whose settings apply (the document's language and folder). */
  readonly scope: SettingsScope;
}

export interface ProjectContextDeps {
  readonly access: ProjectAccess;
  readonly sources: readonly ContextSource[];
  readonly settings: SettingsSource;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Project context, gathered off the keystroke's path: events schedule a gather, the gather asks
 * every enabled source under a time limit and keeps a selection per document, and a request reads
 * the selection that is ready without waiting for anything.
 */
export class ProjectContext {
  private readonly selections = new Map<string, ShownContext>();
  private timer: unknown;
  private disposed = false;

  constructor(private readonly deps: ProjectContextDeps) {}

  /** Gathers GATHER_DELAY_MS after the last call, at the cursor `at` gives then. Cheap: call it on every edit. */
  schedule(at: () => ContextRequest | undefined): void {
    if (this.disposed) return;
    this.deps.clock.clearTimeout(this.timer);
    this.timer = this.deps.clock.setTimeout(() => {
      const request = at();
      if (request) void this.gather(request);
    }, GATHER_DELAY_MS);
  }

  /**
   * Gathers now and keeps the result as the document's selection (unless `budgetChars` asks for a
   * one-off selection of another size, as Continue This Block does).
   */
  async gather(request: ContextRequest, budgetChars?: number): Promise<ContextSelection> {
    const settings = this.deps.settings(request.scope);
    const budget = budgetChars ?? settings['context.maxChars'];
    if (!settings['context.enable'] || budget <= 0) return EMPTY_SELECTION;
    const sources = this.deps.sources.filter((source) => settings[`context.${source.name}`]);
    const started = this.deps.clock.now();
    const fresh = await this.candidates(request.query, sources);
    if (budgetChars !== undefined) return selectContext(fresh, budget);
    const shown = this.selections.get(request.documentKey) ?? NOTHING_SHOWN;
    const enabled = new Set(sources.map((source) => source.name));
    const carried = await carriedOver(shown, fresh, enabled, request.query, this.deps.access);
    const selection = selectContext([...fresh, ...carried], budget, shown.selection);
    const kept = await remember(selection, shown, request.query, this.deps.access);
    if (!this.disposed) this.keep(request.documentKey, kept, shown, this.deps.clock.now() - started);
    return selection;
  }

  /** The snippets ready for a document within today's budget: never waits. */
  ready(documentKey: string, scope: SettingsScope): readonly ContextSnippet[] {
    const settings = this.deps.settings(scope);
    if (!settings['context.enable']) return [];
    const snippets = this.selections.get(documentKey)?.selection.snippets ?? [];
    // The budget may have been lowered since the gather: keep what still fits, in order.
    let left = settings['context.maxChars'];
    return snippets.filter((snippet) => (left -= snippetCost(snippet)) >= 0);
  }

  /** Forgets a document's selection (closed, or its text may no longer be sent). */
  forget(documentKey: string): void {
    this.selections.delete(documentKey);
  }

  /** Forgets every selection: the settings or the workspace changed what may be sent. */
  clear(): void {
    this.selections.clear();
  }

  dispose(): void {
    this.disposed = true;
    this.deps.clock.clearTimeout(this.timer);
    this.selections.clear();
  }

  /** Every source's candidates, each given GATHER_TIME_LIMIT_MS; a failing source counts as empty. */
  private async candidates(query: ContextQuery, sources: readonly ContextSource[]): Promise<ContextSnippet[]> {
    const controller = new AbortController();
    const limit = this.deps.clock.setTimeout(() => controller.abort(), GATHER_TIME_LIMIT_MS);
    const late = new Promise<readonly ContextSnippet[]>((resolve) =>
      controller.signal.addEventListener('abort', () => this.deps.clock.setTimeout(() => resolve([]), HAND_OVER_MS), { once: true }),
    );
    const found = await Promise.all(
      sources.map((source) =>
        Promise.race([source.candidates(query, this.deps.access, controller.signal), late]).catch((error: unknown) => {
          this.deps.logger.debug(`context: ${source.name} failed: ${error instanceof Error ? error.message : String(error)}`);
          return [];
        }),
      ),
    );
    this.deps.clock.clearTimeout(limit);
    controller.abort();
    // The last guard, for every source: a snippet showing a private key is never sent (the access
    // already refuses whole files holding one; the current document's own lines reach here unchecked).
    return found.flat().filter((snippet) => textExclusion(snippet.text) === undefined && !KEY_BLOCK_END.test(snippet.text));
  }

  private keep(documentKey: string, shown: ShownContext, previous: ShownContext, tookMs: number): void {
    this.selections.delete(documentKey);
    this.selections.set(documentKey, shown);
    if (this.selections.size > MAX_DOCUMENTS) this.selections.delete(this.selections.keys().next().value as string);
    if (shown === previous) return;
    const { selection } = shown;
    const listed = selection.snippets.map((s) => `${s.path}:${s.startLine + 1}-${s.endLine + 1} (${s.source})`).join(', ');
    this.deps.logger.info(
      `context for ${documentKey}: ${selection.snippets.length} snippets, ${selection.chars} chars, gathered in ${tookMs} ms` +
        (listed ? `: ${listed}` : ''),
    );
  }
}
