// ProjectAccess over plain files: what the extension's VS Code implementation (src/context/) gives
// the sources; `definitions` from TypeScript's language service for TS/JS projects
// (languageService.ts), none for the others.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProjectAccess, ProjectFile } from '../../../src/core/context/types';
import type { ProjectLanguageService } from './languageService';
import { languageOf } from './projects';

/** The extension's limit for a file the sources may read. */
const MAX_READ_BYTES = 1_000_000;

/**
 * Files read once and kept, as an editor keeps its open documents (and the OS its page cache): the
 * gather times measure the sources, not the disk.
 */
export class FileCache {
  private readonly files = new Map<string, ProjectFile | undefined>();
  private readonly listings = new Map<string, readonly string[]>();

  constructor(readonly root: string) {}

  read(relative: string): ProjectFile | undefined {
    if (!this.files.has(relative)) this.files.set(relative, this.load(relative));
    return this.files.get(relative);
  }

  list(directory: string): readonly string[] {
    let listing = this.listings.get(directory);
    if (listing === undefined) {
      listing = this.listDirectory(directory);
      this.listings.set(directory, listing);
    }
    return listing;
  }

  private load(relative: string): ProjectFile | undefined {
    const file = this.inside(relative);
    if (file === undefined) return undefined;
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile() || stat.size > MAX_READ_BYTES) return undefined;
      return { path: relative, languageId: languageOf(relative), text: fs.readFileSync(file, 'utf8').replace(/\r\n?/g, '\n') };
    } catch {
      return undefined;
    }
  }

  private listDirectory(directory: string): readonly string[] {
    const dir = this.inside(directory);
    if (dir === undefined) return [];
    try {
      const entries = fs.readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isFile());
      return entries.map((entry) => (directory === '' ? entry.name : `${directory}/${entry.name}`)).sort();
    } catch {
      return [];
    }
  }

  /** The absolute path, or undefined when `relative` leaves the root. */
  private inside(relative: string): string | undefined {
    const file = path.resolve(this.root, relative);
    return file === this.root || file.startsWith(this.root + path.sep) ? file : undefined;
  }
}

/**
 * The workspace as the sources see it, for one editor state: `open` are the tabs, most recent
 * first; `language` answers `definitions` when given.
 */
export function fsProjectAccess(cache: FileCache, open: readonly string[], language?: ProjectLanguageService): ProjectAccess {
  return {
    recentFiles: () => open.flatMap((file) => cache.read(file) ?? []),
    readFile: (relative) => Promise.resolve(cache.read(relative)),
    filesIn: (directory) => Promise.resolve(cache.list(directory)),
    ...(language && { definitions: (query, line, character) => language.definitions(query, line, character) }),
  };
}
