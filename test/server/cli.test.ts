/**
 * `espo-ref` run as a child process, as an administrator would: against a temporary SQLite file, and a
 * PostgreSQL schema when TEST_DATABASE_URL is set. The users it creates then authenticate over HTTP
 * against a server on the same database, and get the access their roles give.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/server/app.js';
import { run as runCli } from '../../src/server/cli/main.js';
import { openDatabase } from '../../src/server/db/open.js';
import { describeEngines, postgresUrl, type Engine } from '../support/database.js';
import { espoRef as runEspoRef, startServe, type Run } from '../support/espo-process.js';
import { listenApp } from '../support/server.js';

const SLOW = 300_000;

const espoRef = (args: string[], options: { env?: Record<string, string>; input?: string } = {}) => runEspoRef(args, options.env, options.input);

/** A usage error: exit 2, a message and no stack trace. */
function expectUsageError(run: Run, message: RegExp) {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stdout).toBe('');
}

function expectFailure(run: Run, message: RegExp) {
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stdout).toBe('');
}

const ID = /^[0-9a-f]{17}\n$/;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The command line in process: same code as the executable, without a process (and its start-up) per call. */
async function espoRefInProcess(args: string[], env: NodeJS.ProcessEnv = {}, input = ''): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    readStdin: async () => input,
  });
  return { code: code === 'serving' ? null : code, stdout, stderr };
}

