/**
 * Records the run creates, and their removal. Every record is created through the contract's own
 * operations, carries the run marker (`conformance-<runId>`) in its name, and is deleted at the end in
 * dependency order (activities and children first, then accounts, then teams) — also after failures and
 * Ctrl-C. A final sweep finds accounts with the marker that were not tracked (e.g. created by a request
 * whose response was lost) and deletes them; records without the marker are never touched.
 */
import type { Transport } from './http.js';
import { isObject, type CallOptions, type Me, type OperationId, type Reply } from './reply.js';
import type { CleanupResult } from './report.js';

type Detail = { message: string; expected: string; actual: string; pointer?: string };

/** What fixtures need of the running check (a `CheckContext`; named here so the two modules do not import each other). */
export interface FixtureCheck {
  readonly run: { me?: Me };
  call(operationId: OperationId, options?: CallOptions): Promise<Reply>;
  require(condition: boolean, reply: Reply | undefined, detail: Detail): void;
  skip(reason: string): never;
  refused(reason: string, reply?: Reply): never;
  me(): Promise<Me>;
}

export type RecordType =
  | 'Account'
  | 'Contact'
  | 'Opportunity'
  | 'Case'
  | 'Call'
  | 'Meeting'
  | 'Task'
  | 'Document'
  | 'Email'
  | 'TargetList'
  | 'Team'
  | 'Note';

/** Delete order: what points at an account (or a team) goes first. */
const DELETE_ORDER: readonly RecordType[] = ['Call', 'Meeting', 'Task', 'Email', 'Case', 'Opportunity', 'Document', 'Contact', 'TargetList', 'Account', 'Team'];

export type Attributes = Record<string, unknown>;

interface Tracked {
  type: RecordType;
  id: string;
  deleted: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD HH:MM:SS` (UTC) `days` from now. */
export function dateTimeIn(days: number, hours = 10): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(hours)}:00:00`;
}

export function dateIn(days: number): string {
  return dateTimeIn(days).slice(0, 10);
}

export class Fixtures {
  private readonly records: Tracked[] = [];
  /** Why a related type cannot be created on this server (remembered so later checks skip at once). */
  private readonly unavailable = new Map<RecordType, { why: string; reply: Reply }>();

  constructor(readonly marker: string) {}

  get count(): number {
    return this.records.length;
  }

  track(type: RecordType, id: string): void {
    if (!this.records.some((r) => r.type === type && r.id === id)) this.records.push({ type, id, deleted: false });
  }

  /** A check deleted the record itself. */
  markDeleted(type: RecordType, id: string): void {
    for (const record of this.records) if (record.type === type && record.id === id) record.deleted = true;
  }

  /** Tracks the ID of any successful create, whatever the check expected (an invalid body may be accepted). */
  trackReply(type: RecordType, reply: Reply): void {
    if (reply.status === 200 && isObject(reply.json) && typeof reply.json['id'] === 'string') this.track(type, reply.json['id']);
  }

  /** Creates an account named `<marker> <label>`; a failure stops the check. */
  async createAccount(t: FixtureCheck, label: string, attributes: Attributes, headers?: Record<string, string>): Promise<Attributes> {
    const reply = await t.call('createAccount', {
      json: { name: `${this.marker} ${label}`, ...attributes },
      ...(headers ? { headers } : {}),
      expect: 200,
      label: `account '${label}'`,
    });
    this.trackReply('Account', reply);
    t.require(isObject(reply.json) && typeof reply.json['id'] === 'string', reply, {
      message: 'createAccount answered 200 without a record ID',
      expected: 'an object with a string id',
      actual: reply.response.text.slice(0, 200),
      pointer: '/id',
    });
    const record = reply.json as Attributes;
    if (!t.run.me && typeof record['createdById'] === 'string') t.run.me = { id: record['createdById'] };
    return record;
  }

  /**
   * Creates a related record for a check. When this server cannot create the type (no access, a required
   * attribute the contract does not know, 501 not implemented), the check is skipped with the reason.
   */
  async createRelated(t: FixtureCheck, type: Exclude<RecordType, 'Account' | 'Note'>, label: string, extra: Attributes = {}): Promise<Attributes> {
    const known = this.unavailable.get(type);
    if (known) {
      if (known.why.includes('only administrators create teams')) t.skip(known.why);
      t.refused(known.why, known.reply);
    }
    const body = { ...(await this.relatedBody(t, type, label)), ...extra };
    const reply = await t.call(`create${type}`, { json: body, expect: [200, 400, 403, 404, 405, 409, 501], soft: true, label: `${type} '${label}'` });
    this.trackReply(type, reply);
    if (reply.status !== 200 || !isObject(reply.json) || typeof reply.json['id'] !== 'string') {
      const why = `this server cannot create a ${type} (create${type} answered ${reply.status}${reply.reason ? ` ${reply.reason}` : ''})`;
      if (type === 'Team' && reply.status === 403 && (await t.me()).type !== 'admin') {
        // Only administrators create teams in EspoCRM: the refusal is what the contract expects for this user.
        const adminOnly = `${why}: only administrators create teams; run the kit as an admin user for these checks`;
        this.unavailable.set(type, { why: adminOnly, reply });
        t.skip(adminOnly);
      }
      if (reply.status !== 200) this.unavailable.set(type, { why, reply });
      t.refused(why, reply);
    }
    return reply.json as Attributes;
  }

