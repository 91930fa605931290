/** A small JSON client for server tests: one call = status, parsed body and `X-Status-Reason`. */
import type { TestServer } from './server.js';

export interface Answer<T = unknown> {
  status: number;
  /** Parsed JSON, or undefined for an empty body. */
  body: T;
  /** `X-Status-Reason`; null when absent. */
  reason: string | null;
}

export type Identity = 'admin' | 'api';

export interface JsonApi {
  get<T = any>(path: string, headers?: Record<string, string>): Promise<Answer<T>>;
  post<T = any>(path: string, body?: unknown): Promise<Answer<T>>;
  put<T = any>(path: string, body?: unknown): Promise<Answer<T>>;
  patch<T = any>(path: string, body?: unknown): Promise<Answer<T>>;
  delete<T = any>(path: string, body?: unknown): Promise<Answer<T>>;
  /** The body of a 200 answer; anything else fails the test with the status and reason. */
  ok<T = any>(answer: Promise<Answer<T>>): Promise<T>;
}

/** Calls as the bootstrap admin (Espo-Authorization) or the bootstrap API user (X-Api-Key). */
export function jsonApi(server: TestServer, identity: Identity = 'admin'): JsonApi {
  const auth: Record<string, string> =
    identity === 'admin'
      ? { 'Espo-Authorization': Buffer.from(`${server.user.username}:${server.user.password}`).toString('base64') }
      : { 'X-Api-Key': server.apiKey };

  async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { ...auth, ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T, reason: response.headers.get('x-status-reason') };
  }

  return {
    get: (path, headers) => call('GET', path, undefined, headers),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
    patch: (path, body) => call('PATCH', path, body),
    delete: (path, body) => call('DELETE', path, body),
    async ok(answer) {
      const result = await answer;
      if (result.status !== 200) throw new Error(`Expected 200, got ${result.status}: ${result.reason ?? ''} ${JSON.stringify(result.body) ?? ''}`);
      return result.body;
    },
  };
}
