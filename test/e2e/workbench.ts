// The browser end-to-end harness: the packaged .vsix installed in a fresh code-server profile,
// driven in Chromium through playwright-core the way a person uses it (keyboard, command palette,
// status bar), answered by a DashScope simulator running in this test process.
//
// One Session per test file (server + browser start once, ~20 s); useSession() wires it into mocha
// and leaves a screenshot, the simulator's request log and code-server's logs in
// .test-artifacts/e2e/ when a test fails, naming the place in the failure message.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Locator, Page } from 'playwright-core';
import { sleep, waitUntil } from '../helpers/wait';
import { launchBrowser } from '../vscode/browser';
import { ARTIFACTS_DIR, provision, REPO_ROOT, startCodeServer, type CodeServer } from '../vscode/codeServer';
import { promptPrefixOf, SIMULATOR_DEFAULTS, startSimulator, type ScriptedResponse, type Simulator } from '../simulator/server';

export const E2E_ARTIFACTS = path.join(ARTIFACTS_DIR, 'e2e');
/** The key the simulator accepts in every e2e session. */
export const SIMULATOR_KEY = 'sk-sim-e2e-7c1d';
/** Milliseconds between keystrokes: a quick typist, well under the extension's 250 ms debounce. */
export const KEY_DELAY_MS = 50;

const EDITOR_LINES = '.part.editor .monaco-editor .view-lines';

/** What installPageHelpers defines in the page. */
interface PageHelpers {
  __qwenGhostText(): string;
}

/**
 * Runs in the page before the workbench loads. Ghost text in Monaco 1.139: the first line is a run of
 * `.ghost-text-decoration` spans inside the cursor's `.view-line`; further lines are `.view-line`s of
 * `.ghost-text` spans in a view zone. __qwenGhostText() puts them back together, NBSPs as spaces.
 */
export function installPageHelpers(): void {
  const lineText = (line: Element, selector: string): string | undefined => {
    const spans = Array.from(line.querySelectorAll(selector));
    return spans.length === 0 ? undefined : spans.map((span) => span.textContent ?? '').join('');
  };
  (window as unknown as PageHelpers).__qwenGhostText = () => {
    const editor = '.part.editor .monaco-editor';
    const first = Array.from(document.querySelectorAll(`${editor} .view-lines .view-line`)).map((l) => lineText(l, '.ghost-text-decoration'));
    const rest = Array.from(document.querySelectorAll(`${editor} .view-zones .view-line`)).map((l) => lineText(l, '.ghost-text'));
    return [...first, ...rest]
      .filter((text): text is string => text !== undefined)
      .join('\n')
      .replace(/\u00a0/g, ' ');
  };
}

/** The ghost text drawn in `page` (which must have had installPageHelpers as an init script). */
export function readGhostText(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as PageHelpers).__qwenGhostText());
}

/**
 * The packaged extension, refusing one older than any file in src/ (it would test old code).
 * package.json is not compared: its scripts change more often than what it contributes.
 */
