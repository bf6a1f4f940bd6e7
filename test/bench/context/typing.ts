// The implicit cache while a line is typed with context on: a request per keystroke, a gather at
// every pause (the typist's pauses: after `{ ( [ : = , .` and one space in ten; typing faster than
// GATHER_DELAY_MS between keys schedules no gather), prompts as the engine builds them.
import type { ContextSnippet } from '../../../src/core/context/types';
import { buildMessages, extractPrefix, extractSuffix } from '../../../src/core/prompt';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';
import { SeededRandom, serializePrompt, tokenize } from '../../simulator/server';
import { HABITS } from '../typist';
import { fsProjectAccess } from './access';
import { documentAt, newProjectContext, recentEditsOf, requestAt, settingsFor, contextSources } from './gather';
import type { Point } from './points';
import { cacheFor } from './recall';
import { header, percent, row, fixed } from './stats';

const PAUSE_AFTER = new Set(['{', '(', '[', ':', '=', ',', '.']);
/** Prompts the cache remembers (the simulator's default) and the fewest tokens it serves (DashScope's minimum). */
const CACHE_MEMORY = 20;
const MIN_CACHED = 256;
/** Lines typed: every k-th point, so the run stays short. */
const SAMPLE = 100;

export interface TypingResult {
  readonly label: string;
  readonly lines: number;
  readonly requests: number;
  readonly promptTokens: number;
  readonly cachedTokens: number;
  /** Times the context sent changed between two requests of the same line. */
  readonly contextChanges: number;
}

/** The simulator's cachedTokens: the longest common prefix with a remembered prompt, 0 under 256 tokens. */
export function cachedTokens(memory: readonly (readonly string[])[], tokens: readonly string[]): number {
  let best = 0;
  for (const previous of memory) {
    const limit = Math.min(previous.length, tokens.length);
    let i = 0;
    while (i < limit && previous[i] === tokens[i]) i++;
    best = Math.max(best, i);
  }
  return best >= MIN_CACHED ? best : 0;
}

function promptTokens(point: Point, lines: string[], snippets: readonly ContextSnippet[]): string[] {
  const text = { lineCount: lines.length, lineAt: (line: number) => lines[line] };
  const position = { line: point.line, character: lines[point.line].length };
  const prefix = extractPrefix(text, position, DEFAULT_SETTINGS.maxPrefixChars).text;
  const suffix = extractSuffix(text, position, DEFAULT_SETTINGS.maxSuffixChars);
  const fileName = point.path.split('/').pop() ?? point.path;
  return tokenize(serializePrompt(buildMessages(point.languageId, fileName, prefix, suffix, snippets)));
}

async function typeLine(point: Point, contextOn: boolean, random: SeededRandom, total: { -readonly [K in keyof TypingResult]: TypingResult[K] }): Promise<void> {
  const { lines, text } = documentAt(point);
  const edits = recentEditsOf(point);
  const all = new Set(contextSources(edits).map((s) => s.name));
  const settings = { ...settingsFor(all, DEFAULT_SETTINGS['context.maxChars']), 'context.enable': contextOn };
  const context = newProjectContext(fsProjectAccess(cacheFor(point.project.root), point.openTabs), edits, settings);
  const request = requestAt(point, text);
  await context.gather(request);
  const memory: string[][] = [];
  let previous: readonly ContextSnippet[] | undefined;
  for (const char of point.trueLine.slice(point.indent.length)) {
    lines[point.line] += char;
    edits.record({ path: point.path, languageId: point.languageId, startLine: point.line, endLine: point.line, at: 0 });
    const snippets = context.ready(request.documentKey, request.scope);
    if (previous !== undefined && snippets.map((s) => s.text).join('\0') !== previous.map((s) => s.text).join('\0')) total.contextChanges++;
    previous = snippets;
    const tokens = promptTokens(point, lines, snippets);
    total.requests++;
    total.promptTokens += tokens.length;
    total.cachedTokens += cachedTokens(memory, tokens);
    memory.push(tokens);
    if (memory.length > CACHE_MEMORY) memory.shift();
    if (PAUSE_AFTER.has(char) || (char === ' ' && random.next() < HABITS.pauseAfterSpace)) await context.gather(request);
  }
  context.dispose();
}

export async function measureTyping(points: readonly Point[], seed: number): Promise<TypingResult[]> {
  const step = Math.max(1, Math.floor(points.length / SAMPLE));
  const sample = points.filter((_, i) => i % step === 0).slice(0, SAMPLE);
  const results: TypingResult[] = [];
  for (const contextOn of [false, true]) {
    const random = new SeededRandom(seed);
    const total = { label: contextOn ? 'context on' : 'context off', lines: sample.length, requests: 0, promptTokens: 0, cachedTokens: 0, contextChanges: 0 };
    for (const point of sample) await typeLine(point, contextOn, random, total);
    results.push(total);
  }
  return results;
}

export function typingTable(results: readonly TypingResult[]): string {
  const lines = header(['typing one line (request per keystroke)', ...results.map((r) => r.label)]);
  lines.push(row(['lines typed / requests', ...results.map((r) => `${r.lines} / ${r.requests}`)]));
  lines.push(row(['prompt tokens per request, mean', ...results.map((r) => fixed(r.promptTokens / Math.max(1, r.requests)))]));
  lines.push(row(['prompt tokens a prefix cache serves', ...results.map((r) => percent(r.cachedTokens / Math.max(1, r.promptTokens)))]));
  lines.push(row(['context changes within a line', ...results.map((r) => String(r.contextChanges))]));
  return lines.join('\n');
}