describe('espo-ref help and argument errors', () => {
  // One run of each kind as a real process (exit code, streams); the rest in process.
  it('--help lists every command; each command has its own --help', { timeout: SLOW }, async () => {
    const overview = await espoRef(['--help']);
    expect(overview.code).toBe(0);
    for (const command of ['serve', 'migrate', 'seed', 'team:create', 'role:create', 'user:create']) {
      expect(overview.stdout).toContain(`  ${command}`);
    }
    for (const command of ['serve', 'migrate', 'seed', 'team:create', 'role:create', 'user:create']) {
      const run = await espoRefInProcess([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: espo-ref \S+/);
      expect(run.stdout).toContain('--database-url URL');
    }
  });

  it('no command or an unknown one is a usage error', { timeout: SLOW }, async () => {
    expectUsageError(await espoRef([]), /Usage: espo-ref <command>/);
    expectUsageError(await espoRefInProcess(['frobnicate']), /unknown command 'frobnicate'/);
    expectUsageError(await espoRefInProcess(['seed', '--accounts', 'many']), /--accounts must be a whole number/);
    expectUsageError(await espoRefInProcess(['team:create', '--name']), /argument missing|--name/);
  });
});

/** The command line in-process (same code as the executable, without a process per call). */
describe('espo-ref arguments (in process)', () => {
  let dir = '';
  const inProcess = (args: string[], input = ''): Promise<Run> => espoRefInProcess(args, { DATABASE_URL: `sqlite:${join(dir, 'espo.sqlite')}` }, input);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'espo-args-'));
    expect((await inProcess(['role:create', '--name', 'Reader', '--acl', '{"Account":{"read":"all"}}'])).code).toBe(0);
    expect((await inProcess(['user:create', '--user-name', 'taken', '--api-key', 'taken-key'])).code).toBe(0);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['an unknown scope', ['role:create', '--name', 'Bad', '--acl', '{"Acount":{"read":"all"}}'], /Unknown scope 'Acount'\. Scopes: Account, /],
    ['an unknown action', ['role:create', '--name', 'Bad', '--acl', '{"Account":{"view":"all"}}'], /Account: unknown action 'view'/],
    ['an unknown level', ['role:create', '--name', 'Bad', '--acl', '{"Account":{"read":"yes"}}'], /Account\.read: level "yes" is not one of all, team, own, no\./],
    ['malformed ACL JSON', ['role:create', '--name', 'Bad', '--acl', '{"Account":'], /ACL is not valid JSON/],
    ['an unreadable ACL file', ['role:create', '--name', 'Bad', '--acl', '@/nonexistent/acl.json'], /Cannot read \/nonexistent\/acl\.json: ENOENT/],
    ['a missing --acl', ['role:create', '--name', 'Bad'], /--acl is required/],
    ['a bad role name', ['role:create', '--name', 'a<b', '--acl', '{}'], /Role name must not contain <, > or =/],
    ['no credentials', ['user:create', '--user-name', 'dave'], /Give --api-key KEY \(API user\) or --password PASS/],
    ['a key and a password', ['user:create', '--user-name', 'dave', '--api-key', 'k', '--password', 'x'], /not both/],
    ['an admin API user', ['user:create', '--user-name', 'dave', '--api-key', 'k', '--admin'], /API users cannot be administrators/],
    ['a secret without a key', ['user:create', '--user-name', 'dave', '--secret-key', 's', '--password', 'x'], /--secret-key needs --api-key/],
    ['both password options', ['user:create', '--user-name', 'dave', '--password', 'x', '--password-stdin'], /--password or --password-stdin, not both/],
    ['an invalid user name', ['user:create', '--user-name', 'Dave Smith', '--password', 'x'], /User name 'Dave Smith' is not valid/],
    ['a padded password', ['user:create', '--user-name', 'dave', '--password', ' padded '], /must not start or end with white space/],
    ['a key with a colon', ['user:create', '--user-name', 'dave', '--api-key', 'has:colon'], /without spaces or colons/],
    ['an unknown option', ['user:create', '--user-name', 'dave', '--password', 'x', '--colour', 'blue'], /Unknown option '--colour'/],
    ['a stray argument', ['user:create', '--user-name', 'dave', '--password', 'x', 'stray'], /Unexpected argument 'stray'/],
    ['a bad port', ['serve', '--port', 'http'], /--port must be a port number/],
    ['a zero seed', ['seed', '--accounts', '0'], /--accounts must be a whole number from 1 to/],
  ])('%s is a usage error (exit 2) with the command\'s usage', async (_name, args, message) => {
    const result = await inProcess(args);
    expectUsageError(result, message);
    expect(result.stderr).toMatch(new RegExp(`espo-ref ${args[0]}`));
  });

  it.each([
    ['a taken user name (compared without case)', ['user:create', '--user-name', 'taken', '--password', 'x'], /User name 'taken' is already taken\./],
    ['a taken API key', ['user:create', '--user-name', 'dave', '--api-key', 'taken-key'], /Another user already has this API key\./],
    ['an unknown team', ['user:create', '--user-name', 'dave', '--password', 'x', '--team', 'Nope'], /Team 'Nope' does not exist\./],
    ['an unknown role', ['user:create', '--user-name', 'dave', '--password', 'x', '--role', 'Nope'], /Role 'Nope' does not exist\./],
    ['a taken role name', ['role:create', '--name', 'READER', '--acl', '{}'], /A role named 'READER' already exists\./],
    ['an unknown role for a team', ['team:create', '--name', 'T', '--role', 'Nope'], /Role 'Nope' does not exist\./],
  ])('%s is a failure (exit 1)', async (_name, args, message) => {
    expectFailure(await inProcess(args), message);
  });

  it('nothing is created by a refused command', async () => {
    await inProcess(['user:create', '--user-name', 'ghost', '--password', 'x', '--role', 'Nope']);
    const handle = openDatabase(`sqlite:${join(dir, 'espo.sqlite')}`);
    try {
      expect(await handle.db.selectFrom('user').select('id').where('userName', '=', 'ghost').execute()).toEqual([]);
    } finally {
      await handle.close();
    }
  });

  it('--password-stdin reads the password from standard input (without the final newline)', async () => {
    expect((await inProcess(['user:create', '--user-name', 'stdin', '--password-stdin'], 'line:one\n')).code).toBe(0);
  });
});

