// Content exclusion: files whose text must never be sent, as glob patterns on the workspace-relative
// path (Copilot's "content exclusion"). Applies to ghost text, Continue This Block and any context
// gathered from other files.
import picomatch from 'picomatch';
import { t } from './l10n';

/**
 * The defaults: where secrets live by convention. Each line says what it catches; a false positive
 * (a source file named `secretSanta.py`) costs a suggestion, a false negative costs a leaked key,
 * so the list leans wide. Users replace it in their own settings; a workspace can only add to it.
 */
export const DEFAULT_EXCLUDE: readonly string[] = [
  // Environment files: .env, .env.local, .env.production, prod.env.
  '**/.env',
  '**/.env.*',
  '**/*.env',
  // Private keys and certificates with keys.
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/*.jks',
  '**/*.keystore',
  '**/id_rsa*',
  '**/id_dsa*',
  '**/id_ecdsa*',
  '**/id_ed25519*',
  // Named for what they hold: credentials.json, secrets.yaml, client_secret.json.
  '**/*credentials*',
  '**/*secret*',
  // Tokens in tool configuration.
  '**/.npmrc',
  '**/.pypirc',
  '**/.netrc',
  '**/.git-credentials',
  '**/.htpasswd',
  '**/.docker/config.json',
  '**/.kube/config',
  '**/*.tfvars',
  '**/*.tfstate',
  '**/*.tfstate.*',
  // Whole folders of keys.
  '**/secrets/**',
  '**/.secrets/**',
  '**/.aws/**',
  '**/.ssh/**',
  '**/.gnupg/**',
];

/**
 * The patterns in force: the user's list (or the defaults) plus whatever workspace and folder
 * settings add. A repository may exclude more, never less: its settings cannot make a secret file
 * of the user's sendable.
 */
export function mergeExcludePatterns(levels: {
  readonly user: unknown;
  readonly workspace?: unknown;
  readonly folders?: readonly unknown[];
}): string[] {
  const patterns = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim()) : [];
  const base = Array.isArray(levels.user) ? patterns(levels.user) : [...DEFAULT_EXCLUDE];
  return [...new Set([...base, ...patterns(levels.workspace), ...(levels.folders ?? []).flatMap(patterns)])];
}

/** A PEM private key in the text: never sent, whatever the file is called. */
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/;

/** Why a document's text may not be sent. */
export type Exclusion = { readonly kind: 'pattern'; readonly pattern: string } | { readonly kind: 'privateKey' };

/** Why, in the display language, as the middle of a sentence: "this file matches "**\/.env" in qwenInline.exclude". */
export function describeExclusion(exclusion: Exclusion): string {
  return exclusion.kind === 'pattern' ? t('this file matches "{0}" in qwenInline.exclude', exclusion.pattern) : t('this text holds a private key');
}

/** Compiled patterns; build one per list of patterns (matching is a handful of regex tests). */
export class ContentExclusion {
  private readonly matchers: ReadonlyArray<{ readonly pattern: string; readonly matches: (path: string) => boolean }>;

  constructor(readonly patterns: readonly string[]) {
    this.matchers = patterns.map((pattern) => ({
      pattern,
      // dot: `*` and `**` also match dotfiles and dot-folders (.ssh/x.pem). nocase: on case-insensitive
      // disks `.ENV` is `.env`, and excluding too much is the safe side. basename: a pattern without
      // a slash (`*.pem`) matches the file name in any folder, as people expect.
      matches: picomatch(pattern, { dot: true, nocase: true, basename: !pattern.includes('/') }),
    }));
  }

  /** The first pattern `path` (workspace-relative, or absolute outside any folder) matches. */
  excludedBy(path: string): Exclusion | undefined {
    const normalized = normalizePath(path);
    const hit = this.matchers.find((matcher) => matcher.matches(normalized));
    return hit ? { kind: 'pattern', pattern: hit.pattern } : undefined;
  }
}

/** Text about to be sent that holds a private key block is refused, even in a file no pattern names. */
export function textExclusion(text: string): Exclusion | undefined {
  return PRIVATE_KEY_BLOCK.test(text) ? { kind: 'privateKey' } : undefined;
}

/** Forward slashes, no leading slash or drive letter: `**` patterns then match absolute paths too. */
function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^[A-Za-z]:\//, '').replace(/^\/+/, '');
}
