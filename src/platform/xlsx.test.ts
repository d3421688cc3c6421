import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildXlsx } from './xlsx.ts';

describe('buildXlsx', () => {
  it('writes sheets with numbers as numbers and text escaped, dropping control characters', () => {
    const files = unzipSync(
      buildXlsx([
        {
          name: 'A/B:C',
          rows: [
            ['订单 <1> & "x"', 12.5, null],
            ['bell\u0007', -3],
          ],
        },
      ]),
    );
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml']!);
    expect(sheet).toContain(
      '<c r="A1" t="inlineStr"><is><t xml:space="preserve">订单 &lt;1&gt; &amp; &quot;x&quot;</t></is></c>',
    );
    expect(sheet).toContain('<c r="B1"><v>12.5</v></c>');
    expect(sheet).toContain('<t xml:space="preserve">bell</t>');
    expect(sheet).toContain('<c r="B2"><v>-3</v></c>');
    expect(strFromU8(files['xl/workbook.xml']!)).toContain('<sheet name="A B C" sheetId="1" r:id="rId1"/>');
  });

  it('names columns past Z', () => {
    const row = Array.from({ length: 28 }, (_, i) => i);
    const sheet = strFromU8(unzipSync(buildXlsx([{ name: 'wide', rows: [row] }]))['xl/worksheets/sheet1.xml']!);
    expect(sheet).toContain('<c r="Z1"><v>25</v></c>');
    expect(sheet).toContain('<c r="AB1"><v>27</v></c>');
  });
});
