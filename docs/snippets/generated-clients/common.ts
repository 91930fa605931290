// Shared by the round-trip scripts: the server, the credentials and the search every client sends.
export const apiRoot = process.env['ESPO_API_ROOT'] ?? 'http://127.0.0.1:8080/api/v1';
export const apiKey = process.env['ESPO_API_KEY'] ?? 'test-key';
export const secretKey = process.env['ESPO_SECRET_KEY'] ?? 'test-secret';
export const accountName = `Round trip ${process.argv[2] ?? 'client'} ${Date.now()}`;
/** The recommended search form: one JSON string in `searchParams`. */
export const search = JSON.stringify({ maxSize: 5, where: [{ type: 'equals', attribute: 'name', value: accountName }] });
export function report(result: { id: string; read: string; found: string[]; signedStatus: number }): void {
  console.log(JSON.stringify(result));
}
