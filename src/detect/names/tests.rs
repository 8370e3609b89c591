//! Name forms and "not a name" rules, on sentences written for these tests.

use super::*;

fn names(text: &str) -> Vec<String> {
    names_with(text, None)
}

fn names_with(text: &str, label: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    NameDetector::new().detect(text, label, &mut out);
    out.sort_by_key(|f| f.start);
    out.into_iter()
        .filter(|f| f.confidence >= 0.5)
        .map(|f| text[f.start..f.end].to_string())
        .collect()
}

#[test]
fn full_name_with_tussenvoegsel() {
    assert_eq!(
        names("Gisteren sprak ik met Jan de Vries over de huur."),
        ["Jan de Vries"]
    );
    assert_eq!(
        names("Ook Pieter van der Linden was aanwezig."),
        ["Pieter van der Linden"]
    );
    assert_eq!(
        names("Dit is geregeld door Anna in 't Veld."),
        ["Anna in 't Veld"]
    );
}

#[test]
fn initials() {
    assert_eq!(
        names("De brief is getekend door J.P. de Vries."),
        ["J.P. de Vries"]
    );
    assert_eq!(
        names("De brief is getekend door J. P. de Vries."),
        ["J. P. de Vries"]
    );
    assert_eq!(
        names("Contact: T. Bakhuizen, 06-12345678"),
        ["T. Bakhuizen"]
    );
}

#[test]
fn title_word_is_not_part_of_the_value() {
    assert_eq!(names("Wij hebben de heer De Vries gebeld."), ["De Vries"]);
    assert_eq!(
        names("Gesprek met mevr. A. van den Berg-Jansen."),
        ["A. van den Berg-Jansen"]
    );
    assert_eq!(
        names("Overleg met mevrouw Groot Wassink over de tuin."),
        ["Groot Wassink"]
    );
    assert_eq!(names("Dhr. Terpstra belde terug."), ["Terpstra"]);
    assert_eq!(names("Afspraak met mw. van Oorschot."), ["van Oorschot"]);
}

#[test]
fn surname_first_forms() {
    assert_eq!(names("DE VRIES, J.P."), ["DE VRIES, J.P."]);
    assert_eq!(names("Vries, J.P. de"), ["Vries, J.P. de"]);
    assert_eq!(names("Vries, J. de"), ["Vries, J. de"]);
    assert_eq!(names("De Vries, J.P."), ["De Vries, J.P."]);
    assert_eq!(names("Vries de, J.P."), ["Vries de, J.P."]);
    assert_eq!(
        names("Berg-Jansen, A. van den"),
        ["Berg-Jansen, A. van den"]
    );
}

#[test]
fn outlook_display_name() {
    assert_eq!(
        names_with("Dekker, Marieke <m.dekker@voorbeeld.nl>", Some("From")),
        ["Dekker, Marieke"]
    );
    assert_eq!(names("Van: Dekker, Marieke"), ["Dekker, Marieke"]);
}

#[test]
fn all_caps_and_diacritics() {
    assert_eq!(names("Ondertekend: J.P. DE VRIES"), ["J.P. DE VRIES"]);
    assert_eq!(
        names("Buurvrouw Ayşe Yılmaz klaagt over geluid."),
        ["Ayşe Yılmaz"]
    );
    assert_eq!(names("Melding van Emre Çelik ontvangen."), ["Emre Çelik"]);
    assert_eq!(
        names("Overleg met Marko Kovačević gepland."),
        ["Marko Kovačević"]
    );
    assert_eq!(
        names("Schade gemeld door A.K. Dąbrowska."),
        ["A.K. Dąbrowska"]
    );
    assert_eq!(names("YILMAZ, A."), ["YILMAZ, A."]);
}

#[test]
fn lone_first_name_after_greeting_or_relation() {
    assert_eq!(names("Beste Fatima,\n\nDank voor je bericht."), ["Fatima"]);
    assert_eq!(names("Hoi Marieke, lukt dinsdag?"), ["Marieke"]);
    assert_eq!(names("Haar partner Sem woont er ook."), ["Sem"]);
}

