/**
 * Rows are keyed by an HMAC of the patient identifier, never the identifier.
 * A plain hash would not do: there are only a few million valid personnummer
 * per birth year, so SHA-256(id) is reversed by enumeration in seconds. The
 * HMAC key is derived (HKDF) from the cache key, so without the key the row
 * keys say nothing, and with it they are still not the number itself.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { Identifier } from '../../shared/summary';

export type PatientKeyer = (identifier: Identifier) => string;

export function createPatientKeyer(cacheKey: Buffer): PatientKeyer {
  const macKey = Buffer.from(hkdfSync('sha256', cacheKey, Buffer.alloc(0), 'samsyn-cache-patient-key/v1', 32));
  return (identifier) =>
    createHmac('sha256', macKey)
      .update(`${identifier.system ?? ''}|${identifier.value}`)
      .digest('hex');
}