  /** The minimal valid create body of each related type (required attributes of its `…Create` schema). */
  async relatedBody(t: FixtureCheck, type: Exclude<RecordType, 'Account' | 'Note'>, label: string): Promise<Attributes> {
    const name = `${this.marker} ${label}`;
    switch (type) {
      case 'Contact':
        return { lastName: name.slice(0, 100) };
      case 'Opportunity':
        return { name, amount: 1000, closeDate: dateIn(30) };
      case 'Case':
      case 'Document':
      case 'TargetList':
        return { name };
      case 'Team':
        return { name: name.slice(0, 100) };
      case 'Call':
      case 'Meeting':
        return { name, dateStart: dateTimeIn(7, 10), dateEnd: dateTimeIn(7, 11), assignedUserId: (await t.me()).id };
      case 'Task':
        return { name, assignedUserId: (await t.me()).id };
      case 'Email':
        return {
          name,
          from: `${this.marker}@conformance.example`,
          to: `to.${this.marker}@conformance.example`,
          status: 'Archived',
          dateSent: dateTimeIn(-1),
          assignedUserId: (await t.me()).id,
        };
    }
  }

  /** Cleanup that sends nothing (the server blocks this address): every record the run created is left over. */
  abandon(reason: string): CleanupResult {
    const open = this.records.filter((r) => !r.deleted);
    return {
      created: this.records.length,
      deleted: 0,
      alreadyGone: this.records.length - open.length,
      swept: 0,
      leftovers: open.filter((r) => r.type !== 'Note').map((r) => ({ type: r.type, id: r.id, reason })),
      notDeletable: open.filter((r) => r.type === 'Note').map((r) => ({ type: r.type, id: r.id })),
    };
  }

  /** Deletes everything the run created, in dependency order, then sweeps marker accounts. */
  async cleanup(transport: Transport): Promise<CleanupResult> {
    const result: CleanupResult = { created: this.records.length, deleted: 0, alreadyGone: 0, swept: 0, leftovers: [], notDeletable: [] };
    for (const type of DELETE_ORDER) {
      for (const record of this.records.filter((r) => r.type === type)) {
        await this.deleteOne(transport, record, result);
      }
    }
    for (const record of this.records.filter((r) => r.type === 'Note')) result.notDeletable.push({ type: 'Note', id: record.id });
    await this.sweep(transport, result);
    return result;
  }

  private async deleteOne(transport: Transport, record: Tracked, result: CleanupResult): Promise<void> {
    try {
      const exchange = await transport.send({ method: 'DELETE', path: `/${record.type}/${encodeURIComponent(record.id)}` });
      const status = exchange.response.status;
      if (status === 200) {
        result.deleted++;
        record.deleted = true;
      } else if (status === 404) {
        result.alreadyGone++;
        record.deleted = true;
      } else {
        result.leftovers.push({ type: record.type, id: record.id, reason: `DELETE answered ${status} ${exchange.response.headers['x-status-reason'] ?? ''}`.trim() });
      }
    } catch (error) {
      result.leftovers.push({ type: record.type, id: record.id, reason: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Accounts whose name starts with the marker and that still exist: delete them. */
  private async sweep(transport: Transport, result: CleanupResult): Promise<void> {
    const query = {
      select: ['id', 'name'],
      maxSize: 200,
      where: [{ type: 'startsWith', attribute: 'name', value: `${this.marker} ` }],
    };
    for (let round = 0; round < 20; round++) {
      let list: Attributes[];
      try {
        const exchange = await transport.send({ method: 'GET', path: '/Account', query });
        const body = exchange.response.json;
        if (exchange.response.status !== 200 || !isObject(body) || !Array.isArray(body['list'])) return;
        list = (body['list'] as unknown[]).filter(isObject);
      } catch {
        return;
      }
      // Only records that really carry the marker, whatever the server's filter did.
      const marked = list.filter((item) => typeof item['id'] === 'string' && typeof item['name'] === 'string' && item['name'].startsWith(`${this.marker} `));
      const pending = marked.filter((item) => !result.leftovers.some((l) => l.type === 'Account' && l.id === item['id']));
      if (pending.length === 0) return;
      for (const item of pending) {
        const id = item['id'] as string;
        const tracked = this.records.find((r) => r.type === 'Account' && r.id === id);
        if (tracked?.deleted) {
          // Deleted (true), yet still listed: the server did not delete it. Report, do not loop.
          result.leftovers.push({ type: 'Account', id, reason: 'still listed after DELETE answered true' });
          continue;
        }
        const record = tracked ?? { type: 'Account' as const, id, deleted: false };
        const before = result.deleted;
        await this.deleteOne(transport, record, result);
        if (!tracked && result.deleted > before) result.swept++;
      }
    }
  }
}
