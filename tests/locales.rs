//! The three locales define the same messages with the same variables, every
//! message formats, and Arabic plurals follow CLDR at every count.

use guichet::i18n::{check_parity, plural_category, signature, Args, Lang, Localizer};

#[test]
fn the_three_locales_define_the_same_messages_and_variables() {
    check_parity().expect("fr, en and ar agree");
    let fr = signature(Lang::Fr).unwrap();
    assert!(fr.len() > 40, "the locales are not empty: {}", fr.len());
    for lang in [Lang::En, Lang::Ar] {
        assert_eq!(signature(lang).unwrap(), fr, "{lang}");
    }
}

#[test]
fn every_message_formats_in_every_language() {
    let localizer = Localizer::new().unwrap();
    for (id, variables) in signature(Lang::Fr).unwrap() {
        for lang in Lang::ALL {
            let mut args = Args::new();
            for variable in &variables {
                let name: &'static str = Box::leak(variable.clone().into_boxed_str());
                args = args.with(name, 7);
            }
            let text = localizer.text(lang, &id, &args);
            assert!(!text.trim().is_empty() && text != id, "{lang} {id}");
            assert!(!text.contains("{$") && !text.contains("{ $"), "{lang} {id}: {text}");
        }
    }
}

#[test]
fn arabic_plural_categories_follow_cldr_past_one_hundred() {
    let expected = [
        (0, "zero"),
        (1, "one"),
        (2, "two"),
        (3, "few"),
        (10, "few"),
        (11, "many"),
        (99, "many"),
        (100, "other"),
        (101, "other"),
        (102, "other"),
        (103, "few"),
        (111, "many"),
        (1003, "few"),
    ];
    for (n, category) in expected {
        assert_eq!(plural_category(Lang::Ar, n), category, "{n}");
    }
}

#[test]
fn arabic_messages_pick_the_right_form_at_every_count() {
    let localizer = Localizer::new().unwrap();
    let slots = |n: u64| localizer.text(Lang::Ar, "result-slots", &Args::new().with("count", n).with("first", "x"));
    assert!(slots(1).contains("موعد واحد"));
    assert!(slots(2).contains("موعدان"));
    for n in [3, 10, 103, 1003] {
        assert!(slots(n).contains("مواعيد"), "{n}: {}", slots(n));
    }
    for n in [11, 99, 111] {
        assert!(slots(n).contains("موعدًا"), "{n}: {}", slots(n));
    }
    for n in [100, 101, 102] {
        let text = slots(n);
        assert!(text.contains("موعد،") && !text.contains("مواعيد") && !text.contains("موعدًا"), "{n}: {text}");
    }
}

#[test]
fn latin_names_and_numbers_are_isolated_inside_arabic_text() {
    let localizer = Localizer::new().unwrap();
    let text = localizer.text(Lang::Ar, "stopped-one", &Args::new().with("subscription", "Bobigny (93)"));
    // First strong isolate … pop directional isolate around the Latin name.
    assert!(text.contains("\u{2068}Bobigny (93)\u{2069}"), "{text:?}");
    let french = localizer.text(Lang::Fr, "stopped-one", &Args::new().with("subscription", "Bobigny (93)"));
    assert!(!french.contains('\u{2068}'), "no marks in left-to-right languages");
}

#[test]
fn french_and_english_plurals() {
    let localizer = Localizer::new().unwrap();
    let fr = |n: u64| localizer.text(Lang::Fr, "stopped-all", &Args::new().with("count", n));
    assert!(fr(1).contains("Votre suivi"));
    assert!(fr(2).contains("Vos 2 suivis"));
    let en = |n: u64| localizer.text(Lang::En, "stopped-all", &Args::new().with("count", n));
    assert!(en(1).contains("Your watch is"));
    assert!(en(5).contains("Your 5 watches"));
}

/// `/help`'s line on `/tried` names every kind of try, in every language:
/// as many items in its parentheses as there are kinds.
#[test]
fn help_names_every_kind_of_try() {
    let localizer = Localizer::new().unwrap();
    for lang in Lang::ALL {
        let help = localizer.text(lang, "help", &Args::new());
        let line = help.lines().find(|l| l.trim_start().starts_with("/tried")).unwrap_or_else(|| panic!("{lang}: {help}"));
        let inside = line.split_once('(').and_then(|(_, rest)| rest.split_once(')')).map(|(list, _)| list).unwrap_or_default();
        let items = inside.split([',', '،']).filter(|item| !item.trim().is_empty()).count();
        assert_eq!(items, guichet::journal::AttemptKind::ALL.len(), "{lang}: {line}");
    }
}
