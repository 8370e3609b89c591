#!/usr/bin/env bash
# Rebuild fixtures/legacy/: the .msg, .doc and .rtf fixtures of the legacy
# readers (tests/legacy.rs). All personal data in them is invented.
#  - melding.msg, rtf-body.msg, verklaring.doc, brief.rtf: written by
#    examples/legacy_fixtures.rs (OLE files built with the cfb crate through
#    src/testutil/legacy.rs; brief.rtf is hand-written RTF).
#  - gespreksverslag.doc: a real Word 97 file written by LibreOffice from the
#    HTML below (needs `apt-get install -y libreoffice-writer-nogui`; skipped
#    with a note when soffice is absent, the committed file stays).
set -euo pipefail
cd "$(dirname "$0")/.."
out=fixtures/legacy
cargo run --quiet --example legacy_fixtures -- "$out"

if ! command -v soffice >/dev/null; then
    echo "note: soffice not found; $out/gespreksverslag.doc not rebuilt" >&2
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/gespreksverslag.html" <<'HTML'
<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Gespreksverslag</title><meta name="author" content="Ilse van Rijckevorsel"></head>
<body>
<h1>Gespreksverslag schuldhulp</h1>
<p>Datum: 4 maart 2026. Aanwezig: Henk-Jan Bloemendaal (cliënt) en consulent Ilse van Rijckevorsel.</p>
<p>De cliënt is bereikbaar op 06-27 58 14 90 en via hj.bloemendaal@voorbeeldmail.nl.</p>
<table border="1">
<tr><td>BSN</td><td>958273376</td></tr>
<tr><td>Rekening</td><td>NL04 TRIO 8961 2953 02</td></tr>
</table>
<p>Afspraak: maandelijks € 45 aflossen; volgende afspraak over zes weken.</p>
</body></html>
HTML
# A fixed user profile, so that no settings of the machine leak in.
soffice --headless -env:UserInstallation="file://$tmp/profile" \
    --convert-to 'doc:MS Word 97' --outdir "$tmp" "$tmp/gespreksverslag.html" >/dev/null
cp "$tmp/gespreksverslag.doc" "$out/gespreksverslag.doc"
echo "wrote $out/gespreksverslag.doc"
