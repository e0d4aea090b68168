/* global process, console, Buffer */
// usage: node gen.mjs OUT MB [mode]  mode: batch (default) | onemsg (one message, many OBX)
import { createWriteStream } from 'node:fs';
const [out, mb, mode = 'batch'] = process.argv.slice(2);
const target = Number(mb) * 1024 * 1024;
const w = createWriteStream(out);
let n = 0, bytes = 0;
const put = (s) => { bytes += Buffer.byteLength(s); return w.write(s); };
put('FHS|^~\\&|LAB-OST|LABORATORIET OST|SAMSYN|SAMSYN|20260916060000+0100\rBHS|^~\\&|LAB-OST|LABORATORIET OST|SAMSYN|SAMSYN|20260916060000+0100\r');
if (mode === 'onemsg') put('MSH|^~\\&|LAB-OST|LABORATORIET OST|SAMSYN|SAMSYN|20260916060000+0100||ORU^R01^ORU_R01|BIG-1|P|2.5\rPID|1||191212121212^^^1.2.752.129.2.1.3.1^NNSWE||Tolvansson^Tolvan||19121212|M\rOBR|1|P1|F1|718-7^Hb^LN|||20250910100000+0200||||||||||||||||||F\r');
async function main() {
  while (bytes < target) {
    n++;
    let s;
    if (mode === 'onemsg') s = `OBX|${n}|NM|718-7^Hemoglobin^LN||${100 + (n % 50)}|g/L^g/L^UCUM|105-140|N|||F|||2025091010${String(n % 60).padStart(2, '0')}00+0200\r`;
    else s = `MSH|^~\\&|LAB-OST|LABORATORIET OST|SAMSYN|SAMSYN|20260916060000+0100||ORU^R01^ORU_R01|M-${n}|P|2.5\rPID|1||191212121212^^^1.2.752.129.2.1.3.1^NNSWE||Tolvansson^Tolvan||19121212|M\rOBR|1|P${n}|F${n}|718-7^Hb^LN|||20250910100000+0200||||||||||||||||||F\rOBX|1|NM|718-7^Hemoglobin^LN||${100 + (n % 50)}|g/L^g/L^UCUM|105-140|N|||F|||2025${String(1 + (n % 12)).padStart(2, '0')}10100000+0200\r`;
    if (!put(s)) await new Promise((r) => w.once('drain', r));
  }
  put(`BTS|${mode === "onemsg" ? 1 : n}\rFTS|1\r`);
  w.end(() => console.error(`wrote ${bytes} bytes, ${n} units`));
}
main();
