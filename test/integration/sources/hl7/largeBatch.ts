/**
 * A large lab batch for the batch-folder load tests: `count` ORU^R01 messages
 * in one BHS batch (8859/1), every third about Tolvan Tolvansson (the official
 * Swedish test number), the rest about numbered others; 12 segments each.
 */
export const TOLVAN_ID = '191212121212';

export function oruMessage(i: number): string {
  const pid =
    i % 3 === 0 ? `PID|1||${TOLVAN_ID}^^^1.2.752.129.2.1.3.1^NNSWE||Tolvansson^Tolvan||19121212|M` : `PID|1||RN-${i}^^^REGION-NORD&1.2.752.999.1&ISO^PI||Testsson^Test${i}`;
  const segments = [
    `MSH|^~\\&|LAB|LAB-OST|SAMSYN|SAMSYN|20260916060000+0100||ORU^R01^ORU_R01|M${i}|P|2.5|||||SWE|8859/1`,
    pid,
    `ORC|RE|P-${i}|F-${i}|||CM||||20260915090000+0100`,
    `OBR|1|P-${i}|F-${i}|24326-1^Elektrolyter^LN|||20260915090000+0100||||||||||||||||||F`,
  ];
  for (let k = 1; k <= 8; k++) segments.push(`OBX|${k}|NM|2823-3^Kalium^LN||4,${k}|mmol/L^mmol/L^UCUM|3.5-5.0|N|||F|||20260915090000+0100`);
  return segments.join('\r');
}

export function largeBatch(count: number): Buffer {
  const lines = [`BHS|^~\\&|LAB|LAB-OST|SAMSYN|SAMSYN|20260916060000+0100||||B${count}`];
  for (let i = 0; i < count; i++) lines.push(oruMessage(i));
  lines.push(`BTS|${count}`);
  return Buffer.from(`${lines.join('\r')}\r`, 'latin1');
}
