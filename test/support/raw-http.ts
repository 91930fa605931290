import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/**
 * Sends a request byte for byte as written (lines joined with CRLF), to replay what a real client put on
 * the wire, and reads the whole response. `Connection: close` replaces keep-alive so the answer ends with
 * the connection.
 */
export function sendRaw(baseUrl: string, raw: string): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const [head = '', body = ''] = raw.split('\n\n');
  const lines = head.split('\n').filter((line) => !/^connection:/i.test(line));
  const bytes = `${[...lines, 'Connection: close'].join('\r\n')}\r\n\r\n${body}`;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine = '', ...headerLines] = text.slice(0, split).split('\r\n');
      const headers = new Map<string, string>();
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4) });
    });
  });
}
