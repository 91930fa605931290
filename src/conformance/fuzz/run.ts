import type { GroupRunner } from '../context.js';
import type { FuzzSummary } from '../report.js';

export interface FuzzOptions {
  runs: number;
  seed: number;
  timeLimitMs: number;
}

export async function runFuzz(_g: GroupRunner, options: FuzzOptions): Promise<FuzzSummary> {
  return { runsPerProperty: options.runs, seed: options.seed, properties: [], failures: [] };
}
