/**
 * Child process for the access log's kill test: appends records in a loop and
 * after each append prints "committed SEQ N" (N is in the record's `what`).
 * The parent kills it with SIGKILL at a random moment. argv: DIR KEYHEX START
 */
import { openAccessLog } from '../../../src/main/audit/accessLog';
import { createLogger } from '../../../src/main/platform/logger';

const [dir, keyHex, startText] = process.argv.slice(2);
if (!dir || !keyHex || !startText) throw new Error('usage: auditWriter DIR KEYHEX START');
const key = Buffer.from(keyHex, 'hex');
const log = openAccessLog({ dir, keyProvider: { kind: 'test', getKey: () => key }, clock: { now: () => new Date() }, logger: createLogger('audit-writer') });
const user = {
  userId: 'u-kill',
  displayName: 'Kill Test',
  role: 'nurse',
  careUnit: { id: 'unit-1', name: 'Unit One' },
  organisation: { id: 'org-1', name: 'Org One' },
};
process.stdout.write('ready\n');
for (let n = Number(startText); ; n++) {
  const { seq } = log.append({
    user,
    patient: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' },
    purpose: 'care',
    action: 'section.view',
    what: `n${n}`,
    outcome: { result: 'granted' },
  });
  process.stdout.write(`committed ${seq} ${n}\n`);
}
