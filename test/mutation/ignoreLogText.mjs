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

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'log-text', {
    shouldIgnore(path) {
      if (path.isExpressionStatement() && path.node.expression.type === 'CallExpression' && isLogCall(path.node.expression.callee)) {
        return 'Log text: the wording of a log line, not behaviour';
      }
      return undefined;
    },
  }),
];
