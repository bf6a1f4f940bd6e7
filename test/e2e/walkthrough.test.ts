// The Get Started walkthrough in a real VS Code (code-server in Chromium), as a new user meets it:
// the packaged extension installed in a fresh profile opens it by itself on its first activation,
// and each of its six steps does what it says when its button is clicked (against the simulator).
//
// It also takes the screenshots of the product that the walkthrough's steps and README show. With
// QWEN_INLINE_UPDATE_SCREENSHOTS=1 they are written into media/walkthrough/ and media/readme/
// (then check and commit them); without it into .test-artifacts/e2e/screenshots/, so a test run
// never changes the repository. The window is 1000x600: each screenshot is the whole window. The
// screenshots of steps 3 and 4 are taken in the sample those steps open; the others, and README's,
// in a second session on a small project, with no walkthrough or sample tab in sight.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { promptPrefixOf, type ScriptedResponse } from '../simulator/server';
import { waitUntil } from '../helpers/wait';
import { REPO_ROOT } from '../vscode/codeServer';
import { type Session, SIMULATOR_KEY, useSession } from './workbench';

/** package.json's walkthrough as VS Code names it: "<publisher>.<name>#<walkthrough id>". */
const WALKTHROUGH = 'qwen-inline.qwen-inline#qwenInline.getStarted';
const STEPS = ['apiKey', 'regionModel', 'ghostText', 'continueBlock', 'cost', 'ownServer'];

// --- The manifest, in English (package.nls.json), for the texts the page shows ---------------------

interface WalkthroughManifest {
  id: string;
  title: string;
  steps: Array<{ id: string; title: string; description: string; media: { image?: string } }>;
}
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { walkthroughs?: WalkthroughManifest[] } };
const nls = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
const english = (text: string): string => text.replace(/^%([\w.]+)%$/, (reference, key: string) => nls[key] ?? reference);

function walkthrough(): WalkthroughManifest {
  const found = manifest.contributes.walkthroughs?.find((w) => `qwen-inline.qwen-inline#${w.id}` === WALKTHROUGH);
  assert.ok(found, `package.json contributes the walkthrough ${WALKTHROUGH}`);
  return found;
}

function step(id: string): WalkthroughManifest['steps'][number] {
  const found = walkthrough().steps.find((s) => s.id === id);
  assert.ok(found, `the walkthrough has a step "${id}"`);
  return found;
}

/** The label of the step's button that runs `command` (a `[label](command:…)` link of its description). */
function buttonLabel(stepId: string, command: string): string {
  const description = english(step(stepId).description);
  const links = Array.from(description.matchAll(/\[([^\]]+)\]\(command:([\w.]+)/g));
  const link = links.find((match) => match[2] === command);
  assert.ok(link, `step ${stepId} has a button for ${command}; it has ${JSON.stringify(links.map((m) => `${m[1]} -> ${m[2]}`))}`);
  return link[1];
}

// --- What the simulator answers ---------------------------------------------------------------------

/** The sample file (src/core/sample.ts): the cursor on the first line of this function's body. */
const SAMPLE_BODY = 'def celsius_to_fahrenheit(celsius: float) -> float:\n    """Convert a temperature from degrees Celsius to degrees Fahrenheit."""\n    ';
const COMMENT = '# Reject temperatures below absolute zero.';
const GUARD = 'if celsius < -273.15:';
const RAISE = '        raise ValueError(f"{celsius} °C is below absolute zero")';
const RETURN = '    return celsius * 9 / 5 + 32';
/** Step 3: the user types a comment saying what comes, and Enter; the model suggests the code. */
const GHOST_IN_SAMPLE: ScriptedResponse = { prefixEndsWith: `${SAMPLE_BODY}${COMMENT}\n    `, completion: `${GUARD}\n${RAISE}\n${RETURN}` };
/** Step 4: Continue This Block from the sample's empty body line: the body, then on into another function. */
const BLOCK_IN_SAMPLE: ScriptedResponse = {
  prefixEndsWith: SAMPLE_BODY,
  completion: `${GUARD}\n${RAISE}\n${RETURN}\n\n\ndef fahrenheit_to_celsius(fahrenheit: float) -> float:\n    return (fahrenheit - 32) * 5 / 9\n`,
  // Slow enough to be seen (and photographed) while it streams.
  latency: { firstTokenMs: 300, perChunkMs: 120 },
};
/** Check Server's question (src/core/serverCheck.ts), answered as any code model would. */
const CHECK_SERVER: ScriptedResponse = { prefixEndsWith: 'def add(a, b):\n    return a', completion: ' + b\n' };

// --- A small project for the screenshots of the product --------------------------------------------

