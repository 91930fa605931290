/**
 * The ceilings of the benchmark, each in its own process, answering each request with the bytes the
 * reference server answered to the same request (`BENCH_BODIES`: a JSON file mapping `METHOD /path?query` to
 * a body). Prints `listening <port>` when ready.
 * - `BENCH_FRAMEWORK=node` (default): a bare node:http server, the ceiling of the machine;
 * - `BENCH_FRAMEWORK=express`: Express 5 with its JSON body parser and one route, the ceiling of the
 *   framework the reference server is built on (before any validation, authentication or database work).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

const bodies = new Map(Object.entries(JSON.parse(readFileSync(process.env.BENCH_BODIES!, 'utf8')) as Record<string, string>).map(([key, body]) => [key, Buffer.from(body)]));

function bare() {
  return createServer((req, res) => {
    const body = bodies.get(`${req.method} ${req.url}`);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    // Drain a request body (createAccount) before answering, as a real server would read it.
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
      res.end(body);
    });
  });
}

function withExpress() {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.all('/{*path}', express.json(), (req, res) => {
    const body = bodies.get(`${req.method} ${req.originalUrl}`);
    if (!body) res.status(404).end();
    else res.type('application/json').send(body);
  });
  return createServer(app);
}

const server = process.env.BENCH_FRAMEWORK === 'express' ? withExpress() : bare();
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => process.exit(0));
