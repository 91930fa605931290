import type { Report } from '../report.js';

/** The report as JSON (the `Report` type is the schema). */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
