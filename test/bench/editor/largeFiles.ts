/**
 * Ghost text and typing latency in large files, measured black-box in a real VS Code (code-server
 * 4.139.1 = VS Code 1.139.1) in Debian's Chromium, with the DashScope simulator answering.
 *
 *   npm run package && npm run compile-tests
 *   node out/test/bench/editor/largeFiles.js [--keys 100] [--interval 150] [--modes none,disabled,on]
 *        [--cases small,10mb-250k,10mb-350k,minified,col-9990,col-10010] [--no-checks] [--vsix FILE]
 *        [--setting KEY=JSON]...
 *
 * QWEN_INLINE_VSCODE_CACHE picks code-server's cache, as for the e2e tests (provisioned by
 * test/vscode/provision.sh when missing). Takes about 25 minutes with the defaults; prints two tables
 * and writes every sample to .test-artifacts/bench-editor/large-files.json.
 *
 * Files (generated into a temporary workspace, one copy per cursor position):
 *   small      200 lines of ordinary JavaScript (5 KB)
 *   10mb-250k  10 MB of ordinary JavaScript in 250,000 lines: under VS Code's large-file limits
 *   10mb-350k  10 MB in 350,000 lines: over LARGE_FILE_LINE_COUNT_THRESHOLD (300K lines), so VS Code's
 *              large-file mode (editor.largeFileOptimizations) is on for it
 *   minified   1.5 MB of minified JavaScript on a single line
 *   col-9990 / col-10010  a small file whose last line is long enough that the ghost text starts at
 *              column 9,990 / 10,010, either side of editor.stopRenderingLineAfter (10,000)
 * Cursor positions: "end" (Ctrl+End) and "middle" (the middle line, or column 750,000 of the single line).
 *
 * Modes (each a fresh code-server profile):
 *   none      the extension is not installed (VS Code alone)
 *   disabled  installed with qwenInline.enable: false (its provider is registered and returns at once)
 *   on        installed and enabled, answered by the simulator
 * The checks (--no-checks skips them) run the "on" mode again with editor.stopRenderingLineAfter:
 * 20000 (col-10010) and with editor.largeFileOptimizations: false (10mb-350k), where the ghost text
 * was not drawn. code-server opens a file of more than 10 MiB only after "Open Anyway"
 * (workbench.editorLargeFileConfirmation is 10 MB for remote files): the 10 MB files stay under it.
 *
 * Per file and position, with the extension on: the trigger " qwenTrigger = () =>" is typed, the
 * simulator answers a two-line suggestion starting "qwenGhostMarker1"; then whether its first line
 * is drawn in the cursor's line (.ghost-text-decoration) and its second line below (.ghost-text in a
 * view zone), and what Tab inserts (read from the file after Ctrl+S).
 *
 * In every mode the trigger is typed, then --keys letters, one every --interval ms with an 800 ms
 * pause after every 10th (when the extension asks for and shows a suggestion); with the extension on,
 * the accepted suggestion is undone first (Ctrl+Z), so that every mode types at the same place.
 * Keystroke latency: from the keydown event's timestamp until the first task after the next rendered
 * frame (a requestAnimationFrame callback registered at keydown, then setTimeout 0): what the person
 * waits before the character can be on screen. Long tasks (> 50 ms, PerformanceObserver "longtask")
 * during the typing are summed per keystroke. Wall-clock latency depends on whatever else loads the
 * machine, so each run also reports CPU time per keystroke, which does not: the renderer's main
 * thread (CDP Performance metrics in thread time, everything it did while the letters were typed)
 * and the extension host process (/proc).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { sleep, waitUntil } from '../../helpers/wait';
import { packagedVsix } from '../../e2e/workbench';
import { startSimulator, type Simulator } from '../../simulator/server';
import { launchBrowser } from '../../vscode/browser';
import { ARTIFACTS_DIR, provision, startCodeServer, type CodeServer, type Installation } from '../../vscode/codeServer';

/** Ends in `=>`: the extension then shapes a block, so the suggestion keeps its further lines. */
const TRIGGER = ' qwenTrigger = () =>';
const MARKER_1 = 'qwenGhostMarker1';
const MARKER_2 = 'qwenGhostMarker2';
/** What the simulator answers after the trigger: two lines, so both ways VS Code draws ghost text show. */
const VISIBILITY_COMPLETION = ` ${MARKER_1}({\n  ${MARKER_2}: 1,\n});`;
/** What it answers to everything else (the suggestions shown while typing the letters). */
const TYPING_COMPLETION = 'qwenTypingGhost + 1;';
const MB = 1024 * 1024;
const PAUSE_EVERY = 10;
const PAUSE_MS = 800;
const EDITOR = '.part.editor .monaco-editor';
const OUT_DIR = path.join(ARTIFACTS_DIR, 'bench-editor');

