/**
 * Child process for batchFolderResponsive.test.ts (run with `node --import
 * tsx`): imports the drop folder given, so the test can kill it with SIGKILL
 * in the middle of a file's slices, as a crash would.
 */
import { createBatchImporter } from '../../../../src/main/sources/hl7v2/batchImporter';

const folder = process.argv[2];
if (!folder) throw new Error('usage: importChild.ts FOLDER');
void createBatchImporter({ id: 'lab', name: 'Lab', folder, settleMs: 0 })
  .importNew()
  .then(() => process.stdout.write('done\n'));
