/**
 * Large HL7 v2 inputs written on the fly, fast (one message repeated in large
 * writes), for the limit probes: a batch of a given size, and one message of a
 * given number of segments. Synthetic patients only (official test numbers).
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const TOLVAN = '191212121212';
const ELSA = '201701012393';

function message(n: number, id: string): string {
  return (
    `MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916060000||ORU^R01^ORU_R01|C${n}|P|2.5\r` +
    `PID|1||${id}^^^1.2.752.129.2.1.3.1^NNSWE||Provsson^Test||19121212|M\r` +
    `OBR|1|P${n}|F${n}|718-7^Hb^LN|||20250910100000||||||||||||||||||F\r` +
    `OBX|1|NM|718-7^Hemoglobin^LN||121|g/L^g/L^UCUM|105-140|N|||F|||20250910100000\r`
  );
}

/** An FHS/BHS batch of about `bytes` bytes, its messages alternating between two test patients; returns the message count. */
export function writeBatch(file: string, bytes: number): number {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, 'FHS|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916060000\rBHS|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916060000\r');
    let size = 0;
    let n = 0;
    let parts: string[] = [];
    while (size < bytes) {
      n++;
      const m = message(n, n % 2 === 1 ? TOLVAN : ELSA);
      parts.push(m);
      size += m.length;
      if (parts.length === 2_000) {
        writeSync(fd, parts.join(''));
        parts = [];
      }
    }
    writeSync(fd, `${parts.join('')}BTS|${n}\rFTS|1\r`);
    return n;
  } finally {
    closeSync(fd);
  }
}

/** One ORU message about Tolvan with `segments` segments in all (NTE lines after the OBX). */
export function writeLongMessage(file: string, segments: number): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, message(1, TOLVAN));
    const line = 'NTE|1||x\r';
    const block = line.repeat(10_000);
    let left = segments - 4;
    while (left >= 10_000) {
      writeSync(fd, block);
      left -= 10_000;
    }
    writeSync(fd, line.repeat(left));
  } finally {
    closeSync(fd);
  }
}

export const PATIENTS = { tolvan: TOLVAN, elsa: ELSA };
