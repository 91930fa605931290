/**
 * Role data and its merging, as EspoCRM's role editor and Acl\Table\DefaultTable do it.
 */
import { describe, expect, it } from 'vitest';
import { fullAccessData, levelOf, mergeRoles, parseRoleData, RoleDataError } from '../../src/server/acl/index.js';
import type { AclAction } from '../../src/server/acl/policy.js';

const level = (roles: unknown[], scope: string, action: AclAction) => levelOf(mergeRoles(roles), scope, action);

describe('parseRoleData', () => {
  it('accepts the documented example and completes every action of a mentioned scope with "no"', () => {
    const data = parseRoleData('{"Account":{"create":"yes","read":"team","edit":"own","delete":"no","stream":"own"},"Contact":{"read":"all","edit":"all"}}');
    expect(data).toEqual({
      Account: { create: 'yes', read: 'team', edit: 'own', delete: 'no', stream: 'own' },
      Contact: { read: 'all', edit: 'all', create: 'no', delete: 'no', stream: 'no' },
    });
  });

  it('knows each scope’s actions and levels (Team: read all/team/no; User: read, edit own/no; no stream without a stream)', () => {
    expect(parseRoleData({ Team: { read: 'team' }, User: { read: 'all', edit: 'own' }, Call: { read: 'own' } })).toEqual({
      Team: { read: 'team' },
      User: { read: 'all', edit: 'own' },
      Call: { read: 'own', create: 'no', edit: 'no', delete: 'no' },
    });
    expect(parseRoleData({ Account: false })).toEqual({ Account: false });
    expect(parseRoleData({})).toEqual({});
  });

  it.each([
    ['not JSON', '{Account', /not valid JSON/],
    ['not an object', '[1]', /must be a JSON object/],
    ['an unknown scope', '{"Lead":{"read":"all"}}', /Unknown scope 'Lead'\. Scopes: Account, Contact/],
    ['a scope roles cannot set', '{"Note":{"read":"all"}}', /Unknown scope 'Note' \(access to Note is fixed/],
    ['an unknown action', '{"Account":{"view":"all"}}', /Account: unknown action 'view'\. Actions: create, read, edit, delete, stream\./],
    ['stream on a scope without a stream', '{"Call":{"stream":"all"}}', /Call: unknown action 'stream'/],
    ['an action Team does not have', '{"Team":{"edit":"all"}}', /Team: unknown action 'edit'/],
    ['an unknown level', '{"Account":{"read":"some"}}', /Account\.read: level "some" is not one of all, team, own, no\./],
    ['a record level for create', '{"Account":{"create":"all"}}', /Account\.create: level "all" is not one of yes, no\./],
    ['yes for a record action', '{"Account":{"read":"yes"}}', /Account\.read: level "yes"/],
    ['own for Team', '{"Team":{"read":"own"}}', /Team\.read: level "own" is not one of all, team, no\./],
    ['team for User edit', '{"User":{"edit":"team"}}', /User\.edit: level "team" is not one of own, no\./],
    ['a non-string level', '{"Account":{"read":1}}', /Account\.read: level 1/],
    ['true for a scope', '{"Account":true}', /Account: expected an object/],
  ])('rejects %s', (_name, input, message) => {
    expect(() => parseRoleData(input)).toThrow(RoleDataError);
    expect(() => parseRoleData(input)).toThrow(message);
  });
});

describe('mergeRoles', () => {
  it('no role for a scope: no access (EspoCRM default for regular users), but own user and own teams', () => {
    expect(level([], 'Account', 'read')).toBe('no');
    expect(level([], 'Account', 'create')).toBe('no');
    expect(level([], 'User', 'read')).toBe('own');
    expect(level([], 'User', 'edit')).toBe('no');
    expect(level([], 'Team', 'read')).toBe('team');
  });

  it('the most permissive level of all roles wins, per action', () => {
    const roles = [
      { Account: { create: 'no', read: 'own', edit: 'team', delete: 'no', stream: 'own' } },
      { Account: { create: 'yes', read: 'team', edit: 'own', delete: 'no', stream: 'no' } },
    ];
    expect(level(roles, 'Account', 'create')).toBe('all');
    expect(level(roles, 'Account', 'read')).toBe('team');
    expect(level(roles, 'Account', 'edit')).toBe('team');
    expect(level(roles, 'Account', 'delete')).toBe('no');
    expect(level(roles, 'Account', 'stream')).toBe('own');
  });

  it('a scope disabled by one role is enabled by another, whatever the order', () => {
    const grant = { Account: { read: 'all', create: 'no', edit: 'no', delete: 'no', stream: 'no' } };
    expect(level([{ Account: false }, grant], 'Account', 'read')).toBe('all');
    expect(level([grant, { Account: false }], 'Account', 'read')).toBe('all');
    expect(level([{ Account: false }], 'Account', 'read')).toBe('no');
  });

  it('a role that mentions User or Team replaces the defaults', () => {
    expect(level([{ Team: { read: 'no' } }], 'Team', 'read')).toBe('no');
    expect(level([{ User: { read: 'all', edit: 'no' } }], 'User', 'read')).toBe('all');
  });

  it('Note, Attachment and Role are fixed whatever the roles say', () => {
    const roles = [{ Note: { read: 'all', edit: 'all', delete: 'all', create: 'no' }, Role: { read: 'all' } }];
    expect(level(roles, 'Note', 'read')).toBe('own');
    expect(level(roles, 'Note', 'create')).toBe('all');
    expect(level(roles, 'Note', 'delete')).toBe('own');
    expect(level(roles, 'Role', 'read')).toBe('no');
  });

  it("keeps EspoCRM's legacy fallback for hand-written rows: no create → yes, no stream → as read", () => {
    const roles = [{ Account: { read: 'team' } }];
    expect(level(roles, 'Account', 'create')).toBe('all');
    expect(level(roles, 'Account', 'stream')).toBe('team');
    expect(level(roles, 'Account', 'edit')).toBe('no');
  });

  it('ignores unknown scopes, unknown levels and malformed data', () => {
    expect(level([{ Lead: { read: 'all' } }, null, 'x', [], { Account: { read: 'everything', create: 'no' } }], 'Account', 'read')).toBe('no');
  });

  it('full access covers every action of every scope at its highest level', () => {
    const data = fullAccessData();
    expect(parseRoleData(data)).toEqual(data);
    expect(data.Account).toEqual({ create: 'yes', read: 'all', edit: 'all', delete: 'all', stream: 'all' });
    expect(data.Team).toEqual({ read: 'all' });
    expect(data.User).toEqual({ read: 'all', edit: 'own' });
    for (const action of ['create', 'read', 'edit', 'delete'] as const) {
      for (const scope of ['Contact', 'Opportunity', 'Case', 'Call', 'Meeting', 'Task', 'Document', 'Email', 'TargetList', 'Campaign']) {
        expect(level([data], scope, action)).toBe('all');
      }
    }
  });
});