describeEngines('espo-ref', (engine: Engine) => {
  let url = '';
  let cleanup: () => Promise<void> = async () => {};
  // Most commands run in process (one after the other: concurrent writers in one process would wait on each
  // other's SQLite lock synchronously); the users are created by concurrent processes, as administrators' scripts do.
  const cli = (args: string[], input?: string) => espoRefInProcess(args, { DATABASE_URL: url }, input);
  const cliProcess = (args: string[], input?: string) => espoRef(args, { env: { DATABASE_URL: url }, ...(input !== undefined ? { input } : {}) });

  beforeAll(async () => {
    if (engine === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'espo-ref-'));
      // A directory that does not exist yet: the commands create it, as for ./data on a fresh clone.
      url = `sqlite:${join(dir, 'data', 'espo.sqlite')}`;
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const schema = `cli_${randomBytes(4).toString('hex')}`;
      const admin = async (statement: string) => {
        const client = new pg.Client({ connectionString: postgresUrl });
        await client.connect();
        await client.query(statement);
        await client.end();
      };
      await admin(`create schema "${schema}"`);
      const base = new URL(postgresUrl!);
      base.searchParams.set('options', `-c search_path=${schema}`);
      url = base.toString();
      cleanup = () => admin(`drop schema if exists "${schema}" cascade`);
    }
  });

  afterAll(async () => {
    await cleanup();
  });

  it('migrate creates the schema once', { timeout: SLOW }, async () => {
    const first = await cli(['migrate']);
    expect(first).toMatchObject({ code: 0, stdout: 'Applied: 0001-initial-schema, 0002-postgres-caseless-account-indexes, 0003-entity-counts, 0004-postgres-default-order-indexes\n' });
    expect(await cli(['migrate'])).toMatchObject({ code: 0, stdout: 'The database schema is up to date.\n' });
  });

  describe('creating teams, roles and users', () => {
    const ids: Record<string, string> = {};
    let app: App;
    let baseUrl = '';
    let close: () => Promise<void> = async () => {};

    const call = async (headers: Record<string, string>, path = '/Account?select=name&orderBy=name') => {
      const response = await fetch(`${baseUrl}${path}`, { headers });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined, reason: response.headers.get('x-status-reason') };
    };
    const basic = (user: string, password: string) => ({ Authorization: `Basic ${b64(`${user}:${password}`)}` });
    /** The two accounts made for these checks (seeded ones are assigned to the users too). */
    const names = (body: unknown) => (body as { list: { name: string }[] }).list.map((item) => item.name).filter((name) => name.endsWith(' deal'));

    it('role:create validates the ACL (exit 2) and stores a valid one (prints the id)', { timeout: SLOW }, async () => {
      expectUsageError(await cli(['role:create', '--name', 'Bad', '--acl', '{"Acount":{"read":"all"}}']), /Unknown scope 'Acount'\. Scopes: Account, /);

      const sales = await cli([
        'role:create',
        '--name',
        'Sales',
        '--acl',
        '{"Account":{"create":"yes","read":"team","edit":"own","delete":"no","stream":"own"},"Contact":{"read":"all","edit":"all"}}',
      ]);
      expect(sales.stdout, sales.stderr).toMatch(ID);
      ids.salesRole = sales.stdout.trim();
      const everything = await cli(['role:create', '--name', 'Everything', '--acl', '{"Account":{"create":"yes","read":"all","edit":"all","delete":"all","stream":"all"},"Team":{"read":"all"}}']);
      expect(everything.stdout, everything.stderr).toMatch(ID);
      expectFailure(await cli(['role:create', '--name', 'sales', '--acl', '{}']), /A role named 'sales' already exists\./);
    });

    it('team:create prints the id; unknown roles and taken names fail', { timeout: SLOW }, async () => {
      const sales = await cli(['team:create', '--name', 'Sales Team']);
      const other = await cli(['team:create', '--name', 'Other Team']);
      expect(sales.stdout, sales.stderr).toMatch(ID);
      expect(other.stdout, other.stderr).toMatch(ID);
      ids.salesTeam = sales.stdout.trim();
      ids.otherTeam = other.stdout.trim();
      expectFailure(await cli(['team:create', '--name', 'Sales Team']), /A team named 'Sales Team' already exists\./);
      expectFailure(await cli(['team:create', '--name', 'New', '--role', 'Nope']), /Role 'Nope' does not exist\./);
    });

    it('user:create makes API, HMAC, password and admin users; refuses bad input', { timeout: SLOW }, async () => {
      const runs = await Promise.all([
        cliProcess(['user:create', '--user-name', 'integration', '--api-key', 'int-key', '--role', 'Everything']),
        cliProcess(['user:create', '--user-name', 'signer', '--api-key', 'sign-key', '--secret-key', 'sign-secret', '--role', 'Everything']),
        cliProcess(['user:create', '--user-name', 'alice', '--password', 'a:lice pw', '--team', 'Sales Team', '--role', 'Sales', '--first-name', 'Alice']),
        cliProcess(['user:create', '--user-name', 'bob', '--password', 'bob-pw', '--team', 'Other Team', '--role', 'Sales']),
        cliProcess(['user:create', '--user-name', 'root', '--password', 'root-pw', '--admin']),
        cliProcess(['user:create', '--user-name', 'carol', '--password-stdin', '--role', 'Everything'], 'from stdin:pw\n'),
        cliProcess(['user:create', '--user-name', 'nobody', '--password', 'nobody-pw']),
      ]);
      for (const run of runs) expect(run.stdout, run.stderr).toMatch(ID);
      ['integration', 'signer', 'alice', 'bob', 'root', 'carol'].forEach((name, index) => (ids[name] = runs[index]!.stdout.trim()));

      const refused = [
        await cli(['user:create', '--user-name', 'alice', '--password', 'x']),
        await cli(['user:create', '--user-name', 'dave', '--password', 'x', '--team', 'No Such Team']),
        await cli(['user:create', '--user-name', 'dave', '--api-key', 'has:colon']),
      ];
      expectFailure(refused[0]!, /User name 'alice' is already taken\./);
      expectFailure(refused[1]!, /Team 'No Such Team' does not exist\./);
      expectUsageError(refused[2]!, /without spaces or colons/);
    });

    it('stores what EspoCRM stores: types, methods, memberships, hashes only', async () => {
      const handle = openDatabase(url);
      try {
        const users = await handle.db.selectFrom('user').select(['userName', 'type', 'authMethod', 'apiKey', 'secretKey', 'passwordHash', 'defaultTeamId', 'firstName', 'lastName']).execute();
        const byName = new Map(users.map((user) => [user.userName, user]));
        expect(byName.get('integration')).toMatchObject({ type: 'api', authMethod: 'ApiKey', apiKey: 'int-key', secretKey: null, passwordHash: null });
        expect(byName.get('signer')).toMatchObject({ type: 'api', authMethod: 'Hmac', apiKey: 'sign-key', secretKey: 'sign-secret', passwordHash: null });
        expect(byName.get('alice')).toMatchObject({ type: 'regular', authMethod: null, apiKey: null, defaultTeamId: ids.salesTeam, firstName: 'Alice', lastName: 'alice' });
        expect(byName.get('root')).toMatchObject({ type: 'admin' });
        for (const name of ['alice', 'bob', 'root', 'carol']) {
          expect(byName.get(name)!.passwordHash).toMatch(/^scrypt\$/);
        }
        expect(JSON.stringify(users)).not.toMatch(/a:lice pw|bob-pw|root-pw|from stdin/);
        const role = await handle.db.selectFrom('role').select(['data']).where('id', '=', ids.salesRole!).executeTakeFirstOrThrow();
        expect(JSON.parse(role.data!)).toEqual({
          Account: { create: 'yes', read: 'team', edit: 'own', delete: 'no', stream: 'own' },
          Contact: { read: 'all', edit: 'all', create: 'no', delete: 'no', stream: 'no' },
        });
      } finally {
        await handle.close();
      }
    });

    it('seed adds accounts and reports progress on stderr', { timeout: SLOW }, async () => {
      const run = await cli(['seed', '--accounts', '300']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/100% 300\/300 accounts/);
      expect(run.stderr).toMatch(/Seeded 300 accounts in [\d.]+ s/);
    });

    describe('the created users over HTTP', () => {
      beforeAll(async () => {
        app = await createApp({ databaseUrl: url, validateResponses: true });
        ({ baseUrl, close } = await listenApp(app));
        // Accounts for the ACL checks: one for alice's team, one for bob's team.
        for (const [name, team] of [['Sales deal', ids.salesTeam], ['Other deal', ids.otherTeam]] as const) {
          const created = await fetch(`${baseUrl}/Account`, {
            method: 'POST',
            headers: { 'X-Api-Key': 'int-key', 'Content-Type': 'application/json' },
            body: JSON.stringify({ name, teamsIds: [team] }),
          });
          expect(created.status).toBe(200);
        }
      });

      afterAll(async () => {
        await close();
      });

      it('an ApiKey user uses its key, and cannot sign', async () => {
        expect((await call({ 'X-Api-Key': 'int-key' }, '/Account?maxSize=1')).status).toBe(200);
        const signature = createHmac('sha256', '').update('GET /Account').digest('hex');
        expect((await call({ 'X-Hmac-Authorization': b64(`int-key:${signature}`) }, '/Account?maxSize=1')).status).toBe(401);
      });

      it('an Hmac user signs, and cannot use its key alone', async () => {
        const signature = createHmac('sha256', 'sign-secret').update('GET /Account').digest('hex');
        expect((await call({ 'X-Hmac-Authorization': b64(`sign-key:${signature}`) }, '/Account?maxSize=1')).status).toBe(200);
        expect((await call({ 'X-Api-Key': 'sign-key' }, '/Account?maxSize=1')).status).toBe(401);
      });

      it('password users log in, with the access of their roles and teams', async () => {
        const alice = await call(basic('alice', 'a:lice pw'));
        expect(alice.status).toBe(200);
        expect(names(alice.body)).toEqual(['Sales deal']);
        const bob = await call({ 'Espo-Authorization': b64('bob:bob-pw') });
        expect(names(bob.body)).toEqual(['Other deal']);
        const root = await call(basic('root', 'root-pw'), '/Account?maxSize=1');
        expect((root.body as { total: number }).total).toBe(302);
        const carol = await call(basic('carol', 'from stdin:pw'), '/Account?maxSize=1');
        expect((carol.body as { total: number }).total).toBe(302);
        expect(await call(basic('nobody', 'nobody-pw'))).toMatchObject({ status: 403, reason: 'No read access.' });
        expect((await call(basic('alice', 'wrong'))).status).toBe(401);
      });
    });
  });

  it('a database it cannot reach is a failure with a message, not a stack trace', { timeout: SLOW }, async () => {
    expectFailure(await cli(['migrate', '--database-url', 'postgres://nobody@127.0.0.1:1/none']), /ECONNREFUSED|connect/);
    expectUsageError(await cli(['migrate', '--database-url', 'mysql://localhost/x']), /Unsupported database URL.*DATABASE_URL/);
  });
});