#[test]
fn unknown_surname_next_to_known_first_name_or_initials() {
    // "Wobbelink" is in no list; the known first name and the initials carry it.
    assert_eq!(
        names("Vandaag belde Hendrik Wobbelink."),
        ["Hendrik Wobbelink"]
    );
    assert_eq!(names("Vandaag belde H. Wobbelink."), ["H. Wobbelink"]);
    assert_eq!(names("Vandaag belde de heer Wobbelink."), ["Wobbelink"]);
}

#[test]
fn labels_and_headers() {
    assert_eq!(
        names("Huurder: Zorbadis Quelin\nAdres: onbekend"),
        ["Zorbadis Quelin"]
    );
    assert_eq!(
        names_with("Zorbadis Quelin", Some("Naam")),
        ["Zorbadis Quelin"]
    );
    assert_eq!(
        names_with("Zorbadis Quelin <zq@voorbeeld.nl>", Some("To")),
        ["Zorbadis Quelin"]
    );
}

#[test]
fn signature_block() {
    assert_eq!(
        names("Tot ziens.\n\nMet vriendelijke groet,\n\nZorbadis Quelin\nWoonconsulent"),
        ["Zorbadis Quelin"]
    );
}

#[test]
fn streets_are_not_names() {
    assert!(names("Zij woont aan de Willem de Zwijgerlaan in het centrum.").is_empty());
    assert!(names("De Christiaan Huygensstraat is afgesloten.").is_empty());
    assert!(names("Op de Koningin Julianalaan staat een boom.").is_empty());
}

#[test]
fn companies_are_not_names() {
    assert!(names("De klus is gedaan door Bouwbedrijf Jansen.").is_empty());
    assert!(names("Offerte van Jansen Installatietechniek ontvangen.").is_empty());
    assert!(names("Bewindvoering Hendriks B.V. heeft gebeld.").is_empty());
    assert!(names("Factuur van Pieter Bakker B.V. betaald.").is_empty());
}

#[test]
fn places_months_weekdays_and_sentence_starts_are_not_names() {
    assert!(names("Op Maandag 3 Maart komt de monteur.").is_empty());
    assert!(names("Het kantoor in Apeldoorn is gesloten. Deventer volgt.").is_empty());
    assert!(
        names("Betreft: Huurachterstand\nGeachte heer,\n\nHierbij ontvangt u de brief.").is_empty()
    );
    assert!(names("NOTITIE SOCIAAL BEHEER\nDossier: 12").is_empty());
    assert!(names("Bijlage: Algemene Voorwaarden").is_empty());
}

#[test]
fn value_offsets_point_into_text() {
    let text = "Beste Fatima, groet van Jan de Vries";
    let mut out = Vec::new();
    NameDetector::new().detect(text, None, &mut out);
    for f in &out {
        assert_eq!(&text[f.start..f.end], f.norm);
    }
}

#[test]
fn role_labels_and_appositions() {
    assert_eq!(
        names("Monteur: Zorbadis Quelin, mobiel 06-12345678"),
        ["Zorbadis Quelin"]
    );
    assert_eq!(
        names("De wijkagent is Zorbadis Quelin, bereikbaar via de politie."),
        ["Zorbadis Quelin"]
    );
    assert_eq!(
        names("Ondergetekende, Hendrik van der Zwaan, verklaart het volgende."),
        ["Hendrik van der Zwaan"]
    );
    assert_eq!(
        names("Overleg met mevrouw Quelin: de zaak loopt."),
        ["Quelin"]
    );
}

#[test]
fn double_name_with_tussenvoegsel_after_hyphen() {
    assert_eq!(
        names("Gesprek met mevrouw Bosma-van Dijk."),
        ["Bosma-van Dijk"]
    );
}

#[test]
fn surname_that_ends_like_a_shop_word_after_title() {
    assert_eq!(
        names("Melding van mevr. M. Kleinwinkel ontvangen."),
        ["M. Kleinwinkel"]
    );
    assert!(names("Toegewezen aan: Ongediertebestrijding Oost B.V.").is_empty());
}

#[test]
fn long_texts_are_read_in_chunks_without_losing_or_doubling_names() {
    // Far more than one chunk; a signature line right after every closing.
    let block = "Wij spraken over de tuin en de schuur van het complex.\n\
                 Met vriendelijke groet,\n\nZorbadis Quelin\n\
                 Ook Pieter van der Linden kwam langs.\n";
    let text = block.repeat(4000);
    assert!(text.len() > 3 * super::CHUNK);
    let mut out = Vec::new();
    NameDetector::new().detect(&text, None, &mut out);
    assert_eq!(out.len(), 8000);
    for f in &out {
        assert_eq!(&text[f.start..f.end], f.norm);
    }
    let quelin = out.iter().filter(|f| f.norm == "Zorbadis Quelin").count();
    assert_eq!(quelin, 4000);
}

