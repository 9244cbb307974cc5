//! Every word Guichet says to a person, in French, English and Arabic.
//!
//! Messages live in `locales/<lang>/*.ftl` (Fluent) and are embedded in the
//! binary. Plural selection goes through our `PLURAL()` function, backed by
//! ICU4X's CLDR rules: fluent's own rules (from `intl_pluralrules` 7.0.2) put
//! Arabic 103 and 111 in `other`, where CLDR says `few` and `many`, and our
//! counts pass 100 all the time. Write `{ PLURAL($count) -> … }`, never
//! `{ $count -> … }`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use icu_plurals::{PluralCategory, PluralRules};
use serde::{Deserialize, Serialize};
use unic_langid::LanguageIdentifier;

/// A language Guichet speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// French, the default: the letters and the sites are in French.
    Fr,
    /// English.
    En,
    /// Arabic, written right to left.
    Ar,
}

impl Lang {
    /// Every language, in the order they are offered.
    pub const ALL: [Lang; 3] = [Lang::Fr, Lang::En, Lang::Ar];

    /// The two-letter code (`fr`, `en`, `ar`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
            Lang::Ar => "ar",
        }
    }

    /// The language of a chat network's hint (`fr-FR`, `en_US`, `ar-MA`…), if we speak it.
    pub fn from_hint(hint: &str) -> Option<Lang> {
        let primary = hint.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.code() == primary)
    }

    /// Whether text in this language runs right to left.
    pub fn is_rtl(self) -> bool {
        self == Lang::Ar
    }

    /// The chrono locale used for day and month names.
    pub fn chrono_locale(self) -> chrono::Locale {
        match self {
            Lang::Fr => chrono::Locale::fr_FR,
            Lang::En => chrono::Locale::en_GB,
            // Month names as most Arabic readers know them (يناير … ديسمبر,
            // CLDR's standard Arabic), not Morocco's (… دجنبر): see locales/ar.
            Lang::Ar => chrono::Locale::ar_EG,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = I18nError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::from_hint(s).ok_or_else(|| I18nError::UnknownLanguage(s.to_string()))
    }
}

/// What can go wrong while loading the locales.
#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    /// A language code we do not speak.
    #[error("unknown language {0:?}: use fr, en or ar")]
    UnknownLanguage(String),
    /// A `.ftl` file does not parse.
    #[error("locales/{lang}/{file}: {message}")]
    Syntax {
        /// Language folder.
        lang: &'static str,
        /// File name.
        file: &'static str,
        /// The parser's complaint.
        message: String,
    },
    /// The same message is defined twice.
    #[error("locales/{lang}: {message}")]
    Bundle {
        /// Language folder.
        lang: &'static str,
        /// What fluent said.
        message: String,
    },
    /// The three languages do not define the same messages with the same variables.
    #[error("locales differ: {0}")]
    Mismatch(String),
}

/// The embedded `.ftl` sources of one language: (file name, text).
pub fn sources(lang: Lang) -> &'static [(&'static str, &'static str)] {
    macro_rules! files {
        ($dir:literal) => {
            &[
                ("bot.ftl", include_str!(concat!("../locales/", $dir, "/bot.ftl"))),
                ("catalog.ftl", include_str!(concat!("../locales/", $dir, "/catalog.ftl"))),
                ("operator.ftl", include_str!(concat!("../locales/", $dir, "/operator.ftl"))),
                ("journal.ftl", include_str!(concat!("../locales/", $dir, "/journal.ftl"))),
                ("dossier.ftl", include_str!(concat!("../locales/", $dir, "/dossier.ftl"))),
                ("profile.ftl", include_str!(concat!("../locales/", $dir, "/profile.ftl"))),
                ("letters.ftl", include_str!(concat!("../locales/", $dir, "/letters.ftl"))),
                ("stats.ftl", include_str!(concat!("../locales/", $dir, "/stats.ftl"))),
                ("web.ftl", include_str!(concat!("../locales/", $dir, "/web.ftl"))),
                ("release.ftl", include_str!(concat!("../locales/", $dir, "/release.ftl"))),
                ("failing.ftl", include_str!(concat!("../locales/", $dir, "/failing.ftl"))),
                ("hosts.ftl", include_str!(concat!("../locales/", $dir, "/hosts.ftl"))),
            ]
        };
    }
    match lang {
        Lang::Fr => files!("fr"),
        Lang::En => files!("en"),
        Lang::Ar => files!("ar"),
    }
}

/// The letters' own text, in French whatever the person's language: they go
/// to French institutions. Outside the parity check on purpose.
const LETTERS: (&str, &str) = ("letters/fr.ftl", include_str!("../locales/letters/fr.ftl"));

/// Formats messages in any of the three languages, and the letters in French.
pub struct Localizer {
    bundles: BTreeMap<Lang, FluentBundle<FluentResource>>,
    letters: FluentBundle<FluentResource>,
}

impl fmt::Debug for Localizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Localizer").finish_non_exhaustive()
    }
}

impl Localizer {
    /// Loads the embedded locales and checks that the three agree.
    pub fn new() -> Result<Localizer, I18nError> {
        check_parity()?;
        let mut bundles = BTreeMap::new();
        for lang in Lang::ALL {
            bundles.insert(lang, bundle(lang, sources(lang))?);
        }
        Ok(Localizer { bundles, letters: bundle(Lang::Fr, &[LETTERS])? })
    }

