/**
 * `espo-ref`: the reference server's command line. Dispatches to a command, and turns failures into a
 * message on stderr and an exit code, never a stack trace:
 *   0 success, 1 the command could not be carried out (name taken, unknown team, database unreachable),
 *   2 invalid arguments (unknown option, missing value, invalid ACL JSON, malformed user name …).
 */
import { parseArgs } from 'node:util';
import { DirectoryError, InvalidValueError } from '../acl/index.js';
import { ConfigError } from '../config.js';
import { PACKAGE_VERSION } from '../../package-root.js';
import { COMMANDS, UsageError, type CliIo, type Command } from './commands.js';

const PROGRAM = 'espo-ref';

export function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return `Usage: ${PROGRAM} <command> [options]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

Every command uses the database of DATABASE_URL (sqlite:<file> or postgres://…; default
sqlite:./data/espo.sqlite), or --database-url, and brings its schema up to date first.
Run '${PROGRAM} <command> --help' for a command's options, '${PROGRAM} --version' for the version.
Exit codes: 0 success, 1 failure, 2 invalid arguments or settings.
`;
}

function help(command: Command): string {
  return `Usage: ${command.usage}\n`;
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).code!.startsWith('ERR_PARSE_ARGS');
}

/** Runs one command line (without `node` and the script); resolves to the exit code, or `serving`. */
export async function run(argv: readonly string[], io: CliIo): Promise<number | 'serving'> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((command) => command.name === rest[0]) : undefined;
    (name === undefined ? io.stderr : io.stdout).write(topic ? help(topic) : overview());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr.write(`${PROGRAM}: unknown command '${name}'.\n\n${overview()}`);
    return 2;
  }
  try {
    const { values } = parseArgs({ args: [...rest], options: { ...command.options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
    if (values.help) {
      io.stdout.write(help(command));
      return 0;
    }
    return await command.run(values, io);
  } catch (error) {
    return report(error, command, io);
  }
}

function report(error: unknown, command: Command, io: CliIo): number {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UsageError || isParseArgsError(error)) {
    io.stderr.write(`${PROGRAM} ${command.name}: ${message}\n\n${help(command)}`);
    return 2;
  }
  if (error instanceof InvalidValueError || error instanceof ConfigError) {
    io.stderr.write(`${PROGRAM} ${command.name}: ${message}\nRun '${PROGRAM} ${command.name} --help' for usage.\n`);
    return 2;
  }
  if (error instanceof DirectoryError) {
    io.stderr.write(`${PROGRAM} ${command.name}: ${message}\n`);
    return 1;
  }
  // Anything else (database unreachable, disk full …): the message only; the stack is for ESPO_DEBUG=1.
  io.stderr.write(`${PROGRAM} ${command.name}: ${message}\n`);
  if (isConnectionError(error)) io.stderr.write(`Check the database server and DATABASE_URL (or --database-url).\n`);
  if (io.env.ESPO_DEBUG === '1' && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return 1;
}

/** The database server could not be reached or refused the login (node's and PostgreSQL's error codes). */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|28P01|28000|3D000)$/.test(code);
}

/** The process entry (see bin.ts). */
export async function main(): Promise<void> {
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
  const result = await run(process.argv.slice(2), io);
  if (result !== 'serving') process.exitCode = result;
}
