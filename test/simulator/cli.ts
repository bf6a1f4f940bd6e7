/**
 * Runs the DashScope simulator (or, with --dialect, a vLLM, SGLang, llama.cpp, Ollama or LM Studio
 * simulator) from the command line:
 *
 *   node out/test/simulator/cli.js [--dialect D] [--port 8787] [--host 127.0.0.1] [--key K ... | --keyless] [--require-key]
 *     [--first-token-ms N] [--per-chunk-ms N] [--tokens-per-chunk N]
 *     [--oracle DIR] [--max-lines N] [--script FILE.json] [--rpm N]
 *     [--default-completion TEXT] [--no-inferred]
 *
 * Accepted keys: every --key, plus $DASHSCOPE_API_KEY when set; 'sk-sim-test' when neither is given.
 * Other dialects need no key unless --key or --require-key is given (like their --api-key).
 * --oracle DIR: every text file under DIR (recursively; .git and node_modules skipped) is a corpus file.
 * --script FILE.json: a JSON array of scripted responses, or an object of simulator options.
 * Stops on SIGINT/SIGTERM.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIALECTS, startSimulator, redactKey, type Dialect, type RequestRecord, type SimulatorOptions } from './server';

const USAGE = `Usage: node out/test/simulator/cli.js [options]
  --dialect D              server to act as: ${DIALECTS.join(', ')} (default dashscope)
  --port N                 port to listen on (default 8787; 0 = any free port)
  --host H                 address to bind (default 127.0.0.1)
  --key K                  accepted API key (repeatable; default sk-sim-test, plus $DASHSCOPE_API_KEY)
  --keyless                serve requests with no key, like a local llama.cpp or vLLM
  --require-key            other dialects: require a key (as when started with --api-key)
  --served-model M         other dialects: a served model id (repeatable; default per dialect)
  --first-token-ms N       delay before the first content chunk
  --per-chunk-ms N         delay between chunks
  --tokens-per-chunk N     tokens per streamed chunk (default 2)
  --oracle DIR             answer with the true continuation from the files under DIR
  --max-lines N            oracle: lines per completion (default 8)
  --script FILE.json       scripted responses (array) or simulator options (object)
  --rpm N                  requests per minute before 429 limit_requests
  --default-completion T   completion when nothing matches (default empty)
  --no-inferred            do not send inferred behaviour (x-request-id, Retry-After)
  -h, --help               show this help`;

const SKIPPED_DIRS = new Set(['.git', 'node_modules']);
const MAX_FILE_BYTES = 2 * 1024 * 1024;

function readCorpus(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(full);
      } else if (entry.isFile()) {
        if (fs.statSync(full).size > MAX_FILE_BYTES) continue;
        const bytes = fs.readFileSync(full);
        if (bytes.subarray(0, 8192).includes(0)) continue; // binary
        files[path.relative(root, full).split(path.sep).join('/')] = bytes.toString('utf8');
      }
    }
  };
  walk(root);
  return files;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): SimulatorOptions {
  const options: SimulatorOptions = { port: 8787 };
  const keys: string[] = [];
  const served: string[] = [];
  const latency: NonNullable<SimulatorOptions['latency']> = {};
  let maxLines: number | undefined;
  let oracleDir: string | undefined;
  let scriptFile: string | undefined;
  const number = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < 0) fail(`${flag} needs a non-negative number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) fail(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port': options.port = number(flag, value()); break;
      case '--host': options.host = value(); break;
      case '--key': keys.push(value()); break;
      case '--keyless': options.keyless = true; break;
      case '--require-key': options.requireKey = true; break;
      case '--served-model': served.push(value()); break;
      case '--dialect': {
        const dialect = value();
        if (!DIALECTS.includes(dialect as Dialect)) fail(`--dialect must be one of ${DIALECTS.join(', ')}`);
        options.dialect = dialect as Dialect;
        break;
      }
      case '--first-token-ms': latency.firstTokenMs = number(flag, value()); break;
      case '--per-chunk-ms': latency.perChunkMs = number(flag, value()); break;
      case '--tokens-per-chunk': latency.tokensPerChunk = number(flag, value()); break;
      case '--oracle': oracleDir = value(); break;
      case '--max-lines': maxLines = number(flag, value()); break;
      case '--script': scriptFile = value(); break;
      case '--rpm': options.rateLimit = { requestsPerMinute: number(flag, value()) }; break;
      case '--default-completion': options.defaultCompletion = value(); break;
      case '--no-inferred': options.inferredBehaviour = false; break;
      case '-h':
      case '--help':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
      default:
        fail(`Unknown argument: ${flag}`);
    }
  }
  if (scriptFile) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(scriptFile, 'utf8'));
    } catch (error) {
      fail(`Cannot read --script ${scriptFile}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (Array.isArray(parsed)) options.script = parsed;
    else if (parsed && typeof parsed === 'object') Object.assign(options, parsed, { port: options.port, host: options.host });
    else fail(`--script ${scriptFile}: expected a JSON array or object`);
  }
  if (Object.keys(latency).length) options.latency = { ...options.latency, ...latency };
  if (served.length) options.servedModels = served;
  // A local server given a key requires it (vllm serve --api-key, llama-server --api-key).
  if (keys.length && options.dialect && options.dialect !== 'dashscope') options.requireKey = true;
  const envKey = process.env.DASHSCOPE_API_KEY?.trim();
  if (envKey) keys.push(envKey);
  if (keys.length) options.apiKeys = keys;
  if (oracleDir) {
    if (!fs.existsSync(oracleDir) || !fs.statSync(oracleDir).isDirectory()) fail(`--oracle ${oracleDir}: not a directory`);
    options.oracle = { files: readCorpus(path.resolve(oracleDir)), maxLines: maxLines ?? options.oracle?.maxLines };
  }
  return options;
}

function formatRecord(record: RequestRecord): string {
  const model = typeof record.body?.model === 'string' ? record.body.model : '-';
  const usage = record.usage;
  const tokens = usage
    ? `tokens=${usage.prompt_tokens}+${usage.completion_tokens} (cached ${usage.prompt_tokens_details?.cached_tokens ?? 0})`
    : `tokens=-`;
  const ms = (record.endedAt ?? Date.now()) - record.startedAt;
  const parts = [
    new Date(record.startedAt).toISOString(),
    record.method,
    record.path,
    `model=${model}`,
    `status=${record.status}${record.errorCode ? ` ${record.errorCode}` : ''}`,
    tokens,
    `${ms}ms`,
  ];
  if (record.stream) parts.push('stream');
  if (record.aborted) parts.push('ABORTED');
  parts.push(`auth=${record.authorization || '-'}`, `id=${record.id}`);
  return parts.join(' ');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const keys = options.apiKeys ?? ['sk-sim-test'];
  const simulator = await startSimulator({
    ...options,
    onSettled: (record) => process.stdout.write(`${formatRecord(record)}\n`),
  });
  const dialect = options.dialect ?? 'dashscope';
  const keyNote =
    dialect !== 'dashscope' && !options.requireKey ? 'no key needed' : `keys: ${keys.map((k) => redactKey(k)).join(', ')}`;
  process.stdout.write(`${dialect === 'dashscope' ? 'DashScope' : dialect} simulator listening on ${simulator.baseUrl} (${keyNote})\n`);
  if (options.oracle) process.stdout.write(`oracle: ${Object.keys(options.oracle.files).length} files\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping\n`);
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
