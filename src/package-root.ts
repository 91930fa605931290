/**
 * Where the package's own files are (generated/openapi.yaml, docs/index.html, package.json), whether the
 * code runs as TypeScript from a clone (src/…) or as JavaScript from an installed package (dist/src/…):
 * the nearest directory above this module that holds a package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

export const PACKAGE_ROOT = findPackageRoot();

/** Absolute path of a file shipped with the package, e.g. packageFile('generated/openapi.yaml'). */
export function packageFile(relative: string): string {
  return join(PACKAGE_ROOT, relative);
}

/** The package's version (package.json). */
export const PACKAGE_VERSION: string = (() => {
  const manifest = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
})();
