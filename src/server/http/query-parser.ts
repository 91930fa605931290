import qs from 'qs';

/**
 * PHP `$_GET` semantics for EspoCRM's bracket syntax (`where[0][value][1][type]=…`). qs's defaults
 * (depth 5, arrayLimit 20) cut deeper groups and longer lists into string keys; use PHP's own limits
 * (`max_input_nesting_level` 64, `max_input_vars` 1000) instead, with room for long `in` lists.
 */
const OPTIONS: qs.IParseOptions = {
  depth: 64,
  arrayLimit: 1000,
  parameterLimit: 5000,
  allowPrototypes: false,
};

export function parseQuery(query: string): Record<string, unknown> {
  return qs.parse(query, OPTIONS);
}
