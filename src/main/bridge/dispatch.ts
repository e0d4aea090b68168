/**
 * The one entry both transports use: check the command name and the request
 * against the SamsynApi map, run the handler, and turn any exception into a
 * coded Result so nothing but a code ever crosses the bridge.
 */
import type { z } from 'zod';
import { isCommandName, samsynApi, type CommandName, type ResponseOf, type SamsynApi } from '../../shared/api';
import { CodedError, fail, type Result } from '../../shared/errors';
import type { Summary } from '../../shared/summary';
import type { SummaryRest } from '../../shared/summaryParts';
import { createLogger } from '../platform/logger';
import { isPreserialized, materializeSummary, type PreserializedSummary, type SummaryAnswer } from '../summary/summaryAnswer';

const log = createLogger('bridge.dispatch');

/**
 * What a handler may answer: a summary may come as a pre-serialized envelope
 * (summaryAnswer.ts), and so may part 2 of one (its sections spliced, ADR 0032).
 */
export type Answer<T> = T extends Summary ? SummaryAnswer : T extends SummaryRest ? SummaryRest | PreserializedSummary : T;

/** Service-side handlers: one function per command, returning results, not throws. */
export type AnswerHandlers = {
  [C in CommandName]: (request: z.output<SamsynApi[C]['request']>) => Promise<Result<Answer<ResponseOf<C>>>>;
};

export async function dispatch(handlers: AnswerHandlers, command: string, rawRequest: unknown): Promise<Result<unknown>> {
  if (!isCommandName(command)) return fail('BRIDGE_UNKNOWN_COMMAND');
  const parsed = samsynApi[command].request.safeParse(rawRequest ?? {});
  if (!parsed.success) return fail('BRIDGE_BAD_REQUEST', { issues: parsed.error.issues.length });
  try {
    const handler = handlers[command] as (req: unknown) => Promise<Result<unknown>>;
    return await handler(parsed.data);
  } catch (err) {
    if (err instanceof CodedError) return { ok: false, error: err.toAppError() };
    log.error({ command, err: (err as Error)?.name ?? typeof err }, 'handler crashed');
    return fail('INTERNAL');
  }
}

/** A result as plain data (for a transport that cannot send pre-serialized bytes: Electron IPC). */
export function materializeResult(result: Result<unknown>): Result<unknown> {
  if (!result.ok || !isPreserialized(result.value)) return result;
  return { ok: true, value: materializeSummary(result.value) };
}
