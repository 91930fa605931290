/**
 * What the contract (`generated/openapi.yaml`) says about each operation's responses, and the check every
 * response goes through: documented status, `Content-Type`, required headers, body against the schema
 * (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses it).
 */
import { listOperations, loadBundle, resolveRef, type HttpMethod, type OpenApiDocument } from '../spec/bundle.js';
import { SpecSchemas } from '../spec/schema-validator.js';
import type { Exchange } from './http.js';

export interface HeaderSpec {
  name: string;
  required: boolean;
}

export interface ResponseSpec {
  /** The key in `responses`: `200`, `4XX`, `default`. */
  key: string;
  description: string;
  headers: HeaderSpec[];
  /** The `application/json` schema, when the response documents a body. */
  schema?: object;
}

export interface OperationSpec {
  operationId: string;
  method: HttpMethod;
  path: string;
  responses: ResponseSpec[];
  /** The `application/json` request body schema, when there is one. */
  requestSchema?: object;
}

export interface ContractProblem {
  /** `status`, `content-type`, `header`, `body`, `schema`. */
  aspect: 'status' | 'content-type' | 'header' | 'body' | 'schema';
  message: string;
  /** JSON pointer into the response body (schema problems). */
  pointer?: string;
  expected: string;
  actual: string;
}

export class Contract {
  readonly doc: OpenApiDocument;
  readonly schemas: SpecSchemas;
  private readonly operations = new Map<string, OperationSpec>();

  constructor(doc: OpenApiDocument = loadBundle()) {
    this.doc = doc;
    this.schemas = new SpecSchemas(doc);
    for (const entry of listOperations(doc)) {
      const responses: ResponseSpec[] = Object.entries(entry.operation.responses).map(([key, raw]) => {
        const response = resolveRef<{
          description?: string;
          headers?: Record<string, unknown>;
          content?: Record<string, { schema?: object }>;
        }>(doc, raw);
        const headers = Object.entries(response.headers ?? {}).map(([name, header]) => ({
          name,
          required: resolveRef<{ required?: boolean }>(doc, header).required === true,
        }));
        const schema = response.content?.['application/json']?.schema;
        return { key, description: response.description ?? '', headers, ...(schema ? { schema } : {}) };
      });
      const body = resolveRef<{ content?: Record<string, { schema?: object }> } | undefined>(doc, entry.operation.requestBody);
      const requestSchema = body?.content?.['application/json']?.schema;
      this.operations.set(entry.operationId, {
        operationId: entry.operationId,
        method: entry.method,
        path: entry.path,
        responses,
        ...(requestSchema ? { requestSchema } : {}),
      });
    }
  }

  has(operationId: string): boolean {
    return this.operations.has(operationId);
  }

  operation(operationId: string): OperationSpec {
    const op = this.operations.get(operationId);
    if (!op) throw new Error(`The contract has no operation ${operationId}`);
    return op;
  }

  allOperations(): OperationSpec[] {
    return [...this.operations.values()];
  }

  /** The documented response for a status: exact code first, then `4XX`-style ranges, then `default`. */
  responseFor(op: OperationSpec, status: number): ResponseSpec | undefined {
    return (
      op.responses.find((r) => r.key === String(status)) ??
      op.responses.find((r) => r.key.toUpperCase() === `${String(status)[0]}XX`) ??
      op.responses.find((r) => r.key === 'default')
    );
  }

  documentedStatuses(op: OperationSpec): string {
    return op.responses.map((r) => r.key).join(', ');
  }

