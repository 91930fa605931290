// EspoCRM HMAC request with Node alone (node:crypto + fetch): a signed search in the searchParams JSON form.
import { createHmac } from 'node:crypto';

const apiRoot = process.env.ESPO_API_ROOT || 'http://127.0.0.1:8080/api/v1';
const apiKey = process.env.ESPO_API_KEY || 'test-key';
const secretKey = process.env.ESPO_SECRET_KEY || 'test-secret';
const name = process.env.ESPO_SEARCH_NAME || 'Acme';

/** base64(apiKey + ':' + hex(HMAC-SHA256(secret, METHOD + ' ' + path))); path without /api/v1 and query. */
const signature = (method, path) =>
  Buffer.from(`${apiKey}:${createHmac('sha256', secretKey).update(`${method} ${path}`).digest('hex')}`).toString('base64');

const search = JSON.stringify({ maxSize: 5, where: [{ type: 'equals', attribute: 'name', value: name }] });
const path = '/Account';
const response = await fetch(`${apiRoot}${path}?searchParams=${encodeURIComponent(search)}`, {
  headers: { 'X-Hmac-Authorization': signature('GET', path) },
});
if (!response.ok) throw new Error(`${response.status} ${response.headers.get('x-status-reason') ?? ''}`);
const body = await response.json();
console.log(response.status, body.list.map((item) => item.id).join(' '));
