/**
 * `npm run conformance:fuzz`: a longer fuzz campaign than the tests run. Starts the reference server
 * (fresh in-memory SQLite, 50 demo accounts, or `--database-url`) unless `--base-url` is given, runs only the
 * fuzz properties with `--runs` cases each (default 200) and a random seed (or `--seed`), with `--strict`,
 * and prints the text report with the shrunk failures as curl commands.
 *
 *   npm run conformance:fuzz
 *   npm run conformance:fuzz -- --runs 1000 --seed 42
 *   npm run conformance:fuzz -- --base-url https://crm.example.com/api/v1 --api-key KEY [--no-strict]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startReferenceServer } from '../reference-server.js';
import { progressPrinter, renderText } from '../reporters/text.js';
import { runConformance } from '../runner.js';
import { runAsScript } from '../script.js';

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' },
      seed: { type: 'string' },
      'base-url': { type: 'string' },
      'api-key': { type: 'string' },
      'database-url': { type: 'string' },
      'no-strict': { type: 'boolean' },
      'time-limit': { type: 'string' },
    },
  });
  const runs = Number(values.runs ?? process.env['FUZZ_RUNS'] ?? 200);
  const seed = Number(values.seed ?? process.env['FUZZ_SEED'] ?? randomBytes(4).readUInt32BE() >>> 1);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
    process.stderr.write('conformance:fuzz: --runs and --seed must be integers\n');
    return 2;
  }
  const local = values['base-url'] ? undefined : await startReferenceServer({ ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}), demoAccounts: 50 });
  const baseUrl = values['base-url'] ?? local!.apiRoot;
  const apiKey = values['api-key'] ?? process.env['ESPO_API_KEY'] ?? local?.apiKey;
  if (!apiKey) {
    process.stderr.write('conformance:fuzz: --base-url needs --api-key (or ESPO_API_KEY)\n');
    return 2;
  }
  process.stdout.write(`fuzz campaign: ${runs} runs per property, seed ${seed}, against ${baseUrl}${local ? ' (reference server, fresh database)' : ''}\n`);
  try {
    const report = await runConformance({
      baseUrl,
      auth: { apiKey },
      checks: ['fuzz.'],
      fuzz: runs,
      fuzzSeed: seed,
      fuzzTimeLimitMs: Number(values['time-limit'] ?? 300) * 1000,
      strict: !values['no-strict'],
      onProgress: progressPrinter((line) => process.stdout.write(line), process.stdout.isTTY),
    });
    process.stdout.write(renderText(report, { color: process.stdout.isTTY }));
    return report.ok ? 0 : 1;
  } finally {
    await local?.stop();
  }
}

runAsScript(import.meta.url, main);
