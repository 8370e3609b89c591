#!/usr/bin/env bash
# Peak memory (max RSS) of `zwartlak scan` over (a) one large workbook and
# (b) the same workbook plus 5,000 small files. See benches/README.md, "Memory".
# Usage: benches/memory.sh [BIN]   (default target/release/zwartlak)
set -euo pipefail
BIN=${1:-target/release/zwartlak}
DEV=${DEV:-../shared/corpus/dev/docs}
ROWS=${ROWS:-300000}
W=${W:-/tmp/zwartlak-mem}
rm -rf "$W" && mkdir -p "$W/a" "$W/b/small"

# (a) one large XLSX: ROWS rows x 6 columns of inline strings and numbers.
python3 - "$W/a/groot.xlsx" "$ROWS" <<'PY'
import sys, zipfile
path, rows = sys.argv[1], int(sys.argv[2])
ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    z.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {ns} xmlns:r="{rel}"><sheets><sheet name="Huurders" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    with z.open("xl/worksheets/sheet1.xml", "w") as f:
        f.write(f'<?xml version="1.0"?><worksheet {ns}><sheetData>'.encode())
        for r in range(1, rows + 1):
            f.write((f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>huurder {r}</t></is></c>'
                     f'<c r="B{r}" t="inlineStr"><is><t>Straatweg {r % 300}</t></is></c>'
                     f'<c r="C{r}" t="inlineStr"><is><t>huurder{r}@example.nl</t></is></c>'
                     f'<c r="D{r}"><v>{1000 + r}</v></c><c r="E{r}"><v>{r * 1.5}</v></c>'
                     f'<c r="F{r}" t="inlineStr"><is><t>opmerking bij regel {r}</t></is></c></row>').encode())
        f.write(b'</sheetData></worksheet>')
PY
cp "$W/a/groot.xlsx" "$W/b/"
# (b) 5,000 small files: the dev corpus' files under 64 KB, copied round-robin.
mapfile -t SMALL < <(find "$DEV" -type f -size -64k | sort)
for i in $(seq 0 4999); do
  f=${SMALL[$((i % ${#SMALL[@]}))]}
  cp "$f" "$W/b/small/$i-$(basename "$f")"
done
du -sh "$W/a" "$W/b"; find "$W/b" -type f | wc -l
for set in a b; do
  for j in 1 2; do
    /usr/bin/time -v "$BIN" scan "$W/$set" --format jsonl -q -j$j > /dev/null 2> "$W/time-$set-$j.txt" || true
    echo "$set -j$j: max RSS $(grep 'Maximum resident' "$W/time-$set-$j.txt" | awk '{print $NF}') KB," \
         "wall $(grep 'Elapsed' "$W/time-$set-$j.txt" | awk '{print $NF}')"
  done
done
