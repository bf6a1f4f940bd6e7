import * as assert from 'node:assert/strict';
import type { Suggestion } from '../../src/core/ghostText';
import { suggestionSpot, shapeGhostText, type SuggestionSpot } from '../../src/core/ghostText';
import { cleanModelOutput } from '../../src/core/cleanup/modelNoise';
import { extractPrefix, extractSuffix } from '../../src/core/prompt';
import { STREAM_SPLITS } from '../helpers/qwenTokens';
import { requestFor } from './helpers/harness';

function contextAt(marked: string, languageId: string): SuggestionSpot {
  const request = requestFor(marked, { languageId });
  const context = suggestionSpot(request, extractPrefix(request.lines, request.position, 6000).text, extractSuffix(request.lines, request.position, 2000), 12);
  assert.ok(!('skip' in context), 'a suggestion fits at the cursor');
  return context;
}

/** What the engine shows for `raw` streamed in `pieces`: it stops reading once the text has ended, then shapes what it read. */
function streamed(context: SuggestionSpot, pieces: readonly string[]): Suggestion | undefined {
  let text = '';
  for (const piece of pieces) {
    text += piece;
    if (shapeGhostText(text, context, false).ended) break;
  }
  return shapeGhostText(text, context, true).suggestion;
}

/** Streams `raw` at every split (chunks of 1 … 17, whole, Qwen3 tokens) and expects the same insert text each time. */
function assertEverySplit(raw: string, context: SuggestionSpot, expected: string | undefined): void {
  for (const split of STREAM_SPLITS) assert.equal(streamed(context, split.pieces(raw))?.insertText, expected, split.name);
}

/** Every prefix of `raw`, as the stream delivers it one character at a time. */
function prefixes(raw: string): string[] {
  return Array.from(raw, (_, i) => raw.slice(0, i + 1));
}

describe('model noise', () => {
  const stripModelNoise = (raw: string) => cleanModelOutput(raw).text;

  it('strips an opening fence with a language and ends at the closing fence', () => {
    assert.equal(stripModelNoise('```python\nx = 1\ny = 2\n```\nexplanation'), 'x = 1\ny = 2');
    assert.equal(stripModelNoise('x = 1\n```'), 'x = 1');
  });

  it('strips closed and unclosed <think> blocks', () => {
    assert.equal(stripModelNoise('<think>a\nb</think>\nvalue'), 'value');
    assert.equal(stripModelNoise('<think>still thinking'), '');
  });

});

describe('model noise on the stream: fences', () => {
  const readme = '# netwatch\n\nPings hosts.\n\n█';
  const wrapped = '```markdown\n## Building\n\n```bash\nmake\n```\n\n## Usage\n\n```text\nnetwatch hosts.txt\n```\n```\nThat is all.';

  it('a bare ``` line closes a fence only once its line is complete: ```bash may still come', () => {
    // Qwen3 sends "```" and "bash" as two tokens: "\n```" alone is not yet a closing fence.
    const open = cleanModelOutput('```markdown\n## Building\n\n```', true);
    assert.equal(open.fenceClosed, false);
    assert.equal(open.text, '## Building\n', 'the fence line is held back');
    const closed = cleanModelOutput('```markdown\n## Building\n\n```\n', true);
    assert.deepEqual([closed.fenceClosed, closed.text], [true, '## Building\n']);
    assert.equal(cleanModelOutput('```python\nx = 1\n```  ').fenceClosed, false, 'spaces after the fence: its line goes on');
    assert.equal(cleanModelOutput('```python\nx = 1\n```b').fenceClosed, false, 'a language opens a block');
  });

  it('a Markdown answer holding code blocks keeps them whole at every split', () => {
    const expected = '## Building\n\n```bash\nmake\n```\n\n## Usage\n\n```text\nnetwatch hosts.txt\n```';
    assertEverySplit(wrapped, contextAt(readme, 'markdown'), expected);
  });

  it('never decides a closing fence that a later character undoes', () => {
    const answers: Array<[string, boolean]> = [
      [wrapped, true],
      ['```python\ndef f():\n    return 1\n```\nprose', false],
      ['```\nx = 1\n```', false],
      ['```ts\nconst s = `\n```\n`;\n```', false],
    ];
    for (const [raw, markdown] of answers) {
      const final = cleanModelOutput(raw, markdown);
      for (const prefix of prefixes(raw)) {
        const cleaned = cleanModelOutput(prefix, markdown);
        if (cleaned.fenceClosed) assert.equal(cleaned.text, final.text, JSON.stringify(prefix));
      }
    }
  });

  it('a fenced answer whose closing fence is the last thing streamed', () => {
    assertEverySplit('```python\nreturn a + b\n```', contextAt('def add(a, b):\n    █', 'python'), 'return a + b');
  });
});

