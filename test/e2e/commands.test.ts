// Every command the extension contributes is found in the command palette by its title and runs,
// with the effect a person would see.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../vscode/codeServer';
import { Session, SIMULATOR_KEY, useSession } from './workbench';

interface ContributedCommand {
  readonly command: string;
  readonly title: string;
  readonly category?: string;
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes: { commands: ContributedCommand[] };
};
// Titles are "%key%" references; the palette of an English VS Code shows package.nls.json's text.
const nls = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
const english = (text: string): string => text.replace(/^%([\w.]+)%$/, (reference, key: string) => nls[key] ?? reference);
const COMMANDS = manifest.contributes.commands.map((c) => ({ ...c, title: english(c.title), category: c.category && english(c.category) }));

/** What must be going on for a command to be offered at all (the palette hides it otherwise). */
const PRECONDITIONS: Record<string, (s: Session) => Promise<void>> = {
  'qwenInline.stopContinueBlock': async (s) => {
    // A block that takes its time: Stop is offered only while one streams.
    s.script([{ prefixEndsWith: 'print("hello")\n', completion: 'print("more")\n', latency: { firstTokenMs: 30_000 } }]);
    await s.clickEditorEnd();
    await s.page.keyboard.press('Alt+Shift+Backslash');
    await s.toast('Qwen Inline: Continue This Block').waitFor();
  },
  'qwenInline.checkServer': async (s) => {
    // The model continues Check Server's known prefix as any code model would.
    s.script([{ prefixEndsWith: 'def add(a, b):\n    return a', completion: ' + b\n' }]);
  },
};

