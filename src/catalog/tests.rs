use super::*;

fn builtin() -> Catalog {
    Catalog::builtin().expect("the embedded catalog loads")
}

// ---------------------------------------------------------------- builtin data

#[test]
fn orion_targets_come_unconfirmed_and_enabled() {
    // What the bot sends to Orion is partly our guess (see `sites::orion`):
    // only an operator who saw it work on the live site confirms a page.
    let catalog = builtin();
    let orion: Vec<&Target> = catalog.targets().iter().filter(|t| t.system == System::Orion).collect();
    assert!(!orion.is_empty());
    for target in orion {
        assert_eq!(target.confidence, Confidence::Unverified, "{}", target.id);
        assert!(target.enabled, "{} is still watched", target.id);
    }
}

#[test]
fn builtin_has_every_departement_in_code_order() {
    let catalog = builtin();
    let codes: Vec<&str> = catalog.departements().iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes.len(), 101);
    assert_eq!(&codes[..3], ["01", "02", "03"]);
    assert_eq!(&codes[18..22], ["19", "2A", "2B", "21"]);
    assert_eq!(&codes[95..], ["95", "971", "972", "973", "974", "976"]);
    for absent in ["20", "975", "00", "96"] {
        assert!(catalog.departement(absent).is_none(), "{absent} is not a département");
    }
    assert_eq!(catalog.departement("93").unwrap().prefecture, "Bobigny");
    assert_eq!(catalog.departement("92").unwrap().prefecture, "Nanterre");
    assert_eq!(catalog.departement("94").unwrap().prefecture, "Créteil");
    assert_eq!(catalog.departement("75").unwrap().prefecture, "Paris");
    assert_eq!(catalog.departement("976").unwrap().name, "Mayotte");
    assert!(catalog.departement("93").unwrap().sous_prefectures.contains(&"Le Raincy".to_string()));
}

#[test]
fn builtin_procedures_are_the_agreed_ids_in_order() {
    let catalog = builtin();
    let ids: Vec<&str> = catalog.procedures().iter().map(|p| p.id.as_str()).collect();
    let expected = [
        "first-permit",
        "renewal",
        "aes",
        "handover",
        "status-change",
        "naturalisation",
        "minor-travel",
        "refugee-travel",
        "situation-change",
        "asylum",
        "student",
        "talent",
        "visitor",
        "protection",
        "eu-family",
        "family-of-french",
        "seasonal",
    ];
    assert_eq!(ids, expected);
    assert!(!catalog.procedure("asylum").unwrap().online_booking_usual);
    assert!(catalog.procedure("first-permit").unwrap().online_booking_usual);
    assert!(catalog.procedure("visa").is_none());
}

#[test]
fn builtin_targets_refer_to_known_things() {
    let catalog = builtin();
    assert!(catalog.targets().len() >= 40, "targets from known_booking_urls.csv");
    for t in catalog.targets() {
        let departement = catalog.departement(&t.departement).expect("département exists");
        assert!(catalog.procedure(&t.procedure).is_some(), "{}", t.id);
        assert!(departement.has_place(&t.place), "{}: {}", t.id, t.place);
        assert_eq!(catalog.target(&t.id), Some(t));
        assert!(t.url.starts_with("https://"), "{}: people get https links", t.id);
        assert_ne!(t.procedure, "asylum", "asylum is never booked online");
    }
}

#[test]
fn seine_saint_denis_has_an_aes_target_at_bobigny() {
    let catalog = builtin();
    let aes = catalog.targets_for("93", "aes");
    let bobigny = aes.iter().find(|t| t.form == "9829").expect("form 9829");
    assert_eq!(bobigny.place, "Bobigny");
    assert_eq!(bobigny.system, System::Ezbooking);
    assert!(bobigny.enabled);
    assert_eq!(bobigny.url, "https://www.seine-saint-denis.gouv.fr/booking/create/9829");
    let nanterre = catalog.target("ezb-92-12491").expect("92 AES form");
    assert_eq!((nanterre.procedure.as_str(), nanterre.place.as_str()), ("aes", "Nanterre"));
}