describe('espo-ref serve', () => {
  it('migrates, bootstraps, prints the URLs and stops on SIGTERM', { timeout: SLOW }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'espo-serve-'));
    const serve = await startServe([], { DATABASE_URL: `sqlite:${join(dir, 'espo.sqlite')}`, ESPO_SEED_ACCOUNTS: '5', LOG_LEVEL: 'warn' });
    try {
      // The banner is on stderr (stdout is for the JSON log lines).
      const banner = serve.stderr();
      const origin = serve.origin;
      expect(banner).toContain(`Docs:     ${origin}/docs`);
      expect(banner).toContain('X-Api-Key: demo-api-key');
      expect(banner).toContain('Basic:     admin / admin-password');
      const list = await fetch(`${origin}/api/v1/Account?maxSize=1`, { headers: { 'X-Api-Key': 'demo-api-key' } });
      expect(list.status).toBe(200);
      expect(((await list.json()) as { total: number }).total).toBe(5);
      const basic = await fetch(`${origin}/api/v1/Account?maxSize=1`, { headers: { Authorization: `Basic ${b64('admin:admin-password')}` } });
      expect(basic.status).toBe(200);
      // The other commands work on the running server's SQLite file (WAL); the server sees their users at once.
      const env = { DATABASE_URL: `sqlite:${join(dir, 'espo.sqlite')}` };
      expect((await espoRef(['role:create', '--name', 'Readers', '--acl', '{"Account":{"read":"all"}}'], { env })).code).toBe(0);
      expect((await espoRef(['user:create', '--user-name', 'late', '--api-key', 'late-key', '--role', 'Readers'], { env })).code).toBe(0);
      const late = await fetch(`${origin}/api/v1/Account?maxSize=1`, { headers: { 'X-Api-Key': 'late-key' } });
      expect(late.status).toBe(200);
      expect(await serve.stop('SIGTERM')).toBe(0);
    } finally {
      await serve.stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
