import http from 'node:http';
import type { Express, Response } from 'express';

const JSON_TYPE = 'application/json';

/**
 * How the app's responses write JSON, set once on its response prototype (Express's documented extension
 * point), not wrapped per request:
 * - `Content-Type: application/json` without a charset, as EspoCRM answers; the official PHP client only
 *   parses bodies whose content type is exactly that. Express adds `; charset=utf-8` in `res.json()` and
 *   `res.set()`, so `setHeader` strips it.
 * - `res.json` writes the body as one string with its length. Express's `res.send` turns a body of 1 000
 *   characters or more into a Buffer, and Node then sends the headers and the body as two writes
 *   (`writev`), the largest cost of a small read after the database. Express's own `res.json` still
 *   answers what it does differently: 204 and 304 (no body), conditional requests (`req.fresh`), and a
 *   content type other than JSON set beforehand.
 */
export function jsonResponses(app: Express): void {
  const setHeader = http.ServerResponse.prototype.setHeader;
  app.response.setHeader = function (this: http.ServerResponse, name: string, value: number | string | readonly string[]) {
    if (typeof value === 'string' && value !== JSON_TYPE && value.startsWith(JSON_TYPE) && name.toLowerCase() === 'content-type') {
      return setHeader.call(this, name, JSON_TYPE);
    }
    return setHeader.call(this, name, value);
  } as typeof app.response.setHeader;

  const expressJson = app.response.json;
  app.response.json = function json(this: Response, value: unknown) {
    const type = this.getHeader('Content-Type');
    const headers = this.req.headers;
    if (
      this.statusCode === 204 ||
      this.statusCode === 304 ||
      (type !== undefined && type !== JSON_TYPE) ||
      headers['if-none-match'] !== undefined ||
      headers['if-modified-since'] !== undefined
    ) {
      return expressJson.call(this, value);
    }
    const body = JSON.stringify(value) as string | undefined;
    if (type === undefined) this.setHeader('Content-Type', JSON_TYPE);
    if (body === undefined) {
      this.end();
    } else {
      this.setHeader('Content-Length', Buffer.byteLength(body));
      this.end(body);
    }
    return this;
  };
}
