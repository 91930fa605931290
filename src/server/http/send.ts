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
 * An error answer as EspoCRM sends it: the reason in `X-Status-Reason`, a JSON body only where EspoCRM has
 * one. 401 has no content type at all (EspoCRM sends PHP's default there).
 */
export function sendError(res: Response, status: number, reason: string, body?: unknown): void {
  res.status(status);
  res.setHeader('X-Status-Reason', headerSafe(reason));
  if (body !== undefined) {
    res.json(body);
    return;
  }
  if (status !== 401) res.setHeader('Content-Type', 'application/json');
  res.end();
}
