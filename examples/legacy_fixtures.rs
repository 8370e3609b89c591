//! Write the legacy-format fixtures of `fixtures/legacy/`: two Outlook
//! messages and a Word 97 document built with the `cfb` crate (through the
//! builders of `src/testutil/legacy.rs`), and an RTF document.
//! `cargo run --example legacy_fixtures -- fixtures/legacy` (the script
//! `scripts/make_legacy_fixtures.sh` runs it and adds a `.doc` written by
//! LibreOffice). Every person, number and address here is invented; the
//! BSNs pass the 11-test and the IBANs mod-97, so the detectors find them.

#[path = "../src/testutil/legacy.rs"]
mod legacy;

use legacy::{doc_file_props, msg_file, Attachment, DocPiece, Msg, Recipient};

/// A Word 97 statement with 8-bit and UTF-16 pieces, a footnote and an
/// author and last author in its summary information.
fn verklaring() -> Vec<u8> {
    let body = [
        "Verklaring van Marieke Zwanenburg-Dijkstra\r",
        "geboren te Dokkum, BSN 233 739 622, ",
        "wonend aan de Ruiterskwartier 12.\r",
        "Rekeningnummer: NL41 ABNA 2840 4622 68\r",
    ];
    let note = "Bereikbaar via m.zwanenburg@voorbeeldmail.nl\r";
    let len = |s: &[&str]| s.iter().map(|p| p.chars().count() as u32).sum::<u32>();
    doc_file_props(
        &[
            DocPiece::Ansi(body[0]),
            DocPiece::Utf16(body[1]),
            DocPiece::Ansi(body[2]),
            DocPiece::Utf16(body[3]),
            DocPiece::Ansi(note),
        ],
        &[len(&body), len(&[note])],
        0,
        &[
            (2, "Verklaring"),
            (4, "Marieke Zwanenburg"),
            (8, "Tjeerd Hoekstra"),
        ],
    )
}

/// A message with a plain-text body, transport headers and three
/// attachments: a text file, an attached message (8-bit strings, HTML
/// body only) and a Word 97 document.
fn melding() -> Vec<u8> {
    let eerder = Msg {
        subject: "Machtiging",
        sender_name: "Stijn Oudejans",
        sender_email: "stijn.oudejans@voorbeeldmail.nl",
        recipients: vec![Recipient {
            kind: 1,
            name: "Loket Belastingen",
            email: "loket@gemeente-voorbeeld.nl",
        }],
        html: Some(
            b"<html><body><p>Graag het bedrag op IBAN NL64 INGB 5419 5320 40 t.n.v. S. Oudejans.</p>\
              <p>Groet, Stijn Oudejans<br>06 83 20 71 95</p></body></html>"
                .to_vec(),
        ),
        ansi: true,
        ..Msg::default()
    };
    msg_file(&Msg {
        subject: "Terugbelverzoek Fenna Klompmaker",
        sender_name: "Fenna Klompmaker",
        sender_email: "fenna.klompmaker@voorbeeldmail.nl",
        recipients: vec![
            Recipient {
                kind: 1,
                name: "Loket Belastingen",
                email: "loket@gemeente-voorbeeld.nl",
            },
            Recipient {
                kind: 2,
                name: "Jorrit Wijnbergen",
                email: "j.wijnbergen@voorbeeldmail.nl",
            },
        ],
        body: Some(
            "Beste medewerker,\r\n\r\nMijn BSN is 390046462. Wilt u mij terugbellen op \
             06-41 27 93 58?\r\nEen teruggave mag naar IBAN NL85 RABO 1203 4895 53.\r\n\r\n\
             Met vriendelijke groet,\r\nFenna Klompmaker\r\n",
        ),
        headers: Some(
            "Received: from mail.voorbeeldmail.nl by mx.gemeente-voorbeeld.nl; Tue, 3 Mar 2026 09:12:44 +0100\r\n\
             From: Fenna Klompmaker <fenna.klompmaker@voorbeeldmail.nl>\r\n\
             Reply-To: \"F. Klompmaker (thuis)\" <fenna.thuis@voorbeeldmail.nl>\r\n\
             To: Loket Belastingen <loket@gemeente-voorbeeld.nl>\r\n\
             Subject: Terugbelverzoek Fenna Klompmaker\r\n",
        ),
        attachments: vec![
            Attachment::File {
                name: "gegevens-partner.txt",
                data: b"Partner: Stijn Oudejans\nBSN: 822553934\nTelefoon: 020-794 31 86\n".to_vec(),
            },
            Attachment::Message {
                name: "Eerder bericht van Stijn",
                msg: Box::new(eerder),
            },
            Attachment::File {
                name: "verklaring.doc",
                data: verklaring(),
            },
        ],
        ..Msg::default()
    })
}

