import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readHl7File, selectForPatient } from '../../../../../src/main/sources/hl7v2/hl7File';
import { readReply } from '../../../../../src/main/sources/hl7v2/hl7Reply';
import type { PatientQuery, SourceResult } from '../../../../../src/main/sources/types';
import { guardIdentity } from '../../../../../src/main/summary/identityGuard';
import { CodedError } from '../../../../../src/shared/errors';
import { sameIdentifier } from '../../../../../src/shared/identity';

const TOLVAN: PatientQuery = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' } };
const CTX = { sourceId: 'p', sourceName: 'P', fetchedAt: '2026-01-01T00:00:00.000Z' };
const PIDS = [
  'PID|1||191212121212^^^1.2.752.129.2.1.3.1',
  'PID|1||201701012393^^^1.2.752.129.2.1.3.1',
  'PID|1||191212121212^^^1.2.752.129.2.1.3.1~201701012393^^^1.2.752.129.2.1.3.1',
  'PID|1||191212121212^^^OTHER-AUTH',
  'PID|1||191212121212',
];
const CLINICAL = [
  'AL1|1|DA|764146007^Penicillin^SCT|SV|Urtikaria',
  'OBX|1|NM|14682-9^Kreatinin^LN||112|umol/L|60-105|H|||F',
  'ORC|NW|O1\rRXE|^^^20260301|C07AB02^Metoprolol^WC|50||mg',
  'DG1|1|I10|I10^Hypertoni^I10',
  'PV1|1|O',
  'NTE|1||anteckning',
];

const message = fc
  .tuple(
    fc.constantFrom('ORU^R01', 'RSP^K11', 'ADR^A19'),
    fc.array(fc.oneof(fc.constantFrom(...PIDS), fc.constantFrom(...CLINICAL)), { maxLength: 8 }),
  )
  .map(([type, segments]) => [`MSH|^~\\&|A|B|C|D|20260101||${type}|C1|P|2.5`, 'MSA|AA|C1', 'QAK|T|OK', ...segments].join('\r'));

/** Random damage: replace, insert or delete characters anywhere, including delimiters and escapes. */
const mutated = fc
  .tuple(message, fc.array(fc.tuple(fc.nat(), fc.constantFrom('|', '^', '~', '\\', '&', '\r', 'X', '', 'MSH|', '\\X4\\', 'Å')), { maxLength: 6 }))
  .map(([text, edits]) => {
    let out = text;
    for (const [at, ch] of edits) {
      const i = at % (out.length + 1);
      out = at % 3 === 0 ? out.slice(0, i) + ch + out.slice(i + 1) : out.slice(0, i) + ch + out.slice(i);
    }
    return out;
  });

const anyInput = fc.oneof(message, mutated, fc.string(), fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a).toString('latin1')));

function onlyTolvan(result: SourceResult): void {
  for (const subject of result.subjects) {
    expect(subject.identifiers.some((id) => sameIdentifier(id, TOLVAN.identifier))).toBe(true);
  }
}

describe('HL7 v2 parser path under random and damaged input', () => {
  it('never crashes: every failure is a CodedError', () => {
    fc.assert(
      fc.property(anyInput, fc.constantFrom('latin1', 'utf8') as fc.Arbitrary<BufferEncoding>, (text, encoding) => {
        const bytes = Buffer.from(text, encoding);
        for (const run of [() => readHl7File(bytes, CTX), () => readReply(bytes, 'QBP^Q11', 'C1')]) {
          try {
            run();
          } catch (err) {
            expect(err).toBeInstanceOf(CodedError);
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('never yields items for a patient other than the one asked for', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(message, mutated), { minLength: 1, maxLength: 4 }), (texts) => {
        let content;
        try {
          content = readHl7File(Buffer.from(texts.join('\r'), 'utf8'), CTX);
        } catch {
          return;
        }
        const mapped = content.messages.flatMap((m) => (m.mapped ? [m.mapped] : []));
        const result = selectForPatient(mapped, TOLVAN.identifier, CTX.fetchedAt);
        let guarded: SourceResult;
        try {
          guarded = guardIdentity(result, TOLVAN);
        } catch (err) {
          expect((err as CodedError).code).toBe('PATIENT_MISMATCH');
          return;
        }
        if (guarded.items.length > 0) expect(guarded.subjects.length).toBeGreaterThan(0);
        onlyTolvan(guarded);
      }),
      { numRuns: 1500 },
    );
  });
});
