/**
 * Post-processing of the model's text, by concern: model noise (think blocks, fences) in
 * cleanup/modelNoise, echo and loops in cleanup/repetition, auto-closed characters in
 * cleanup/autoClosed, indentation and trailing whitespace in indentation. This module names what the
 * engine and Continue This Block use.
 */
export { isSuggestionSpot } from './cleanup/autoClosed';
export { cleanModelOutput } from './cleanup/modelNoise';
export { finishLines, matchIndentation, rebaseFirstLine } from './indentation';
