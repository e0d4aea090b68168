/**
 * National drug codes → ATC, so one substance is recognised across sources
 * that code it differently (issue 9 item 3): Sweden's NPL-id, Norway's FEST
 * product numbers and Finland's VNR identify products; the merge and the
 * reconciliation compare substances by ATC. A source that sends a product code
 * without ATC gets the ATC coding the configured table states, marked `mapped`
 * (Samsyn added it; the source did not say it). A code the table does not know
 * is left as it came — never guessed from the text.
 *
 * The table is a CSV file an integration engineer exports from the national
 * product registry (Läkemedelsverket's NPL, DMP's FEST, Fimea's/Kela's
 * registers): a header `system,code,atc[,display]`, one product per line,
 * `#` comment lines. `system` is a URI, an OID (urn:oid:…) or an HL7 v2
 * coding-system name (NPL). Limits are explicit: size, rows and the shape of
 * each ATC code; a broken line is a coded error naming the line.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { CodedError } from '../../shared/errors';
import { hl7CodingSystem, normalizeSystem, systemUri } from '../../shared/codeSystems';
import type { ClinicalItem } from '../../shared/summary';

export interface MappedAtc {
  atc: string;
  display?: string;
}

/** `normalizedSystem|CODE` → the ATC code the table states. */
export type DrugCodeMap = ReadonlyMap<string, MappedAtc>;

export interface DrugCodeLimits {
  maxBytes: number;
  maxRows: number;
}

export const DRUG_CODE_LIMITS: Readonly<DrugCodeLimits> = { maxBytes: 32 * 1024 * 1024, maxRows: 1_000_000 };

const ATC = systemUri('atc');
/** A WHO ATC code at any level: A, A10, A10B, A10BA, A10BA02. */
const ATC_SHAPE = /^[A-Z](?:\d{2}(?:[A-Z](?:[A-Z](?:\d{2})?)?)?)?$/;
/** The sections whose items name a drug product (a drug allergy may be coded by NPL-id too). */
const DRUG_SECTIONS = new Set(['medications', 'allergies', 'immunizations']);

const keyOf = (system: string, code: string) => `${system}|${code.trim().toUpperCase()}`;

function systemOf(text: string): string {
  const t = text.trim();
  // A URI or urn:oid stays a URI; a bare name or dotted OID is read as HL7 v2 would.
  return t.includes(':') ? normalizeSystem(t) : normalizeSystem(hl7CodingSystem(t) ?? t);
}

/** Splits one CSV line (RFC 4180 quoting, no embedded line breaks). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

/** Reads one table's text into `into`; a broken line is TERMINOLOGY_INVALID with its line number. */
export function parseDrugCodeTable(text: string, into: Map<string, MappedAtc> = new Map(), limits: Readonly<DrugCodeLimits> = DRUG_CODE_LIMITS): Map<string, MappedAtc> {
  if (Buffer.byteLength(text) > limits.maxBytes) throw new CodedError('TERMINOLOGY_INVALID', { limit: 'maxBytes', max: limits.maxBytes });
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let header: string[] | undefined;
  let rows = 0;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = csvFields(line);
    if (!header) {
      header = fields.map((f) => f.toLowerCase());
      if (header[0] !== 'system' || header[1] !== 'code' || header[2] !== 'atc') {
        throw new CodedError('TERMINOLOGY_INVALID', { line: index + 1, reason: 'header' });
      }
      return;
    }
    if (++rows > limits.maxRows) throw new CodedError('TERMINOLOGY_INVALID', { limit: 'maxRows', max: limits.maxRows });
    const [system = '', code = '', atc = '', display = ''] = fields;
    const atcCode = atc.toUpperCase();
    if (system === '' || code === '' || !ATC_SHAPE.test(atcCode)) {
      throw new CodedError('TERMINOLOGY_INVALID', { line: index + 1, reason: system === '' || code === '' ? 'empty' : 'atc' });
    }
    const key = keyOf(systemOf(system), code);
    const earlier = into.get(key);
    // One product code stands for one substance: two tables (or lines) that disagree are refused, not resolved.
    if (earlier && earlier.atc !== atcCode) throw new CodedError('TERMINOLOGY_INVALID', { line: index + 1, reason: 'conflict' });
    into.set(key, display ? { atc: atcCode, display } : { atc: atcCode });
  });
  if (!header) throw new CodedError('TERMINOLOGY_INVALID', { line: 1, reason: 'header' });
  return into;
}

/** Loads the configured tables (paths relative to the configuration file's folder), in order, into one map. */
export function loadDrugCodeMaps(paths: readonly string[], baseDir: string, limits: Readonly<DrugCodeLimits> = DRUG_CODE_LIMITS): DrugCodeMap {
  const map = new Map<string, MappedAtc>();
  paths.forEach((p, index) => {
    const file = isAbsolute(p) ? p : join(baseDir, p);
    let text: string;
    try {
      if (statSync(file).size > limits.maxBytes) throw new CodedError('TERMINOLOGY_INVALID', { table: index + 1, limit: 'maxBytes', max: limits.maxBytes });
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if (e instanceof CodedError) throw e;
      throw new CodedError('FILE_NOT_FOUND', { table: index + 1 });
    }
    try {
      parseDrugCodeTable(text, map, limits);
    } catch (e) {
      // Tables are named by position, like files on the command line.
      if (e instanceof CodedError) throw new CodedError(e.code, { table: index + 1, ...e.params });
      throw e;
    }
  });
  return map;
}

/**
 * The items with the ATC coding the table states added where a drug item has
 * a mapped product code and no ATC of its own. Items are never changed in
 * place (snapshots are shared); an item with an ATC keeps its own, even when
 * the table would say otherwise — the source's statement wins over ours, and a
 * disagreement between them stays visible as two codes.
 */
export function withMappedAtc(items: readonly ClinicalItem[], map: DrugCodeMap | undefined): ClinicalItem[] {
  if (!map || map.size === 0) return items as ClinicalItem[];
  return items.map((item) => {
    if (!DRUG_SECTIONS.has(item.section)) return item;
    let hasAtc = false;
    let found: MappedAtc | undefined;
    for (const c of item.codes) {
      if (!c.code) continue;
      const system = systemOf(c.system ?? '');
      if (system === ATC) {
        hasAtc = true;
        break;
      }
      found ??= map.get(keyOf(system, c.code));
    }
    if (hasAtc || !found) return item;
    return { ...item, codes: [...item.codes, { system: ATC, code: found.atc, ...(found.display ? { display: found.display } : {}), mapped: true }] };
  });
}
