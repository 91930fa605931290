/**
 * express-openapi-validator (5.x) finds the operation of every request by compiling each path of the
 * contract to a regular expression with path-to-regexp, anew on every request: with this contract's
 * routes that was the largest single cost of a request outside the database. The patterns never change, so
 * the compiled expressions are kept: `pathToRegexp` of the copy of path-to-regexp the validator loads is
 * replaced by a memoizing wrapper (same arguments, same result object; callers only read it).
 */
import { createRequire } from 'node:module';

type PathToRegexp = (path: unknown, options?: Record<string, unknown>) => unknown;
interface PathToRegexpModule {
  pathToRegexp: PathToRegexp;
}

const MEMOIZED = Symbol.for('espo-ref.memoized-path-to-regexp');
const MAX_ENTRIES = 10_000;

export function memoizeValidatorRoutePatterns(): void {
  const require = createRequire(import.meta.url);
  const fromValidator = createRequire(require.resolve('express-openapi-validator'));
  const module = fromValidator('path-to-regexp') as PathToRegexpModule & { [MEMOIZED]?: true };
  if (module[MEMOIZED] || typeof module.pathToRegexp !== 'function') return;
  const original = module.pathToRegexp;
  // path → compiled per option set (see optionBits); the validator asks for every route on every request.
  const cache = new Map<string, unknown[]>();
  let size = 0;
  module.pathToRegexp = (path, options) => {
    const bits = typeof path === 'string' ? optionBits(options) : -1;
    if (bits < 0) return original(path, options);
    let byOptions = cache.get(path as string);
    if (byOptions === undefined) {
      if (size >= MAX_ENTRIES) {
        cache.clear();
        size = 0;
      }
      cache.set(path as string, (byOptions = []));
    }
    let compiled = byOptions[bits];
    if (compiled === undefined) {
      compiled = byOptions[bits] = original(path, options);
      size++;
    }
    return compiled;
  };
  module[MEMOIZED] = true;
}

/** The boolean options path-to-regexp reads, each as "absent", "true" or "false". */
const BOOLEAN_OPTIONS = ['sensitive', 'strict', 'end', 'start', 'trailing'];

/**
 * A number for a set of boolean options (two bits per option: set true, set false), or -1 when the options
 * hold anything else (a `decode` function, a delimiter string), which is then compiled uncached.
 */
function optionBits(options: Record<string, unknown> | undefined): number {
  let bits = 0;
  for (const name in options) {
    const value = options[name];
    if (value === undefined) continue;
    const index = BOOLEAN_OPTIONS.indexOf(name);
    if (index < 0 || typeof value !== 'boolean') return -1;
    bits |= 1 << (2 * index + (value ? 0 : 1));
  }
  return bits;
}
