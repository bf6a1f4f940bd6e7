// Names every model knows from the language's runtime and standard library: when a project also
// declares one (`toString`, a logger's `error`, a stream's `read`), a line using it most likely
// means the runtime's (`items.map(…)`, `sock.send(…)`, `console.error(…)`), so it is no evidence
// that the line needs another file of the project. One table per language; a name here is never a
// need (points.ts), whatever the project declares.

function words(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter((w) => w !== ''));
}

/**
 * TS/JS: Object and Function members, promises and iterators, Array/String/Map/Set methods, JSON,
 * console, Node's EventEmitter and streams, timers, and the global constructors and types (fetch's
 * `Response` too, which openai's sources also declare as an interface of their own).
 */
const JS = words(`
  toString valueOf toJSON toLocaleString hasOwnProperty isPrototypeOf constructor prototype length name message stack cause
  call apply bind
  then catch finally resolve reject all allSettled race any
  next return throw done value
  map filter reduce reduceRight forEach find findIndex findLast findLastIndex some every includes indexOf lastIndexOf push pop
  shift unshift slice splice concat join reverse sort fill flat flatMap from isArray entries keys values at
  get set has delete add clear size
  split replace replaceAll trim trimStart trimEnd startsWith endsWith padStart padEnd toLowerCase toUpperCase charAt charCodeAt
  codePointAt substring substr match matchAll search test exec localeCompare repeat normalize
  assign create freeze seal defineProperty defineProperties getPrototypeOf setPrototypeOf getOwnPropertyNames
  getOwnPropertyDescriptor fromEntries parse stringify
  log info warn error debug trace dir time timeEnd table assert
  emit on once off addListener removeListener removeAllListeners listeners listenerCount prependListener
  write read end close open destroy pipe unpipe pause resume send format inspect inherits
  setTimeout clearTimeout setInterval clearInterval setImmediate clearImmediate nextTick queueMicrotask
  addEventListener removeEventListener dispatchEvent abort
  require exports module process console globalThis JSON Math Reflect Proxy Object Array Promise Symbol Date Number String
  Boolean Map Set WeakMap WeakSet RegExp Error TypeError RangeError SyntaxError Buffer BigInt iterator asyncIterator
  fetch Request Response Headers RequestInit URL URLSearchParams FormData Blob File ReadableStream WritableStream
  AbortController AbortSignal TextEncoder TextDecoder Event EventTarget
  stdout stderr stdin argv env cwd exit platform
`);

/**
 * Python: the builtins, then methods of str, bytes, list, dict and set, files and sockets,
 * logging's logger, threads, locks and futures, and re's match objects.
 */
const PYTHON = words(`
  abs all any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex delattr dict dir divmod
  enumerate eval exec filter float format frozenset getattr globals hasattr hash help hex id input int isinstance
  issubclass iter len list locals map max memoryview min next object oct open ord pow print property range repr reversed
  round set setattr slice sorted staticmethod str sum super tuple type vars zip
  capitalize casefold center count encode decode endswith expandtabs find format_map index isalnum isalpha isascii isdigit
  isidentifier islower isnumeric isspace istitle isupper join ljust lower lstrip partition removeprefix removesuffix
  replace rfind rindex rjust rpartition rsplit rstrip split splitlines startswith strip swapcase title translate upper zfill
  append extend insert remove pop clear copy reverse sort
  keys values items get setdefault update popitem fromkeys
  add discard union intersection difference symmetric_difference issubset issuperset isdisjoint
  read readline readlines readinto write writelines close flush seek tell fileno readable writable seekable truncate isatty
  send sendall sendto recv recv_into recvfrom connect bind listen accept settimeout gettimeout setblocking shutdown makefile
  debug info warning warn error exception critical log
  start run wait acquire release locked notify notify_all is_set cancel cancelled result done add_done_callback
  match search sub subn findall finditer fullmatch group groups groupdict span
  stdout stderr stdin argv environ
`);

const GO = words(`
  append cap close complex copy delete imag len make new panic print println real recover
  Error String Write Read Close Len Less Swap
`);

/** The table for a language. */
export function builtinNames(languageId: string): ReadonlySet<string> {
  if (languageId === 'python') return PYTHON;
  if (languageId === 'go') return GO;
  return JS;
}
