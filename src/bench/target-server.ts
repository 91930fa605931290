/**
 * The ceiling of the benchmark: a bare node:http server, in its own process, answering each request with
 * the bytes the reference server answered to the same request (`BENCH_BODIES`: a JSON file mapping
 * `METHOD /path?query` to a body). Prints `listening <port>` when ready.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const bodies = new Map(Object.entries(JSON.parse(readFileSync(process.env.BENCH_BODIES!, 'utf8')) as Record<string, string>).map(([key, body]) => [key, Buffer.from(body)]));
const server = createServer((req, res) => {
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
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => process.exit(0));
