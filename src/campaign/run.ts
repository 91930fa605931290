/**
 * `npm run campaign`: a hostile-input and concurrency campaign against the reference server on SQLite and,
 * when TEST_DATABASE_URL is set, PostgreSQL. Per engine it starts several server processes on one fresh
 * database (a concurrent start-up), runs the concurrency scenarios (20 writers by default) and sends the
 * known hostile requests plus random ones until the request or time budget is spent. Prints the figures;
 * exits 1 when a 5xx was answered or an invariant broke.
 *
 *   npm run campaign
 *   npm run campaign -- --requests 5000 --seconds 300 --writers 50 --instances 3 --seed 7
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { runConcurrency, type ScenarioResult } from './concurrency.js';
import { knownHostileRequests, randomHostileRequests, runHostile } from './hostile.js';
import { Tally, send } from './http.js';
import { startInstances, type CampaignEngine } from './instances.js';
import { runAsScript } from '../conformance/script.js';

export interface CampaignOptions {
  engine: CampaignEngine;
  postgresUrl?: string;
  instances: number;
  writers: number;
  /** Random hostile requests at most (the known ones are always sent). */
  requests: number;
  /** Stop sending random requests after this many seconds. */
  seconds: number;
  seed: number;
}

export interface CampaignReport {
  engine: CampaignEngine;
  startedInstances: number;
  tally: Tally;
  scenarios: ScenarioResult[];
  hostileFailures: { request: string; status: number; reason: string | null }[];
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const instances = await startInstances({ engine: options.engine, count: options.instances, ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}) });
  const tally = new Tally();
  try {
    const scenarios = await runConcurrency(instances, options.writers, tally);
    const account = await send(instances.baseUrls[0]!, instances.apiKey, { method: 'POST', path: '/Account', body: { name: `campaign-${randomBytes(4).toString('hex')} target` } }, tally);
    const accountId = String((account.body as { id?: unknown }).id);
    const failures = (await runHostile(instances, knownHostileRequests(accountId), tally)).failures;
    const deadline = Date.now() + options.seconds * 1000;
    const batch = 200;
    for (let done = 0, round = 0; done < options.requests && Date.now() < deadline; done += batch, round++) {
      const requests = randomHostileRequests(Math.min(batch, options.requests - done), options.seed + round);
      failures.push(...(await runHostile(instances, requests, tally)).failures);
    }
    return { engine: options.engine, startedInstances: instances.baseUrls.length, tally, scenarios, hostileFailures: failures };
  } finally {
    await instances.close();
  }
}

export function campaignFailed(report: CampaignReport): boolean {
  return report.tally.serverErrors.length > 0 || report.hostileFailures.length > 0 || report.scenarios.some((scenario) => scenario.violations.length > 0);
}

export function renderReport(report: CampaignReport): string {
  const lines = [
    `== ${report.engine}: ${report.startedInstances} server processes started together on an empty database`,
    `requests sent: ${report.tally.sent}`,
    `by class:      ${Object.entries(report.tally.byClass).sort().map(([klass, n]) => `${klass} ${n}`).join(', ')}`,
    `by status:     ${Object.entries(report.tally.byStatus).sort().map(([status, n]) => `${status} ${n}`).join(', ')}`,
    `5xx:           ${report.tally.serverErrors.length}`,
    'concurrency:',
    ...report.scenarios.map((scenario) => `  ${scenario.scenario.padEnd(36)} ${JSON.stringify(scenario.statuses).padEnd(24)} ${scenario.violations.length === 0 ? 'ok' : `BROKEN: ${scenario.violations.join('; ')}`}`),
  ];
  for (const failure of report.hostileFailures.slice(0, 20)) lines.push(`  failed: ${failure.status} ${failure.reason ?? '(no reason)'} ← ${failure.request}`);
  return `${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      requests: { type: 'string', default: '2000' },
      seconds: { type: 'string', default: '120' },
      writers: { type: 'string', default: '20' },
      instances: { type: 'string', default: '2' },
      seed: { type: 'string' },
    },
  });
  const number = (name: string, value: string | undefined, min: number) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return parsed;
  };
  const seed = values.seed === undefined ? randomBytes(4).readUInt32BE() >>> 1 : number('seed', values.seed, 0);
  const postgresUrl = process.env['TEST_DATABASE_URL'];
  const engines: CampaignEngine[] = postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];
  if (!postgresUrl) process.stdout.write('PostgreSQL skipped: TEST_DATABASE_URL not set\n');
  process.stdout.write(`seed ${seed}\n`);
  let failed = false;
  for (const engine of engines) {
    const report = await runCampaign({
      engine,
      ...(postgresUrl ? { postgresUrl } : {}),
      instances: number('instances', values.instances, 1),
      writers: number('writers', values.writers, 2),
      requests: number('requests', values.requests, 0),
      seconds: number('seconds', values.seconds, 1),
      seed,
    });
    process.stdout.write(renderReport(report));
    failed ||= campaignFailed(report);
  }
  return failed ? 1 : 0;
}

runAsScript(import.meta.url, main);
