/** Minimal HTTP for the campaign: every request counted by status class. */

export interface Reply {
  status: number;
  reason: string | null;
  body: unknown;
}

export interface CampaignRequest {
  method: string;
  /** Path after the API root, with its query string. */
  path: string;
  headers?: Record<string, string>;
  /** A JSON value (serialised) or raw bytes sent as they are. */
  body?: unknown;
  raw?: Uint8Array;
}

/** Requests sent and statuses by class (`2xx`, `4xx`, …), with every 5xx kept for the report. */
export class Tally {
  sent = 0;
  readonly byClass: Record<string, number> = {};
  readonly byStatus: Record<string, number> = {};
  readonly serverErrors: { request: string; status: number; reason: string | null }[] = [];

  record(request: CampaignRequest, reply: Reply): void {
    this.sent++;
    const klass = `${Math.floor(reply.status / 100)}xx`;
    this.byClass[klass] = (this.byClass[klass] ?? 0) + 1;
    this.byStatus[reply.status] = (this.byStatus[reply.status] ?? 0) + 1;
    if (reply.status >= 500) this.serverErrors.push({ request: `${request.method} ${request.path}`, status: reply.status, reason: reply.reason });
  }
}

export async function send(baseUrl: string, apiKey: string | null, request: CampaignRequest, tally?: Tally): Promise<Reply> {
  const headers: Record<string, string> = { ...(apiKey ? { 'X-Api-Key': apiKey } : {}), ...request.headers };
  let body: BodyInit | undefined;
  if (request.raw) body = request.raw as unknown as BodyInit;
  else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  const reply = { status: response.status, reason: response.headers.get('x-status-reason'), body: parsed };
  tally?.record(request, reply);
  return reply;
}

/** `{200: 1, 409: 19}` */
export function countStatuses(replies: readonly Reply[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const reply of replies) counts[reply.status] = (counts[reply.status] ?? 0) + 1;
  return counts;
}