#[test]
fn paris_is_served_by_the_prefecture_de_police() {
    let catalog = builtin();
    let pprdv: Vec<&Target> = catalog.targets().iter().filter(|t| t.system == System::Pprdv).collect();
    assert!(!pprdv.is_empty());
    for t in pprdv {
        assert_eq!(t.departement, "75");
        assert_eq!(t.host(), "pprdv.interieur.gouv.fr");
    }
}

#[test]
fn disabled_targets_are_kept_but_not_offered() {
    let catalog = builtin();
    let disabled = catalog.target("ezb-93-9497").expect("kept for history");
    assert!(!disabled.enabled);
    assert_eq!(disabled.confidence, Confidence::Unverified);
    let offered = catalog.targets_for("93", "first-permit");
    assert!(!offered.is_empty());
    assert!(offered.iter().all(|t| t.enabled && t.departement == "93"));
    assert!(offered.iter().all(|t| t.id != "ezb-93-9497"));
}

#[test]
fn host_and_origin() {
    let catalog = builtin();
    let t = catalog.target("ezb-93-9829").unwrap();
    assert_eq!(t.host(), "www.seine-saint-denis.gouv.fr");
    assert_eq!(t.origin(), "https://www.seine-saint-denis.gouv.fr");
    let orion = catalog.target("orion-35-sejourusarnvt").unwrap();
    assert_eq!(orion.host(), "esii-orion.com");
    let mut local = t.clone();
    local.url = "http://127.0.0.1:8080/booking/create/9829".into();
    assert_eq!(local.host(), "127.0.0.1");
    assert_eq!(local.origin(), "http://127.0.0.1:8080");
    local.url = "http://localhost".into();
    assert_eq!((local.host(), local.origin()), ("localhost", "http://localhost"));
    local.url = "not a url".into();
    assert_eq!((local.host(), local.origin()), ("", ""));
}

#[test]
fn ad_hoc_targets_read_the_form_from_the_url() {
    let form = |system, url| Target::ad_hoc(system, url).map(|t| t.form);
    let ez = "https://www.seine-saint-denis.gouv.fr/booking/create/9829/4";
    assert_eq!(form(System::Ezbooking, ez).as_deref(), Some("9829"));
    let t = Target::ad_hoc(System::Pprdv, " http://127.0.0.1:8080/booking/create/948 ").unwrap();
    assert_eq!((t.form.as_str(), t.origin()), ("948", "http://127.0.0.1:8080"));
    assert_eq!(t.confidence, Confidence::Unverified);
    let rdv = "https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/2200/cgu/";
    assert_eq!(form(System::Rdvpref, rdv).as_deref(), Some("2200"));
    let eapp = "https://rdv-etrangers-94.interieur.gouv.fr/eAppointmentpref94/appointment.do?sitekey=P941#x";
    assert_eq!(form(System::Eappointment, eapp).as_deref(), Some("P941"));
    let orion = "https://esii-orion.com/orion-reservation/slots?account=EVMSPI&config=SEJOURREMISE&code=REN1";
    assert_eq!(form(System::Orion, orion).as_deref(), Some("SEJOURREMISE"));
    assert_eq!(form(System::Ezbooking, "https://x.gouv.fr/booking/create/"), None);
    assert_eq!(form(System::Ezbooking, "ftp://x.gouv.fr/booking/create/1"), None);
    assert_eq!(form(System::Rdvpref, ez), None);
    assert_eq!(form(System::Orion, "https://esii-orion.com/slots?configx=1"), None);
    assert_eq!(form(System::Ezbooking, "not a url"), None);
}

