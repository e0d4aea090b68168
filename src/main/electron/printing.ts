/**
 * Print and save as PDF in the desktop app (issue 11 item 9): the same bridge
 * command as the preview ('summary.print', which logs the print, or the PDF as
 * an export); here the main process then prints the page the renderer has laid
 * out for print (every section open, every virtual row rendered, the user and
 * time on it): `webContents.print` for paper, `webContents.printToPDF` into a
 * file the user picks. Pure: main.ts does the Electron calls.
 */
import { join } from 'node:path';
import type { PrintToPDFOptions, SaveDialogOptions, WebContentsPrintOptions } from 'electron';

export type PrintOutput = 'paper' | 'pdf';

/** The output a 'summary.print' request asks the desktop app for; none: the renderer prints itself. */
export function printOutputOf(command: unknown, request: unknown): PrintOutput | undefined {
  if (command !== 'summary.print' || typeof request !== 'object' || request === null) return undefined;
  const output = (request as { output?: unknown }).output;
  return output === 'paper' || output === 'pdf' ? output : undefined;
}

/** A4, backgrounds (the critical marks' colours) kept, tagged for screen readers, page numbers in the footer only. */
export const PDF_OPTIONS: PrintToPDFOptions = {
  pageSize: 'A4',
  landscape: false,
  printBackground: true,
  preferCSSPageSize: true,
  generateTaggedPDF: true,
  generateDocumentOutline: true,
  displayHeaderFooter: true,
  // Chromium's default header would carry the page title and URL; the page prints who and when itself.
  headerTemplate: '<span></span>',
  footerTemplate: '<div style="font-size:8px;width:100%;text-align:center"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
  margins: { top: 0.5, bottom: 0.6, left: 0.5, right: 0.5 },
};

/** The system's print dialog (not silent): the user picks the printer. */
export const PAPER_OPTIONS: WebContentsPrintOptions = { silent: false, printBackground: true };

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * The suggested file name: the product and the local time, never the
 * patient's name or identity number (a file name is seen in folders, recent
 * files and backups).
 */
export function pdfFileName(now: Date): string {
  return `samsyn-${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}.pdf`;
}

/** The save dialog: in the user's documents folder, PDF only, asking before overwriting. */
export function saveDialogOptions(documentsDir: string, now: Date): SaveDialogOptions {
  return {
    defaultPath: join(documentsDir, pdfFileName(now)),
    filters: [{ name: 'PDF', extensions: ['pdf'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation', 'dontAddToRecent'],
  };
}

/** A chosen path is used only as a .pdf file. */
export function withPdfExtension(path: string): string {
  return /\.pdf$/i.test(path) ? path : `${path}.pdf`;
}
