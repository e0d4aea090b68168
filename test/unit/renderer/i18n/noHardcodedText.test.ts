/**
 * Issue 11 item 7: no user-visible text is written into a component. Every
 * .tsx file of the renderer is parsed with TypeScript's own parser, and any
 * JSX text, any string literal shown as a child, and any string literal given
 * to an attribute a person reads or hears (aria-label, title, placeholder,
 * alt, label) fails the test: such text comes from the i18n messages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..', '..');
const RENDERER = join(root, 'src', 'renderer');
const READ_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'title', 'placeholder', 'alt', 'label']);
const LETTER = /\p{L}/u;

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsxFiles(join(dir, e.name)) : e.name.endsWith('.tsx') ? [join(dir, e.name)] : [],
  );
}

export function hardcodedTexts(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const where = (node: ts.Node) => `${relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && LETTER.test(node.text)) found.push(`${where(node)} text "${node.text.trim()}"`);
    if (ts.isJsxExpression(node) && node.expression && (ts.isStringLiteral(node.expression) || ts.isNoSubstitutionTemplateLiteral(node.expression))) {
      const parent = node.parent;
      if ((ts.isJsxElement(parent) || ts.isJsxFragment(parent)) && LETTER.test(node.expression.text)) found.push(`${where(node)} child "${node.expression.text}"`);
    }
    if (ts.isJsxAttribute(node) && READ_ATTRIBUTES.has(node.name.getText(source)) && node.initializer) {
      const init = node.initializer;
      const literal = ts.isStringLiteral(init) ? init : ts.isJsxExpression(init) && init.expression && ts.isStringLiteral(init.expression) ? init.expression : undefined;
      if (literal && LETTER.test(literal.text)) found.push(`${where(node)} ${node.name.getText(source)}="${literal.text}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('no hard-coded user-visible text in the renderer', () => {
  it('finds none in any component or view', () => {
    const files = tsxFiles(RENDERER);
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap((f) => hardcodedTexts(f, readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('would catch each kind (the check itself)', () => {
    const sample = `export const A = () => (<div title="Stäng" aria-label={'Meny'}><p>Hej</p>{'Spara'}<span className="x">{t('ok')}</span> · </div>);`;
    expect(hardcodedTexts(join(RENDERER, 'Sample.tsx'), sample).map((f) => f.replace(/^.*?:\d+ /, ''))).toEqual([
      'title="Stäng"',
      'aria-label="Meny"',
      'text "Hej"',
      'child "Spara"',
    ]);
  });
});
