/**
 * API reference docs: one self-contained HTML file that renders offline.
 *
 *   tsx src/tools/build-docs.ts            (npm run docs)    writes docs/index.html
 *   tsx src/tools/build-docs.ts --check    (npm run check:docs) fails when docs/index.html is stale
 *
 * 1. generated/openapi.yaml plus the code samples (`x-codeSamples`, from the one table in code-samples.ts)
 *    goes to a temporary file; the contract itself stays without them. redocly.yaml's
 *    `openapi.codeSamples.languages` lists the four languages (Redoc hides samples in unlisted ones).
 * 2. `redocly build-docs <that file> --inlineBundle --title "EspoCRM Account API" -o <out>`. --inlineBundle
 *    embeds Redoc's scripts; without it the page loads Redoc from Redocly's CDN and shows only its title
 *    block offline.
 * 3. The "API docs by Redocly" logo, which Redoc always loads from https://cdn.redoc.ly (no option turns it
 *    off), is replaced by an inline SVG, so the page makes no network request at all.
 *
 * The output is deterministic (two builds are byte-identical, no timestamps), so --check rebuilds into a
 * temporary file and compares bytes: it covers the samples too.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import type { OpenApiDocument } from '../spec/bundle.js';
import { withCodeSamples } from './code-samples.js';
import { cleanOutput, isMain, PROJECT_ROOT, runBin } from './run.js';

export const DOCS_OUTPUT = 'docs/index.html';
export const DOCS_TITLE = 'EspoCRM Account API';

/** Redocly's logo URLs in the page's script, and the local image that replaces them. */
const REMOTE_LOGO = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g;
const LOCAL_LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="16"><text x="0" y="12" font-family="sans-serif" font-size="12" fill="#666">Redocly</text></svg>',
)}`;

/** The page without requests to other hosts: the logo inlined; anything else remote is an error. */
export function localiseDocsPage(html: string): string {
  const local = html.replace(REMOTE_LOGO, LOCAL_LOGO);
  const remote = /(?:src|href)\s*[:=]\s*[`'"](https?:\/\/cdn\.[^`'"]+)/.exec(local);
  if (remote) throw new Error(`docs page still loads ${remote[1]}`);
  return local;
}

export async function buildDocs(output = DOCS_OUTPUT): Promise<{ ok: boolean; message: string; ms: number }> {
  const work = mkdtempSync(join(tmpdir(), 'espo-docs-src-'));
  try {
    const bundle = parse(readFileSync(join(PROJECT_ROOT, 'generated/openapi.yaml'), 'utf8')) as OpenApiDocument;
    const source = join(work, 'openapi.yaml');
    writeFileSync(source, stringify(withCodeSamples(bundle), { lineWidth: 0 }));
    const target = resolve(PROJECT_ROOT, output);
    const r = await runBin('@redocly/cli', 'redocly', ['build-docs', source, '--inlineBundle', '--title', DOCS_TITLE, '-o', target], {
      timeoutMs: 120_000,
    });
    if (r.code !== 0) return { ok: false, message: cleanOutput(`${r.stdout}\n${r.stderr}`), ms: r.ms };
    writeFileSync(target, localiseDocsPage(readFileSync(target, 'utf8')));
    return { ok: true, message: cleanOutput(`${r.stdout}\n${r.stderr}`), ms: r.ms };
  } catch (error) {
    return { ok: false, message: (error as Error).message, ms: 0 };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
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
