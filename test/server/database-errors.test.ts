import { describe, expect, it } from 'vitest';
import { databaseError } from '../../src/server/http/database-errors.js';
import { isRetryableConflict } from '../../src/server/db/locks.js';

/** Database failures become a 400 or 503 with our own reason, never the driver's message (issue 14 item 2). */
describe('database errors as answers', () => {
  const driverMessage = 'invalid byte sequence for encoding "UTF8": 0x00 (secret detail)';

  it.each([
    ['22021', 400], // character_not_in_repertoire (NUL)
    ['22025', 400], // invalid_escape_sequence (LIKE)
    ['22P02', 400], // invalid_text_representation
    ['40P01', 503], // deadlock_detected
    ['40001', 503], // serialization_failure
    ['57014', 503], // query_canceled
    ['SQLITE_BUSY', 503],
  ])('%s → %i without the driver message', (code, status) => {
    const answer = databaseError(Object.assign(new Error(driverMessage), { code }));
    expect(answer?.status).toBe(status);
    expect(answer?.reason).not.toContain('UTF8');
    expect(answer?.reason).not.toContain('secret');
  });

  it('leaves other errors to the 500 path', () => {
    expect(databaseError(Object.assign(new Error('x'), { code: '23505' }))).toBeUndefined();
    expect(databaseError(new TypeError('x'))).toBeUndefined();
  });

  it('retries only deadlocks and serialization failures', () => {
    expect(isRetryableConflict({ code: '40P01' })).toBe(true);
    expect(isRetryableConflict({ code: '40001' })).toBe(true);
    expect(isRetryableConflict({ code: '23505' })).toBe(false);
    expect(isRetryableConflict(new Error('x'))).toBe(false);
  });
});
