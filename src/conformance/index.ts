/**
 * The conformance kit as a library: `runConformance(options)` checks a server against the contract and
 * returns a `Report`; the reporters render it. The `espo-conformance` executable is a thin wrapper.
 */
export { runConformance, GROUPS, type ConformanceOptions } from './runner.js';
export { catalog, type CatalogGroup } from './catalog.js';
export type { CheckResult, Counts, Finding, FuzzSummary, GroupName, GroupResult, Outcome, Report } from './report.js';
export { GROUP_NAMES } from './report.js';
export { DEVIATION_RULES, ALL_DEVIATION_RULES, type DeviationRule, type DeviationRuleId } from './deviations.js';
export { renderText } from './reporters/text.js';
export { renderJson } from './reporters/json.js';
export { renderJunit } from './reporters/junit.js';
