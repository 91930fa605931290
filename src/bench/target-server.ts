/**
 * One server under benchmark, in its own process so it does not share an event loop with the load
 * generator: `BENCH_MODE=reference` (the reference server; `BENCH_VALIDATE=0` turns request validation off)
 * or `BENCH_MODE=bare` (a plain node:http server answering `BENCH_BODY` to every request: the ceiling).
 * Prints `listening <port>` when ready.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../server/app.js';
import { readConfig } from '../server/config.js';

async function start(): Promise<AddressInfo> {
  if (process.env.BENCH_MODE === 'bare') {
    const body = process.env.BENCH_BODY ?? '{}';
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server.address() as AddressInfo;
  }
  const app = await createApp({
    databaseUrl: process.env.DATABASE_URL ?? 'sqlite::memory:',
    validateRequests: process.env.BENCH_VALIDATE !== '0',
    validateResponses: false,
    identityCacheMs: readConfig().identityCacheMs,
  });
  const server = app.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return server.address() as AddressInfo;
}

// Exit through process.exit so that `node --cpu-prof` writes its profile.
process.on('SIGTERM', () => process.exit(0));
const address = await start();
process.stdout.write(`listening ${address.port}\n`);
