/**
 * The Arazzo workflows of openapi/arazzo/ pass `redocly respect` against the reference server (what
 * `npm run conformance:arazzo` runs).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOnReferenceServer, workflowFiles } from '../../src/conformance/arazzo/run.js';

interface RespectJson {
  files: Record<string, { executedWorkflows: { workflowId: string; status: string; executedSteps: { stepId: string; checks?: { name: string; passed: boolean; message?: string }[] }[] }[] }>;
}


describe('Arazzo workflows (redocly respect)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'arazzo-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('npm run conformance:arazzo: every workflow against a fresh reference server, which it leaves clean', async () => {
    const out = join(dir, 'respect.json');
    let leftovers = -1;
    const run = await runOnReferenceServer(['--json-output', out], false, async (server) => {
      // Every workflow deletes what it created.
      const reply = await fetch(`${server.apiRoot}/Account?select=id&where[0][type]=startsWith&where[0][attribute]=name&where[0][value]=conformance-arazzo-`, { headers: { 'X-Api-Key': server.apiKey } });
      leftovers = ((await reply.json()) as { total: number }).total;
    });
    const result = JSON.parse(readFileSync(out, 'utf8')) as RespectJson;
    expect(Object.keys(result.files).sort()).toEqual(workflowFiles());
    const failed = Object.values(result.files).flatMap((file) =>
      file.executedWorkflows.flatMap((w) => w.executedSteps.flatMap((s) => (s.checks ?? []).filter((c) => !c.passed).map((c) => ({ workflow: w.workflowId, step: s.stepId, check: c.name, message: c.message ?? '' })))),
    );
    // respect checks bodies with unevaluatedProperties: false, stricter than the contract: every attribute
    // the server returns must be in the schema.
    expect(failed, run.output.slice(-3000)).toEqual([]);
    const steps = Object.values(result.files).flatMap((f) => f.executedWorkflows.flatMap((w) => w.executedSteps));
    expect(steps.length).toBeGreaterThanOrEqual(35);
    expect(leftovers).toBe(0);
  }, 300_000);
});