const FORECAST = [
  '"""Daily weather summaries from hourly station readings."""',
  'from dataclasses import dataclass',
  'from datetime import date, datetime',
  'from statistics import mean',
  '',
  '',
  '@dataclass',
  'class Reading:',
  '    time: datetime',
  '    temperature_c: float',
  '    humidity: float',
  '',
  '',
  '@dataclass',
  'class DailySummary:',
  '    day: date',
  '    low_c: float',
  '    high_c: float',
  '    mean_humidity: float',
  '',
  '',
  '',
].join('\n');
const FORECAST_HEADER = 'def summarize_day(readings: list[Reading]) -> DailySummary:';
/** Eight lines: that session allows that many (qwenInline.maxLines), so the whole function shows. */
const FORECAST_BODY = [
  '    """Summarize one day of hourly readings."""',
  '    temperatures = [r.temperature_c for r in readings]',
  '    return DailySummary(',
  '        day=readings[0].time.date(),',
  '        low_c=min(temperatures),',
  '        high_c=max(temperatures),',
  '        mean_humidity=mean(r.humidity for r in readings),',
  '    )',
].join('\n');
const GHOST_IN_FORECAST: ScriptedResponse = { prefixEndsWith: `${FORECAST_HEADER}\n    `, completion: `${FORECAST_BODY.slice(4)}\n` };
const PROJECT: Record<string, string> = {
  'weather/__init__.py': '',
  'weather/forecast.py': FORECAST,
  'weather/units.py': 'def celsius_to_fahrenheit(celsius: float) -> float:\n    return celsius * 9 / 5 + 32\n',
  'weather/stations.py': 'STATIONS = {\n    "SIN": "Singapore Changi",\n    "HKG": "Hong Kong Observatory",\n}\n',
  'tests/test_forecast.py': 'from weather.forecast import Reading, summarize_day\n',
  'pyproject.toml': '[project]\nname = "weather"\nversion = "0.1.0"\n',
  'README.md': '# weather\n',
};

/** Prices for the simulator's model (a custom server has none built in), so the tooltip shows a cost. */
const PRICES = { 'custom/qwen3-coder-plus': { input: 1, output: 5, currency: 'USD' } };
/** Both sessions: a 1000x600 window (the screenshots' size), no minimap, prices. */
const WINDOW = { width: 1000, height: 600 };
const SETTINGS = { 'qwenInline.prices': PRICES, 'editor.minimap.enabled': false };

// --- Steps -------------------------------------------------------------------------------------------

/** Waits until the step shows as done (its completion event fired). */
async function waitForStepDone(s: Session, stepId: string): Promise<void> {
  const box = s.walkthroughStep(WALKTHROUGH, stepId).locator(`[data-done-step-id="${WALKTHROUGH}#${stepId}"]`);
  await waitUntil(async () => (await box.getAttribute('aria-checked')) === 'true', `step ${stepId} to be marked done`);
}

/** Brings the walkthrough to the front, clicks the step, then its button that runs `command`. */
async function clickStepButton(s: Session, stepId: string, command: string): Promise<void> {
  await s.showWalkthroughTab();
  const element = await s.selectWalkthroughStep(WALKTHROUGH, stepId);
  await s.walkthroughButton(element, buttonLabel(stepId, command)).click();
}

/** The active editor is an untitled file (the sample) showing the sample's function. */
async function waitForSample(s: Session): Promise<void> {
  await s.page.locator('.part.editor .tab.active', { hasText: /Untitled-\d+/ }).waitFor();
  await waitUntil(async () => (await s.editorText()).includes('def celsius_to_fahrenheit('), 'the sample to be drawn');
}

