/**
 * A deliberately loose `paths` type: any path, any method, any JSON. Tests that exercise the wire
 * format or error handling (not the spec's types) use it with `createEspoClientFor`.
 */
interface LooseOperation {
  parameters: {
    query?: Record<string, unknown>;
    header?: Record<string, string>;
    path?: Record<string, string>;
    cookie?: never;
  };
  requestBody?: { content: { 'application/json': unknown } };
  responses: {
    200: { headers: Record<string, unknown>; content: { 'application/json': unknown } };
    default: { headers: Record<string, unknown>; content: { 'application/json': unknown } };
  };
}

export type LoosePaths = Record<
  string,
  { get: LooseOperation; post: LooseOperation; put: LooseOperation; patch: LooseOperation; delete: LooseOperation }
>;
