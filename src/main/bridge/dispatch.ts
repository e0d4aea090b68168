/**
 * The one entry both transports use: check the command name and the request
 * against the SamsynApi map, run the handler, and turn any exception into a
 * coded Result so nothing but a code ever crosses the bridge.
 */
import { isCommandName, samsynApi, type SamsynHandlers } from '../../shared/api';
import { CodedError, fail, type Result } from '../../shared/errors';
import { createLogger } from '../platform/logger';

const log = createLogger('app.dispatch');

export async function dispatch(
  handlers: SamsynHandlers,
  command: string,
  rawRequest: unknown,
): Promise<Result<unknown>> {
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
