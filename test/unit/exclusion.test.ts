import * as assert from 'node:assert/strict';
import { BlockContinuer } from '../../src/core/blockContinuation';
import { ContentExclusion, DEFAULT_EXCLUDE, mergeExcludePatterns, textExclusion } from '../../src/core/exclusion';
import { silentLogger } from '../../src/core/logger';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { answer, makeEngine, requestFor, ScriptedBackend } from './helpers/harness';
import { FakeClock } from './helpers/fakeClock';

describe('content exclusion', () => {
  const defaults = new ContentExclusion(DEFAULT_EXCLUDE);
  const excluded = (path: string) => defaults.excludedBy(path)?.kind === 'pattern';

  const secretFiles = [
    '.env',
    'app/.env',
    '.env.local',
    'deploy/.env.production',
    'prod.env',
    'certs/server.pem',
    'tls/private.key',
    'keystore.jks',
    'home/me/.ssh/id_rsa',
    '.ssh/id_ed25519.pub',
    'id_ecdsa',
    'credentials.json',
    'config/gcp-credentials.json',
    'k8s/secrets.yaml',
    'client_secret_1234.apps.googleusercontent.com.json',
    '.npmrc',
    'pkg/.pypirc',
    '.netrc',
    '.git-credentials',
    '.docker/config.json',
    '.kube/config',
    'infra/prod.tfvars',
    'terraform.tfstate',
    'terraform.tfstate.backup',
    '.aws/config',
    'home/me/.aws/credentials',
    '.gnupg/pubring.kbx',
    // Case does not save a file: on macOS and Windows these are the same files.
    '.ENV',
    'Config/Credentials.JSON',
    // Windows paths and absolute paths outside any workspace folder.
    'C:\\Users\\me\\project\\.env',
    '/home/me/project/secrets/db.yaml',
  ];
  for (const path of secretFiles) it(`excludes ${path}`, () => assert.ok(excluded(path), path));

  const codeFiles = ['src/extension.ts', 'main.py', 'env.py', 'environment.ts', 'README.md', 'docs/keys.md', 'keyboard.c', 'src/monkey.rs', 'pem_parser.go', '.envrc.example.md', 'Untitled-1', ''];
  for (const path of codeFiles) it(`leaves ${path || 'an untitled document'} alone`, () => assert.ok(!excluded(path), path));

  it('says which pattern matched', () => {
    assert.deepEqual(defaults.excludedBy('a/b/.env'), { kind: 'pattern', pattern: '**/.env' });
  });

  it('a pattern without a slash matches the file name in any folder', () => {
    const mine = new ContentExclusion(['*.sqlite', 'notes/private/**']);
    assert.ok(mine.excludedBy('data/cache/app.sqlite'));
    assert.ok(mine.excludedBy('notes/private/diary.md'));
    assert.equal(mine.excludedBy('other/notes/private/diary.md'), undefined, 'a pattern with a slash is anchored at the folder');
  });

  it('the user replaces the defaults; a workspace and its folders can only add', () => {
    assert.deepEqual(mergeExcludePatterns({ user: undefined }), [...DEFAULT_EXCLUDE]);
    assert.deepEqual(mergeExcludePatterns({ user: ['*.pem'] }), ['*.pem']);
    assert.deepEqual(mergeExcludePatterns({ user: [] }), [], 'a user may turn exclusion off for themselves');
    const merged = mergeExcludePatterns({ user: undefined, workspace: [], folders: [['fixtures/**'], undefined] });
    assert.ok(DEFAULT_EXCLUDE.every((pattern) => merged.includes(pattern)), 'an empty workspace list removes nothing');
    assert.ok(merged.includes('fixtures/**'));
    assert.deepEqual(mergeExcludePatterns({ user: [' *.key ', 7, '', '*.key'] }), ['*.key'], 'cleaned and without repeats');
  });

  it('text holding a PEM private key is never sent, whatever the file is called', () => {
    assert.deepEqual(textExclusion('const key = `-----BEGIN RSA PRIVATE KEY-----\nMIIE…'), { kind: 'privateKey' });
    assert.deepEqual(textExclusion('-----BEGIN OPENSSH PRIVATE KEY-----'), { kind: 'privateKey' });
    assert.deepEqual(textExclusion('-----BEGIN PRIVATE KEY-----'), { kind: 'privateKey' });
    assert.equal(textExclusion('-----BEGIN CERTIFICATE-----'), undefined, 'a certificate is public');
    assert.equal(textExclusion('def parse_pem(text): ...'), undefined);
  });

  it('ghost text sends nothing while a private key is in the prompt window', async () => {
    const backend = new ScriptedBackend([answer('x')]);
    const { engine } = makeEngine(backend, { debounceMs: 0 }, new FakeClock());
    const doc = 'KEY = """-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----"""\nvalue = █';
    assert.equal(await engine.complete(requestFor(doc), new AbortController().signal), undefined);
    assert.equal(await engine.complete(requestFor('value = █\nKEY = "-----BEGIN PRIVATE KEY-----"'), new AbortController().signal), undefined);
    assert.equal(backend.calls.length, 0);
    assert.ok(await engine.complete(requestFor('value = █'), new AbortController().signal));
  });

  it('Continue This Block sends nothing either', async () => {
    const backend = new ScriptedBackend([answer('x')]);
    const continuer = new BlockContinuer({
      settings: () => DEFAULT_SETTINGS,
      backend: () => backend,
      endpoint: () => 'http://sim.test/v1',
      clock: new FakeClock(),
      logger: silentLogger,
    });
    const outcome = await continuer.run(requestFor('def key():\n    return """-----BEGIN DSA PRIVATE KEY-----\n█'), new AbortController().signal, () => undefined);
    assert.equal(outcome.reason, 'excluded');
    assert.equal(backend.calls.length, 0);
  });
});