#[test]
fn system_and_confidence_names_round_trip() {
    for system in System::ALL {
        assert_eq!(system.as_str().parse::<System>(), Ok(system));
    }
    for confidence in Confidence::ALL {
        assert_eq!(confidence.as_str().parse::<Confidence>(), Ok(confidence));
    }
    assert!("Ezbooking".parse::<System>().is_err());
    assert!("code-unverified".parse::<Confidence>().is_err());
}

// ---------------------------------------------------------------- validation

const DEPS: &str = "code,name,region,prefecture,sous_prefectures,aliases
93,Seine-Saint-Denis,Île-de-France,Bobigny,Le Raincy;Saint-Denis,neuf trois
75,Paris,Île-de-France,Paris,,PP
";
const PROCS: &str = "id,online_booking_usual
first-permit,true
aes,true
";
const TARGET_HEADER: &str =
    "id,departement,procedure,place,system,url,form,planning,source,source_locator,source_date,confidence,enabled\n";
const GOOD_TARGET: &str = "ezb-93-9829,93,aes,Bobigny,ezbooking,https://www.seine-saint-denis.gouv.fr/booking/create/9829,9829,,repo,file@abc,2019-09-10,code,true\n";

fn targets(rows: &[&str]) -> String {
    let mut text = TARGET_HEADER.to_string();
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

/// The good target row with one column replaced.
fn target_with(column: &str, value: &str) -> String {
    let names: Vec<&str> = TARGET_HEADER.trim().split(',').collect();
    let mut fields: Vec<&str> = GOOD_TARGET.trim().split(',').collect();
    let i = names.iter().position(|n| *n == column).expect("known column");
    fields[i] = value;
    fields.join(",")
}

#[track_caller]
fn assert_invalid(result: Result<Catalog, CatalogError>, file: &str, line: u64, needle: &str) {
    match result {
        Err(CatalogError::Invalid { file: f, line: l, message }) => {
            assert_eq!((f.as_str(), l), (file, line), "{message}");
            assert!(message.contains(needle), "{message:?} should mention {needle:?}");
        }
        Err(other) => panic!("expected Invalid, got {other}"),
        Ok(_) => panic!("expected {file} line {line} to be rejected ({needle})"),
    }
}

#[track_caller]
fn bad_departements(text: &str, line: u64, needle: &str) {
    assert_invalid(Catalog::from_csv(text, PROCS, &targets(&[])), "departements.csv", line, needle);
}

#[track_caller]
fn bad_procedures(text: &str, line: u64, needle: &str) {
    assert_invalid(Catalog::from_csv(DEPS, text, &targets(&[])), "procedures.csv", line, needle);
}

#[track_caller]
fn bad_target(row: &str, needle: &str) {
    // The bad row comes after a good one, so its line is 3.
    let text = targets(&[GOOD_TARGET.trim(), row]);
    assert_invalid(Catalog::from_csv(DEPS, PROCS, &text), "targets.csv", 3, needle);
}

#[test]
fn small_valid_files_load() {
    let catalog = Catalog::from_csv(DEPS, PROCS, &targets(&[GOOD_TARGET.trim()])).unwrap();
    assert_eq!(catalog.departements()[0].code, "75");
    let t = catalog.target("ezb-93-9829").unwrap();
    assert_eq!(t.source_date, chrono::NaiveDate::from_ymd_opt(2019, 9, 10));
    assert_eq!(t.planning, None);
    assert_eq!(catalog.targets_for("93", "aes").len(), 1);
    assert!(matches!(catalog.require_every_departement(), Err(CatalogError::WrongCount { found: 2, .. })));
}

#[test]
fn departement_errors_name_their_line() {
    bad_departements(&format!("{DEPS}94,Val-de-Marne,Île-de-France,Créteil\n"), 4, "expected 6 columns, found 4");
    bad_departements(&format!("{DEPS}94,,Île-de-France,Créteil,,\n"), 4, "name");
    bad_departements(&format!("{DEPS}93,Autre,Île-de-France,Bobigny,,\n"), 4, "duplicate code");
    bad_departements(&format!("{DEPS}9A,Nowhere,Île-de-France,X,,\n"), 4, "code");
    bad_departements(&format!("{DEPS}20,Corse,Corse,Ajaccio,,\n"), 4, "code");
    bad_departements(&format!("{DEPS}975,Saint-Pierre,X,Y,,\n"), 4, "code");
    bad_departements(&format!("{DEPS}94,Val-de-Marne,Île-de-France,Créteil,Nogent;;Antony,\n"), 4, "empty item");
    bad_departements(&format!("{DEPS}94,Val-de-Marne,Île-de-France,Créteil,,\"--\"\n"), 4, "no letter");
    bad_departements("code,name\n93,Seine-Saint-Denis\n", 1, "expected header");
    bad_departements("", 1, "empty file");
    // Blank lines and quoted line breaks still count, so the line is the
    // one an editor shows.
    bad_departements(&format!("{DEPS}\n\n94,x\n"), 6, "columns");
    bad_departements(&format!("{DEPS}\r\n\r\n94,x\r\n"), 6, "columns");
    let quoted = "94,Val-de-Marne,\"Île-de-\nFrance\",Créteil,,\n";
    bad_departements(&format!("{DEPS}{quoted}\n95,x\n"), 7, "columns");
    bad_departements(&format!("\n{DEPS}96,x\n"), 5, "columns");
}

#[test]
fn procedure_errors_name_their_line() {
    bad_procedures(&format!("{PROCS}renewal,yes\n"), 4, "true or false");
    bad_procedures(&format!("{PROCS}aes,false\n"), 4, "duplicate id");
    bad_procedures(&format!("{PROCS}First Permit,true\n"), 4, "lowercase");
    bad_procedures(&format!("{PROCS},true\n"), 4, "empty required field id");
    bad_procedures(&format!("{PROCS}renewal\n"), 4, "columns");
}

#[test]
fn target_errors_name_their_line() {
    bad_target(&target_with("id", "ezb-93-9829"), "duplicate id");
    bad_target(&target_with("id", "EZB 1"), "lowercase");
    bad_target(&target_with("departement", "99"), "unknown département");
    bad_target(&target_with("procedure", "visa"), "unknown procedure");
    bad_target(&target_with("place", "Nanterre"), "neither the prefecture");
    bad_target(&target_with("system", "ezbook"), "system");
    bad_target(&target_with("confidence", "sure"), "confidence");
    bad_target(&target_with("enabled", "yes"), "true or false");
    bad_target(&target_with("source", ""), "empty required field source");
    bad_target(&target_with("source_locator", ""), "empty required field source_locator");
    bad_target(&target_with("form", "98 29"), "form");
    bad_target(&target_with("url", ""), "empty required field url");
    bad_target(&target_with("url", "ftp://x.gouv.fr/booking/create/9829"), "https://");
    bad_target(&target_with("url", "javascript:alert(1)//booking/create/9829"), "https://");
    bad_target(&target_with("url", "https:///booking/create/9829"), "host");
    bad_target(&target_with("url", "https://x.gouv.fr:80a/booking/create/9829"), "port");
    bad_target(&target_with("url", "https://x.gouv.fr/booking/create/1234"), "does not name form");
    bad_target(&target_with("system", "rdvpref"), "does not name form");
    for date in ["2019-13-01", "10/09/2019", "2019-9-1", "2019-02-30", "+2019-0901", "2019-09-101"] {
        bad_target(&target_with("source_date", date), "source_date");
    }
    bad_target("ezb-93-1,93,aes", "expected 13 columns, found 3");
}

#[test]
fn other_systems_need_their_own_url_shape() {
    let rdvpref = "rdvpref-93-1,93,aes,Bobigny,rdvpref,https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/1/,1,,r,l,,unverified,true";
    let eapp = "eapp-93-p1,93,aes,Le Raincy,eappointment,https://rdv.example.fr/app/appointment.do?sitekey=P1,P1,,r,l,,code,true";
    let orion = "orion-93-x,93,aes,Bobigny,orion,https://esii-orion.com/slots?account=A&config=X&code=B1,X,B1,r,l,,doc,false";
    let catalog = Catalog::from_csv(DEPS, PROCS, &targets(&[rdvpref, eapp, orion])).unwrap();
    assert_eq!(catalog.target("orion-93-x").unwrap().planning.as_deref(), Some("B1"));
    assert_eq!(catalog.targets_for("93", "aes").len(), 2, "the orion row is disabled");
    let wrong = "eapp-93-p1,93,aes,Bobigny,eappointment,https://rdv.example.fr/appointment.do?sitekey=P12,P1,,r,l,,code,true";
    assert_invalid(Catalog::from_csv(DEPS, PROCS, &targets(&[wrong])), "targets.csv", 2, "does not name form");
}

#[test]
fn errors_read_well() {
    let text = targets(&[GOOD_TARGET.trim(), &target_with("departement", "99")]);
    let error = Catalog::from_csv(DEPS, PROCS, &text).unwrap_err();
    assert_eq!(error.to_string(), "targets.csv, line 3: unknown département \"99\"");
}

// ---------------------------------------------------------------- search

#[track_caller]
fn one(catalog: &Catalog, query: &str) -> String {
    match catalog.find_departement(query) {
        DepartementMatch::One(d) => d.code.clone(),
        other => panic!("{query:?} should give one département, got {other:?}"),
    }
}

#[track_caller]
fn several(catalog: &Catalog, query: &str) -> Vec<String> {
    match catalog.find_departement(query) {
        DepartementMatch::Several(ds) => ds.iter().map(|d| d.code.clone()).collect(),
        other => panic!("{query:?} should give several départements, got {other:?}"),
    }
}

#[track_caller]
fn none(catalog: &Catalog, query: &str) {
    let found = catalog.find_departement(query);
    assert_eq!(found, DepartementMatch::None, "{query:?}");
}

#[test]
fn finds_by_code_and_postcode() {
    let c = builtin();
    for (query, code) in [
        ("93", "93"),
        ("93 ", "93"),
        (" 93\n", "93"),
        ("2a", "2A"),
        ("2A", "2A"),
        ("2 b", "2B"),
        ("971", "971"),
        ("976", "976"),
        ("1", "01"),
        ("01", "01"),
        ("le 93", "93"),
        ("93200", "93"),
        ("75015", "75"),
        ("20000", "2A"),
        ("20200", "2B"),
        ("97400", "974"),
    ] {
        assert_eq!(one(&c, query), code, "{query:?}");
    }
    assert_eq!(several(&c, "20"), ["2A", "2B"]);
    for query in ["975", "97500", "98000", "00", "0", "1234", "123456"] {
        none(&c, query);
    }
}

#[test]
fn finds_by_name_alias_and_city() {
    let c = builtin();
    for (query, code) in [
        ("Seine-Saint-Denis", "93"),
        ("seine saint denis", "93"),
        ("SEINE ST DENIS", "93"),
        ("Bobigny", "93"),
        ("Le Raincy", "93"),
        ("raincy", "93"),
        ("neuf trois", "93"),
        ("9-3", "93"),
        ("Val d'Oise", "95"),
        ("val doise", "95"),
        ("Val-d’Oise", "95"),
        ("Hérault", "34"),
        ("herault", "34"),
        ("Réunion", "974"),
        ("la reunion", "974"),
        ("LA RÉUNION", "974"),
        ("Isere", "38"),
        ("Finistere", "29"),
        ("bouches du rhone", "13"),
        ("Paris", "75"),
        ("préfecture de police", "75"),
        ("Corse-du-Sud", "2A"),
        ("corse du sud", "2A"),
        ("Haute-Corse", "2B"),
        ("savoie", "73"),
        ("Haute Savoie", "74"),
        ("loire", "42"),
        ("Saint-Étienne", "42"),
        ("st etienne", "42"),
        ("L'Haÿ-les-Roses", "94"),
        ("Évry", "91"),
        ("Cergy", "95"),
        ("Mayotte", "976"),
        ("Vienne", "86"),
    ] {
        assert_eq!(one(&c, query), code, "{query:?}");
    }
}

#[test]
fn finds_by_words_and_typos() {
    let c = builtin();
    for (query, code) in [
        ("seine saint denys", "93"),
        ("sein saint denis", "93"),
        ("bouches rhone", "13"),
        ("bouche du rhone", "13"),
        ("préfecture de Bobigny", "93"),
        ("sous-préfecture du Raincy", "93"),
        ("département 93", "93"),
        ("herauld", "34"),
        ("finisterre", "29"),
        ("val de marn", "94"),
        ("haute garone", "31"),
        ("savoei", "73"),
        ("lyon", "69"),
        ("grenobel", "38"),
    ] {
        assert_eq!(one(&c, query), code, "{query:?}");
    }
}

#[test]
fn ambiguous_input_gives_several() {
    let c = builtin();
    let haute = several(&c, "haute");
    assert!(haute.len() > 1 && haute.len() <= MAX_SEVERAL, "{haute:?}");
    for code in &haute {
        let name = &c.departement(code).unwrap().name;
        assert!(name.contains("Haute-") || name.contains("-Haute-"), "{name}");
    }
    assert_eq!(several(&c, "corse"), ["2A", "2B"]);
    assert_eq!(several(&c, "seine"), ["76", "77", "92", "93"]);
    assert_eq!(several(&c, "alpes"), ["04", "05", "06"]);
    assert_eq!(several(&c, "val"), ["94", "95"]);
    assert_eq!(several(&c, "Saint-Denis"), ["93", "974"]);
    assert_eq!(several(&c, "Clermont"), ["60", "63"]);
    assert_eq!(several(&c, "boulogne"), ["62", "92"]);
    assert_eq!(several(&c, "lyons"), ["26", "69"], "Lyon and Nyons are one typo away");
    assert_eq!(several(&c, "bretagne"), ["22", "29", "35", "56"]);
    assert_eq!(several(&c, "Île-de-France").len(), MAX_SEVERAL);
    assert_eq!(several(&c, "seine saint"), ["76", "77", "92", "93"]);
}

#[test]
fn junk_gives_nothing() {
    let c = builtin();
    let long = "a".repeat(10_000);
    let long_name = "Seine-Saint-Denis ".repeat(12);
    let junk = String::from_utf8_lossy(&[0xff, 0xfe, 0x00, 0x9f, 0x92, 0xa9, 0xc3, 0x28]).into_owned();
    for query in [
        "",
        " ",
        "xyz",
        "hello",
        "bonjour",
        "qwertyuiop",
        "asdfghjkl",
        "je veux un rendez-vous",
        "\0",
        "\0\0\0",
        "🙂",
        "🇫🇷🏛️🙏",
        "مرحبا",
        "שלום",
        "?!;,-'",
        "le",
        "de la",
        "saint",
        "st",
        long.as_str(),
        long_name.as_str(),
        junk.as_str(),
    ] {
        none(&c, query);
    }
}

#[test]
fn normalisation() {
    assert_eq!(search::words("🙂 Le Raincy 🇫🇷"), ["raincy"], "emoji are not words");
    assert_eq!(search::words("Val-d’Oise"), ["val", "d", "oise"]);
    assert_eq!(search::words("SEINE_ST_DENIS"), ["seine", "saint", "denis"]);
    assert_eq!(search::words("Ste-Menehould"), ["sainte", "menehould"]);
    assert_eq!(search::words("la"), ["la"], "a lone article stays");
    assert_eq!(search::key("L'Haÿ-les-Roses"), "haylesroses");
    assert_eq!(search::key("Œuf ½"), "oeuf12");
}

#[test]
fn only_long_input_is_refused() {
    let c = builtin();
    let padded = |spaces: usize| format!("Seine-Saint-Denis{}", " ".repeat(spaces));
    assert_eq!(one(&c, &padded(183)), "93", "200 characters");
    none(&c, &padded(184));
}

#[test]
fn too_many_typos_give_nothing() {
    let c = builtin();
    // Two edits on a short name, three on a long one: past the threshold.
    none(&c, "savqze");
    none(&c, "fxnxsxere");
    assert_eq!(one(&c, "fxnistere"), "29");
}

#[test]
fn no_input_panics() {
    let c = builtin();
    let mut query = String::new();
    // Every char class the normaliser may meet: controls, combining marks,
    // RTL, surrogates' neighbours, wide digits, ligatures, emoji.
    for c0 in [0u32, 0x7f, 0x300, 0x5d0, 0x627, 0x661, 0x200f, 0xfb01, 0xff11, 0xfffd, 0x1f600, 0x10ffff] {
        for offset in 0..40 {
            if let Some(ch) = char::from_u32(c0 + offset) {
                query.push(ch);
                let _ = c.find_departement(&query);
                let _ = c.find_departement(&ch.to_string());
            }
        }
    }
}

#[test]
fn every_name_finds_its_departement() {
    let c = builtin();
    for d in c.departements() {
        assert_eq!(one(&c, &d.code), d.code);
        assert_eq!(one(&c, &d.name), d.code, "{}", d.name);
        assert_eq!(one(&c, &d.name.to_uppercase()), d.code, "{}", d.name);
        assert_eq!(one(&c, &deunicode::deunicode(&d.name).replace('-', " ")), d.code);
        for alias in &d.aliases {
            assert!(finds(&c, alias, &d.code), "alias {alias} of {}", d.code);
        }
        for city in std::iter::once(&d.prefecture).chain(&d.sous_prefectures) {
            // A city named like a département ("Vienne" in Isère) gives the
            // département: names win.
            let shadowed = c.departements().iter().any(|o| search::key(&o.name) == search::key(city));
            assert!(shadowed || finds(&c, city, &d.code), "city {city} of {}", d.code);
        }
    }
}

#[test]
fn a_swapped_letter_in_a_long_name_is_forgiven() {
    let c = builtin();
    for d in c.departements() {
        let key = search::key(&d.name);
        if key.len() < 8 {
            continue;
        }
        let mut typo: Vec<char> = key.chars().collect();
        typo.swap(3, 4);
        let typo: String = typo.into_iter().collect();
        assert!(finds(&c, &typo, &d.code), "{typo:?} for {}", d.name);
    }
}

fn finds(c: &Catalog, query: &str, code: &str) -> bool {
    match c.find_departement(query) {
        DepartementMatch::One(d) => d.code == code,
        DepartementMatch::Several(ds) => ds.iter().any(|d| d.code == code),
        DepartementMatch::None => false,
    }
}

#[test]
fn regions_group_every_departement_once() {
    let catalog = Catalog::builtin().unwrap();
    let regions = catalog.regions();
    assert_eq!(regions.len(), 18, "{regions:?}");
    assert_eq!(regions.first(), Some(&"Auvergne-Rhône-Alpes"));
    let total: usize = regions.iter().map(|r| catalog.departements_in(r).len()).sum();
    assert_eq!(total, 101);
    let idf: Vec<&str> = catalog.departements_in("Île-de-France").iter().map(|d| d.code.as_str()).collect();
    assert_eq!(idf, ["75", "77", "78", "91", "92", "93", "94", "95"]);
}
