/**
 * Child process for batchFolderMemory.test.ts (run with `node --import tsx`):
 * imports the drop folder given with every limit raised (as a site that
 * takes 100 MB batches would configure it), asks once for Tolvan, and prints
 * one JSON line: messages imported, items answered, and the process's peak
 * resident set size in bytes (process.resourceUsage().maxRSS) after the
 * import and after the query.
 */
import { createBatchFolderSource } from '../../../src/main/sources/hl7v2/batchFolderSource';
import { TOLVAN_ID } from '../sources/hl7/largeBatch';

const folder = process.argv[2];
if (!folder) throw new Error('usage: batchImportChild.ts FOLDER');
const source = createBatchFolderSource({
  id: 'lab',
  name: 'Lab',
  folder,
  timeoutMs: 600_000,
  settleMs: 0,
  maxFileBytes: 512 * 1024 * 1024,
  maxMessages: 10_000_000,
  maxSegments: 100_000_000,
});
void (async () => {
  const report = await source.importNew();
  const afterImport = process.resourceUsage().maxRSS * 1024;
  const tolvan = await source.fetchPatient({ identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: TOLVAN_ID } }, new AbortController().signal);
  process.stdout.write(
    `${JSON.stringify({ imported: report.imported, messages: source.folderStatus().messages, items: tolvan.items.length, afterImport, afterQuery: process.resourceUsage().maxRSS * 1024 })}\n`,
  );
})();
