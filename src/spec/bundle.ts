import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { packageFile } from '../package-root.js';

/** The self-contained bundle the server, docs, tests and conformance kit all work from. */
export const BUNDLE_PATH = packageFile('generated/openapi.yaml');

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';
export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'patch'];

// The bundle is plain JSON-compatible data; these types cover what this project reads from it.
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  paths: Record<string, PathItem>;
  components: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}
export type PathItem = Partial<Record<HttpMethod, Operation>> & { parameters?: Parameter[] };
export interface Operation {
  operationId: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  [key: string]: unknown;
}
export interface Parameter {
  name?: string;
  in?: string;
  required?: boolean;
  $ref?: string;
  [key: string]: unknown;
}

/** The OpenAPI 3.0.3 companion derived from the bundle (src/tools/down-convert.ts). */
export const BUNDLE_30_PATH = packageFile('generated/openapi-3.0.yaml');

let cached: OpenApiDocument | undefined;
let cached30: OpenApiDocument | undefined;

/** The 3.0 companion, for tools that read only OpenAPI 3.0. */
export function loadBundle30(): OpenApiDocument {
  cached30 ??= parse(readFileSync(BUNDLE_30_PATH, 'utf8')) as OpenApiDocument;
  return cached30;
}

export function loadBundle(path = BUNDLE_PATH): OpenApiDocument {
  if (path !== BUNDLE_PATH) return parse(readFileSync(path, 'utf8')) as OpenApiDocument;
  cached ??= parse(readFileSync(path, 'utf8')) as OpenApiDocument;
  return cached;
}

export interface OperationEntry {
  operationId: string;
  method: HttpMethod;
  path: string;
  operation: Operation;
  pathItem: PathItem;
}

/** Every operation of the document, in document order. */
export function listOperations(doc: OpenApiDocument = loadBundle()): OperationEntry[] {
  const entries: OperationEntry[] = [];
  for (const [path, pathItem] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (operation) entries.push({ operationId: operation.operationId, method, path, operation, pathItem });
    }
  }
  return entries;
}

/** Follows a local `#/components/...` reference (the bundle has no other kind). */
export function resolveRef<T = unknown>(doc: OpenApiDocument, node: unknown): T {
  let current = node as { $ref?: string } | undefined;
  while (current && typeof current.$ref === 'string') {
    const path = current.$ref.replace(/^#\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    current = path.reduce<unknown>((n, key) => (n as Record<string, unknown>)?.[key], doc) as { $ref?: string };
  }
  return current as T;
}
