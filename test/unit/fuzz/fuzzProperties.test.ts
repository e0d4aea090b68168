/**
 * The fuzz run's checks (test/fuzz/run.ts) as bounded property tests in npm
 * test, and every failure `npm run fuzz` found kept as a regression
 * (test/fixtures/fuzz/*: seed and index in the name). Each input must end in a
 * result or a CodedError, and an answer the identity guard lets through holds
 * no item for another patient.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePatientInput } from '../../../src/shared/identity';
import { checkFile, checkIdentity, seeds } from '../../fuzz/run';
import { batchOf, FUZZ_IDS, generateMessage, identityString, int, mutateBytes, mutateJson, mutateSegments, pick, prng } from '../../fuzz/mutate';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'fuzz');
const TODAY = new Date('2026-11-30T00:00:00Z');
const queries = FUZZ_IDS.map((id) => {
  const parsed = parsePatientInput(id, { today: TODAY });
  if (!parsed.ok) throw new Error(parsed.error.code);
  return parsed.value;
});
const pool = seeds();
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

describe('fuzz regressions', () => {
  const files = readdirSync(FIXTURES).sort();
  it('keeps every failure found', () => expect(files.length).toBeGreaterThan(0));
  it.each(files)('%s reads to a result or a coded error, never an item for another patient', async (name) => {
    const bytes = readFileSync(join(FIXTURES, name));
    for (const query of queries) expect(await checkFile(bytes, query)).toEqual({ ok: true });
  });
});

describe('fuzz properties (bounded runs)', () => {
  it('HL7 v2: generated and mutated messages and batches', async () => {
    await fc.assert(
      fc.asyncProperty(seed, async (s) => {
        const rng = prng(s);
        let bytes: Buffer;
        if (rng() < 0.5) bytes = Buffer.from(batchOf(rng, [generateMessage(rng).text, generateMessage(rng).text]));
        else {
          const text = mutateSegments(rng, pick(rng, pool.hl7).toString('latin1'), pick(rng, pool.hl7).toString('latin1'));
          bytes = mutateBytes(rng, Buffer.from(text, 'latin1'));
        }
        expect(await checkFile(bytes, pick(rng, queries))).toEqual({ ok: true });
      }),
      { numRuns: 300 },
    );
  });

  it('FHIR: mutated Bundles from the fixtures and the sandbox', async () => {
    const small = pool.fhir.filter((b) => JSON.stringify(b).length < 100_000);
    await fc.assert(
      fc.asyncProperty(seed, async (s) => {
        const rng = prng(s);
        let json = pick(rng, small) as Parameters<typeof mutateJson>[1];
        for (let k = 0, n = 1 + int(rng, 4); k < n; k++) json = mutateJson(rng, json);
        expect(await checkFile(Buffer.from(JSON.stringify(json)), pick(rng, queries))).toEqual({ ok: true });
      }),
      { numRuns: 300 },
    );
  });

  it('identity numbers: a Result for any string, and a valid one reparses to itself', () => {
    fc.assert(
      fc.property(seed, (s) => {
        expect(checkIdentity(identityString(prng(s)))).toEqual({ ok: true });
      }),
      { numRuns: 1_000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        expect(checkIdentity(text)).toEqual({ ok: true });
      }),
      { numRuns: 1_000 },
    );
  });
});
