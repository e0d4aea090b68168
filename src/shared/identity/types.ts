export type Country = 'SE' | 'NO' | 'FI';

export type NationalIdKind =
  | 'personnummer' // SE
  | 'samordningsnummer' // SE, day + 60
  | 'fodselsnummer' // NO
  | 'd-nummer' // NO, day + 40
  | 'henkilotunnus'; // FI

/**
 * A validated national identity number. `value` is the canonical form:
 * SE 12 digits without separator (YYYYMMDDNNNC), NO 11 digits, FI DDMMYYCZZZQ
 * with its century sign, upper case.
 */
export interface NationalId {
  country: Country;
  kind: NationalIdKind;
  value: string;
  /** ISO date of birth as encoded in the number (YYYY-MM-DD). */
  birthDate: string;
  /** 'female' | 'male' as encoded in the number. */
  sex: 'female' | 'male';
  /** True when the number lies in an official test / synthetic range. */
  test: boolean;
}

/** FHIR identifier systems (OIDs) for each kind of national id. */
export const NATIONAL_ID_SYSTEMS: Record<NationalIdKind, string> = {
  personnummer: 'urn:oid:1.2.752.129.2.1.3.1',
  samordningsnummer: 'urn:oid:1.2.752.129.2.1.3.3',
  fodselsnummer: 'urn:oid:2.16.578.1.12.4.1.4.1',
  'd-nummer': 'urn:oid:2.16.578.1.12.4.1.4.2',
  henkilotunnus: 'urn:oid:1.2.246.21',
};

/** Options for parsing a national id. */
export interface NationalIdParseOptions {
  /**
   * The reference date: a Swedish 10-digit number's century is counted back from
   * it, and a birth date after it is rejected. Its local calendar date is used.
   * Default: now.
   */
  today?: Date;
  /** Accept only this country's numbers (also settles an SE/FI ambiguity). */
  country?: Country;
}

/** The country whose rules define each kind. */
export const NATIONAL_ID_COUNTRY: Record<NationalIdKind, Country> = {
  personnummer: 'SE',
  samordningsnummer: 'SE',
  fodselsnummer: 'NO',
  'd-nummer': 'NO',
  henkilotunnus: 'FI',
};
