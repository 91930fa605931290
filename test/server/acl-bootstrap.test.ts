/**
 * The bootstrap users: an API user that is not an admin but holds a role with full access (as EspoCRM API
 * users get access through roles), and an admin. Idempotent, and never rewrites what an administrator
 * changed.
 */
import { describe, expect, it } from 'vitest';
import { aclTableFor, levelOf } from '../../src/server/acl/index.js';
import { BOOTSTRAP_API_ROLE, ensureBootstrapUsers } from '../../src/server/bootstrap.js';
import { insertUser } from '../../src/server/acl/user-rows.js';
import type { Actor } from '../../src/server/acl/policy.js';
import { describeEngines, useTestDatabase, type Engine } from '../support/database.js';

const USERS = { apiKey: 'boot-key', apiSecret: 'boot-secret', adminUserName: 'boss', adminPassword: 'boss-pw' };

describeEngines('bootstrap users', (engine: Engine) => {
  const ref = useTestDatabase(engine);
  const apiActor = (id: string): Actor => ({ id, name: 'API', type: 'api', isAdmin: false, teamIds: [] });
  const roleLinks = (userId: string) => ref.db.selectFrom('role_user').select(['roleId', 'deleted']).where('userId', '=', userId).execute();

  it('creates an API user (not an admin) with a full-access role, and an admin', async () => {
    const { apiUserId, adminId } = await ensureBootstrapUsers(ref.db, USERS);
    const users = await ref.db.selectFrom('user').select(['id', 'type', 'authMethod', 'apiKey', 'secretKey']).where('id', 'in', [apiUserId, adminId]).execute();
    expect(users.find((user) => user.id === apiUserId)).toMatchObject({ type: 'api', authMethod: 'ApiKey', apiKey: 'boot-key', secretKey: 'boot-secret' });
    expect(users.find((user) => user.id === adminId)).toMatchObject({ type: 'admin' });
    const table = await aclTableFor(ref.db, apiActor(apiUserId));
    for (const scope of ['Account', 'Contact', 'Opportunity', 'Case', 'Call', 'Meeting', 'Task', 'Document', 'Email', 'TargetList', 'Campaign']) {
      for (const action of ['create', 'read', 'edit', 'delete'] as const) expect(levelOf(table, scope, action)).toBe('all');
    }
    expect(levelOf(table, 'Account', 'stream')).toBe('all');
    expect(levelOf(table, 'Team', 'read')).toBe('all');
    expect(levelOf(table, 'User', 'read')).toBe('all');
  });

  it('is idempotent: one role, one grant', async () => {
    const first = await ensureBootstrapUsers(ref.db, USERS);
    const second = await ensureBootstrapUsers(ref.db, USERS);
    expect(second).toEqual(first);
    expect(await ref.db.selectFrom('role').select('id').where('name', '=', BOOTSTRAP_API_ROLE).execute()).toHaveLength(1);
    expect(await roleLinks(first.apiUserId)).toHaveLength(1);
  });

  it('leaves a revoked grant revoked', async () => {
    const { apiUserId } = await ensureBootstrapUsers(ref.db, USERS);
    await ref.db.updateTable('role_user').set({ deleted: 1 }).where('userId', '=', apiUserId).execute();
    await ensureBootstrapUsers(ref.db, USERS);
    expect(await roleLinks(apiUserId)).toEqual([expect.objectContaining({ deleted: 1 })]);
    expect(levelOf(await aclTableFor(ref.db, apiActor(apiUserId)), 'Account', 'read')).toBe('no');
  });

  it('gives the role to an API user made before roles existed (when it creates the role)', async () => {
    const db = ref.db;
    await db.deleteFrom('role_user').execute();
    await db.deleteFrom('role').execute();
    const oldId = await insertUser(db, { userName: 'old-api', lastName: 'API', type: 'api', apiKey: 'old-key' });
    const { apiUserId } = await ensureBootstrapUsers(db, { ...USERS, apiKey: 'old-key' });
    expect(apiUserId).toBe(oldId);
    expect(levelOf(await aclTableFor(db, apiActor(oldId)), 'Account', 'delete')).toBe('all');
  });
});