  /** Every contract problem of one response. */
  check(op: OperationSpec, exchange: Exchange): ContractProblem[] {
    const { response } = exchange;
    const problems: ContractProblem[] = [];
    const spec = this.responseFor(op, response.status);
    if (!spec) {
      problems.push({
        aspect: 'status',
        message: `${op.operationId} answered ${response.status}, which the contract does not document`,
        expected: `one of ${this.documentedStatuses(op)}`,
        actual: String(response.status),
      });
      return problems;
    }
    for (const header of spec.headers) {
      if (header.required && response.headers[header.name.toLowerCase()] === undefined) {
        problems.push({
          aspect: 'header',
          message: `${op.operationId} ${response.status} has no ${header.name} header, which the contract requires`,
          expected: `${header.name} header present`,
          actual: 'absent',
        });
      }
    }
    const empty = response.text === '';
    if (empty) {
      // Error responses may have no body (EspoCRM sends most errors without one); successes must have one.
      if (spec.schema && response.status < 300) {
        problems.push({
          aspect: 'body',
          message: `${op.operationId} ${response.status} has an empty body`,
          expected: 'a JSON body',
          actual: 'empty body',
        });
      }
      return problems;
    }
    const contentType = response.headers['content-type'];
    if (contentType !== 'application/json') {
      problems.push({
        aspect: 'content-type',
        message: `${op.operationId} ${response.status} has Content-Type ${contentType === undefined ? '(none)' : `'${contentType}'`}`,
        expected: `'application/json' exactly (no charset: the official PHP client parses only that)`,
        actual: contentType ?? '(none)',
      });
    }
    if (!spec.schema) {
      problems.push({
        aspect: 'body',
        message: `${op.operationId} ${response.status} has a body, but the contract documents none`,
        expected: 'empty body',
        actual: abbreviate(response.text),
      });
      return problems;
    }
    if (response.parseError !== undefined) {
      problems.push({
        aspect: 'body',
        message: `${op.operationId} ${response.status} body is not JSON (${response.parseError})`,
        expected: 'a JSON body',
        actual: abbreviate(response.text),
      });
      return problems;
    }
    for (const problem of summariseSchemaProblems(this.schemas.validateSchema(spec.schema, response.json))) {
      problems.push({
        aspect: 'schema',
        message: `${op.operationId} ${response.status} body at ${problem.pointer}: ${problem.message}`,
        pointer: problem.pointer,
        expected: problem.message.replace(/^must /, ''),
        actual: abbreviate(JSON.stringify(valueAt(response.json, problem.pointer)) ?? 'undefined'),
      });
    }
    return problems;
  }

  /** Problems of a request body against the operation's request schema (the kit's own self-check). */
  checkRequestBody(op: OperationSpec, body: unknown): string[] {
    if (!op.requestSchema) return [];
    return this.schemas.validateSchema(op.requestSchema, body).map((p) => `${p.pointer}: ${p.message}`);
  }
}

interface PointerProblem {
  pointer: string;
  message: string;
}

/**
 * ajv reports every branch of an `anyOf` separately (`must be string`, `must be null`, `must match a schema
 * in anyOf`); one message per pointer is enough, and at most ten per response.
 */
function summariseSchemaProblems(problems: { pointer: string; message: string; keyword: string }[]): PointerProblem[] {
  const byPointer = new Map<string, string[]>();
  for (const problem of problems) {
    const messages = byPointer.get(problem.pointer) ?? [];
    if (problem.keyword !== 'anyOf' && problem.keyword !== 'oneOf' && problem.keyword !== 'if' && !messages.includes(problem.message)) {
      messages.push(problem.message);
    }
    byPointer.set(problem.pointer, messages);
  }
  const result: PointerProblem[] = [];
  for (const [pointer, messages] of byPointer) {
    const typeMessages = messages.filter((m) => m.startsWith('must be '));
    const message =
      typeMessages.length > 1
        ? `must be ${typeMessages.map((m) => m.slice('must be '.length)).join(' or ')}`
        : messages.length
          ? messages.join('; ')
          : 'must match the schema';
    result.push({ pointer, message });
  }
  // The deepest pointer first: `/name must be string` is more useful than its parents' `anyOf` notes.
  result.sort((a, b) => b.pointer.split('/').length - a.pointer.split('/').length);
  return result.slice(0, 10);
}

export function valueAt(value: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return value;
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value);
}

export function abbreviate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}
