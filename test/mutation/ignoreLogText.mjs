// A Stryker ignorer: mutants inside a log call (`logger.debug(...)`, `this.deps.logger.trace(...)`)
// change only the wording of a log line, never what is suggested, sent or shown in the editor.
// Used by stryker.config.json ("ignorers": ["log-text"]); listed in test/mutation-equivalents.md.
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

const LOG_LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error']);

/** Whether `node` is `<...>logger.<level>` or `<...>log.<level>`. */
function isLogCall(callee) {
  if (callee?.type !== 'MemberExpression' || callee.property?.type !== 'Identifier' || !LOG_LEVELS.has(callee.property.name)) return false;
  const target = callee.object;
  const name = target?.type === 'Identifier' ? target.name : target?.type === 'MemberExpression' && target.property?.type === 'Identifier' ? target.property.name : '';
  return name === 'logger' || name === 'log';
}

/** Whether a statement only logs: one log call, or a block of them. */
function onlyLogs(statement) {
  if (statement?.type === 'ExpressionStatement') return statement.expression.type === 'CallExpression' && isLogCall(statement.expression.callee);
  return statement?.type === 'BlockStatement' && statement.body.length > 0 && statement.body.every(onlyLogs);
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'log-text', {
    shouldIgnore(path) {
      if (path.isExpressionStatement() && path.node.expression.type === 'CallExpression' && isLogCall(path.node.expression.callee)) {
        return 'Log text: the wording of a log line, not behaviour';
      }
      // `if (typed !== '') logger.trace(...)`: the condition decides only whether a line is logged.
      if (path.isIfStatement() && !path.node.alternate && onlyLogs(path.node.consequent)) {
        return 'Log condition: whether a line is logged, not behaviour';
      }
      return undefined;
    },
  }),
];