/** What each command visibly does, checked after it was run once from the palette. */
const EFFECTS: Record<string, (s: Session, run: () => Promise<void>) => Promise<void>> = {
  'qwenInline.continueBlock': async (s) => {
    // The simulator has nothing scripted here, so the model answers with nothing.
    await s.toast('the model had nothing to add here').waitFor();
  },

  'qwenInline.stopContinueBlock': async (s) => {
    await s.waitForLogLine(/Continue This Block .*: cancelled/, 0);
    await s.toast('Qwen Inline: Continue This Block').waitFor({ state: 'hidden' });
  },

  'qwenInline.setApiKey': async (s) => {
    await s.quickInput().locator('.quick-input-title', { hasText: 'Qwen Inline: Set API Key' }).waitFor();
    assert.strictEqual(await s.quickInput().locator('input.input').getAttribute('type'), 'password', 'the key is typed hidden');
    await s.page.keyboard.type(SIMULATOR_KEY, { delay: 10 });
    await s.page.keyboard.press('Enter');
    await s.quickInput().waitFor({ state: 'hidden' });
    await s.toast('API key saved').waitFor();
  },

  'qwenInline.clearApiKey': async (s) => {
    await s.toast('API key removed').waitFor();
  },

  'qwenInline.toggle': async (s, run) => {
    await s.waitForStatus('circle-slash', 'disabled');
    await run();
    await s.waitForStatus('sparkle', 'ready');
  },

  'qwenInline.toggleLanguage': async (s, run) => {
    await s.waitForStatus('circle-slash', 'disabled');
    await run();
    await s.waitForStatus('sparkle', 'ready');
  },

  'qwenInline.snooze': async (s, run) => {
    await s.quickInput().locator('.quick-input-title', { hasText: 'Snooze' }).waitFor();
    assert.deepStrictEqual(await s.quickInputRows(), ['clock 5 minutes', 'clock 15 minutes', 'clock 60 minutes']);
    await s.quickInput().locator('.monaco-list-row', { hasText: '5 minutes' }).first().click();
    await s.waitForStatus('clock', 'snoozed until');
    // Snoozed, the same command offers to resume first.
    await run();
    await s.quickInput().locator('.monaco-list-row', { hasText: 'Resume now' }).waitFor();
    await s.escapeQuickInput();
    await run();
    await s.quickInput().locator('.monaco-list-row', { hasText: 'Resume now' }).click();
    await s.waitForStatus('sparkle', 'ready');
  },

  'qwenInline.selectModel': async (s) => {
    await s.quickInput().locator('.quick-input-title', { hasText: 'Select Model' }).waitFor();
    const rows = await s.quickInputRows();
    for (const model of ['qwen3-coder-plus', 'qwen3-coder-flash', 'qwen3-coder-480b-a35b-instruct', 'qwen3-coder-30b-a3b-instruct']) {
      assert.ok(rows.some((row) => row.startsWith(model)), `${model} is offered: ${JSON.stringify(rows)}`);
    }
    assert.ok(rows.includes('qwen3-coder-plus, current'), `the current model is marked: ${JSON.stringify(rows)}`);
    await s.escapeQuickInput();
    await s.waitForStatus('sparkle', 'qwen3-coder-plus');
  },

  'qwenInline.checkServer': async (s) => {
    // The verdict in words on a toast, and every finding in the log.
    const toast = s.toast('The server continued the text: completions work');
    await toast.waitFor();
    await s.waitForLogLine(/check server: Asked as DashScope, partial: it continued the text/, 0);
    await s.waitForLogLine(/check server: .*first token after \d+ ms.*usage reported: prompt \d+ tok/, 0);
    await toast.hover();
    await toast.locator('.codicon-notifications-clear').click();
    await toast.waitFor({ state: 'hidden' });
  },

  'qwenInline.showLog': async (s) => {
    const panel = s.page.locator('.part.panel');
    await panel.waitFor({ state: 'visible' });
    const channel = await panel
      .locator('select.monaco-select-box')
      .first()
      .evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent ?? '');
    assert.strictEqual(channel, 'Qwen Inline', 'the output panel shows the Qwen Inline channel');
    // Lines of the channel (it scrolls to its end, so the first lines may be out of sight; spaces are NBSPs).
    await panel.locator('.view-lines', { hasText: /\[info\]\s/ }).waitFor({ timeout: 5_000 });
  },

  'qwenInline.showMenu': async (s) => {
    await s.quickInput().locator('.quick-input-title', { hasText: 'Qwen Inline' }).waitFor();
    const rows = await s.quickInputRows();
    for (const item of ['Disable completions', 'Disable for Python', 'Snooze…', 'Set API Key…', 'Clear API Key', 'Select Model…', 'Check Server', 'Show Log', 'Open Settings']) {
      assert.ok(rows.some((row) => row.includes(item)), `the menu offers "${item}": ${JSON.stringify(rows)}`);
    }
    await s.escapeQuickInput();
  },

  // The last two (package.json lists them last): each leaves another editor active than app.py,
  // which the checks above rely on.
  'qwenInline.openSample': async (s) => {
    // A small sample file in an editor of its own, with code in it.
    const group = s.page.locator('.part.editor .editor-group-container.active');
    await group.locator('.tab.active').filter({ hasNotText: 'app.py' }).waitFor();
    await group.locator('.editor-instance .view-lines', { hasText: /\S/ }).waitFor();
  },

  'qwenInline.getStarted': async (s) => {
    // The walkthrough's own page (not its entry in the list of walkthroughs, which has the same title).
    const title = s.walkthroughTitle('qwen-inline.qwen-inline#qwenInline.getStarted');
    await title.waitFor();
    assert.match(await title.innerText(), /Get Started with Qwen Inline/);
  },
};

describe('e2e: every command from the command palette', function () {
  const session = useSession({ name: 'commands', files: { 'app.py': 'print("hello")\n' } });

  before(async function () {
    const s = session();
    s.script([]);
    await s.step('open app.py', async () => {
      await s.open('app.py');
      await s.waitForStatus('sparkle', 'ready');
      // An active editor, for the per-language toggle and the menu.
      await s.clickEditorEnd();
    });
  });

  beforeEach(async function () {
    await session().closeQuickInput();
  });

  it('package.json contributes the commands this file checks', function () {
    assert.deepStrictEqual(
      COMMANDS.map((c) => c.command).sort(),
      Object.keys(EFFECTS).sort(),
      'a contributed command without a visible-effect check (or a check for a command that is gone): update EFFECTS',
    );
  });

  for (const { command, title, category } of COMMANDS) {
    const fullTitle = category ? `${category}: ${title}` : title;
    it(`"${fullTitle}" is listed and runs (${command})`, async function () {
      const s = session();
      const run = () => s.runCommand(command, fullTitle);
      await PRECONDITIONS[command]?.(s);
      const row = await s.findCommand(command, fullTitle);
      // The label is the title, then the keybinding if the command has one ("…, Shift+Alt+\\").
      assert.strictEqual((await row.getAttribute('aria-label'))?.split(', ')[0], fullTitle, 'the palette entry shows the full title');
      await row.click();
      const effect = EFFECTS[command];
      assert.ok(effect, `no visible effect is checked for ${command}`);
      await effect(s, run);
    });
  }
});
