/**
 * Item kinds a role view profile can ask for: clinically defined groups of
 * codes (ATC classes, ICD-10 ranges, SNOMED CT concepts, LOINC tests). An item
 * is of a kind when one of its codings is in the kind's code list; nothing is
 * inferred from free text — an uncoded item is never of a kind (so a role
 * filtered by kinds does not receive it; see docs/adr/0017).
 *
 * Codes compare without dots and case (ICD-10 `D68.3` = ICD-10-SE `D683`);
 * a listed code is a prefix: ATC `B01A` covers every antithrombotic agent.
 */
import { normalizeSystem, systemUri, type CodeSystemName } from '../../shared/codeSystems';
import type { Coding } from '../../shared/summary';
import type { SectionKey } from '../../shared/sections';

interface CodeList {
  readonly system: CodeSystemName;
  /** Code prefixes in this system. */
  readonly codes: readonly string[];
}

export interface ItemKind {
  readonly id: string;
  /** The sections its items come in. */
  readonly sections: readonly SectionKey[];
  readonly codes: readonly CodeList[];
}

/** ICD-10 three-character categories from `from` to `to` inclusive, same letter (`D65`..`D69`). */
function icdRange(from: string, to: string): string[] {
  const letter = from[0];
  const start = Number(from.slice(1));
  const end = Number(to.slice(1));
  return Array.from({ length: end - start + 1 }, (_, i) => `${letter}${String(start + i).padStart(2, '0')}`);
}

const ICD = (codes: string[]): CodeList[] => [
  { system: 'icd10', codes },
  { system: 'icd10se', codes },
];

/** The item kinds the built-in profiles use (dental care's first list, issue 10). */
export const ITEM_KINDS: readonly ItemKind[] = [
  // Anticoagulants and antiplatelets: ATC B01A (B01AA vitamin K antagonists, B01AC platelet inhibitors, B01AE/AF direct inhibitors...).
  { id: 'antithrombotic', sections: ['medications'], codes: [{ system: 'atc', codes: ['B01A'] }] },
  // Bisphosphonates (M05BA, M05BB) and denosumab (M05BX04): osteonecrosis of the jaw.
  { id: 'antiresorptive', sections: ['medications'], codes: [{ system: 'atc', codes: ['M05BA', 'M05BB', 'M05BX04'] }] },
  // Immunosuppressants (L04), antineoplastics (L01), systemic glucocorticoids (H02AB).
  { id: 'immunosuppressive', sections: ['medications'], codes: [{ system: 'atc', codes: ['L04', 'L01', 'H02AB'] }] },
  { id: 'antidiabetic', sections: ['medications'], codes: [{ system: 'atc', codes: ['A10'] }] },
  {
    id: 'bleedingDisorder',
    sections: ['problems', 'alerts'],
    codes: [
      ...ICD(icdRange('D65', 'D69')),
      // Blood coagulation disorder; hereditary factor VIII deficiency; von Willebrand disorder.
      { system: 'snomed', codes: ['64779008', '28293008', '128105004'] },
    ],
  },
  {
    id: 'endocarditisRisk',
    sections: ['problems', 'alerts', 'procedures'],
    codes: [
      // Endocarditis (I33, I38, I39); prosthetic or replaced heart valve (Z95.2–Z95.4); valve prosthesis complication (T82.0).
      ...ICD(['I33', 'I38', 'I39', 'Z952', 'Z953', 'Z954', 'T820']),
      { system: 'snomed', codes: ['56819008'] },
    ],
  },
  {
    id: 'diabetes',
    sections: ['problems'],
    codes: [...ICD(icdRange('E10', 'E14')), { system: 'snomed', codes: ['73211009', '44054006', '46635009'] }],
  },
  {
    id: 'immunosuppression',
    sections: ['problems', 'alerts'],
    // Immunodeficiency (D80–D84), HIV disease (B20–B24), transplanted organ (Z94).
    codes: ICD([...icdRange('D80', 'D84'), ...icdRange('B20', 'B24'), 'Z94']),
  },
  {
    id: 'headNeckRadiotherapy',
    sections: ['problems', 'procedures'],
    codes: [
      // Cancers of lip, oral cavity and pharynx (C00–C14), nasal cavity, sinuses, larynx (C30–C32); personal history of irradiation (Z92.3).
      ...ICD([...icdRange('C00', 'C14'), ...icdRange('C30', 'C32'), 'Z923']),
      // Radiation oncology and/or radiotherapy.
      { system: 'snomed', codes: ['108290001'] },
    ],
  },
  // INR / prothrombin time: what a dentist checks before an extraction on warfarin.
  { id: 'inr', sections: ['results'], codes: [{ system: 'loinc', codes: ['6301-6', '34714-6', '46418-0', '5902-2'] }] },
];

export const ITEM_KIND_IDS = ITEM_KINDS.map((k) => k.id);

const normalizeCode = (code: string) => code.replace(/\./g, '').trim().toUpperCase();

interface CompiledKind {
  id: string;
  sections: ReadonlySet<SectionKey>;
  /** System URI → code prefixes (normalized). */
  prefixes: Map<string, string[]>;
}

function compile(kind: ItemKind): CompiledKind {
  const prefixes = new Map<string, string[]>();
  for (const list of kind.codes) {
    const uri = systemUri(list.system);
    prefixes.set(uri, [...(prefixes.get(uri) ?? []), ...list.codes.map(normalizeCode)]);
  }
  return { id: kind.id, sections: new Set(kind.sections), prefixes };
}

const COMPILED = new Map(ITEM_KINDS.map((k) => [k.id, compile(k)]));

export function isItemKind(id: string): boolean {
  return COMPILED.has(id);
}

/** The kinds among `kindIds` that an item of `section` with these codings is of. */
export function kindsOf(section: SectionKey, codes: readonly Coding[], kindIds: readonly string[]): string[] {
  const found: string[] = [];
  for (const id of kindIds) {
    const kind = COMPILED.get(id);
    if (!kind || !kind.sections.has(section)) continue;
    const hit = codes.some((c) => {
      if (!c.code) return false;
      const list = kind.prefixes.get(normalizeSystem(c.system));
      if (!list) return false;
      const code = normalizeCode(c.code);
      return list.some((p) => code.startsWith(p));
    });
    if (hit) found.push(id);
  }
  return found;
}