// ---------------------------------------------------------------------------------------------
// Arguments

interface Args {
  keys: number;
  intervalMs: number;
  modes: ModeName[];
  cases: string[] | undefined;
  checks: boolean;
  vsix: string | undefined;
  /** Extra user settings for every mode (--setting editor.editContext=false). */
  settings: Record<string, unknown>;
}

type ModeName = 'none' | 'disabled' | 'on';
const MODES: readonly ModeName[] = ['none', 'disabled', 'on'];

const USAGE = `Usage: node out/test/bench/editor/largeFiles.js [--keys N] [--interval MS] [--modes none,disabled,on]
       [--cases small,10mb-250k,10mb-350k,minified,col-9990,col-10010] [--no-checks] [--vsix FILE]
       [--setting KEY=JSON]...   (extra user settings for every run, e.g. --setting editor.editContext=false)`;

function parseArgs(argv: string[]): Args {
  const args: Args = { keys: 100, intervalMs: 150, modes: [...MODES], cases: undefined, checks: true, vsix: undefined, settings: {} };
  const value = (i: number): string => {
    if (argv[i] === undefined) usage(`${argv[i - 1]} needs a value`);
    return argv[i];
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--keys') args.keys = positive(value(++i), arg);
    else if (arg === '--interval') args.intervalMs = positive(value(++i), arg);
    else if (arg === '--modes') {
      args.modes = value(++i).split(',') as ModeName[];
      for (const mode of args.modes) if (!MODES.includes(mode)) usage(`unknown mode ${mode}`);
    } else if (arg === '--cases') args.cases = value(++i).split(',');
    else if (arg === '--no-checks') args.checks = false;
    else if (arg === '--vsix') args.vsix = path.resolve(value(++i));
    else if (arg === '--setting') {
      const [key, ...rest] = value(++i).split('=');
      const text = rest.join('=');
      if (!key || rest.length === 0) usage(`--setting wants key=value, not ${argv[i]}`);
      try {
        args.settings[key] = JSON.parse(text);
      } catch {
        args.settings[key] = text;
      }
    }
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else usage(`unknown argument ${arg}`);
  }
  return args;
}

function positive(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) usage(`${name}: "${text}" is not a positive integer`);
  return n;
}

