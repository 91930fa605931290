/**
 * The commands of `espo-ref`: their options, help texts and argument checks. What they do is in
 * actions.ts, loaded only when a command runs.
 */
import { readFileSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import type { NewUserCredentials } from '../acl/index.js';
import { DEFAULT_DATABASE_URL, readConfig } from '../config.js';
import type { ProgressStream } from './progress.js';

const actions = () => import('./actions.js');

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
  env: NodeJS.ProcessEnv;
  /** The whole of standard input (for `--password-stdin`). */
  readStdin(): Promise<string>;
}

/** Bad command-line arguments: reported with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Synopsis and option descriptions, shown by `--help` and after a usage error. */
  readonly usage: string;
  readonly options: Options;
  /** Resolves to the exit code, or to `serving` when the process must keep running. */
  run(values: Values, io: CliIo): Promise<number | 'serving'>;
}

const DATABASE_OPTION: Options = { 'database-url': { type: 'string' } };
const DATABASE_HELP = `  --database-url URL   database to use (default: $DATABASE_URL, else ${DEFAULT_DATABASE_URL})`;

function databaseUrl(values: Values, io: CliIo): string {
  const url = values['database-url'];
  return typeof url === 'string' && url !== '' ? url : io.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

function text(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function required(values: Values, name: string): string {
  const value = text(values, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required.`);
  return value;
}

function list(values: Values, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value : [];
}

function count(values: Values, name: string, max: number): number {
  const value = required(values, name);
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < 1 || parsed > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}, got '${value}'.`);
  return parsed;
}

const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the reference server (what `npm start` runs)',
  usage: `espo-ref serve [--port N] [--host HOST] [--workers N] [--database-url URL]

Migrates the database, creates the bootstrap users (ESPO_API_KEY/ESPO_API_SECRET API user with full
access, ESPO_ADMIN_USERNAME/ESPO_ADMIN_PASSWORD admin), seeds demo accounts into an empty database
(ESPO_SEED=0 skips, ESPO_SEED_ACCOUNTS sets how many), prints the URLs and stops on SIGINT/SIGTERM.
Browser pages on other origins may call the API only when ESPO_API_CORS_ALLOWED_ORIGIN_LIST lists them
(comma-separated; CORS is off by default, as in EspoCRM; README, "Browsers on other origins").

  --port N             port to listen on (default: $PORT, else 8080; 0 picks a free one)
  --host HOST          interface to listen on (default: $HOST, else 127.0.0.1)
  --workers N          processes serving the port (default: one per CPU; 1 keeps a single process; an
                       in-memory SQLite database always has one). See docs/deploy.md.
${DATABASE_HELP}`,
  options: { ...DATABASE_OPTION, port: { type: 'string' }, host: { type: 'string' }, workers: { type: 'string' } },
  async run(values, io) {
    const port = text(values, 'port');
    if (port !== undefined && (!/^\d+$/.test(port) || Number(port) > 65535)) throw new UsageError(`--port must be a port number, got '${port}'.`);
    const workers = text(values, 'workers') === undefined ? undefined : count(values, 'workers', 256);
    const config = readConfig(io.env);
    const { serveWorkers, defaultWorkers } = await actions();
    await serveWorkers({
      ...config,
      databaseUrl: databaseUrl(values, io),
      ...(port !== undefined ? { port: Number(port) } : {}),
      ...(text(values, 'host') ? { host: text(values, 'host')! } : {}),
    }, workers ?? defaultWorkers(), workers !== undefined);
    return 'serving';
  },
};

const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Create or update the database schema',
  usage: `espo-ref migrate [--database-url URL]

Applies the pending migrations and lists them (every other command does this too).

${DATABASE_HELP}`,
  options: DATABASE_OPTION,
  async run(values, io) {
    const applied = await (await actions()).migrate(databaseUrl(values, io));
    io.stdout.write(applied.length > 0 ? `Applied: ${applied.join(', ')}\n` : 'The database schema is up to date.\n');
    return 0;
  },
};

const MAX_SEED = 10_000_000;

const seedCommand: Command = {
  name: 'seed',
  summary: 'Add generated accounts',
  usage: `espo-ref seed --accounts N [--database-url URL]

Adds N realistic accounts (1–2 email addresses and phone numbers each), assigned to the existing admins and
regular users, in batched transactions; progress goes to stderr.

  --accounts N         how many accounts to add (1 to ${MAX_SEED})
${DATABASE_HELP}`,
  options: { ...DATABASE_OPTION, accounts: { type: 'string' } },
  async run(values, io) {
    const accounts = count(values, 'accounts', MAX_SEED);
    await (await actions()).seed(databaseUrl(values, io), accounts, io.stderr, io.env);
    return 0;
  },
};

