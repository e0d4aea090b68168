import type { NationalId } from './types';

/** The form a clinician reads in each country (the value itself stays canonical). */
export function formatNationalId(id: NationalId): string {
  switch (id.country) {
    case 'SE':
      return `${id.value.slice(0, 8)}-${id.value.slice(8)}`;
    case 'NO':
      return `${id.value.slice(0, 6)} ${id.value.slice(6)}`;
    case 'FI':
      return id.value;
  }
}