function usage(message: string): never {
  process.stderr.write(`largeFiles: ${message}\n${USAGE}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Files

/** Lines of ordinary JavaScript, a blank line every 8th (index % 8 === 7). */
function templateLine(index: number): string {
  const n = Math.floor(index / 8);
  switch (index % 8) {
    case 0: return `function f${n}(a, b) {`;
    case 1: return `  const v = a[${n % 1000}] ?? b;`;
    case 2: return `  if (v > ${n % 97}) {`;
    case 3: return '    return v * 2;';
    case 4: return '  }';
    case 5: return '  return v + 1;';
    case 6: return '}';
    default: return '';
  }
}

/**
 * About `bytes` of ordinary code in exactly `lines` lines (the last one empty, after the final
 * newline): non-blank lines are padded with a trailing comment to an even width.
 */
function codeFile(bytes: number, lines: number): string {
  const nonBlank = lines - 1 - Math.floor((lines - 1) / 8);
  const width = Math.max(0, Math.floor((bytes - lines) / nonBlank));
  const out: string[] = [];
  for (let i = 0; i < lines - 1; i++) {
    const line = templateLine(i);
    out.push(line === '' || line.length + 4 >= width ? line : `${line} // ${'-'.repeat(width - line.length - 4)}`);
  }
  out.push('');
  return out.join('\n');
}

/** The 1-based number of a blank line near the middle of a codeFile. */
function middleBlankLine(lines: number): number {
  return Math.floor(lines / 16) * 8 + 8;
}

/** Minified JavaScript on one line, about `bytes` long, no final newline. */
function minifiedFile(bytes: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const part = `function n${i}(e,t){return e.map(function(r){return r*t+${i}})}var o${i}=n${i}([${i},${i + 1}],2);`;
    parts.push(part);
    length += part.length;
  }
  return parts.join('');
}

/** A small file whose last line ends so that, once TRIGGER is typed at its end, the ghost text starts at `column`. */
function longLastLineFile(column: number): string {
  const head = `// The ghost text after the trigger starts at column ${column}.\nconst a = 1;\n`;
  const lineLength = column - 1 - TRIGGER.length;
  const open = 'const s = "';
  const close = '";';
  return head + open + 'x'.repeat(lineLength - open.length - close.length) + close;
}

interface Position {
  readonly label: string;
  /** Where the cursor goes, for people. */
  readonly where: string;
  place(page: Page): Promise<void>;
}

interface BenchCase {
  readonly name: string;
  readonly description: string;
  readonly content: () => string;
  readonly positions: readonly Position[];
  readonly latency: boolean;
}

const END: Position = {
  label: 'end',
  where: 'Ctrl+End',
  place: async (page) => {
    await page.keyboard.press('Control+End');
  },
};

function goTo(label: string, target: string): Position {
  return {
    label,
    where: `Ctrl+G ${target}`,
    place: async (page) => {
      await page.keyboard.press('Control+G');
      const input = page.locator('.quick-input-widget input.input');
      await input.waitFor({ state: 'visible' });
      await page.keyboard.type(target, { delay: 10 });
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    },
  };
}

const CASES: readonly BenchCase[] = [
  {
    name: 'small',
    description: '200 lines of ordinary code',
    content: () => codeFile(0, 201),
    positions: [END, goTo('middle', String(middleBlankLine(201)))],
    latency: true,
  },
  {
    name: '10mb-250k',
    description: '10 MB, 250,000 lines',
    content: () => codeFile(10 * MB, 250_000),
    positions: [END, goTo('middle', String(middleBlankLine(250_000)))],
    latency: true,
  },
  {
    name: '10mb-350k',
    description: '10 MB, 350,000 lines (over 300K: large-file mode)',
    content: () => codeFile(10 * MB, 350_000),
    positions: [END, goTo('middle', String(middleBlankLine(350_000)))],
    latency: true,
  },
  {
    name: 'minified',
    description: '1.5 MB minified JS on one line',
    content: () => minifiedFile(1.5 * MB),
    positions: [END, goTo('middle', '1:750000')],
    latency: true,
  },
  {
    name: 'col-9990',
    description: 'ghost text starting at column 9,990',
    content: () => longLastLineFile(9990),
    positions: [END],
    latency: false,
  },
  {
    name: 'col-10010',
    description: 'ghost text starting at column 10,010',
    content: () => longLastLineFile(10_010),
    positions: [END],
    latency: false,
  },
];

function fileName(benchCase: BenchCase, position: Position): string {
  return `${benchCase.name}-${position.label}.js`;
}

// ---------------------------------------------------------------------------------------------
// In the page

interface KeySample {
  /** keydown's timestamp (performance.now() time base). */
  start: number;
  /** From keydown until the first task after the next rendered frame. */
  ms?: number;
}

interface LatencyProbe {
  armed: boolean;
  samples: KeySample[];
  longTasks: number[];
  /** Messages of the notifications shown since the page loaded, until stopNotifications(). */
  notifications: string[];
  stopNotifications(): void;
}

/** Runs in the page before the workbench loads: the keystroke probe (see the top of this file). */
function installLatencyProbe(): void {
  const notifications = new MutationObserver(() => {
    for (const message of Array.from(document.querySelectorAll('.notification-list-item-message'))) {
      const text = message.textContent ?? '';
      if (text && !probe.notifications.includes(text)) probe.notifications.push(text);
    }
  });
  const probe: LatencyProbe = {
    armed: false,
    samples: [],
    longTasks: [],
    notifications: [],
    stopNotifications: () => notifications.disconnect(),
  };
  (window as unknown as { __benchLatency: LatencyProbe }).__benchLatency = probe;
  // Watches the toasts (VS Code's large-file notice shows for a few seconds) until the typing starts.
  document.addEventListener('DOMContentLoaded', () => notifications.observe(document.body, { subtree: true, childList: true, characterData: true }));
  window.addEventListener(
    'keydown',
    (event) => {
      if (!probe.armed || event.key.length !== 1) return;
      const sample: KeySample = { start: event.timeStamp };
      requestAnimationFrame(() =>
        setTimeout(() => {
          sample.ms = performance.now() - sample.start;
          probe.samples.push(sample);
        }, 0),
      );
    },
    true,
  );
  try {
    new PerformanceObserver((list) => {
      if (probe.armed) for (const entry of list.getEntries()) probe.longTasks.push(entry.duration);
    }).observe({ type: 'longtask' });
  } catch {
    // No long task timing: the sum stays 0.
  }
}

interface GhostSeen {
  /** Text of the ghost text drawn in the cursor's line (its first line). */
  inline: string;
  /** Text of the ghost lines drawn below it (a view zone). */
  zone: string;
}

async function ghostSeen(page: Page): Promise<GhostSeen> {
  return page.evaluate((editor) => {
    const text = (selector: string) =>
      Array.from(document.querySelectorAll(selector))
        .map((e) => e.textContent ?? '')
        .join('')
        .replace(/\u00a0/g, ' ');
    return {
      inline: text(`${editor} .view-lines .ghost-text-decoration`),
      zone: text(`${editor} .view-zones .ghost-text`),
    };
  }, EDITOR);
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Visibility {
  /** The simulator answered the trigger. */
  answered: boolean;
  firstLineDrawn: boolean;
  secondLineDrawn: boolean;
  seen: GhostSeen;
  /** What Tab did, read back from the saved file. */
  tab: 'suggestion' | 'indentation' | 'other';
  /** The cursor's line as saved ends with this (the part after the trigger). */
  afterTab: string;
}

interface Latency {
  /** Renderer main thread, thread time (CDP Performance metrics), per keystroke over the whole typing. */
  rendererScriptMsPerKey: number;
  rendererTaskMsPerKey: number;
  /** CPU time (user + system) of the extension host process(es), per keystroke. */
  extensionHostCpuMsPerKey: number;
  /** CPU time of all of code-server's processes (extension host, language servers, server), per keystroke. */
  serverCpuMsPerKey: number;
  samples: number[];
  p50: number;
  p95: number;
  max: number;
  longTaskMsPerKey: number;
  requests: number;
}

interface Row {
  phase: string;
  mode: ModeName;
  case: string;
  position: string;
  fileBytes: number;
  fileLines: number;
  /** Where the cursor is once the trigger is typed (the ghost text starts there). */
  cursorLine?: number;
  cursorColumn?: number;
  /** VS Code said it turned features off for this large file (its large-file mode). */
  largeFileNotice: boolean;
  notifications: string[];
  visibility?: Visibility;
  latency?: Latency;
}

interface Phase {
  readonly name: string;
  readonly mode: ModeName;
  readonly settings: Record<string, unknown>;
  readonly visibility: boolean;
  readonly latency: boolean;
  /** case/position pairs ("minified/end"); all when absent. */
  readonly only?: readonly string[];
}

/**
 * What to stop on Ctrl+C: code-server runs in its own process group and would outlive us, with its
 * profile and the workspace. Playwright closes Chromium itself.
 */
const running = new Set<() => void>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`largeFiles: ${signal}, stopping code-server\n`);
    for (const abandon of running) abandon();
    process.exit(130);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

class Bench {
  readonly rows: Row[] = [];
  readonly failures: string[] = [];

  constructor(
    private readonly args: Args,
    private readonly installation: Installation,
    private readonly vsix: string,
    private readonly simulator: Simulator,
  ) {}

  async runPhase(phase: Phase, cases: readonly BenchCase[]): Promise<void> {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen-inline-bench-editor-'));
    const selected: Array<[BenchCase, Position]> = [];
    for (const benchCase of cases) {
      for (const position of benchCase.positions) {
        if (phase.only && !phase.only.includes(`${benchCase.name}/${position.label}`)) continue;
        selected.push([benchCase, position]);
      }
    }
    if (selected.length === 0) return;
    log(`\n== ${phase.name}`);
    const contents = new Map<BenchCase, string>();
    for (const [benchCase, position] of selected) {
      if (!contents.has(benchCase)) contents.set(benchCase, benchCase.content());
      fs.writeFileSync(path.join(workspace, fileName(benchCase, position)), contents.get(benchCase)!);
    }
    contents.clear();

    let server: CodeServer | undefined;
    let browser: Browser | undefined;
    const cleanUp = async () => {
      await browser?.close().catch(() => undefined);
      await server?.stop();
      fs.rmSync(workspace, { recursive: true, force: true });
    };
    // On Ctrl+C, synchronously: Playwright's own handler exits the process right after ours.
    const abandon = () => {
      if (server) {
        killServerGroup(server);
        fs.rmSync(path.dirname(server.userDataDir), { recursive: true, force: true });
      }
      fs.rmSync(workspace, { recursive: true, force: true });
    };
    running.add(abandon);
    try {
      const settings = {
        'qwenInline.baseUrl': this.simulator.baseUrl,
        ...(phase.mode === 'disabled' ? { 'qwenInline.enable': false } : {}),
        ...phase.settings,
      };
      server = await startCodeServer(this.installation, {
        workspace,
        vsix: phase.mode === 'none' ? undefined : this.vsix,
        settings,
      });
      // The same as remote-machine settings too: builds before ea970b8 declared qwenInline.baseUrl
      // machine-scoped, which a code-server window reads from the remote machine's settings only.
      fs.mkdirSync(path.join(server.userDataDir, 'Machine'), { recursive: true });
      fs.writeFileSync(path.join(server.userDataDir, 'Machine', 'settings.json'), JSON.stringify(settings, null, 2));
      browser = await launchBrowser();
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      page.on('dialog', (dialog) => void dialog.accept().catch(() => undefined));
      await page.addInitScript(installLatencyProbe);
      for (const [benchCase, position] of selected) {
        try {
          const row = await this.measure(page, server, workspace, phase, benchCase, position);
          this.rows.push(row);
          log(describeRow(row));
        } catch (error) {
          // One file failing (a timeout on a busy machine) leaves the others measured.
          const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
          log(`  ${benchCase.name}/${position.label}: FAILED: ${message}`);
          this.failures.push(`${phase.name}: ${benchCase.name}/${position.label}: ${message}`);
        }
      }
    } finally {
      running.delete(abandon);
      await cleanUp();
    }
  }

  private async measure(page: Page, server: CodeServer, workspace: string, phase: Phase, benchCase: BenchCase, position: Position): Promise<Row> {
    const name = fileName(benchCase, position);
    const file = path.join(workspace, name);
    const original = fs.readFileSync(file, 'utf8');
    const row: Row = {
      phase: phase.name,
      mode: phase.mode,
      case: benchCase.name,
      position: position.label,
      fileBytes: Buffer.byteLength(original),
      fileLines: original.split('\n').length,
      largeFileNotice: false,
      notifications: [],
    };

    await page.goto(server.workbenchUrl([['openFile', server.remoteUri(file)]]));
    await page.locator('.part.editor .tab.active', { hasText: name }).waitFor({ timeout: 120_000 });
    await page.locator(`${EDITOR} .view-lines`).first().waitFor({ timeout: 120_000 });
    if (phase.mode !== 'none') await page.locator('.statusbar-item', { hasText: 'Qwen' }).first().waitFor({ timeout: 60_000 });
    if (phase.mode === 'on') {
      // Ready: talking to the simulator (not asking for a DashScope key).
      await waitUntil(
        async () => ((await page.locator('.statusbar-item', { hasText: 'Qwen' }).first().getAttribute('aria-label')) ?? '').includes(this.simulator.baseUrl),
        'the extension to use the simulator',
        30_000,
      );
    }
    // Let the workbench settle (background tokenization of a big file, extension activation).
    await sleep(row.fileBytes > MB ? 6000 : 3000);
    row.notifications = await page.evaluate(() => {
      const probe = (window as unknown as { __benchLatency: LatencyProbe }).__benchLatency;
      probe.stopNotifications();
      return probe.notifications;
    });
    row.largeFileNotice = row.notifications.some((text) => /large file/i.test(text));

    await page.locator(`${EDITOR} .view-lines`).first().click({ position: { x: 5, y: 5 } });
    await position.place(page);

    this.simulator.configure({
      keyless: true,
      script: [{ prefixEndsWith: TRIGGER, completion: VISIBILITY_COMPLETION }],
      defaultCompletion: TYPING_COMPLETION,
    });
    this.simulator.reset();
    await page.keyboard.type(TRIGGER, { delay: 50 });
    await sleep(500); // The status bar shows the cursor's position after a short delay.
    const cursor = await cursorPosition(page);
    row.cursorLine = cursor.line;
    row.cursorColumn = cursor.column;
    if (phase.visibility) {
      row.visibility = await this.visibility(page, file, name);
      if (phase.latency && benchCase.latency) {
        // Back to where the other modes type (an accepted suggestion moves the cursor off the long line).
        await page.keyboard.press('Control+Z');
        await sleep(500);
        const back = await cursorPosition(page);
        if (cursor.line !== undefined && (back.line !== cursor.line || back.column !== cursor.column)) {
          throw new Error(`undoing the accepted suggestion left the cursor at ${back.line}:${back.column}, not ${cursor.line}:${cursor.column}`);
        }
      }
    }
    if (phase.latency && benchCase.latency) row.latency = await this.latency(page, server);
    // Leaves the editor clean, so that loading the next page asks nothing.
    if (await this.dirty(page, name)) await this.save(page, file, name);
    return row;
  }

  private async visibility(page: Page, file: string, name: string): Promise<Visibility> {
    const answered = await waitUntil(
      () => this.simulator.requests.some((r) => r.done && r.completion.includes(MARKER_1)),
      'the simulator to answer the trigger',
      15_000,
    ).catch(() => false);
    // Give VS Code time to take the suggestion and draw it.
    let seen: GhostSeen = { inline: '', zone: '' };
    const deadline = Date.now() + (answered ? 3000 : 500);
    while (Date.now() < deadline) {
      seen = await ghostSeen(page);
      if (seen.inline.includes(MARKER_1) && seen.zone.includes(MARKER_2)) break;
      await sleep(100);
    }
    await page.keyboard.press('Tab');
    const saved = await this.save(page, file, name);
    const cursorLine = saved.slice(saved.lastIndexOf(TRIGGER) + TRIGGER.length);
    const afterTab = cursorLine.split('\n').slice(0, 3).join('\\n');
    return {
      answered: answered === true,
      firstLineDrawn: seen.inline.includes(MARKER_1.slice(0, 8)),
      secondLineDrawn: seen.zone.includes(MARKER_2),
      seen,
      tab: cursorLine.trimStart().startsWith(MARKER_1) ? 'suggestion' : /^[\t ]/.test(cursorLine) ? 'indentation' : 'other',
      afterTab: afterTab.length > 60 ? `${afterTab.slice(0, 60)}…` : afterTab,
    };
  }

  private async latency(page: Page, server: CodeServer): Promise<Latency> {
    const requestsBefore = this.simulator.requests.length;
    const cdp = await page.context().newCDPSession(page);
    // Thread time, not wall time: what the work costs, whatever else loads the machine.
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const rendererBefore = await mainThreadMs(cdp);
    const processes = serverProcesses(server);
    const cpuBefore = processes.map(cpuMs);
    await page.evaluate(() => {
      const probe = (window as unknown as { __benchLatency: LatencyProbe }).__benchLatency;
      probe.samples = [];
      probe.longTasks = [];
      probe.armed = true;
    });
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    // A steady typist: the next key comes on time even when the editor lags (each sample is timed
    // from its own keydown), and nothing polls the page meanwhile.
    for (let i = 0; i < this.args.keys; i++) {
      await page.keyboard.press(letters[i % letters.length]);
      await sleep(this.args.intervalMs);
      if ((i + 1) % PAUSE_EVERY === 0) await sleep(PAUSE_MS);
    }
    await page.waitForFunction(
      (n) => (window as unknown as { __benchLatency: LatencyProbe }).__benchLatency.samples.length >= n,
      this.args.keys,
      { timeout: 60_000, polling: 100 },
    );
    const probe = await page.evaluate(() => {
      const p = (window as unknown as { __benchLatency: LatencyProbe }).__benchLatency;
      p.armed = false;
      return { samples: p.samples.map((s) => s.ms ?? NaN), longTasks: p.longTasks };
    });
    const keys = Math.max(1, probe.samples.length);
    const renderer = await mainThreadMs(cdp);
    await cdp.detach().catch(() => undefined);
    const cpuAfter = processes.map(cpuMs);
    // A process that exited meanwhile (the previous page's extension host) counts for nothing.
    const cpuDelta = processes.map((p, i) => ({ ...p, ms: cpuAfter[i] > 0 ? cpuAfter[i] - cpuBefore[i] : 0 }));
    const perKey = (ms: number) => Math.round((ms / keys) * 100) / 100;
    const sorted = [...probe.samples].sort((a, b) => a - b);
    return {
      rendererScriptMsPerKey: perKey(renderer.script - rendererBefore.script),
      rendererTaskMsPerKey: perKey(renderer.task - rendererBefore.task),
      extensionHostCpuMsPerKey: perKey(cpuDelta.filter((p) => p.extensionHost).reduce((a, p) => a + p.ms, 0)),
      serverCpuMsPerKey: perKey(cpuDelta.reduce((a, p) => a + p.ms, 0)),
      samples: probe.samples.map((ms) => Math.round(ms * 10) / 10),
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      max: sorted[sorted.length - 1],
      longTaskMsPerKey: probe.longTasks.reduce((a, b) => a + b, 0) / Math.max(1, probe.samples.length),
      requests: this.simulator.requests.length - requestsBefore,
    };
  }

  private async dirty(page: Page, name: string): Promise<boolean> {
    const classes = await page.locator('.part.editor .tab.active', { hasText: name }).getAttribute('class');
    return (classes ?? '').split(/\s+/).includes('dirty');
  }

  /** Ctrl+S; waits for the file to be rewritten and the tab to be clean; returns the file. */
  private async save(page: Page, file: string, name: string): Promise<string> {
    const before = fs.statSync(file).mtimeMs;
    await page.keyboard.press('Control+S');
    await waitUntil(async () => fs.statSync(file).mtimeMs !== before && !(await this.dirty(page, name)), `${name} to be saved`, 120_000);
    // code-server writes a big file in chunks, even after the editor shows it saved: read it once
    // it holds the trigger typed (every save here comes after it) and has stopped changing.
    let last = '';
    return waitUntil(
      async () => {
        const stat = fs.statSync(file);
        const now = `${stat.size}:${stat.mtimeMs}`;
        const text = now === last ? fs.readFileSync(file, 'utf8') : undefined;
        last = now;
        if (text?.includes(TRIGGER)) return text;
        await sleep(500);
        return undefined;
      },
      `${name} to be written with the trigger`,
      120_000,
    );
  }
}

/** Cumulative main-thread time of the page's renderer (Performance domain enabled), in ms. */
async function mainThreadMs(cdp: CDPSession): Promise<{ script: number; task: number }> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  const value = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
  return { script: value('ScriptDuration'), task: value('TaskDuration') };
}

