import { randomFillSync } from 'node:crypto';

let lastMicros = 0;

// Random bytes drawn 4 KiB at a time: one call into the CSPRNG per id cost more than the rest of a
// bulk seed's id making.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/** Four random lowercase hex digits. */
function randomHex4(): string {
  if (poolOffset > pool.length - 2) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const value = pool.readUInt16BE(poolOffset);
  poolOffset += 2;
  return value.toString(16).padStart(4, '0');
}

/**
 * A 17-character lowercase hex id like EspoCRM's `uniqid() . 4 random hex` (Util::generateId):
 * 8 hex of seconds + 5 hex of microseconds, then 4 random hex. Ids made by one process increase
 * strictly, so they also sort by creation time.
 */
export function generateId(now: number = Date.now()): string {
  let micros = Math.max(now * 1000, lastMicros + 1);
  lastMicros = micros;
  const seconds = Math.floor(micros / 1_000_000);
  micros -= seconds * 1_000_000;
  return seconds.toString(16).padStart(8, '0') + micros.toString(16).padStart(5, '0') + randomHex4();
}
