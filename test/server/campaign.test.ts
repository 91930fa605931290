import { describe, expect, it } from 'vitest';
import { renderReport, runCampaign } from '../../src/campaign/run.js';
import { engines, postgresUrl } from '../support/database.js';

/**
 * A short `npm run campaign` per engine (issue 14 items 1, 2 and 6): two server processes started together
 * on one empty database, 20 concurrent writers per scenario, the known hostile requests and 150 random
 * ones. No 5xx, and every concurrency invariant holds: one 200 and 19 × 409 `modified` for one version,
 * versionNumber counting every save, one record per name or email address, one owner per opportunity.
 */
describe.each(engines)('campaign [%s]', (engine) => {
  it('no 5xx, every concurrency invariant holds', async () => {
    const report = await runCampaign({ engine, ...(postgresUrl ? { postgresUrl } : {}), instances: 2, writers: 20, requests: 150, seconds: 120, seed: 14 });
    const text = renderReport(report);
    expect(report.startedInstances, text).toBe(2);
    expect(report.tally.serverErrors, text).toEqual([]);
    for (const scenario of report.scenarios) expect(scenario.violations, `${scenario.scenario}\n${text}`).toEqual([]);
    const versioned = report.scenarios.find((scenario) => scenario.scenario.includes('same X-Version-Number'));
    expect(versioned?.statuses).toEqual({ 200: 1, 409: 19 });
    expect(report.scenarios.find((scenario) => scenario.scenario.includes('same name'))?.statuses).toEqual({ 200: 1, 409: 19 });
  }, 600_000);
});
if (!postgresUrl) it.skip('campaign [postgres] (PostgreSQL: TEST_DATABASE_URL not set)', () => {});
