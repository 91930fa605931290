import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** The request target exactly as received (path and query, still percent-encoded). */
  readonly target: string;
  /** Header names lower-cased, as Node reports them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export type Reply = (request: RecordedRequest, response: ServerResponse) => void;

export interface EchoServer {
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** How the next requests are answered (default: 200 `application/json` `{"total":0,"list":[]}`). */
  reply: Reply;
  close(): Promise<void>;
}

const defaultReply: Reply = (_request, response) => {
  response.setHeader('Content-Type', 'application/json');
  response.end('{"total":0,"list":[]}');
};

/** A loopback HTTP server that records raw requests, like the one the wire captures were taken with. */
export async function startEchoServer(): Promise<EchoServer> {
  const requests: RecordedRequest[] = [];
  const state: { reply: Reply } = { reply: defaultReply };
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const recorded: RecordedRequest = {
        method: incoming.method ?? '',
        target: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      state.reply(recorded, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    get reply() {
      return state.reply;
    },
    set reply(reply: Reply) {
      state.reply = reply;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
