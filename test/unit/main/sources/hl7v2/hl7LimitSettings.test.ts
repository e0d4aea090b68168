/**
 * The HL7 v2 limits in the configuration (ADR 0034): each is a positive
 * integer with a ceiling that still fits a workstation; a wrong value fails
 * validation (the source is not started with a limit it cannot keep), and an
 * absent one leaves the built-in default.
 */
import { describe, expect, it } from 'vitest';
import {
  batchSourceSchema,
  MLLP_REPLY_BYTES_CEILING,
  MLLP_REPLY_SEGMENTS_CEILING,
  mllpSourceSchema,
} from '../../../../../src/main/sources/hl7v2/hl7SourceConfig';

const MLLP = { id: 'kommun-vast', name: 'Kommun Väst', kind: 'hl7v2-mllp', port: 2575 };
const BATCH = { id: 'lab', name: 'Lab', kind: 'hl7v2-batch', folder: '/tmp/x' };

describe('HL7 v2 limit settings', () => {
  it('MLLP reply limits: accepted within their bounds, absent by default', () => {
    const parsed = mllpSourceSchema.parse({ ...MLLP, maxReplyBytes: 1 << 20, maxReplySegments: 10_000, maxContinuations: 0 });
    expect([parsed.maxReplyBytes, parsed.maxReplySegments, parsed.maxContinuations]).toEqual([1 << 20, 10_000, 0]);
    const plain = mllpSourceSchema.parse(MLLP);
    expect([plain.maxReplyBytes, plain.maxReplySegments, plain.maxContinuations]).toEqual([undefined, undefined, undefined]);
    expect(mllpSourceSchema.safeParse({ ...MLLP, maxReplyBytes: MLLP_REPLY_BYTES_CEILING }).success).toBe(true);
    expect(mllpSourceSchema.safeParse({ ...MLLP, maxReplySegments: MLLP_REPLY_SEGMENTS_CEILING }).success).toBe(true);
  });

  it.each([
    ['maxReplyBytes', 0],
    ['maxReplyBytes', 1023],
    ['maxReplyBytes', 2048.5],
    ['maxReplyBytes', MLLP_REPLY_BYTES_CEILING + 1],
    ['maxReplyBytes', '32MiB'],
    ['maxReplySegments', 0],
    ['maxReplySegments', -5],
    ['maxReplySegments', 10.5],
    ['maxReplySegments', MLLP_REPLY_SEGMENTS_CEILING + 1],
    ['maxContinuations', -1],
    ['maxContinuations', 1_001],
  ])('MLLP %s = %s is refused', (key, value) => {
    const result = mllpSourceSchema.safeParse({ ...MLLP, [key]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([key]);
  });

  it.each([
    ['maxFileBytes', 0],
    ['maxFileBytes', 1024 * 1024 * 1024 + 1],
    ['maxMessages', 0],
    ['maxMessages', 1_000_001],
    ['maxSegments', 0],
    ['maxSegments', 2.5],
    ['maxSegments', 10_000_001],
    ['maxHeldItems', -1],
    ['maxHeldItems', 1.5],
    ['maxHeldItems', 10_000_001],
    ['maxHeldItems', '100'],
  ])('batch folder %s = %s is refused', (key, value) => {
    const result = batchSourceSchema.safeParse({ ...BATCH, [key]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([key]);
  });

  it('batch folder maxHeldItems (ADR 0038): 0 (hold nothing) to 10,000,000, absent by default', () => {
    for (const n of [0, 1, 20_000, 10_000_000]) expect(batchSourceSchema.parse({ ...BATCH, maxHeldItems: n }).maxHeldItems).toBe(n);
    expect(batchSourceSchema.parse(BATCH).maxHeldItems).toBeUndefined();
  });
});
