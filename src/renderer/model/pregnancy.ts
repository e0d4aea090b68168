/**
 * What the pregnancy card reads from the pregnancy section: status, expected
 * delivery date and gestational age on a given day, earlier pregnancies and
 * their outcomes, blood group and antibodies, and the check-ups as trends.
 * LOINC codes as the IPS pregnancy section and maternity records use them.
 */
import { trendRows, type TrendRow } from './trends';
import type { SummaryItem } from './types';

export const PREGNANCY_STATUS = '82810-3';
export const EDD_CODES = ['11778-8', '11779-6', '11780-4'] as const;

/** Earlier pregnancies: LOINC code → message key under pregnancyCard.history. */
export const HISTORY_CODES = {
  '11640-0': 'births',
  '11636-8': 'live',
  '11639-2': 'term',
  '11637-6': 'preterm',
  '11638-4': 'stillLiving',
  '11612-9': 'abortions',
  '11614-5': 'spontaneous',
  '11613-7': 'induced',
  '33065-4': 'ectopic',
} as const;

export const BLOOD_GROUP = '882-1';
export const ANTIBODY_SCREEN = '890-4';

/** Check-up measurements, in the card's order: code → message key under pregnancyCard.checkups. */
export const CHECKUP_CODES = {
  '85354-9': 'bloodPressure',
  '29463-7': 'weight',
  '718-7': 'haemoglobin',
  '20454-5': 'urineProtein',
  '25428-4': 'urineGlucose',
  '11881-0': 'fundalHeight',
} as const;

const DAY_MS = 86_400_000;

export interface GestationalAge {
  weeks: number;
  days: number;
  /** Days to the expected delivery date (negative: past it). */
  daysLeft: number;
}

/** Gestational age on `today` from the expected delivery date (280 days), by calendar day; undefined outside 0–45 weeks. */
export function gestationalAge(edd: string, today: Date): GestationalAge | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(edd);
  if (!m) return undefined;
  const due = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const day = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  const daysLeft = Math.round((due - day) / DAY_MS);
  const total = 280 - daysLeft;
  if (total < 0 || total > 45 * 7) return undefined;
  return { weeks: Math.floor(total / 7), days: total % 7, daysLeft };
}

function codeOf(item: SummaryItem): string | undefined {
  return item.codes.find((c) => c.system === 'http://loinc.org')?.code ?? item.codes[0]?.code;
}

function newest(items: readonly SummaryItem[], codes: readonly string[]): SummaryItem | undefined {
  return items
    .filter((i) => codes.includes(codeOf(i) ?? ''))
    .sort((a, b) => ((a.date ?? '') < (b.date ?? '') ? 1 : -1))[0];
}

export interface PregnancyFacts {
  status?: SummaryItem;
  edd?: string;
  eddItem?: SummaryItem;
  history: { key: (typeof HISTORY_CODES)[keyof typeof HISTORY_CODES]; item: SummaryItem }[];
  bloodGroup?: SummaryItem;
  antibodies?: SummaryItem;
  checkups: (TrendRow & { key: (typeof CHECKUP_CODES)[keyof typeof CHECKUP_CODES] })[];
}

export function pregnancyFacts(items: readonly SummaryItem[]): PregnancyFacts {
  const eddItem = newest(items, EDD_CODES);
  const edd = typeof eddItem?.value === 'string' ? eddItem.value : undefined;
  const history = Object.entries(HISTORY_CODES).flatMap(([code, key]) => {
    const item = newest(items, [code]);
    return item ? [{ key, item }] : [];
  });
  const byLoinc = items.map((i) => ({ ...i, codes: i.codes.filter((c) => c.system === 'http://loinc.org') })) as SummaryItem[];
  const checkups = trendRows(
    byLoinc.filter((i) => Object.hasOwn(CHECKUP_CODES, codeOf(i) ?? '')),
    Object.keys(CHECKUP_CODES),
  ).map((row) => ({ ...row, key: CHECKUP_CODES[row.code as keyof typeof CHECKUP_CODES] }));
  const status = newest(items, [PREGNANCY_STATUS]);
  const bloodGroup = newest(items, [BLOOD_GROUP]);
  const antibodies = newest(items, [ANTIBODY_SCREEN]);
  return {
    ...(status ? { status } : {}),
    ...(edd ? { edd } : {}),
    ...(eddItem ? { eddItem } : {}),
    history,
    ...(bloodGroup ? { bloodGroup } : {}),
    ...(antibodies ? { antibodies } : {}),
    checkups,
  };
}
