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
  const cache = new Map<string, unknown>();
  module.pathToRegexp = (path, options) => {
    const key = cacheKey(path, options);
    if (key === undefined) return original(path, options);
    let compiled = cache.get(key);
    if (compiled === undefined) {
      compiled = original(path, options);
      if (cache.size >= MAX_ENTRIES) cache.clear();
      cache.set(key, compiled);
    }
    return compiled;
  };
  module[MEMOIZED] = true;
}

/** Only string paths with options of plain values are cached (a `decode` function would not be). */
function cacheKey(path: unknown, options: Record<string, unknown> | undefined): string | undefined {
  if (typeof path !== 'string') return undefined;
  let key = path;
  for (const name in options) {
    const value = options[name];
    if (value === undefined) continue;
    if (typeof value !== 'boolean' && typeof value !== 'string') return undefined;
    key += `\0${name}=${String(value)}`;
  }
  return key;
}
