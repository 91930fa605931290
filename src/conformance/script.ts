import { fileURLToPath } from 'node:url';

/**
 * Runs `main` when the module is the script node was started with (not when it is imported), exiting with
 * its code; an unexpected error prints its stack and exits with 1.
 */
export function runAsScript(moduleUrl: string, main: (args: string[]) => Promise<number>): void {
  if (!process.argv[1] || fileURLToPath(moduleUrl) !== process.argv[1]) return;
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