interface ServerProcess {
  readonly pid: number;
  readonly extensionHost: boolean;
}

/**
 * The pid of this code-server's main process, which leads its own process group (it is started
 * detached): the process whose command line has its --bind-addr and whose process group is its own
 * pid. Undefined when there is no such process.
 */
function serverGroupLeader(server: CodeServer): number | undefined {
  const bindAddr = `--bind-addr 127.0.0.1:${new URL(server.url).port}`;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const args = commandLine(pid);
    const at = args.indexOf('--bind-addr');
    if (at < 0 || `--bind-addr ${args[at + 1]}` !== bindAddr || !args.some((arg) => arg.endsWith('entry.js'))) continue;
    if (pid > 1 && processGroupOf(pid) === pid) return pid;
  }
  return undefined;
}

/** code-server's processes: exactly the members of its main process's group, the extension host marked. */
function serverProcesses(server: CodeServer): ServerProcess[] {
  const leader = serverGroupLeader(server);
  if (leader === undefined) return [];
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && processGroupOf(Number(name)) === leader)
    .map((name) => ({ pid: Number(name), extensionHost: commandLine(Number(name)).includes('--type=extensionHost') }));
}

/** On Ctrl+C: SIGKILL to code-server's process group (only that group, found as above). */
function killServerGroup(server: CodeServer): void {
  const leader = serverGroupLeader(server);
  if (leader === undefined) return;
  try {
    process.kill(-leader, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

function commandLine(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/**
 * /proc/PID/stat split after the command name, so that [0] is field 3 of proc(5) (the state):
 * [2] is the process group (field 5), [11] and [12] utime and stime (fields 14 and 15).
 */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function processGroupOf(pid: number): number | undefined {
  const group = Number(statFields(pid)?.[2]);
  return Number.isInteger(group) && group > 0 ? group : undefined;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU time of a process so far, in ms (0 once it is gone). */
function cpuMs(process: ServerProcess): number {
  const fields = statFields(process.pid);
  return fields ? ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND : 0;
}

/** The cursor's line and column as the status bar shows them ("Ln 1, Col 1572880"). */
async function cursorPosition(page: Page): Promise<{ line?: number; column?: number }> {
  const text = await page
    .locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ })
    .first()
    .textContent({ timeout: 15_000 })
    .catch(() => null);
  const match = /Ln (\d+), Col (\d+)/.exec(text ?? '');
  return match ? { line: Number(match[1]), column: Number(match[2]) } : {};
}

// ---------------------------------------------------------------------------------------------
// Output

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function ms(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '-' : String(Math.round(value));
}

function describeRow(row: Row): string {
  const parts = [`${row.case}/${row.position}`, `Ln ${row.cursorLine ?? '?'}, Col ${row.cursorColumn ?? '?'}`];
  if (row.largeFileNotice) parts.push('large-file notice');
  if (row.visibility) {
    const v = row.visibility;
    parts.push(
      `answered ${v.answered ? 'yes' : 'no'}, first line drawn ${v.firstLineDrawn ? 'yes' : 'no'}, ` +
        `second line drawn ${v.secondLineDrawn ? 'yes' : 'no'}, Tab -> ${v.tab} (${JSON.stringify(v.afterTab)})`,
    );
  }
  if (row.latency) {
    const l = row.latency;
    parts.push(
      `keystroke p50 ${ms(l.p50)} ms, p95 ${ms(l.p95)} ms, max ${ms(l.max)} ms, long tasks ${ms(l.longTaskMsPerKey)} ms/key; ` +
        `per key: renderer main thread ${l.rendererTaskMsPerKey} ms (script ${l.rendererScriptMsPerKey}), ` +
        `extension host ${l.extensionHostCpuMsPerKey} ms, code-server ${l.serverCpuMsPerKey} ms CPU; ${l.requests} requests`,
    );
  }
  return `  ${parts.join('; ')}`;
}

function table(lines: string[][]): string {
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map((l) => `| ${l.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`).join('\n');
}

/** Whether the ghost text was drawn and what Tab did, with the extension on (and the checks). */
function visibilityTable(rows: Row[]): string {
  const lines = [['file/cursor', 'settings', 'Ln, Col', 'large-file notice', 'suggestion', '1st line drawn', '2nd line drawn', 'Tab inserted']];
  for (const r of rows.filter((row) => row.visibility)) {
    const v = r.visibility!;
    lines.push([
      `${r.case}/${r.position}`,
      r.phase === 'on' ? 'defaults' : r.phase.replace(/^on, /, ''),
      `${r.cursorLine ?? '?'}, ${r.cursorColumn ?? '?'}`,
      r.largeFileNotice ? 'yes' : 'no',
      v.answered ? 'answered' : 'none asked',
      v.answered ? (v.firstLineDrawn ? 'yes' : 'NO') : '-',
      v.answered ? (v.secondLineDrawn ? 'yes' : 'NO') : '-',
      v.tab === 'suggestion' ? 'the suggestion' : v.tab,
    ]);
  }
  return table(lines);
}

/** Keystroke latency and CPU per keystroke, per file/cursor and mode. */
function latencyTable(rows: Row[]): string {
  const lines = [['file/cursor', 'extension', 'p50 ms', 'p95 ms', 'max ms', 'renderer main thread ms/key', 'ext host CPU ms/key', 'requests']];
  const order = (r: Row) => CASES.findIndex((c) => c.name === r.case) * 100 + (r.position === 'end' ? 0 : 10) + MODES.indexOf(r.mode);
  for (const r of rows.filter((row) => row.latency).sort((a, b) => order(a) - order(b))) {
    const l = r.latency!;
    lines.push([
      `${r.case}/${r.position}`,
      r.mode,
      ms(l.p50),
      ms(l.p95),
      ms(l.max),
      l.rendererTaskMsPerKey.toFixed(1),
      l.extensionHostCpuMsPerKey.toFixed(1),
      String(l.requests),
    ]);
  }
  return table(lines);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const cases = CASES.filter((c) => !args.cases || args.cases.includes(c.name));
  if (cases.length === 0) usage(`no case among ${args.cases?.join(',')}`);
  const vsix = args.vsix ?? packagedVsix();
  const installation = provision();
  const simulator = await startSimulator({ keyless: true });
  const bench = new Bench(args, installation, vsix, simulator);
  const started = Date.now();
  log(`${path.basename(vsix)}; ${args.keys} keystrokes per run, ${args.intervalMs} ms apart, ${PAUSE_MS} ms pause every ${PAUSE_EVERY}`);
  if (Object.keys(args.settings).length > 0) log(`settings: ${JSON.stringify(args.settings)}`);
  try {
    for (const mode of args.modes) {
      await bench.runPhase({ name: mode, mode, settings: args.settings, visibility: mode === 'on', latency: true }, cases);
    }
    if (args.checks) {
      await bench.runPhase(
        {
          // Not -1 (no limit) on the 1.5 MB line: drawing all of it hangs the page.
          name: 'on, editor.stopRenderingLineAfter: 20000',
          mode: 'on',
          settings: { ...args.settings, 'editor.stopRenderingLineAfter': 20_000 },
          visibility: true,
          latency: false,
          only: ['col-10010/end'],
        },
        cases,
      );
      await bench.runPhase(
        {
          name: 'on, editor.largeFileOptimizations: false',
          mode: 'on',
          settings: { ...args.settings, 'editor.largeFileOptimizations': false },
          visibility: true,
          latency: false,
          only: ['10mb-350k/end', '10mb-350k/middle'],
        },
        cases,
      );
    }
  } finally {
    await simulator.close();
  }
  if (bench.rows.some((r) => r.visibility)) log(`\nGhost text, extension on:\n${visibilityTable(bench.rows)}`);
  if (bench.rows.some((r) => r.latency)) log(`\nTyping ${args.keys} letters:\n${latencyTable(bench.rows)}`);
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const out = path.join(OUT_DIR, 'large-files.json');
  fs.writeFileSync(out, JSON.stringify({ args, vsix, minutes: (Date.now() - started) / 60_000, rows: bench.rows, failures: bench.failures }, null, 2));
  log(`\nsamples: ${path.relative(process.cwd(), out)}`);
  if (bench.failures.length > 0) {
    log(`\nnot measured:\n${bench.failures.map((f) => `  ${f}`).join('\n')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`largeFiles: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
