import type { z } from 'zod';
import { isEventName, samsynApi, samsynEvents, type CommandName, type SamsynBridge } from '../../shared/api';
import { fail, isErrorCode, type ErrorParams, type Result } from '../../shared/errors';
import type { Summary } from '../../shared/summary';
import { deferRest, splitCheck } from './splitCheck';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keeps only the small primitive params the error contract allows. */
function cleanParams(raw: unknown): ErrorParams | undefined {
  if (!isRecord(raw)) return undefined;
  const params: ErrorParams = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') params[key] = value;
  }
  return Object.keys(params).length > 0 ? params : undefined;
}

/**
 * Records how long one check took as a User Timing measure ("samsyn.validate
 * <command or event>"), so a benchmark in the browser can weigh validation
 * against the open it belongs to. The previous measure of the same name is
 * cleared first: the timeline holds at most one per name.
 */
function timed<T>(name: string, check: () => T): T {
  const perf = globalThis.performance;
  if (typeof perf?.measure !== 'function') return check();
  const start = perf.now();
  const result = check();
  try {
    perf.clearMeasures(name);
    perf.measure(name, { start, end: perf.now() });
  } catch {
    // A timeline that refuses a measure changes nothing for the answer.
  }
  return result;
}

/** After the frame in progress is painted (a frame callback, then a timer); a timer where there are no frames. */
function afterNextPaint(task: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(task, 0));
  else setTimeout(task, 0);
}

/** Commands that answer a summary: a large one is checked in two steps (splitCheck.ts). */
const SUMMARY_ANSWERS: ReadonlySet<CommandName> = new Set<CommandName>(['summary.open', 'summary.reveal']);

/**
 * A large summary's first check step, its rest registered for the store
 * (deferredRest) and timed as "samsyn.validate <name> rest" when it runs.
 * Undefined when it is to be checked whole: small, or already failing (the
 * whole check then says so, exactly as it would have).
 */
function checkedInSteps(name: string, raw: unknown): Summary | undefined {
  const split = splitCheck(raw);
  if (split === undefined || split === 'failed') return undefined;
  deferRest(split.partial, split.pending, () => timed(`${name} rest`, split.rest));
  return split.partial;
}

/**
 * Turns whatever came over a transport into a trusted Result: a success value
 * must match the command's response schema, a failure must carry a known code.
 * Anything else becomes INTERNAL, so a broken or hostile answer is never rendered.
 */
export function checkResult(command: CommandName, raw: unknown): Result<unknown> {
  if (!isRecord(raw) || typeof raw.ok !== 'boolean') return fail('INTERNAL', { command, reason: 'shape' });
  if (raw.ok) {
    // Part 1 of an answer in two parts (ADR 0032) is small: checked whole, its `parts` kept.
    const inParts = isRecord(raw.value) && 'parts' in raw.value;
    const partial = SUMMARY_ANSWERS.has(command) && !inParts ? checkedInSteps(`samsyn.validate ${command}`, raw.value) : undefined;
    if (partial) return { ok: true, value: partial };
    const schema = samsynApi[command].response as z.ZodType;
    const parsed = schema.safeParse(raw.value);
    return parsed.success ? { ok: true, value: parsed.data } : fail('INTERNAL', { command, reason: 'schema' });
  }
  const error = raw.error;
  if (!isRecord(error) || !isErrorCode(error.code)) return fail('INTERNAL', { command, reason: 'error-shape' });
  return fail(error.code, cleanParams(error.params));
}

/**
 * Wraps a transport so every answer is checked before the app sees it, requests
 * are checked before they leave, and a transport that throws still yields a Result.
 */
export function withValidation(transport: SamsynBridge): SamsynBridge {
  async function invoke(command: CommandName, request: unknown): Promise<Result<unknown>> {
    const requestSchema = samsynApi[command].request as z.ZodType;
    if (!requestSchema.safeParse(request).success) return fail('BRIDGE_BAD_REQUEST', { command });
    let raw: unknown;
    try {
      raw = await transport.invoke(command, request as never);
    } catch {
      return fail('BRIDGE_UNREACHABLE', { command });
    }
    return timed(`samsyn.validate ${command}`, () => checkResult(command, raw));
  }

  return {
    // checkResult has parsed the value with this command's response schema.
    invoke: invoke as SamsynBridge['invoke'],
    // A pushed payload is checked like an answer: an unknown event or a payload
    // that does not match the contract never reaches the app.
    on: (event, listener) => {
      if (!isEventName(event)) return () => undefined;
      const schema = samsynEvents[event] as z.ZodType;
      // Part 2 of a summary in two parts: checked after the frame in progress is painted, never before part 1's paint (ADR 0032).
      const when = event === 'summary.rest' ? afterNextPaint : (task: () => void) => task();
      return transport.on(event, (payload) => when(() => {
        const parsed = timed(`samsyn.validate ${event}`, () => {
          // A whole summary pushed: a large one is checked in two steps, like an answer.
          const whole = event === 'summary.updated' && isRecord(payload) && isRecord(payload.summary) && !('parts' in payload.summary);
          const partial = whole ? checkedInSteps(`samsyn.validate ${event}`, payload.summary) : undefined;
          return partial ? { success: true as const, data: { summary: partial } } : schema.safeParse(payload);
        });
        if (parsed.success) listener(parsed.data);
      }));
    },
  };
}
