/**
 * A new source kind is one definition handed to the registry: here a small
 * test-only kind ("test-echo", answering from memory) is validated from
 * configuration and answered in a summary through the same services, with no
 * other file changed.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from '../../../src/main/app/config';
import { createServices } from '../../../src/main/app/createServices';
import { createLogger } from '../../../src/main/platform/logger';
import { item, provenance } from '../../../src/main/sources/common/items';
import { BUILTIN_SOURCE_KINDS, createSourceRegistry, defineSourceKind } from '../../../src/main/sources/registry';
import { sourceIdSchema } from '../../../src/main/sources/sourceKind';
import { CodedError } from '../../../src/shared/errors';
import { openFinal } from '../../fixtures/openFinal';
import { signInForTest } from '../../fixtures/session';

const NOW = new Date('2026-11-29T10:00:00.000Z');
const clock = { now: () => NOW };

const echoSchema = z.object({
  id: sourceIdSchema,
  name: z.string().min(1),
  kind: z.literal('test-echo'),
  enabled: z.boolean().default(true),
  timeoutMs: z.number().int().positive().default(1_000),
  /** The one allergy this source knows of, for anyone asked about. */
  allergy: z.string().min(1),
});

const ECHO_KIND = defineSourceKind<z.output<typeof echoSchema>>({
  kind: 'test-echo',
  schema: echoSchema,
  create: (settings, deps) => ({
    id: settings.id,
    name: settings.name,
    kind: settings.kind,
    timeoutMs: settings.timeoutMs,
    fetchPatient: async (query) => {
      const fetchedAt = deps.clock.now().toISOString();
      return {
        subjects: [{ identifiers: [query.identifier] }],
        items: [
          item({
            section: 'allergies',
            codes: [],
            text: settings.allergy,
            status: 'active',
            details: { criticality: 'high' },
            sealed: false,
            provenance: provenance({ sourceId: settings.id, sourceName: settings.name, fetchedAt }, 'echo/1'),
          }),
        ],
        fetchedAt,
      };
    },
  }),
  endpoint: () => 'memory',
});

const registry = createSourceRegistry([...BUILTIN_SOURCE_KINDS, ECHO_KIND]);

describe('a source kind added through the registry', () => {
  it('is validated from configuration by its own schema', () => {
    const config = parseConfig({ sources: [{ id: 'echo', name: 'Ekot', kind: 'test-echo', allergy: 'Jordnöt' }] }, registry);
    expect(config.sources[0]).toMatchObject({ id: 'echo', kind: 'test-echo', enabled: true, timeoutMs: 1_000, allergy: 'Jordnöt' });

    const invalid = (raw: unknown) => {
      try {
        parseConfig(raw, registry);
        return undefined;
      } catch (err) {
        return (err as CodedError).code;
      }
    };
    expect(invalid({ sources: [{ id: 'echo', name: 'Ekot', kind: 'test-echo' }] })).toBe('CONFIG_INVALID');
    // Without the kind in the registry, the same entry is refused.
    expect(invalid({ sources: [{ id: 'echo', name: 'Ekot', kind: 'test-echo', allergy: 'x' }] }) ?? 'accepted').toBe('accepted');
    expect(() => parseConfig({ sources: [{ id: 'echo', name: 'Ekot', kind: 'test-echo', allergy: 'x' }] })).toThrow(CodedError);
  });

  it('answers in a summary beside the built-in kinds, with its provenance', async () => {
    const config = parseConfig({ sources: [{ id: 'echo', name: 'Ekot', kind: 'test-echo', allergy: 'Jordnöt' }] }, registry);
    const services = createServices({ config, registry, clock, logger: createLogger('test'), transport: 'preview', version: 'test' });
    const info = await services.handlers['app.info']({});
    expect(info.ok && info.value.sources).toEqual([{ id: 'echo', name: 'Ekot', kind: 'test-echo' }]);
    await signInForTest(services);
    const answer = await openFinal(services, '19121212-1212');
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    const summary = answer.final;
    expect(summary.sources).toEqual([expect.objectContaining({ sourceId: 'echo', state: 'ok', itemCount: 1 })]);
    expect(summary.sections.allergies).toEqual([
      expect.objectContaining({
        text: 'Jordnöt',
        details: { criticality: 'high' },
        sources: [{ sourceId: 'echo', sourceName: 'Ekot', recordId: 'echo/1', fetchedAt: NOW.toISOString() }],
      }),
    ]);
  });
});
