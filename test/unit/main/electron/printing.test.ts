import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PDF_OPTIONS, PAPER_OPTIONS, pdfFileName, printOutputOf, saveDialogOptions, withPdfExtension } from '../../../../src/main/electron/printing';

const src = join(__dirname, '..', '..', '..', '..', 'src', 'main', 'electron');

describe('Electron print and save as PDF', () => {
  it('prints from main only for a summary.print asking for paper or a PDF', () => {
    expect(printOutputOf('summary.print', { patient: '19121212-1212', output: 'pdf' })).toBe('pdf');
    expect(printOutputOf('summary.print', { patient: '19121212-1212', output: 'paper' })).toBe('paper');
    expect(printOutputOf('summary.print', { patient: '19121212-1212' })).toBeUndefined();
    expect(printOutputOf('summary.print', { output: 'screen' })).toBeUndefined();
    expect(printOutputOf('summary.export', { patient: 'x', output: 'pdf' })).toBeUndefined();
    expect(printOutputOf('summary.print', null)).toBeUndefined();
  });

  it('names the file by product and time, never by patient', () => {
    const name = pdfFileName(new Date(2026, 10, 30, 4, 5, 6));
    expect(name).toBe('samsyn-2026-11-30-040506.pdf');
    expect(name).not.toMatch(/\d{6,8}-?\d{4}/); // no personal identity number shape
    const dialog = saveDialogOptions('/home/anna/Dokument', new Date(2026, 10, 30, 4, 5, 6));
    expect(dialog.defaultPath).toBe(join('/home/anna/Dokument', 'samsyn-2026-11-30-040506.pdf'));
    expect(dialog.filters).toEqual([{ name: 'PDF', extensions: ['pdf'] }]);
    expect(dialog.properties).toContain('showOverwriteConfirmation');
    expect(withPdfExtension('/tmp/utskrift')).toBe('/tmp/utskrift.pdf');
    expect(withPdfExtension('/tmp/a.PDF')).toBe('/tmp/a.PDF');
  });

  it('prints A4 with backgrounds (the critical marks), tagged, with no URL or title in a header', () => {
    expect(PDF_OPTIONS).toMatchObject({ pageSize: 'A4', printBackground: true, generateTaggedPDF: true, displayHeaderFooter: true });
    expect(PDF_OPTIONS.headerTemplate).not.toMatch(/title|url/);
    expect(PDF_OPTIONS.footerTemplate).toMatch(/pageNumber/);
    expect(PAPER_OPTIONS).toEqual({ silent: false, printBackground: true });
  });

  it('is wired in main.ts: printToPDF into the chosen file, webContents.print for paper, after the logged command', () => {
    const text = readFileSync(join(src, 'main.ts'), 'utf8');
    expect(text).toMatch(/printOutputOf\(command, request\)/);
    expect(text).toMatch(/result\.ok \? printOutputOf/);
    expect(text).toMatch(/contents\.printToPDF\(PDF_OPTIONS\)/);
    expect(text).toMatch(/contents\.print\(PAPER_OPTIONS/);
    expect(text).toMatch(/dialog\.showSaveDialog/);
    // The pure helper stays free of Electron at run time (testable under Node).
    const helper = readFileSync(join(src, 'printing.ts'), 'utf8');
    expect(helper).toMatch(/^import type \{[^}]*\} from 'electron';$/m);
    expect(helper).not.toMatch(/^import \{[^}]*\} from 'electron'/m);
  });
});
