import type { Response } from 'express';

/** Header values must be Latin-1 without control characters; EspoCRM replaces bad characters with spaces. */
export function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e\xa0-\xff]/g, ' ');
}

/** A 200 JSON answer. `res.json` (not `res.end`) so that response validation sees the body. */
export function sendJson(res: Response, body: unknown): void {
  res.status(200).json(body);
}

/**
 * What EspoCRM's authentication layer answers with: PHP's default content type on an empty body (its
 * 401s, and the 400 for a malformed authorization string), not Espo's `application/json`.
 */
export const AUTH_ERROR_CONTENT_TYPE = 'text/html; charset=UTF-8';

/**
 * An error answer as EspoCRM sends it: the reason in `X-Status-Reason`, a JSON body only where EspoCRM has
 * one. Body-less answers from the authentication layer (every 401) carry `text/html; charset=UTF-8`.
 */
export function sendError(res: Response, status: number, reason: string, body?: unknown, options: { fromAuth?: boolean } = {}): void {
  res.status(status);
  res.setHeader('X-Status-Reason', headerSafe(reason));
  if (body !== undefined) {
    res.json(body);
    return;
  }
  res.setHeader('Content-Type', status === 401 || options.fromAuth ? AUTH_ERROR_CONTENT_TYPE : 'application/json');
  res.end();
}
