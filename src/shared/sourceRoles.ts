/**
 * What a source is, beyond how it is reached: a care provider's own record (the
 * default), a national medication list, a home-monitoring service or a
 * maternity-care record. Declared per source in the configuration (`role`,
 * `country`); the mappers label items by it and the merge keeps a national
 * list's records beside the care providers' own, never merged into them.
 */
import { z } from 'zod';

export const sourceRoleSchema = z.enum(['careProvider', 'nationalMedicationList', 'homeMonitoring', 'maternityCare']);
export const sourceCountrySchema = z.enum(['SE', 'NO', 'FI']);

export type SourceRole = z.output<typeof sourceRoleSchema>;
export type SourceCountry = z.output<typeof sourceCountrySchema>;
