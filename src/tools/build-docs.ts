/**
 * API reference docs: one self-contained HTML file that renders offline.
 *
 *   tsx src/tools/build-docs.ts            (npm run docs)    writes docs/index.html
 *   tsx src/tools/build-docs.ts --check    (npm run check:docs) fails when docs/index.html is stale
 *
 * Runs `redocly build-docs generated/openapi.yaml --inlineBundle --title "EspoCRM Account API" -o <out>`.
 * --inlineBundle embeds Redoc's scripts; without it the page loads Redoc from Redocly's CDN and shows only
 * its title block offline. The output is deterministic (checked: two builds are byte-identical, no
 * timestamps), so --check rebuilds into a temporary file and compares bytes.
 *
 * The page's only remaining external URL is Redocly's "API docs by" logo
 * (https://cdn.redoc.ly/redoc/logo-mini-full.svg); offline it fails to load and the page hides it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cleanOutput, isMain, PROJECT_ROOT, runBin } from './run.js';

export const DOCS_OUTPUT = 'docs/index.html';
export const DOCS_TITLE = 'EspoCRM Account API';

export async function buildDocs(output = DOCS_OUTPUT): Promise<{ ok: boolean; message: string; ms: number }> {
  const r = await runBin(
    '@redocly/cli',
    'redocly',
    ['build-docs', 'generated/openapi.yaml', '--inlineBundle', '--title', DOCS_TITLE, '-o', resolve(PROJECT_ROOT, output)],
    { timeoutMs: 120_000 },
  );
  return { ok: r.code === 0, message: cleanOutput(`${r.stdout}\n${r.stderr}`), ms: r.ms };
}

/** Rebuilds into a temporary file and compares it byte for byte with docs/index.html. */
export async function checkDocsFresh(): Promise<{ ok: boolean; message: string }> {
  const committed = join(PROJECT_ROOT, DOCS_OUTPUT);
  if (!existsSync(committed)) return { ok: false, message: `${DOCS_OUTPUT} does not exist (run npm run docs)` };
  const work = mkdtempSync(join(tmpdir(), 'espo-docs-'));
  try {
    const fresh = join(work, 'index.html');
    const built = await buildDocs(fresh);
    if (!built.ok) return { ok: false, message: `redocly build-docs failed:\n${built.message}` };
    const same = readFileSync(committed).equals(readFileSync(fresh));
    return {
      ok: same,
      message: same
        ? `${DOCS_OUTPUT} is up to date`
        : `STALE: ${DOCS_OUTPUT} differs from a fresh build of generated/openapi.yaml (run npm run docs).`,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const { ok, message } = await checkDocsFresh();
    (ok ? console.log : console.error)(message);
    process.exit(ok ? 0 : 1);
  }
  const { ok, message } = await buildDocs();
  (ok ? console.log : console.error)(message);
  process.exit(ok ? 0 : 1);
}