#[test]
fn form_label_on_the_line_above() {
    assert_eq!(
        names("Gegevens melder\nNaam\nZorbadis Quelin\nAdres\nKerkstraat 1"),
        ["Zorbadis Quelin"]
    );
}

#[test]
fn table_cells() {
    assert_eq!(
        names("Naam\tBedrag\nZorbadis Quelin\t12.50\n"),
        ["Zorbadis Quelin"]
    );
    // A trailing tussenvoegsel ends at the cell border.
    assert_eq!(
        names("123\tGroot, T.S. de\tTuinstraat 11A\t"),
        ["Groot, T.S. de"]
    );
}

#[test]
fn headings_places_and_abbreviations_are_not_names() {
    assert!(names("Algemene Huurvoorwaarden Zelfstandige Woonruimte\n").is_empty());
    assert!(names("Zij is geboren te Nieuw Amsterdam in 1970.").is_empty());
    assert!(names("7411 ND Voorst\nGorssel NL").is_empty());
}

mod props {
    use super::*;
    use crate::detect::address::AddressDetector;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// Any text: no panic, and every finding is a slice of the text on
        /// character boundaries whose norm is the value with spaces collapsed.
        #[test]
        fn never_panics_and_offsets_are_valid(
            text in "(\\PC|[ .,:;'\\-\\t\\n]|[A-Z]\\.|mevr\\. |van |de |straat |[0-9]{1,5}| bis){0,60}"
        ) {
            let mut out = Vec::new();
            NameDetector::new().detect(&text, Some("Naam"), &mut out);
            AddressDetector::new().detect(&text, Some("Adres"), &mut out);
            for f in &out {
                prop_assert!(f.start < f.end && f.end <= text.len());
                prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
                let v = &text[f.start..f.end];
                prop_assert_eq!(&f.norm, &v.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
    }
}

#[test]
fn acronyms_and_single_letters_after_context_are_not_names() {
    assert_eq!(
        names("De partner IBAN NL91ABNA0417164300 betaalt."),
        Vec::<String>::new()
    );
    assert!(names_with("A", Some("naam")).is_empty());
    assert_eq!(names("De partner Sem belde."), vec!["Sem"]);
    assert_eq!(
        names_with("Over IBAN NL91ABNA0417164300", Some("title")),
        Vec::<String>::new()
    );
    assert_eq!(names("Jan de Vries BSN 111222333"), vec!["Jan de Vries"]);
}

#[test]
fn place_names_as_surnames_in_surname_first_form() {
    assert_eq!(names("Hoogland, T.T."), vec!["Hoogland, T.T."]);
    assert_eq!(names("HOOGLAND, C.A.;"), vec!["HOOGLAND, C.A."]);
    // a place before a name is still a place
    assert_eq!(names("Deventer, J. de Vries belde."), vec!["J. de Vries"]);
}

#[test]
fn all_caps_surname_first_with_apostrophe_t() {
    assert_eq!(names("VAN 'T ZAND, P.J."), ["VAN 'T ZAND, P.J."]);
    // A short surname after a tussenvoegsel ("HOF", "AA") is still a name.
    assert_eq!(names("IN 'T HOF, K."), ["IN 'T HOF, K."]);
    assert_eq!(names("Debiteur: VAN DER AA, M."), ["VAN DER AA, M."]);
    // ... but a short all-caps word on its own stays an abbreviation.
    assert!(names("Het NL nummer van de GGZ.").is_empty());
}

#[test]
fn a_name_found_with_evidence_is_found_again_on_its_own() {
    // The first name is in no list; the role makes the full name, and the
    // later lone mention is the same person.
    let text = "Onze monteur Rochelle Amatdi komt dinsdag.\nBel dan Rochelle op het nummer.";
    assert_eq!(names(text), ["Rochelle Amatdi", "Rochelle"]);
    // Also before the full name, and the surname alone.
    let text = "Amatdi belde gisteren.\nDe melding kwam van buurvrouw Rochelle Amatdi.";
    assert_eq!(names(text), ["Amatdi", "Rochelle Amatdi"]);
    // Without a confident name, an unknown capitalised word is no name.
    assert!(names("Bel dan Rochelle op het nummer.").is_empty());
    // Only words of confident names are learnt: two unknown words inside a
    // sentence are a weak name (0.5) and teach nothing.
    let text = "Bel dan Rochelle op.\nEr kwam een brief van Rochelle Amatdi.";
    assert_eq!(names(text), ["Rochelle Amatdi"]);
}

#[test]
fn names_joined_to_a_found_name() {
    assert_eq!(
        names("Tot het huishouden behoren de kinderen Quincy (8) en Daisha."),
        ["Quincy", "Daisha"]
    );
    // Not across a sentence end or with a company after "en".
    assert_eq!(
        names("Dat zei buurvrouw Fatima. En Overdam ligt ver weg."),
        ["Fatima"]
    );
    assert_eq!(names("De buurman Jansen en Zonen B.V."), ["Jansen"]);
}

#[test]
fn kinship_and_trade_roles_before_a_name() {
    assert_eq!(
        names("Vakman: Rochelle Amatdi, mobiel"),
        ["Rochelle Amatdi"]
    );
    assert_eq!(names("Het gaat om hun zoon Quincy."), ["Quincy"]);
    assert_eq!(
        names("Ook Quenton, het kind van de buren, doet mee."),
        ["Quenton"]
    );
    // An apposition needs a role word: "Overdam, de gemeente" is no name.
    assert!(names("Ook Overdam, de gemeente, doet mee.").is_empty());
}

#[test]
fn an_adjective_before_a_role_is_no_name() {
    assert!(names_with("Andere getuige", None).is_empty());
    assert!(names("Vorige huurder\nmevr. Y. Kramer").contains(&"Y. Kramer".to_string()));
    assert!(!names("Vorige huurder\nmevr. Y. Kramer").contains(&"Vorige".to_string()));
}

// ---- Issue 11: span edges, context, organisations and places, informal text.
// Sentences written for these tests (same shapes as the failures seen).

#[test]
fn leading_ordinary_word_is_not_part_of_the_name() {
    assert_eq!(
        names("Bel Jan de Vries op voor een afspraak."),
        ["Jan de Vries"]
    );
    assert_eq!(
        names("Dat meldde minister van Onderwijs Petra Hoekstra gisteren."),
        ["Petra Hoekstra"]
    );
}

#[test]
fn tussenvoegsel_stops_before_an_all_caps_organisation() {
    assert_eq!(
        names("Volgens Kees Verbruggen van de NMBS rijden er minder treinen."),
        ["Kees Verbruggen"]
    );
}

#[test]
fn organisations_and_places_are_not_names() {
    for s in [
        "De vluchten naar Costa Rica en Sierra Leone zijn geschrapt.",
        "De Verenigde Staten sturen een gezant.",
        "Het overleg in Kamp Zeist duurde lang.",
        "Wij vliegen met Garuda Airways naar huis.",
        "De Vlaamse Jeugdcommissie vergadert morgen.",
        "De Zeeuwse Kunstraad deelt subsidies uit.",
        "De melding ging naar Veilig Thuis en het Juridisch Loket.",
        "Bel de GGD Rijnmond voor een afspraak.",
        "Hij werkt bij VluchtelingenWerk in de stad.",
    ] {
        assert_eq!(names(s), Vec::<String>::new(), "{s}");
    }
}

#[test]
fn surname_introduced_once_is_found_again_alone() {
    assert_eq!(
        names("Wethouder Karin Wouterse opende de school. Later zei Wouterse dat het goed ging."),
        ["Karin Wouterse", "Wouterse"]
    );
    assert_eq!(
        names("De zaak ligt stil. Minister Dumortier beseft dat."),
        ["Dumortier"]
    );
}

#[test]
fn a_name_learnt_in_a_document_is_found_in_lower_case() {
    assert_eq!(
        names("Beste Wilma,\nik sprak gisteren met wilma over de tuin."),
        ["Wilma", "wilma"]
    );
    // An ordinary word that is also a surname stays a word in lower case.
    assert_eq!(
        names("Beste Jan Bakker,\nde bakker op de hoek is dicht."),
        ["Jan Bakker"]
    );
}

#[test]
fn role_words_give_context() {
    assert_eq!(
        names("Volgens woordvoerder Dumortier klopt dat."),
        ["Dumortier"]
    );
    assert_eq!(
        names("Burgemeester Vandeputte opende de brug."),
        ["Vandeputte"]
    );
}

#[test]
fn lower_case_names_after_relation_words() {
    assert_eq!(
        names("de buurman henk van nr 8 maakt veel lawaai en zijn vriendin chantal ook."),
        ["henk", "chantal"]
    );
    assert_eq!(
        names("ome kees van de overkant heeft het gezien."),
        ["kees"]
    );
    assert_eq!(names("mijn tante ria woont ernaast."), ["ria"]);
    assert_eq!(names("mevrouw de graaf van boven belde."), ["de graaf"]);
    // Ordinary words after a relation word are no names.
    assert_eq!(
        names("de buurman heeft een hond en de buurvrouw zegt niets."),
        Vec::<String>::new()
    );
    assert_eq!(
        names("mijn zoon is ziek en mijn vriendin werkt."),
        Vec::<String>::new()
    );
}

#[test]
fn initials_after_a_title() {
    assert_eq!(names("Gesprek met mw. K. over de huur."), ["K."]);
    assert_eq!(names("Aanwezig was dhr. v.d. M. als zoon."), ["v.d. M."]);
    assert_eq!(names("Mw. El K. belde terug."), ["El K."]);
}

#[test]
fn chat_sender_prefixes() {
    let chat = "[12-03 21:14] Sanne: is de monteur geweest?\n[12-03 21:15] Mo: nee nog niet\n";
    assert_eq!(names(chat), ["Sanne", "Mo"]);
    let export = "14/02/2024, 09:12 - Fenna de Wit: ben je thuis?\n14/02/2024, 09:13 - Woonstad Utrecht: De storing is verholpen.\n";
    assert_eq!(names(export), ["Fenna de Wit"]);
    assert_eq!(names("Mo: ik ben er om 8 uur\nDatum: 3 mei\n"), ["Mo"]);
}

#[test]
fn first_names_in_a_list_of_attendees() {
    assert_eq!(
        names("Aanwezig: Mo, Zuzia, Kees en Thanh\n"),
        ["Mo", "Zuzia", "Kees", "Thanh"]
    );
    assert_eq!(
        names("Afwezig met bericht: Ria, Giovanni\n"),
        ["Ria", "Giovanni"]
    );
}

#[test]
fn names_of_many_origins() {
    assert_eq!(
        names("Gisteren belde Tesfay Gebremedhin over de lift."),
        ["Tesfay Gebremedhin"]
    );
    assert_eq!(
        names("De melding kwam van meneer Paweł Zieliński."),
        ["Paweł Zieliński"]
    );
}

#[test]
fn a_middle_initial_stays_inside_the_name() {
    assert_eq!(
        names("Volgens de econoom Thomas L. Friedman is de huur te hoog."),
        ["Thomas L. Friedman"]
    );
    assert_eq!(
        names("Het verslag is van Maria K. Jansen en niet van mij."),
        ["Maria K. Jansen"]
    );
}

#[test]
fn a_hyphenated_role_before_a_name_is_not_part_of_it() {
    assert_eq!(
        names("Gisteren zei GGD-arts Karin Vermeulen dat het veilig is."),
        ["Karin Vermeulen"]
    );
    assert_eq!(
        names("Daarna sprak Woonbond-voorzitter Pieter Smit de zaal toe."),
        ["Pieter Smit"]
    );
}

#[test]
fn a_name_holds_one_tussenvoegsel_group() {
    assert_eq!(
        names("Volgens Patrick Du Bois van Sabena is het rustig."),
        ["Patrick Du Bois"]
    );
    assert_eq!(
        names("Dat schreef Kees Broere in de Volkskrant gisteren."),
        ["Kees Broere"]
    );
    assert_eq!(
        names("Het gesprek met Karin Jansen-van 't Hof ging goed."),
        ["Karin Jansen-van 't Hof"]
    );
    assert_eq!(
        names("Ook Jan Willem van Dam was er."),
        ["Jan Willem van Dam"]
    );
}
