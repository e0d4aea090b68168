import type { CommandName, RequestOf, ResponseOf, SamsynBridge } from '../../shared/api';
import type { Result } from '../../shared/errors';

/**
 * Every store call to the services goes through here: a bridge that throws
 * (a transport failure, a bug) becomes the coded INTERNAL result, so a slice
 * only ever handles results.
 */
export async function safeInvoke<C extends CommandName>(
  bridge: SamsynBridge,
  command: C,
  request: RequestOf<C>,
): Promise<Result<ResponseOf<C>>> {
  try {
    return await bridge.invoke(command, request);
  } catch {
    return { ok: false, error: { code: 'INTERNAL' } };
  }
}