describe('e2e: the Get Started walkthrough', function () {
  const session = useSession({ name: 'walkthrough', files: PROJECT, walkthrough: true, workspaceName: 'weather', viewport: WINDOW, settings: SETTINGS });

  beforeEach(async function () {
    await session().closeQuickInput();
  });

  it('opens by itself on the first activation after install: "Qwen Inline" and its six steps', async function () {
    const s = session();
    s.script([]);
    await s.step('open the workbench', () => s.openWorkbench());
    const title = s.walkthroughTitle(WALKTHROUGH);
    await title.waitFor({ timeout: 20_000 });
    assert.strictEqual((await title.textContent())?.trim(), english(walkthrough().title));
    assert.match(english(walkthrough().title), /Qwen Inline/);
    assert.deepStrictEqual(
      walkthrough().steps.map((st) => st.id),
      STEPS,
      'the steps, in order',
    );
    for (const id of STEPS) {
      const shown = s.walkthroughStep(WALKTHROUGH, id).locator('.step-title');
      assert.strictEqual((await shown.textContent())?.trim(), english(step(id).title), `step ${id}'s title`);
    }
    await s.screenshot('walkthrough-page');
    // The steps' screenshots show the editor, not the Explorer: Ctrl+B hides the side bar.
    await s.page.keyboard.press('Control+B');
    await s.page.locator('.part.sidebar').waitFor({ state: 'hidden' });
  });

  it('1 "Set your API key": its button asks for the key, typed hidden, and stores it', async function () {
    const s = session();
    await clickStepButton(s, 'apiKey', 'qwenInline.setApiKey');
    await s.quickInput().locator('.quick-input-title', { hasText: 'Set API Key' }).waitFor();
    // The walkthrough takes the keyboard focus back shortly after a button runs its command (keys typed
    // until then reach the box): type once that is over; focusedQuickInput clicks into the box if needed.
    await s.page.waitForTimeout(1000);
    const input = await s.focusedQuickInput();
    assert.strictEqual(await input.getAttribute('type'), 'password', 'the key is typed hidden');
    await s.page.keyboard.type(SIMULATOR_KEY, { delay: 10 });
    assert.strictEqual(await input.inputValue(), SIMULATOR_KEY, 'the whole key went into the box');
    await s.page.keyboard.press('Enter');
    await s.quickInput().waitFor({ state: 'hidden' });
    const saved = s.toast('API key saved');
    await saved.waitFor();
    await waitForStepDone(s, 'apiKey');
    // Out of the way of the next steps' screenshots.
    await saved.hover();
    await saved.locator('.codicon-notifications-clear').click();
    await saved.waitFor({ state: 'hidden' });
  });

  it('2 "Choose the region and the model": Select Model offers the Qwen3-Coder models', async function () {
    const s = session();
    await clickStepButton(s, 'regionModel', 'qwenInline.selectModel');
    await s.quickInput().locator('.quick-input-title', { hasText: 'Select Model' }).waitFor();
    const rows = await s.quickInputRows();
    for (const model of ['qwen3-coder-plus', 'qwen3-coder-flash']) {
      assert.ok(
        rows.some((row) => row.startsWith(model)),
        `${model} is offered: ${JSON.stringify(rows)}`,
      );
    }
    await s.escapeQuickInput();
    await waitForStepDone(s, 'regionModel');
  });

  it('3 "Try ghost text": the sample opens, typing shows ghost text, Tab accepts it', async function () {
    const s = session();
    s.script([GHOST_IN_SAMPLE]);
    await clickStepButton(s, 'ghostText', 'qwenInline.openSample');
    await waitForSample(s);
    // The cursor is on the body's first line already: type there, and Enter.
    await s.type(`${COMMENT}\n`);
    await s.waitForGhost(RETURN.trim());
    assert.ok((await s.ghostText()).includes(RAISE.trim()), `the whole body is suggested: ${JSON.stringify(await s.ghostText())}`);
    await s.productScreenshot('media/walkthrough/3-ghost-text.png');
    await s.page.keyboard.press('Tab');
    await waitUntil(
      async () => (await s.editorText()).includes(`    ${COMMENT}\n    ${GUARD}\n${RAISE}\n${RETURN}`),
      'the suggestion to be accepted into the sample',
    );
    const asked = s.simulator.requests.find((r) => promptPrefixOf(r).endsWith(GHOST_IN_SAMPLE.prefixEndsWith!));
    assert.ok(asked, `the ghost text came from the simulator:\n${s.describeRequests()}`);
    await s.showWalkthroughTab();
    await waitForStepDone(s, 'ghostText');
  });

  it('4 "Continue This Block": in a new sample, the body streams in and stops at the end of the function', async function () {
    const s = session();
    s.script([BLOCK_IN_SAMPLE]);
    await clickStepButton(s, 'continueBlock', 'qwenInline.openSample');
    await waitForSample(s);
    // Its keybinding (Linux), as the step says: Alt+Shift+\.
    await s.page.keyboard.press('Alt+Shift+Backslash');
    await s.toast('Continue This Block').waitFor({ timeout: 5_000 });
    await waitUntil(async () => (await s.editorText()).includes(RAISE), 'the first lines to stream in', 20_000);
    await s.productScreenshot('media/walkthrough/4-continue-block.png');
    await s.toast('Continue This Block').waitFor({ state: 'hidden', timeout: 20_000 });
    const text = await s.editorText();
    assert.ok(text.includes(`    ${GUARD}\n${RAISE}\n${RETURN}`), `the body was written:\n${text}`);
    assert.ok(!text.includes('def fahrenheit_to_celsius'), `it stopped at the end of the function:\n${text}`);
    await s.showWalkthroughTab();
    await waitForStepDone(s, 'continueBlock');
  });

  it("5 \"See what it costs\": the status bar tooltip shows today's requests and estimated cost", async function () {
    const s = session();
    await s.showWalkthroughTab();
    await s.selectWalkthroughStep(WALKTHROUGH, 'cost');
    await waitForStepDone(s, 'cost');
    const tooltip = await s.hoverStatus();
    const text = (await tooltip.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Today, \d+ requests/, `today's requests: ${text}`);
    assert.match(text, /≈ \$\d/, `an estimated cost in USD: ${text}`);
    await s.page.mouse.move(0, 0);
    // Its other button opens the setting of the daily budget.
    await clickStepButton(s, 'cost', 'workbench.action.openSettings');
    await s.page.locator('.settings-editor .setting-item-contents', { hasText: 'Daily Budget' }).first().waitFor();
    await s.closeModalEditor();
  });

  it('6 "Use your own server": Check Server asks the simulator and shows its verdict', async function () {
    const s = session();
    s.script([CHECK_SERVER]);
    await clickStepButton(s, 'ownServer', 'qwenInline.checkServer');
    await s.toast('The server continued the text: completions work').waitFor({ timeout: 20_000 });
    assert.ok(
      s.simulator.requests.some((r) => promptPrefixOf(r).endsWith(CHECK_SERVER.prefixEndsWith!)),
      `Check Server asked the simulator:\n${s.describeRequests()}`,
    );
    await waitForStepDone(s, 'ownServer');
  });
});

