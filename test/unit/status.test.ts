import * as assert from 'node:assert/strict';
import { classifyError } from '../../src/core/errors';
import { describeSkip, skipReason, type GateInput } from '../../src/core/gate';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { StatusModel, type StatusState } from '../../src/core/status';
import { FakeClock } from './helpers/fakeClock';

describe('status model', () => {
  it('derives the state: needsKey > disabled > snoozed > loading > error > ready', async () => {
    const clock = new FakeClock();
    const status = new StatusModel(clock);
    const seen: StatusState[] = [];
    status.onDidChange((snapshot) => seen.push(snapshot.state));
    assert.equal(status.snapshot.state, 'needsKey');
    status.setHasKey(true);
    assert.equal(status.snapshot.state, 'ready');
    status.requestStarted();
    assert.equal(status.snapshot.state, 'loading');
    const error = classifyError({ kind: 'http', status: 500 }, { model: 'm', endpoint: 'e', now: 0 });
    status.requestEnded({ succeeded: false, error });
    assert.equal(status.snapshot.state, 'error');
    status.snooze(5);
    assert.equal(status.snapshot.state, 'snoozed');
    status.setEnabled(false);
    assert.equal(status.snapshot.state, 'disabled');
    status.setEnabled(true);
    await clock.tick(5 * 60_000);
    assert.equal(status.snapshot.state, 'error', 'the snooze ends by itself');
    status.requestStarted();
    status.requestEnded({ succeeded: true });
    assert.equal(status.snapshot.state, 'ready');
    assert.deepEqual(seen, ['ready', 'loading', 'error', 'snoozed', 'disabled', 'snoozed', 'error', 'loading', 'ready']);
  });

  it('an excluded file shows as excluded, even where the language is off; a settings change clears an old error', () => {
    const status = new StatusModel(new FakeClock());
    status.setHasKey(true);
    status.setEnabled(false);
    status.setExcluded({ kind: 'pattern', pattern: '**/.env' });
    assert.deepEqual(status.snapshot, { state: 'excluded', excluded: { kind: 'pattern', pattern: '**/.env' } });
    status.setExcluded(undefined);
    assert.equal(status.snapshot.state, 'disabled');
    status.setEnabled(true);
    status.requestEnded({ succeeded: false, error: classifyError({ kind: 'http', status: 500 }, { model: 'm', endpoint: 'e', now: 0 }) });
    assert.equal(status.snapshot.state, 'error');
    status.clearError();
    assert.equal(status.snapshot.state, 'ready');
  });

  it('an auth error shows needsKey until a key is set again', () => {
    const status = new StatusModel(new FakeClock());
    status.setHasKey(true);
    status.requestStarted();
    status.requestEnded({ succeeded: false, error: classifyError({ kind: 'http', status: 401 }, { model: 'm', endpoint: 'e', now: 0 }) });
    assert.equal(status.snapshot.state, 'needsKey');
    status.setHasKey(true);
    assert.equal(status.snapshot.state, 'ready');
  });
});

describe('gate: when no suggestion is requested', () => {
  const base = { settings: DEFAULT_SETTINGS, languageId: 'python', snoozed: false, hasSelection: false, suggestWidgetOpen: false };
  it('asks when nothing stands in the way', () => assert.equal(skipReason(base), undefined));
  it('stays quiet when disabled, for a disabled language, snoozed, with a selection, over the suggest widget', () => {
    const reason = (input: Partial<GateInput>) => {
      const skip = skipReason({ ...base, ...input });
      return skip && describeSkip(skip);
    };
    assert.equal(reason({ settings: { ...DEFAULT_SETTINGS, enable: false } }), 'disabled');
    assert.equal(reason({ languageId: 'markdown' }), 'disabled for markdown');
    assert.equal(reason({ excluded: { kind: 'pattern', pattern: '**/.env' } }), 'this file matches "**/.env" in qwenInline.exclude');
    assert.equal(reason({ excluded: { kind: 'privateKey' } }), 'this text holds a private key');
    assert.equal(reason({ snoozed: true }), 'snoozed');
    assert.equal(reason({ hasSelection: true }), 'text selected');
    assert.equal(reason({ suggestWidgetOpen: true }), 'suggest widget open');
    assert.deepEqual(skipReason({ ...base, excluded: { kind: 'pattern', pattern: '*.pem' }, snoozed: true }), { kind: 'excluded', exclusion: { kind: 'pattern', pattern: '*.pem' } });
  });
});
