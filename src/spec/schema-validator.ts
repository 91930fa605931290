import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { loadBundle, type OpenApiDocument } from './bundle.js';

const SPEC_ID = 'https://espocrm-account-api.local/openapi.json';

export interface SchemaProblem {
  /** JSON pointer into the checked value. */
  pointer: string;
  message: string;
  keyword: string;
}

/**
 * Validates values against schemas of the bundle with the JSON Schema 2020-12 dialect of OpenAPI 3.1.
 * A schema (as it stands in an operation, with `$ref`s into the bundle) is compiled once.
 */
export class SpecSchemas {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(doc: OpenApiDocument = loadBundle()) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats.default(this.ajv);
    this.ajv.addSchema({ ...doc, $id: SPEC_ID } as object);
  }

  /** Validates against an inline schema object (one that may `$ref` into the bundle). */
  validateSchema(schema: object, value: unknown): SchemaProblem[] {
    const key = JSON.stringify(schema);
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv.compile(refsIntoSpec(key));
      this.compiled.set(key, fn);
    }
    return fn(value) ? [] : (fn.errors ?? []).map(toProblem);
  }
}

function toProblem(e: ErrorObject): SchemaProblem {
  return { pointer: e.instancePath || '/', message: e.message ?? e.keyword, keyword: e.keyword };
}

/** Rewrites `#/components/...` refs of an inline schema so they resolve inside the registered bundle. */
function refsIntoSpec(json: string): object {
  return JSON.parse(json.replace(/"\$ref":"#\//g, `"$ref":"${SPEC_ID}#/`)) as object;
}