describe('model noise: fence lines', () => {
  it('an opening fence with spaces after its language still wraps the answer', () => {
    assert.equal(cleanModelOutput('```python  \nx = 1\n```').text, 'x = 1');
    assert.equal(cleanModelOutput('```markdown \n## Usage\n```\n', true).text, '## Usage');
  });

  it('a ```markdown wrapper drops its own line only', () => {
    assert.equal(cleanModelOutput('```markdown\nUsage\n-----\n\nRun it.\n```\n', true).text, 'Usage\n-----\n\nRun it.');
  });

  it('in Markdown, a ```md fence after the first line is content, not a wrapper', () => {
    const answer = 'See:\n```md\n# Title\n```\n';
    assert.deepEqual(cleanModelOutput(answer, true), { text: answer, fenceClosed: false, restarted: false, undecided: false });
  });

  it('a bare fence with spaces after it closes the answer once its line ends', () => {
    const cleaned = cleanModelOutput('```python\nx = 1\n```  \nExplanation.');
    assert.deepEqual([cleaned.text, cleaned.fenceClosed], ['x = 1', true]);
  });

  it('an answer in CRLF line endings is unwrapped like one in LF, at every split', () => {
    assertEverySplit('```python\r\n    return a + b\r\n```\r\nDone.', contextAt('def add(a, b):\n    █', 'python'), 'return a + b');
  });
});

describe('model noise: think blocks', () => {
  it("drop Qwen3's `</think>` and the blank line after it, and keep a line break the answer starts with", () => {
    assert.equal(cleanModelOutput('<think>\nA body.\n</think>\n\n\n    return true;\n').text, '\n    return true;\n');
    assert.equal(cleanModelOutput('<think>\nA body.\n</think>\n\nreturn true;').text, 'return true;');
    assert.equal(cleanModelOutput('<think>\nA body.\n</think>  \nreturn true;').text, 'return true;');
    assert.equal(cleanModelOutput('<think>a</think>40 + 2').text, '40 + 2');
  });

  it('a body that starts on a new line after the think block keeps that line break at every split', () => {
    const raw = '<think>\nCheck the count.\n</think>\n\n\n    return count > 0;\n}\n';
    assertEverySplit(raw, contextAt('function ok(count: number): boolean {█}', 'typescript'), '\n    return count > 0;\n');
  });
});

describe('model noise on the stream: holding back what may still become a fence or a think tag', () => {
  it('the start of an opening fence or of a <think> tag is undecided', () => {
    for (const start of ['`', '``', '```', '```py', '```c++ ', '\n```', '<', '<t', '<th', '<thi', '<thin', '<think'])
      assert.equal(cleanModelOutput(start).undecided, true, JSON.stringify(start));
    for (const decided of ['x', '`x` +', '```py\n', '\n\n```', '<div', '<think>', 'a<th', ' ```'])
      assert.equal(cleanModelOutput(decided).undecided, false, JSON.stringify(decided));
  });

  it('what is shown of an answer that opens with a fence or a think tag only ever grows into the answer', () => {
    for (const raw of ['```python\nx = 1\ny = 2\n', '```c++ \nint x;\n', '<think>\nAdd them.\n</think>\n\nx = 1\n']) {
      const final = cleanModelOutput(raw).text;
      for (const prefix of prefixes(raw)) {
        const cleaned = cleanModelOutput(prefix);
        if (!cleaned.undecided) assert.ok(final.startsWith(cleaned.text), `${JSON.stringify(prefix)} shows ${JSON.stringify(cleaned.text)}`);
      }
    }
  });

  it('a fenced answer on a blank line is the same at every split', () => {
    assertEverySplit('```go\n    fmt.Println("hi")\n    return nil\n```\n', contextAt('func main() {\n    █\n}', 'go'), 'fmt.Println("hi")\n    return nil');
  });

  it('a think block before the answer is the same at every split', () => {
    assertEverySplit('<think>\nAdd them.\n</think>\n\na + b', contextAt('def add(a, b):\n    return █', 'python'), 'a + b');
    assertEverySplit('<think>\nNothing to add.\n</think>\n\n', contextAt('x = 1\n█', 'python'), undefined);
  });
});