describe('e2e: screenshots of the product for the walkthrough and README', function () {
  const session = useSession({
    name: 'product-shots',
    files: PROJECT,
    workspaceName: 'weather',
    viewport: WINDOW,
    settings: { ...SETTINGS, 'qwenInline.maxLines': 8 },
  });

  beforeEach(async function () {
    await session().closeQuickInput();
  });

  it("README's ghost text in a project, Set API Key, Select Model, the cost tooltip, Check Server", async function () {
    const s = session();
    s.script([GHOST_IN_FORECAST, CHECK_SERVER]);
    await s.open('weather/forecast.py');
    await s.waitForStatus('sparkle', 'ready');
    await s.clickEditorEnd();

    // README's first screen: ghost text in a realistic file, all of it in view.
    await s.type(`${FORECAST_HEADER}\n`);
    await s.waitForGhost('mean_humidity=mean(r.humidity for r in readings),');
    await s.page.locator('.part.editor .monaco-editor .view-lines').first().hover();
    await s.page.mouse.wheel(0, 6 * 19);
    await s.page.waitForTimeout(300);
    assert.ok((await s.ghostText()).includes('mean_humidity=mean('), 'scrolling kept the ghost text');
    await s.productScreenshot('media/readme/ghost-text.png');
    await s.page.keyboard.press('Tab');
    await waitUntil(async () => (await s.editorText()).includes('low_c=min(temperatures),'), 'the suggestion to be accepted');

    // 1: the key typed hidden.
    await s.runCommand('qwenInline.setApiKey', 'Qwen Inline: Set API Key');
    const input = await s.focusedQuickInput();
    await s.page.keyboard.type(SIMULATOR_KEY, { delay: 10 });
    assert.strictEqual(await input.inputValue(), SIMULATOR_KEY);
    await s.productScreenshot('media/walkthrough/1-api-key.png');
    await s.escapeQuickInput();

    // 2: the models, the current one marked.
    await s.runCommand('qwenInline.selectModel', 'Qwen Inline: Select Model');
    await s.quickInput().locator('.monaco-list-row', { hasText: 'qwen3-coder-flash' }).first().waitFor();
    await s.focusedQuickInput();
    await s.page.mouse.move(0, 0);
    await s.productScreenshot('media/walkthrough/2-region-model.png');
    await s.escapeQuickInput();

    // 5: today's requests, tokens and cost.
    const tooltip = await s.hoverStatus();
    await waitUntil(async () => /≈ \$\d/.test(await tooltip.innerText()), 'a cost in the tooltip');
    await s.productScreenshot('media/walkthrough/5-cost.png');
    await s.page.mouse.move(0, 0);

    // 6: Check Server's verdict, once its progress notification is gone.
    await s.runCommand('qwenInline.checkServer', 'Qwen Inline: Check Server');
    await s.toast('The server continued the text: completions work').waitFor({ timeout: 20_000 });
    await s.toast('checking the server').waitFor({ state: 'hidden' });
    await s.page.mouse.move(0, 0);
    await s.productScreenshot('media/walkthrough/6-own-server.png');

    // The images the steps show are these (taken again with QWEN_INLINE_UPDATE_SCREENSHOTS=1).
    for (const id of STEPS) {
      const image = step(id).media.image ?? '';
      assert.match(image, /^media\/walkthrough\/\d-[\w-]+\.png$/, `step ${id} shows one of these screenshots`);
      assert.ok(fs.existsSync(path.join(REPO_ROOT, image)), `step ${id}'s image ${image} is in the repository`);
    }
  });
});
