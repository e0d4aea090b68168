/** Plain-text rendering of a Summary for a terminal (English: it is an engineer's tool). */
import { SECTION_KEYS, type MergedItem, type Quantity, type Summary } from '../../shared/summary';

function value(v: Quantity | string | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return ` = ${v}`;
  return ` = ${v.comparator ?? ''}${v.value}${v.unit ? ' ' + v.unit : ''}`;
}

function item(i: MergedItem): string {
  const when = i.date ? ` (${i.date.slice(0, 10)})` : '';
  const status = i.status ? ` [${i.status}]` : '';
  const from = i.sources.map((s) => s.sourceName).join(', ');
  const conflicts = i.conflicts.map(
    (c) => `\n      ! ${c.field} differs: ${c.values.map((v) => `${v.sourceId}=${v.value}`).join(' / ')}`,
  );
  return `    - ${i.text}${value(i.value)}${status}${when}  <- ${from}${conflicts.join('')}`;
}

export function formatSummaryText(summary: Summary): string {
  const lines: string[] = [];
  const p = summary.patient;
  lines.push(`Patient: ${p.name ?? '(no name)'}  ${p.nationalId?.value ?? p.identifier.value}  ${p.birthDate ?? ''}`);
  lines.push('Sources:');
  for (const s of summary.sources) {
    lines.push(`  ${s.name}: ${s.state}${s.error ? ` ${s.error}` : ''}, ${s.itemCount} items`);
  }
  for (const key of SECTION_KEYS) {
    const items = summary.sections[key];
    if (items.length === 0) continue;
    lines.push(`${key} (${items.length})`);
    for (const i of items) lines.push(item(i));
  }
  if (summary.hiddenSealed > 0) lines.push(`${summary.hiddenSealed} sealed item(s) hidden`);
  return lines.join('\n') + '\n';
}