/// A message whose only body is compressed RTF.
fn rtf_body() -> Vec<u8> {
    msg_file(&Msg {
        subject: "Adreswijziging buurvrouw",
        sender_name: "Joost Ruigrok",
        sender_email: "joost.ruigrok@voorbeeldmail.nl",
        recipients: vec![Recipient {
            kind: 1,
            name: "Loket Burgerzaken",
            email: "burgerzaken@gemeente-voorbeeld.nl",
        }],
        rtf: Some(
            r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Calibri;}}
{\*\generator Hand-written for zwartlak;}\pard\f0\fs22 Geachte heer/mevrouw,\par
\par Namens mijn buurvrouw Ans \u214?zdemir-Brouwer (BSN 199203052) meld ik haar nieuwe adres.\par
Zij is bereikbaar op 06\~52 18 40 67 of via ans.ozdemir@voorbeeldmail.nl.\par
\par Met vriendelijke groet,\par Joost Ruigrok\par}"
                .into(),
        ),
        ..Msg::default()
    })
}

/// A hand-written RTF letter: document information, 8-bit escapes,
/// Unicode escapes, a table and a hyperlink field.
const BRIEF_RTF: &str = r#"{\rtf1\ansi\ansicpg1252\deff0\uc1
{\fonttbl{\f0\froman\fcharset0 Times New Roman;}{\f1\fswiss\fcharset238 Arial CE;}}
{\colortbl;\red0\green0\blue0;}
{\info{\title Brief over toeslag}{\author Reinout Terpstra}{\company Gemeente Voorbeeld}}
\pard\plain\f0\fs24 Geachte mevrouw Sch\'f6nfeld,\par
\par
Uw aanvraag is ontvangen. Wij gebruiken de volgende gegevens:\par
\trowd\cellx3000\cellx7000
\intbl Burgerservicenummer\cell 558917446\cell\row
\trowd\cellx3000\cellx7000
\intbl IBAN\cell NL52 SNSB 7410 5340 24\cell\row
\pard Vragen? Bel +31 6 19 27 45 83 of mail naar {\field{\*\fldinst HYPERLINK "mailto:r.terpstra@gemeente-voorbeeld.nl"}{\fldrslt r.terpstra@gemeente-voorbeeld.nl}}.\par
Met vriendelijke groet,\par
Reinout Terpstra, namens team Toeslagen (\u8364?-regeling)\par
{\f1 Kopie aan: Zden\'ecka Nov\'e1kov\'e1}\par
}
"#;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "fixtures/legacy".into());
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir).expect("create the fixture folder");
    let files: [(&str, Vec<u8>); 4] = [
        ("melding.msg", melding()),
        ("rtf-body.msg", rtf_body()),
        ("verklaring.doc", verklaring()),
        ("brief.rtf", BRIEF_RTF.as_bytes().to_vec()),
    ];
    for (name, data) in files {
        let path = dir.join(name);
        std::fs::write(&path, data).expect("write a fixture");
        println!("wrote {}", path.display());
    }
}
