import { useMemo, useRef } from 'react';
import { formatNationalId } from '../../shared/identity';
import { useFormat } from '../i18n/useFormat';
import { useNow } from '../i18n/useNow';
import { oldest, yearsOld } from '../model/age';
import { isCountedEntry, isHighCriticality } from '../model/itemDetails';
import type { SummaryItem } from '../model/types';
import { CacheNotice } from './CacheNotice';
import { useStickyHeight } from './useStickyHeight';
import type { SelectedPatient, SummaryView } from '../store/samsynStore';

/** At most this many named in the sticky header per kind; the rest as "+N". */
const SHOWN = 4;

/** Critical information (alerts, items the merge raised) and high-risk allergies, for the sticky header. */
function criticalOf(summary: SummaryView): { critical: SummaryItem[]; allergies: SummaryItem[] } {
  const critical: SummaryItem[] = [];
  const allergies: SummaryItem[] = [];
  for (const [key, items] of Object.entries(summary.sections) as [string, SummaryItem[]][]) {
    for (const item of items) {
      if (!isCountedEntry(item)) continue;
      if (key === 'allergies') {
        if (isHighCriticality(item)) allergies.push(item);
      } else if (key === 'alerts' || item.critical === true) critical.push(item);
    }
  }
  return { critical, allergies };
}

function CriticalLine({ label, items, testId }: { label: string; items: readonly SummaryItem[]; testId: string }) {
  if (items.length === 0) return null;
  const names = [...new Set(items.map((i) => i.text))];
  return (
    <p className="patient-header__critical" data-testid={testId}>
      <span className="patient-header__critical-label">{label}</span>
      {names.slice(0, SHOWN).map((name) => (
        <span key={name} className="tag tag--critical">
          {name}
        </span>
      ))}
      {names.length > SHOWN && <span className="tag tag--neutral">+{names.length - SHOWN}</span>}
    </p>
  );
}

/**
 * The patient on screen. Its top — name, national id formatted for its
 * country, birth date and age, sex, test-identity mark, critical information
 * and high-risk allergies — stays visible while scrolling (sticky under the
 * app header); conflicts and the cache's state follow below it.
 */
export function PatientBanner({ summary, selected }: { summary: SummaryView; selected: SelectedPatient }) {
  const { t, date, dateTime, age } = useFormat();
  const now = useNow();
  const sticky = useRef<HTMLDivElement>(null);
  useStickyHeight(sticky, '--patient-header-height');
  const { critical, allergies } = useMemo(() => criticalOf(summary), [summary]);
  const cachedSince = oldest(summary.sources.filter((s) => s.state === 'cached').map((s) => s.fetchedAt));
  const allCached = summary.sources.length > 0 && summary.sources.every((s) => s.state === 'cached');
  const { patient } = summary;
  // The store only keeps a summary whose national id matches the one asked for,
  // so the validated id (with its kind and formatting) describes this patient.
  const nationalId = selected.nationalId;
  const idLabel = t(`idKinds.${nationalId?.kind ?? 'identifier'}`);
  const idValue = nationalId ? formatNationalId(nationalId) : patient.identifier.value;
  const birthDate = patient.birthDate ?? nationalId?.birthDate;
  const gender = patient.gender ?? nationalId?.sex;
  const nameOf = (sourceId: string) => summary.sources.find((s) => s.sourceId === sourceId)?.name ?? sourceId;
  const conflicts = patient.nameConflicts ?? [];
  const addressConflicts = patient.addressConflicts ?? [];
  const years = birthDate ? yearsOld(birthDate, now) : undefined;

  return (
    <>
      <div className="patient-header" ref={sticky} data-testid="patient-header">
        <section className="patient-banner" data-testid="patient-banner" aria-label={t('patient.label')}>
          <div className="patient-banner__main">
            <h1 className="patient-banner__name">{patient.name ?? t('patient.unknownName')}</h1>
            <dl className="patient-banner__facts">
              <div>
                <dt>{idLabel}</dt>
                <dd className="patient-banner__id" data-testid="patient-id">
                  {idValue}
                </dd>
              </div>
              {birthDate && (
                <div>
                  <dt>{t('patient.birthDate')}</dt>
                  <dd>
                    <time dateTime={birthDate}>{date(birthDate)}</time>
                  </dd>
                </div>
              )}
              {years !== undefined && (
                <div>
                  <dt>{t('patient.age')}</dt>
                  <dd data-testid="patient-age">{t('patient.ageYears', { count: years })}</dd>
                </div>
              )}
              {gender && (
                <div>
                  <dt>{t('patient.gender')}</dt>
                  <dd>{t(`gender.${gender}`, { defaultValue: gender })}</dd>
                </div>
              )}
            </dl>
            {nationalId?.test && (
              <span className="tag tag--neutral" data-testid="test-identity">
                {t('patient.testIdentity')}
              </span>
            )}
          </div>
          <CriticalLine label={t('patient.critical')} items={critical} testId="header-critical" />
          <CriticalLine label={t('patient.highRiskAllergies')} items={allergies} testId="header-allergies" />
        </section>
      </div>
      <div className="patient-banner__more">
        <SourceValues label={t('patient.nameConflict')} values={conflicts} nameOf={nameOf} testId="name-conflict" />
        <SourceValues label={t('patient.addressConflict')} values={addressConflicts} nameOf={nameOf} testId="address-conflict" />
        {summary.fromCache ? (
          <p className="patient-banner__cache" role="status" data-testid="from-cache">
            {cachedSince
              ? t('patient.fromCacheAge', { age: age(cachedSince, now), time: dateTime(cachedSince) })
              : t('patient.fromCache', { time: dateTime(summary.generatedAt) })}
            {!allCached && !summary.refreshing && <> {t('patient.partlyCached')}</>}
          </p>
        ) : (
          <p className="patient-banner__generated">{t('patient.generatedAt', { time: dateTime(summary.generatedAt) })}</p>
        )}
        {summary.refreshing && (
          <p className="patient-banner__refreshing" role="status" data-testid="summary-refreshing">
            <span className="spinner" aria-hidden="true" /> {t('patient.refreshing')}
          </p>
        )}
        {summary.cache && <CacheNotice notice={summary.cache} />}
      </div>
    </>
  );
}

/** What each source says where they disagree (name, address): side by side, never resolved. */
function SourceValues({
  label,
  values,
  nameOf,
  testId,
}: {
  label: string;
  values: readonly { sourceId: string; value: string }[];
  nameOf: (sourceId: string) => string;
  testId: string;
}) {
  if (values.length === 0) return null;
  return (
    <div className="patient-banner__conflict" role="note" data-testid={testId}>
      <p>{label}</p>
      <ul>
        {values.map((c) => (
          <li key={`${c.sourceId}|${c.value}`}>
            <span className="conflict__source">{nameOf(c.sourceId)}</span> {c.value}
          </li>
        ))}
      </ul>
    </div>
  );
}