export function packagedVsix(): string {
  const manifestFile = path.join(REPO_ROOT, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { name: string; version: string };
  const vsix = path.join(REPO_ROOT, `${manifest.name}-${manifest.version}.vsix`);
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} not found: run "npm run package" first`);
  const built = fs.statSync(vsix).mtimeMs;
  const newer = listFiles(path.join(REPO_ROOT, 'src')).filter((file) => fs.statSync(file).mtimeMs > built);
  if (newer.length > 0) {
    throw new Error(`${path.basename(vsix)} is older than ${path.relative(REPO_ROOT, newer[0])}: run "npm run package" first`);
  }
  return vsix;
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

/**
 * Set to 1, the screenshots of the product the walkthrough and README show are written into the
 * repository (media/walkthrough/, media/readme/); otherwise into .test-artifacts/e2e/screenshots/,
 * so a test run never changes the repository.
 */
export const UPDATE_SCREENSHOTS = process.env.QWEN_INLINE_UPDATE_SCREENSHOTS === '1';

/** Where the product screenshot `repoPath` (e.g. media/walkthrough/1-api-key.png) goes in this run. */
export function productScreenshotPath(repoPath: string): string {
  return UPDATE_SCREENSHOTS ? path.join(REPO_ROOT, repoPath) : path.join(E2E_ARTIFACTS, 'screenshots', repoPath.replace(/\//g, '-'));
}

/** The walkthrough editor's tab label in an English VS Code. */
const WALKTHROUGH_TAB_LABEL = 'Welcome';

/** A rectangle of the page, in CSS pixels. */
export interface Clip {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface SessionOptions {
  /** Names the artefacts: .test-artifacts/e2e/<name>-*. */
  readonly name: string;
  /** Workspace files (relative path -> content), written to a fresh temporary folder. */
  readonly files: Record<string, string>;
  /**
   * The simulator plays a local server that needs no key (the default), or, when true, one that
   * accepts only SIMULATOR_KEY; no key is stored, and DASHSCOPE_API_KEY in code-server's environment
   * is that very key, which must never be sent to a custom server.
   */
  readonly simulatorNeedsKey?: boolean;
  /** User settings on top of the clean workbench and qwenInline.baseUrl. */
  readonly settings?: Record<string, unknown>;
  /** The browser window's size (default 1280x800). */
  readonly viewport?: { readonly width: number; readonly height: number };
  /**
   * The session is about the Get Started walkthrough: it opens by itself after install. Other
   * sessions turn that off (workbench.welcomePage.walkthroughs.openOnInstall: false, in
   * CLEAN_WORKBENCH_SETTINGS), which the extension honours: it would hide the file a test opened.
   */
  readonly walkthrough?: boolean;
  /** The workspace folder's name, which the title bar and the Explorer show (default: a temporary name). */
  readonly workspaceName?: string;
}

/** code-server + Chromium + simulator for one test file. */
export class Session {
  private constructor(
    readonly options: SessionOptions,
    readonly simulator: Simulator,
    readonly workspace: string,
    readonly server: CodeServer,
    readonly browser: Browser,
    readonly page: Page,
  ) {}

  static async start(options: SessionOptions): Promise<Session> {
    const vsix = packagedVsix();
    const installation = provision();
    const simulator = await startSimulator({ apiKeys: [SIMULATOR_KEY], keyless: !options.simulatorNeedsKey });
    const temporary = fs.mkdtempSync(path.join(os.tmpdir(), `qwen-inline-e2e-${options.name}-`));
    const workspace = options.workspaceName ? path.join(temporary, options.workspaceName) : temporary;
    fs.mkdirSync(workspace, { recursive: true });
    for (const [name, content] of Object.entries(options.files)) {
      fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
      fs.writeFileSync(path.join(workspace, name), content);
    }
    let server: CodeServer | undefined;
    let browser: Browser | undefined;
    try {
      server = await startCodeServer(installation, {
        workspace,
        vsix,
        settings: {
          'qwenInline.baseUrl': simulator.baseUrl,
          ...(options.walkthrough ? { 'workbench.welcomePage.walkthroughs.openOnInstall': true } : {}),
          ...options.settings,
        },
        env: { DASHSCOPE_API_KEY: SIMULATOR_KEY },
      });
      browser = await launchBrowser();
      const page = await browser.newPage({ viewport: options.viewport ?? { width: 1280, height: 800 } });
      await page.addInitScript(installPageHelpers);
      return new Session(options, simulator, workspace, server, browser, page);
    } catch (error) {
      const logs = server?.saveLogs(path.join(E2E_ARTIFACTS, `${options.name}-startup-logs`));
      await browser?.close().catch(() => undefined);
      await server?.stop();
      await simulator.close();
      fs.rmSync(temporary, { recursive: true, force: true });
      const where = logs ? ` (code-server logs in ${logs})` : '';
      throw new Error(`e2e session "${options.name}" did not start${where}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
    await this.simulator.close();
    fs.rmSync(this.options.workspaceName ? path.dirname(this.workspace) : this.workspace, { recursive: true, force: true });
  }

  // ------------------------------------------------------------------------------------------
  // Simulator

  /** A clean simulator answering with `script` (first match wins; '' when nothing matches). */
  script(entries: ScriptedResponse[]): void {
    this.simulator.configure({ ...SIMULATOR_DEFAULTS, apiKeys: [SIMULATOR_KEY], keyless: !this.options.simulatorNeedsKey, script: entries });
    this.simulator.reset();
  }

  /** One line per request, for failure messages. */
  describeRequests(): string {
    if (this.simulator.requests.length === 0) return '(the simulator saw no request)';
    return this.simulator.requests
      .map((r) => `  ${r.status || '-'}${r.aborted ? ' ABORTED' : ''} prefix …${JSON.stringify(promptPrefixOf(r).slice(-40))} -> ${JSON.stringify(r.completion)}`)
      .join('\n');
  }

  // ------------------------------------------------------------------------------------------
  // Workspace files

  file(name: string): string {
    return path.join(this.workspace, name);
  }

  read(name: string): string {
    return fs.readFileSync(this.file(name), 'utf8');
  }

  // ------------------------------------------------------------------------------------------
  // Workbench

  /**
   * Loads the workbench with `name` opened through the openFile payload (a fresh window, so a fresh
   * extension host), then waits for the editor and for the extension's status bar item.
   */
  async open(name: string): Promise<void> {
    await this.page.goto(this.server.workbenchUrl([['openFile', this.server.remoteUri(this.file(name))]]));
    await this.page.locator('.part.editor .tab.active', { hasText: path.basename(name) }).waitFor({ timeout: 60_000 });
    await this.page.locator(EDITOR_LINES).first().waitFor({ timeout: 60_000 });
    // The extension activates a few seconds after the editor shows (onStartupFinished).
    await this.statusItem().waitFor({ timeout: 60_000 });
  }

  /**
   * Loads the workbench on the workspace with no file opened (a fresh window, so a fresh extension
   * host) and waits for the extension's status bar item.
   */
  async openWorkbench(): Promise<void> {
    await this.page.goto(this.server.workbenchUrl());
    await this.page.locator('.part.editor').waitFor({ timeout: 60_000 });
    await this.statusItem().waitFor({ timeout: 60_000 });
  }

  /** Clicks into the editor and puts the cursor at the end of the document, as a person would. */
  async clickEditorEnd(): Promise<void> {
    await this.page.locator(EDITOR_LINES).first().click();
    await this.page.keyboard.press('Control+End');
  }

  /** Types like a person: one key at a time with a small delay, Enter for each newline. */
  async type(text: string): Promise<void> {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (i > 0) await this.page.keyboard.press('Enter', { delay: KEY_DELAY_MS });
      if (lines[i]) await this.page.keyboard.type(lines[i], { delay: KEY_DELAY_MS });
    }
  }

  /** Everything currently drawn as ghost text, line by line (see installPageHelpers). */
  ghostText(): Promise<string> {
    return readGhostText(this.page);
  }

  /** Waits until the ghost text contains `expected`. */
  async waitForGhost(expected: string, timeoutMs = 10_000): Promise<void> {
    try {
      await this.page.waitForFunction((text) => (window as unknown as PageHelpers).__qwenGhostText().includes(text), expected, {
        timeout: timeoutMs,
        polling: 50,
      });
    } catch {
      throw new Error(
        `no ghost text containing ${JSON.stringify(expected)} within ${timeoutMs} ms; ghost text now: ` +
          `${JSON.stringify(await this.ghostText())}\nsimulator requests:\n${this.describeRequests()}`,
      );
    }
  }

  /**
   * Records, from now on, every distinct ghost text drawn, on every DOM change (a MutationObserver
   * in the page), so a test can assert what was never shown, however briefly.
   */
  async recordGhostTexts(): Promise<void> {
    await this.page.evaluate(() => {
      const w = window as unknown as PageHelpers & { __qwenGhostSeen: string[]; __qwenGhostObserver?: MutationObserver };
      w.__qwenGhostObserver?.disconnect();
      w.__qwenGhostSeen = [];
      const collect = () => {
        const text = w.__qwenGhostText();
        if (text && !w.__qwenGhostSeen.includes(text)) w.__qwenGhostSeen.push(text);
      };
      w.__qwenGhostObserver = new MutationObserver(collect);
      w.__qwenGhostObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
      collect();
    });
  }

  recordedGhostTexts(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { __qwenGhostSeen?: string[] }).__qwenGhostSeen ?? []);
  }

  /** Records the message of every notification toast that appears from now on (window.__qwenToasts). */
  async recordToasts(): Promise<void> {
    await this.page.evaluate(() => {
      const w = window as unknown as { __qwenToasts: string[]; __qwenToastObserver?: MutationObserver };
      w.__qwenToastObserver?.disconnect();
      const known = new WeakSet<Element>(Array.from(document.querySelectorAll('.notification-toast')));
      w.__qwenToasts = [];
      w.__qwenToastObserver = new MutationObserver(() => {
        for (const toast of Array.from(document.querySelectorAll('.notification-toast'))) {
          if (known.has(toast)) continue;
          const message = toast.querySelector('.notification-list-item-message')?.textContent ?? '';
          if (!message) continue; // Rendered empty first; counted once its message is in.
          known.add(toast);
          const buttons = Array.from(toast.querySelectorAll('.notification-list-item-buttons-container .monaco-button'));
          w.__qwenToasts.push(`${message} [${buttons.map((b) => b.textContent ?? '').join('|')}]`);
        }
      });
      w.__qwenToastObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  }

  recordedToasts(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { __qwenToasts?: string[] }).__qwenToasts ?? []);
  }

  /**
   * Ctrl+S; waits until the editor tab is no longer dirty and the file on disk was rewritten, and
   * returns the file as saved. The document must have changed since it was last saved.
   */
  async save(name: string): Promise<string> {
    const file = this.file(name);
    const before = fs.statSync(file).mtimeMs;
    await this.page.keyboard.press('Control+S');
    const tab = this.page.locator('.part.editor .tab.active', { hasText: path.basename(name) });
    await waitUntil(
      async () => fs.statSync(file).mtimeMs !== before && !(await tab.getAttribute('class'))?.split(/\s+/).includes('dirty'),
      `${name} to be saved (Ctrl+S)`,
    );
    // The save may truncate the file before it writes it (twice now, a read in between gave ''):
    // the text counts once two reads 100 ms apart agree.
    let last = this.read(name);
    return waitUntil(async () => {
      await sleep(100);
      const now = this.read(name);
      const stable = now === last;
      last = now;
      return stable ? { text: now } : undefined;
    }, `${name} to hold what was saved`).then(({ text }) => text);
  }

  /**
   * The text of the active editor as drawn (the lines in view, top to bottom, ghost text left out,
   * NBSPs as spaces). For watching a document change; read what was written from the saved file.
   */
  editorText(): Promise<string> {
    return this.page.locator(EDITOR_LINES).first().evaluate((lines) => {
      const rows = Array.from(lines.querySelectorAll(':scope > .view-line')).map((line) => {
        const copy = line.cloneNode(true) as Element;
        for (const ghost of Array.from(copy.querySelectorAll('[class*="ghost-text"]'))) ghost.remove();
        return { top: parseFloat((line as HTMLElement).style.top || '0'), text: (copy.textContent ?? '').replace(/\u00a0/g, ' ') };
      });
      return rows
        .sort((a, b) => a.top - b.top)
        .map((row) => row.text)
        .join('\n');
    });
  }

  /** Ctrl+G, then `line` (and `:column`), Enter: puts the cursor there, as a person would. */
  async goToLine(line: number, column?: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    await this.quickInput().locator('input.input').waitFor({ state: 'visible' });
    await this.page.keyboard.type(column === undefined ? `${line}` : `${line}:${column}`, { delay: 10 });
    // Enter before the picker has read the typed text is lost on a busy machine: wait for its answer
    // ("Press 'Enter' to go to line 3 at column 10."), and press again if it is still open.
    await this.quickInput().locator('.monaco-list-row', { hasText: `go to line ${line}` }).waitFor();
    await this.page.keyboard.press('Enter');
    try {
      await this.quickInput().waitFor({ state: 'hidden', timeout: 5_000 });
    } catch {
      await this.page.keyboard.press('Enter');
      await this.quickInput().waitFor({ state: 'hidden' });
    }
  }

  /**
   * Everything the extension wrote to its "Qwen Inline" log channel so far, in this code-server
   * (the channel's files under the profile's logs folder, one per extension host, oldest first).
   */
  extensionLog(): string {
    const logs = path.join(this.server.userDataDir, 'logs');
    if (!fs.existsSync(logs)) return '';
    return listFiles(logs)
      .filter((file) => path.basename(file).endsWith('Qwen Inline.log'))
      .sort()
      .map((file) => fs.readFileSync(file, 'utf8'))
      .join('');
  }

  /** Waits until the extension's log has more than `count` lines matching `pattern`; returns the newest. */
  async waitForLogLine(pattern: RegExp, count: number, timeoutMs = 10_000): Promise<string> {
    const matching = () => this.extensionLog().split('\n').filter((line) => pattern.test(line));
    try {
      return await waitUntil(() => matching()[count], `a log line matching ${pattern}`, timeoutMs);
    } catch (error) {
      const tail = this.extensionLog().split('\n').slice(-10).join('\n');
      throw new Error(`${error instanceof Error ? error.message : String(error)}; the log ends:\n${tail}`, { cause: error });
    }
  }

  /** Saves a screenshot as an artefact (.test-artifacts/e2e/<session>-<name>.png) and returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(E2E_ARTIFACTS, { recursive: true });
    const file = path.join(E2E_ARTIFACTS, `${this.options.name}-${slug(name)}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /**
   * A screenshot of the product for the walkthrough or README: `clip` of the page, written to
   * productScreenshotPath(repoPath) (the repository only with QWEN_INLINE_UPDATE_SCREENSHOTS=1).
   * A 1000x600 PNG of the workbench is about 70-100 KB. Returns the file written.
   */
  async productScreenshot(repoPath: string, clip?: Clip): Promise<string> {
    const file = productScreenshotPath(repoPath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // No blinking cursor caught half-drawn, no hover or animation half-way.
    await this.page.screenshot({ path: file, type: 'png', clip, animations: 'disabled', caret: 'hide' });
    return file;
  }

  // ------------------------------------------------------------------------------------------
  // Walkthrough (Get Started)

  /** The walkthrough page (VS Code's "Welcome" editor showing one walkthrough). */
  walkthroughPage(): Locator {
    return this.page.locator('.part.editor .gettingStartedContainer');
  }

  /** The walkthrough's title as shown on its page. */
  walkthroughTitle(walkthroughId: string): Locator {
    return this.walkthroughPage().locator(`.gettingStartedSlideDetails .category-title[x-category-title-for="${walkthroughId}"]`);
  }

  /** A step of the walkthrough: `walkthroughId` is "<publisher>.<name>#<id>". */
  walkthroughStep(walkthroughId: string, stepId: string): Locator {
    return this.walkthroughPage().locator(`button.getting-started-step[data-step-id="${walkthroughId}#${stepId}"]`);
  }

  /** Clicks a step's title (which expands it) and waits for it to be the expanded one. */
  async selectWalkthroughStep(walkthroughId: string, stepId: string): Promise<Locator> {
    const step = this.walkthroughStep(walkthroughId, stepId);
    for (let attempt = 1; ; attempt++) {
      await step.locator('.step-title').click();
      try {
        await waitUntil(async () => (await step.getAttribute('aria-expanded')) === 'true', `step ${stepId} to expand`, 3_000);
        return step;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  /** Brings the walkthrough's tab to the front again (after a step opened another editor). */
  async showWalkthroughTab(): Promise<void> {
    if (await this.walkthroughPage().isVisible()) return;
    await this.page.locator('.part.editor .tab', { hasText: WALKTHROUGH_TAB_LABEL }).first().click();
    await this.walkthroughPage().waitFor();
  }

  /** The Settings editor, which VS Code 1.139 opens as a modal over the workbench. */
  modalEditor(): Locator {
    return this.page.locator('.monaco-modal-editor-block');
  }

  /** Closes the modal editor (Escape; its close button if Escape only cleared its search box). */
  async closeModalEditor(): Promise<void> {
    for (let attempt = 0; attempt < 2 && (await this.modalEditor().isVisible()); attempt++) {
      await this.page.keyboard.press('Escape');
      await this.modalEditor().waitFor({ state: 'hidden', timeout: 2_000 }).catch(() => undefined);
    }
    if (await this.modalEditor().isVisible()) await this.modalEditor().locator('.codicon-close').first().click();
    await this.modalEditor().waitFor({ state: 'hidden' });
  }

  /** A button of the expanded step (its description's command link), by its label. */
  walkthroughButton(step: Locator, label: string): Locator {
    return step.locator('.button-container .monaco-button', { hasText: label });
  }

  // ------------------------------------------------------------------------------------------
  // Status bar

  /** The extension's status bar item ("<icon> Qwen"). */
  statusItem(): Locator {
    return this.page.locator('.statusbar-item', { hasText: 'Qwen' }).first();
  }

  /** The status item's codicon name ('sparkle', 'circle-slash', 'clock', 'key', 'warning', 'loading'). */
  statusIcon(): Promise<string> {
    return this.statusItem().evaluate((item) => {
      const icon = item.querySelector('.codicon');
      const name = Array.from(icon?.classList ?? []).find((c) => c.startsWith('codicon-') && !c.startsWith('codicon-modifier'));
      return name ? name.slice('codicon-'.length) : '';
    });
  }

  /** The status item's accessible label: its text, then its tooltip. */
  async statusLabel(): Promise<string> {
    return (await this.statusItem().getAttribute('aria-label')) ?? '';
  }

  /** Hovers the status item and returns its tooltip (the hover widget) once it is drawn. */
  async hoverStatus(): Promise<Locator> {
    const hover = this.page.locator('.workbench-hover-container .monaco-hover, .monaco-hover.workbench-hover', { hasText: 'Qwen Inline' }).first();
    for (let attempt = 1; ; attempt++) {
      // The hover shows after a delay and only for a pointer that moved onto the item.
      await this.page.mouse.move(0, 0);
      await this.statusItem().hover();
      try {
        await hover.waitFor({ state: 'visible', timeout: 3_000 });
        return hover;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  /** Waits for the status item to show `icon` with `label` somewhere in its text or tooltip. */
  async waitForStatus(icon: string, label: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let seen = '';
    while (Date.now() < deadline) {
      const [actualIcon, actualLabel] = await Promise.all([this.statusIcon(), this.statusLabel()]);
      if (actualIcon === icon && actualLabel.includes(label)) return;
      seen = `icon "${actualIcon}", label ${JSON.stringify(actualLabel)}`;
      await sleep(100);
    }
    throw new Error(`status bar item did not show icon "${icon}" with "${label}" within ${timeoutMs} ms; it shows ${seen}`);
  }

  // ------------------------------------------------------------------------------------------
  // Command palette, quick input, notifications

  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** The visible rows of the quick input, by accessible label (codicons show as their names). */
  async quickInputRows(): Promise<string[]> {
    return this.quickInput()
      .locator('.monaco-list-row')
      .evaluateAll((rows) => rows.map((row) => (row.getAttribute('aria-label') ?? '').replace(/\s+/g, ' ').trim()));
  }

  /**
   * F1, then types `title` into the command palette; returns the row of `commandId` once it is
   * listed (the palette marks each entry with its command id).
   */
  async findCommand(commandId: string, title: string): Promise<Locator> {
    await this.page.keyboard.press('F1');
    await this.quickInput().locator('input.input').waitFor({ state: 'visible' });
    await this.page.keyboard.type(title, { delay: 10 });
    const row = this.quickInput().locator('.monaco-list-row', {
      has: this.page.locator(`.quick-input-list-entry[data-quick-input-id="${commandId}"]`),
    });
    try {
      await row.waitFor({ state: 'visible', timeout: 5_000 });
    } catch {
      throw new Error(`the command palette does not list ${commandId} for "${title}"; it lists: ${JSON.stringify(await this.quickInputRows())}`);
    }
    return row;
  }

  /** Runs a command from the palette by its title, as a person would (type, click the entry). */
  async runCommand(commandId: string, title: string): Promise<void> {
    await (await this.findCommand(commandId, title)).click();
  }

  /**
   * The quick input's text box once it has the keyboard focus: keys typed before that (the quick
   * input is drawn a moment before it takes the focus) would go to the editor behind it.
   */
  async focusedQuickInput(): Promise<Locator> {
    const input = this.quickInput().locator('input.input');
    await input.waitFor({ state: 'visible' });
    const focused = () => input.evaluate((element) => element === document.activeElement);
    // A command run from a walkthrough's button: the walkthrough takes the focus back from the box
    // it opened. A person clicks into the box then; so does this.
    const gotFocus = await waitUntil(focused, 'the quick input to have the keyboard focus', 2_000).then(() => true, () => false);
    if (!gotFocus) {
      console.log('      (the quick input did not have the keyboard focus: clicked into it)');
      await input.click();
      await waitUntil(focused, 'the quick input to have the keyboard focus after a click on it');
    }
    return input;
  }

  /** Closes whatever quick input is open (a test that failed half-way may leave one). */
  async closeQuickInput(): Promise<void> {
    for (let i = 0; i < 3 && (await this.quickInput().isVisible()); i++) {
      await this.page.keyboard.press('Escape');
      await sleep(200);
    }
  }

  /** Escape, and waits for the quick input to close. */
  async escapeQuickInput(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.quickInput().waitFor({ state: 'hidden' });
  }

  toast(text: string): Locator {
    return this.page.locator('.notification-toast', { hasText: text });
  }

  // ------------------------------------------------------------------------------------------
  // Failures

  /**
   * Runs a step outside a test (a before hook): on failure leaves the same artefacts as a failed
   * test and says where in the error (mocha runs no afterEach for a failed hook).
   */
  async step(title: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      const where = await this.saveFailureArtifacts(title);
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${title}: ${message}\n${where}`, { cause: error });
    }
  }

  /** Leaves a screenshot, the simulator's requests and code-server's logs; returns a line saying where. */
  async saveFailureArtifacts(testTitle: string): Promise<string> {
    const base = path.join(E2E_ARTIFACTS, `${this.options.name}-${slug(testTitle)}`);
    const screenshot = `${base}.failure.png`;
    const logs = `${base}-logs`;
    fs.mkdirSync(E2E_ARTIFACTS, { recursive: true });
    let shot = screenshot;
    await this.page.screenshot({ path: screenshot }).catch((error: unknown) => {
      shot = `(no screenshot: ${error instanceof Error ? error.message : String(error)})`;
    });
    this.server.saveLogs(logs);
    fs.writeFileSync(path.join(logs, 'simulator-requests.json'), JSON.stringify(this.simulator.requests, null, 2));
    return `artefacts: screenshot ${shot}; code-server and VS Code logs, simulator requests in ${logs}`;
  }
}

/**
 * Starts a Session before the file's tests and stops it after them. When a test fails, leaves the
 * failure artefacts and appends where they are to the test's error message.
 */
export function useSession(options: SessionOptions): () => Session {
  let session: Session | undefined;

  before(async function () {
    // Seconds normally; the first provisioning of code-server on a machine takes a few minutes.
    this.timeout(10 * 60_000);
    // Artefacts of an earlier run of this file would mislead.
    if (fs.existsSync(E2E_ARTIFACTS)) {
      for (const entry of fs.readdirSync(E2E_ARTIFACTS)) {
        if (entry.startsWith(`${options.name}-`)) fs.rmSync(path.join(E2E_ARTIFACTS, entry), { recursive: true, force: true });
      }
    }
    session = await Session.start(options);
  });

  afterEach(async function () {
    const test = this.currentTest;
    if (!session || !test || test.state !== 'failed') return;
    const where = await session.saveFailureArtifacts(test.title).catch(
      (error: unknown) => `artefacts could not be saved: ${error instanceof Error ? error.message : String(error)}`,
    );
    const error = test.err as Error | undefined;
    if (error) {
      error.message += `\n${where}`;
      if (error.stack) error.stack = `${error.stack}\n${where}`;
    }
    console.log(`      ${where}`);
  });

  after(async function () {
    this.timeout(60_000);
    await session?.close();
    session = undefined;
  });

  return () => {
    if (!session) throw new Error(`the e2e session "${options.name}" is not running (see the before hook's error)`);
    return session;
  };
}