const teamCommand: Command = {
  name: 'team:create',
  summary: 'Create a team; prints its id',
  usage: `espo-ref team:create --name NAME [--role ROLE]... [--database-url URL]

  --name NAME          the team's name (unique here, because other commands refer to teams by name)
  --role ROLE          a role every member of the team gets (repeatable)
${DATABASE_HELP}`,
  options: { ...DATABASE_OPTION, name: { type: 'string' }, role: { type: 'string', multiple: true } },
  async run(values, io) {
    const name = required(values, 'name');
    const id = await (await actions()).createTeamNamed(databaseUrl(values, io), name, list(values, 'role'));
    io.stdout.write(`${id}\n`);
    return 0;
  },
};

const roleCommand: Command = {
  name: 'role:create',
  summary: 'Create a role from ACL JSON; prints its id',
  usage: `espo-ref role:create --name NAME --acl JSON [--database-url URL]

  --name NAME          the role's name (unique here)
  --acl JSON           access per scope, as EspoCRM stores it, or @FILE to read it from a file:
                       {"Account":{"create":"yes","read":"team","edit":"own","delete":"no","stream":"own"},
                        "Contact":{"read":"all","edit":"all"}}
                       create: yes|no; read, edit, delete, stream: all|team|own|no; a scope set to false is
                       disabled. Actions left out get "no". Team has only read (all|team|no), User has read
                       and edit (own|no); stream exists only for Account, Contact, Opportunity, Case, Meeting,
                       Task. Scopes: Account, Contact, Opportunity, Case, Call, Meeting, Task, Document, Email,
                       TargetList, Campaign, Team, User.
${DATABASE_HELP}`,
  options: { ...DATABASE_OPTION, name: { type: 'string' }, acl: { type: 'string' } },
  async run(values, io) {
    const name = required(values, 'name');
    const acl = required(values, 'acl');
    const json = acl.startsWith('@') ? readAclFile(acl.slice(1)) : acl;
    const id = await (await actions()).createRoleFromJson(databaseUrl(values, io), name, json);
    io.stdout.write(`${id}\n`);
    return 0;
  },
};

function readAclFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

const userCommand: Command = {
  name: 'user:create',
  summary: 'Create an API user or a user with a password; prints its id',
  usage: `espo-ref user:create --user-name NAME (--api-key KEY [--secret-key SECRET] | --password PASS | --password-stdin)
                     [--team TEAM]... [--role ROLE]... [--admin] [--first-name NAME] [--last-name NAME]
                     [--database-url URL]

  --user-name NAME     lower-case letters, digits and - @ _ . (EspoCRM's rule), at most 50
  --api-key KEY        an API user authenticating with X-Api-Key (method ApiKey)
  --secret-key SECRET  with --api-key: the user signs requests with HMAC instead (method Hmac)
  --password PASS      a regular user logging in with Espo-Authorization or Basic; stored as a scrypt hash
  --password-stdin     read the password from standard input instead (keeps it out of the process list)
  --admin              with a password: an administrator (bypasses roles)
  --team TEAM          a team to join, by name (repeatable; the first is the default team)
  --role ROLE          a role to hold, by name (repeatable)
  --first-name NAME, --last-name NAME   display name (the last name defaults to the user name)
${DATABASE_HELP}`,
  options: {
    ...DATABASE_OPTION,
    'user-name': { type: 'string' },
    'api-key': { type: 'string' },
    'secret-key': { type: 'string' },
    password: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    admin: { type: 'boolean' },
    team: { type: 'string', multiple: true },
    role: { type: 'string', multiple: true },
    'first-name': { type: 'string' },
    'last-name': { type: 'string' },
  },
  async run(values, io) {
    const userName = required(values, 'user-name');
    const credentials = await userCredentials(values, io);
    const id = await (await actions()).createUserNamed(databaseUrl(values, io), {
      userName,
      firstName: text(values, 'first-name'),
      lastName: text(values, 'last-name'),
      credentials,
      teamNames: list(values, 'team'),
      roleNames: list(values, 'role'),
    });
    io.stdout.write(`${id}\n`);
    return 0;
  },
};

async function userCredentials(values: Values, io: CliIo): Promise<NewUserCredentials> {
  const apiKey = text(values, 'api-key');
  const secretKey = text(values, 'secret-key');
  const fromStdin = values['password-stdin'] === true;
  const admin = values.admin === true;
  if (text(values, 'password') !== undefined && fromStdin) throw new UsageError('Give --password or --password-stdin, not both.');
  const password = fromStdin ? (await io.readStdin()).replace(/\r?\n$/, '') : text(values, 'password');
  if (apiKey !== undefined && password !== undefined) throw new UsageError('Give --api-key or a password, not both: API users have no password.');
  if (secretKey !== undefined && apiKey === undefined) throw new UsageError('--secret-key needs --api-key.');
  if (apiKey !== undefined) {
    if (admin) throw new UsageError('API users cannot be administrators (EspoCRM); give them roles instead.');
    return { kind: 'api', apiKey, secretKey };
  }
  if (password === undefined) throw new UsageError('Give --api-key KEY (API user) or --password PASS (user with a password).');
  return { kind: 'password', password, admin };
}

export const COMMANDS: readonly Command[] = [serveCommand, migrateCommand, seedCommand, teamCommand, roleCommand, userCommand];