    /// A message of the letters (always French), with its arguments.
    pub fn letter_text(&self, id: &str, args: &Args) -> String {
        format(&self.letters, Lang::Fr, id, args)
    }

    /// The message `id` in `lang`, with its arguments. A message missing at run
    /// time (which the parity check makes impossible) shows its id, not a panic.
    pub fn text(&self, lang: Lang, id: &str, args: &Args) -> String {
        format(&self.bundles[&lang], lang, id, args)
    }
}

/// The message `id` of `bundle`, with its arguments; its id when it is
/// missing (which the parity check makes impossible for the three languages).
fn format(bundle: &FluentBundle<FluentResource>, lang: Lang, id: &str, args: &Args) -> String {
    let Some(pattern) = bundle.get_message(id).and_then(|message| message.value()) else {
        tracing::error!(%lang, id, "message missing from locales");
        return id.to_string();
    };
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&args.0), &mut errors);
    if !errors.is_empty() {
        tracing::error!(%lang, id, ?errors, "message formatted with errors");
    }
    text.into_owned()
}

/// Arguments for a message: `Args::new().with("count", 3).with("name", "Bobigny")`.
#[derive(Default)]
pub struct Args(FluentArgs<'static>);

impl Args {
    /// No arguments.
    pub fn new() -> Args {
        Args(FluentArgs::new())
    }

    /// Adds an argument.
    pub fn with(mut self, name: &'static str, value: impl Into<FluentValue<'static>>) -> Args {
        self.0.set(name, value);
        self
    }
}

fn bundle(lang: Lang, sources: &[(&'static str, &'static str)]) -> Result<FluentBundle<FluentResource>, I18nError> {
    let id: LanguageIdentifier = lang.code().parse().expect("our own language codes parse");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks keep Latin names and numbers in place inside Arabic text;
    // in French and English they would only be noise.
    bundle.set_use_isolating(lang.is_rtl());
    for (file, source) in sources {
        let resource = FluentResource::try_new(source.to_string()).map_err(|(_, errors)| I18nError::Syntax {
            lang: lang.code(),
            file,
            message: format!("{errors:?}"),
        })?;
        bundle.add_resource(resource).map_err(|errors| I18nError::Bundle { lang: lang.code(), message: format!("{errors:?}") })?;
    }
    let rules = plural_rules(lang);
    bundle
        .add_function("PLURAL", move |positional, _named| match positional.first() {
            Some(FluentValue::Number(number)) => FluentValue::from(category_name(rules.category_for(number.value.abs() as u64))),
            _ => FluentValue::from("other"),
        })
        .map_err(|error| I18nError::Bundle { lang: lang.code(), message: format!("{error:?}") })?;
    Ok(bundle)
}

fn plural_rules(lang: Lang) -> PluralRules {
    let locale: icu_locale_core::Locale = lang.code().parse().expect("our own language codes parse");
    PluralRules::try_new_cardinal(locale.into()).expect("ICU4X ships plural rules for fr, en and ar")
}

/// The CLDR plural category of `n` in `lang`: `zero`, `one`, `two`, `few`, `many` or `other`.
pub fn plural_category(lang: Lang, n: u64) -> &'static str {
    category_name(plural_rules(lang).category_for(n))
}

fn category_name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// For each message id of one language, the variables it uses.
pub type Signature = BTreeMap<String, BTreeSet<String>>;

/// The message ids and their variables, for one language.
pub fn signature(lang: Lang) -> Result<Signature, I18nError> {
    let mut signature = Signature::new();
    for (file, source) in sources(lang) {
        let resource = fluent_syntax::parser::parse(*source).map_err(|(_, errors)| I18nError::Syntax {
            lang: lang.code(),
            file,
            message: format!("{errors:?}"),
        })?;
        for entry in resource.body {
            if let ast::Entry::Message(message) = entry {
                let mut variables = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    pattern_variables(pattern, &mut variables);
                }
                signature.insert(message.id.name.to_string(), variables);
            }
        }
    }
    Ok(signature)
}

/// Checks that the three languages define the same messages with the same variables.
pub fn check_parity() -> Result<(), I18nError> {
    let reference = signature(Lang::Fr)?;
    let mut problems = Vec::new();
    for lang in [Lang::En, Lang::Ar] {
        let other = signature(lang)?;
        for (id, variables) in &reference {
            match other.get(id) {
                None => problems.push(format!("{lang} lacks {id}")),
                Some(theirs) if theirs != variables => problems.push(format!("{id}: fr uses {variables:?}, {lang} uses {theirs:?}")),
                Some(_) => {}
            }
        }
        problems.extend(other.keys().filter(|id| !reference.contains_key(*id)).map(|id| format!("{lang} has extra {id}")));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(I18nError::Mismatch(problems.join("; ")))
    }
}

fn pattern_variables(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Inline(inline) => inline_variables(inline, out),
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for variant in variants {
                pattern_variables(&variant.value, out);
            }
        }
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_string());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, out);
            }
            for named in &arguments.named {
                inline_variables(&named.value, out);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}
