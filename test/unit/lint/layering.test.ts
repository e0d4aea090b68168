/**
 * The layering rules are enforced by lint (eslint.config.mjs), not hoped for:
 * each rule is shown to fire on the import it forbids, and to stay quiet on an
 * allowed one, by linting a probe file as if it stood at a given path.
 */
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

async function problems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('layering lint', () => {
  it.each([
    ['a service importing the composition root', 'src/main/summary/probe.ts', "import { createServices } from '../app/createServices';"],
    ['a service importing a transport', 'src/main/cache/probe.ts', "import { startPreviewServer } from '../preview/previewServer';"],
    ['the source layer importing the bridge', 'src/main/sources/probe.ts', "import { dispatch } from '../bridge/dispatch';"],
    ['the sandbox importing the composition root', 'src/main/sandbox/probe.ts', "import { startRuntime } from '../app/runtime';"],
    ['the platform importing a service', 'src/main/platform/probe.ts', "import { mergeItems } from '../summary/merge';"],
    ['the product runtime importing the simulated systems', 'src/main/app/probe.ts', "import { startFhirSandbox } from '../sandbox/fhirServer';"],
    ['the CLI importing the simulated systems', 'src/main/cli/probe.ts', "import { SANDBOXES } from '../sandbox/sandboxRegistry';"],
    ['one protocol folder importing another (FHIR → HL7 v2)', 'src/main/sources/fhir/probe.ts', "import { isHl7Bytes } from '../hl7v2/hl7Text';"],
    ['one protocol folder importing another (HL7 v2 → FHIR)', 'src/main/sources/hl7v2/probe.ts', "import { mapFhirResource } from '../fhir/mappers';"],
    ['the access log importing the cache', 'src/main/audit/probe.ts', "import { openCache } from '../cache/openCache';"],
    ['the access log importing the composition root', 'src/main/audit/probe.ts', "import { startRuntime } from '../app/runtime';"],
    ['a renderer component importing a view', 'src/renderer/components/Probe.tsx', "import { SECTIONS } from '../views/sections';"],
  ])('fails on %s', async (_what, path, code) => {
    expect(await problems(path, `${code}\nexport const probe = 1;\n`)).toContain('import-x/no-restricted-paths');
  });

  it('fails on an import cycle', async () => {
    // summaryService imports merge; merge importing summaryService closes the loop.
    const code = "import { createSummaryService } from './summaryService';\nexport const probe = createSummaryService;\n";
    expect(await problems('src/main/summary/merge.ts', code)).toContain('import-x/no-cycle');
  });

  it('allows imports that go down the layers, and the demo composing sandbox and product', async () => {
    expect(await problems('src/main/summary/probe.ts', "import { systemClock } from '../platform/clock';\nexport const probe = systemClock;\n")).toEqual([]);
    expect(
      await problems(
        'src/main/demo/probe.ts',
        "import { startRuntime } from '../app/runtime';\nimport { startSandboxes } from '../sandbox/sandboxRegistry';\nexport const probe = [startRuntime, startSandboxes];\n",
      ),
    ).toEqual([]);
  });
});
