import { useFormat } from '../i18n/useFormat';
import { useNow } from '../i18n/useNow';
import { gestationalAge, pregnancyFacts } from '../model/pregnancy';
import type { SummaryItem } from '../model/types';
import { ClinicalItemList } from './ClinicalItemList';
import { LatestValuesTable } from './LatestValuesTable';
import { ResultTable } from './ResultTable';

/**
 * What a midwife and an emergency clinician need at a glance: status, expected
 * delivery date and gestational age today, earlier pregnancies, blood group and
 * antibodies, and the latest check-ups with their trend. Every record stays
 * listed below the card.
 */
/** A measured check-up value (a number, or components such as blood pressure): drawn as a trend. */
const isMeasured = (item: SummaryItem) => (typeof item.value === 'object' && item.value !== null) || (item.section === 'pregnancy' && (item.details.components ?? []).length > 0);

export function PregnancyCard({ items }: { items: readonly SummaryItem[] }) {
  const { t, date, value } = useFormat();
  const now = useNow();
  const facts = pregnancyFacts(items);
  const ga = facts.edd ? gestationalAge(facts.edd, now) : undefined;
  const hasCard = facts.status || facts.edd || facts.history.length > 0 || facts.bloodGroup || facts.checkups.length > 0;
  return (
    <>
      {hasCard && (
        <section className="pregnancy-card" data-testid="pregnancy-card" aria-label={t('pregnancyCard.title')}>
          <dl className="pregnancy-card__facts">
            {facts.status && (
              <div>
                <dt>{t('pregnancyCard.status')}</dt>
                <dd data-testid="pregnancy-status">{facts.status.value !== undefined ? value(facts.status.value) : facts.status.text}</dd>
              </div>
            )}
            {facts.edd && (
              <div>
                <dt>{t('pregnancyCard.edd')}</dt>
                <dd data-testid="pregnancy-edd">
                  <time dateTime={facts.edd}>{date(facts.edd)}</time>
                </dd>
              </div>
            )}
            {ga && (
              <div>
                <dt>{t('pregnancyCard.gestationalAge')}</dt>
                <dd data-testid="gestational-age" data-weeks={ga.weeks} data-days={ga.days}>
                  <strong>{t('pregnancyCard.weeksDays', { weeks: ga.weeks, days: ga.days })}</strong>{' '}
                  <span className="pregnancy-card__left">
                    {ga.daysLeft >= 0 ? t('pregnancyCard.daysLeft', { days: ga.daysLeft }) : t('pregnancyCard.overdue', { days: -ga.daysLeft })}
                  </span>
                </dd>
              </div>
            )}
            {facts.bloodGroup && (
              <div>
                <dt>{t('pregnancyCard.bloodGroup')}</dt>
                <dd data-testid="blood-group">{facts.bloodGroup.value !== undefined ? value(facts.bloodGroup.value) : facts.bloodGroup.text}</dd>
              </div>
            )}
            {facts.antibodies && (
              <div>
                <dt>{t('pregnancyCard.antibodies')}</dt>
                <dd data-testid="antibodies">
                  {facts.antibodies.value !== undefined ? value(facts.antibodies.value) : facts.antibodies.text}
                  {facts.antibodies.date && <> ({date(facts.antibodies.date)})</>}
                </dd>
              </div>
            )}
            {facts.history.length > 0 && (
              <div>
                <dt>{t('pregnancyCard.history.title')}</dt>
                <dd data-testid="pregnancy-history">
                  {facts.history
                    .map((h) => `${t(`pregnancyCard.history.${h.key}`)}: ${h.item.value !== undefined ? value(h.item.value) : '–'}`)
                    .join(' · ')}
                </dd>
              </div>
            )}
          </dl>
          <LatestValuesTable
            testId="pregnancy-checkups"
            label={t('pregnancyCard.checkups.title')}
            rows={facts.checkups.map((row) => ({ ...row, label: t(`pregnancyCard.checkups.${row.key}`) }))}
          />
        </section>
      )}
      {/* The check-ups as series with their trend charts (the shared results view); the rest as items. */}
      <ResultTable items={items.filter(isMeasured)} />
      <ClinicalItemList items={items.filter((i) => !isMeasured(i))} />
    </>
  );
}
