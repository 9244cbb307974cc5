//! Reading what a person sent: commands, option numbers, junk.

use deunicode::deunicode;

use super::callback::Callback;
use crate::chat::{Choice, Content, Upload};

/// Longer messages are refused with an explanation, not read.
pub const MAX_CHARS: usize = 500;

/// A command the bot knows, or the name of one it does not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Start,
    Watch,
    Unwatch,
    Status,
    Stop {
        all: bool,
    },
    Lang,
    Help,
    Check,
    Tried,
    Dossier,
    Profile,
    Forget,
    MyData,
    Letter,
    /// `/deadlines`: the person's deadlines, from their profile.
    Deadlines,
    Stats,
    /// `/target …`, the operators' catalog command, with its words as typed.
    Target(String),
    Unknown(String),
}

/// A message, once read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Command(Command),
    /// A button, read once here; `None` for data no button of ours carries
    /// (an older version's, or forged).
    Choice(Option<Callback>),
    File(Upload),
    Text(String),
    /// "annuler", "cancel", "إلغاء": leave the question asked, whatever it is.
    Cancel,
    Empty,
    TooLong(usize),
    /// Something that looks like a password, dropped as it was read.
    Secret,
}

/// What the step waiting for this message makes of typed text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expecting {
    /// One of the options: anything else is asked again.
    Options,
    /// Text (a note, a name, a code), or one of the options by its number,
    /// its label or its usual word.
    Text,
    /// Text in which a number is data (a département code, the numbers of
    /// the stakes): options are chosen by their label or usual word only, and
    /// are shown without numbers.
    TextWithNumbers,
}

impl Input {
    /// What kind of message this is, for the logs: never what the person wrote.
    pub fn label(&self) -> String {
        match self {
            Input::Command(command) => format!("command {command:?}").chars().take_while(|c| *c != '(').collect(),
            Input::Choice(Some(callback)) => format!("choice {}", callback.to_string().split(':').next().unwrap_or_default()),
            Input::Choice(None) => "stale choice".into(),
            Input::File(_) => "file".into(),
            Input::Text(_) => "text".into(),
            Input::Cancel => "cancel".into(),
            Input::Empty => "empty".into(),
            Input::TooLong(_) => "too long".into(),
            Input::Secret => "secret".into(),
        }
    }
}

/// Reads `content`. One rule for every step: an option is chosen by its
/// number, its label or its usual word (oui/non, yes/no, نعم/لا,
/// passer/skip/تخطي…), in any case, with or without accents, so that a
/// button's label typed out is never taken as data. Numbers pick an option
/// except where the step reads numbers as data (a département: "93").
pub fn read_input(content: &Content, expecting: Expecting, offered: &[Choice]) -> Input {
    let text = match content {
        Content::Choice(value) => return Input::Choice(Callback::parse(value)),
        Content::File(upload) => return Input::File(upload.clone()),
        Content::Text(text) => text,
    };
    let length = text.chars().count();
    if length > MAX_CHARS {
        return Input::TooLong(length);
    }
    // Control characters (binary junk) carry nothing a person meant to say.
    let cleaned: String = text.chars().filter(|c| !c.is_control() || *c == '\n').collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        return Input::Empty;
    }
    if let Some(command) = cleaned.strip_prefix('/') {
        return Input::Command(read_command(command));
    }
    if let Some(choice) = pick(cleaned, offered, expecting) {
        return Input::Choice(Callback::parse(&choice));
    }
    if CANCEL_WORDS.contains(&fold(cleaned).as_str()) {
        return Input::Cancel;
    }
    if super::secrets::looks_like_credentials(cleaned) {
        return Input::Secret;
    }
    Input::Text(cleaned.to_string())
}

fn read_command(text: &str) -> Command {
    let mut words = text.split_whitespace();
    // Telegram appends the bot's name in groups: /status@guichet_bot.
    let name = words.next().unwrap_or_default().split('@').next().unwrap_or_default().to_lowercase();
    let argument = words.next().map(str::to_lowercase);
    match name.as_str() {
        "start" => Command::Start,
        "watch" | "suivre" => Command::Watch,
        "unwatch" => Command::Unwatch,
        "status" => Command::Status,
        "stop" => Command::Stop { all: matches!(argument.as_deref(), Some("all" | "tout" | "tous")) },
        "lang" | "langue" | "language" => Command::Lang,
        "help" | "aide" => Command::Help,
        "check" | "verifier" | "vérifier" => Command::Check,
        "tried" | "essai" | "tentative" => Command::Tried,
        "dossier" => Command::Dossier,
        "profile" | "profil" => Command::Profile,
        "forget" | "oublier" => Command::Forget,
        "mydata" | "mesdonnees" => Command::MyData,
        "letter" | "lettre" => Command::Letter,
        "deadlines" | "echeances" | "échéances" | "delais" | "délais" => Command::Deadlines,
        "stats" | "statistiques" => Command::Stats,
        "target" => Command::Target(text.split_once(char::is_whitespace).map_or("", |(_, rest)| rest).trim().to_string()),
        other => Command::Unknown(other.chars().take(32).collect()),
    }
}

/// Words that leave any question, folded (see [`fold`]).
const CANCEL_WORDS: &[&str] = &["annuler", "cancel", "الغاء", "abandonner"];

/// The usual words for the options whose value ends with `:yes`, `:no`,
/// `:skip` or `:save`, in the three languages, folded (see [`fold`]).
const USUAL_WORDS: &[(&str, &[&str])] = &[
    ("yes", &["oui", "yes", "نعم", "ok", "d'accord", "o", "y"]),
    ("no", &["non", "no", "لا", "n"]),
    ("skip", &["passer", "skip", "تخطي", "تخطى", "suivant", "next", "التالي"]),
    ("save", &["enregistrer", "save", "حفظ", "ok"]),
];

/// An option by its number (1-based, unless numbers are data here), its
/// label, or its usual word, forgiving case and accents. Where only options
/// are expected, the first words of one label are enough ("naturalisation"
/// for « Naturalisation — autre voie »), if no other label starts so.
fn pick(text: &str, offered: &[Choice], expecting: Expecting) -> Option<String> {
    if let Ok(number) = text.parse::<usize>() {
        return if expecting == Expecting::TextWithNumbers { None } else { offered.get(number.checked_sub(1)?).map(|c| c.value.clone()) };
    }
    let wanted = fold(text);
    if let Some(choice) = offered.iter().find(|c| fold(&c.label) == wanted) {
        return Some(choice.value.clone());
    }
    if expecting == Expecting::Options && wanted.chars().count() >= 4 {
        let starting: Vec<&Choice> = offered.iter().filter(|c| fold(&c.label).starts_with(&format!("{wanted} "))).collect();
        if let [only] = starting.as_slice() {
            return Some(only.value.clone());
        }
    }
    let means = |meaning: &str| USUAL_WORDS.iter().any(|(m, words)| *m == meaning && words.contains(&wanted.as_str()));
    offered.iter().find(|c| c.value.rsplit_once(':').is_some_and(|(_, meaning)| means(meaning))).map(|c| c.value.clone())
}

/// Text reduced to what a person means by it: lower case, no accents (Latin
/// letters through deunicode, Arabic by dropping its short vowels and
/// unifying the forms of alif), single spaces, no final punctuation.
fn fold(text: &str) -> String {
    let arabic = text.chars().any(|c| ('\u{0600}'..='\u{06ff}').contains(&c));
    let text: String = if arabic {
        text.chars()
            .filter(|c| !('\u{064b}'..='\u{0652}').contains(c))
            .map(|c| match c {
                'أ' | 'إ' | 'آ' => 'ا',
                'ى' => 'ي',
                other => other,
            })
            .collect()
    } else {
        deunicode(text)
    };
    let words = text.to_lowercase();
    let words = words.trim_end_matches(['.', '!', '?', '؟', ' ']);
    words.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> Vec<Choice> {
        vec![Choice { label: "Français".into(), value: "lang:fr".into() }, Choice { label: "English".into(), value: "lang:en".into() }]
    }

    /// The input a button with this data reads as.
    fn chosen(data: &str) -> Input {
        Input::Choice(Some(Callback::parse(data).expect("a button of ours")))
    }

    fn text(t: &str) -> Content {
        Content::Text(t.into())
    }

    fn profile_options() -> Vec<Choice> {
        vec![
            Choice { label: "Passer".into(), value: "profile:skip".into() },
            Choice { label: "Effacer cette réponse".into(), value: "profile:erase".into() },
        ]
    }

    #[test]
    fn numbers_and_labels_pick_options() {
        assert_eq!(read_input(&text("2"), Expecting::Options, &options()), chosen("lang:en"));
        assert_eq!(read_input(&text(" francais "), Expecting::Options, &options()), chosen("lang:fr"));
        assert_eq!(read_input(&text("3"), Expecting::Options, &options()), Input::Text("3".into()));
        assert_eq!(read_input(&text("0"), Expecting::Options, &options()), Input::Text("0".into()));
        assert_eq!(read_input(&text("93"), Expecting::TextWithNumbers, &options()), Input::Text("93".into()));
    }

    /// Issue 14: "1" at « [1] Passer » was stored as a permit, « Effacer
    /// cette réponse » as a legal basis, « Enregistrer » as a note.
    #[test]
    fn on_a_text_step_an_option_is_never_taken_as_data() {
        let cases: &[(&str, Expecting, &str)] = &[
            ("1", Expecting::Text, "profile:skip"),
            ("2", Expecting::Text, "profile:erase"),
            ("effacer cette REPONSE", Expecting::Text, "profile:erase"),
            ("Passer", Expecting::Text, "profile:skip"),
            ("passer", Expecting::TextWithNumbers, "profile:skip"),
            ("skip", Expecting::Text, "profile:skip"),
            ("تخطي", Expecting::Text, "profile:skip"),
            ("تخطّى", Expecting::Text, "profile:skip"),
        ];
        for (typed, expecting, value) in cases {
            assert_eq!(read_input(&text(typed), *expecting, &profile_options()), chosen(value), "{typed}");
        }
        let save = [Choice { label: "Enregistrer".into(), value: "tried:save".into() }];
        for typed in ["Enregistrer", "enregistrer.", "1", "save", "حفظ", "ok"] {
            assert_eq!(read_input(&text(typed), Expecting::Text, &save), chosen("tried:save"), "{typed}");
        }
        // Where numbers are data, they stay data.
        assert_eq!(read_input(&text("1 3"), Expecting::TextWithNumbers, &profile_options()), Input::Text("1 3".into()));
        assert_eq!(read_input(&text("1"), Expecting::TextWithNumbers, &profile_options()), Input::Text("1".into()));
        assert_eq!(read_input(&text("Marocaine"), Expecting::Text, &profile_options()), Input::Text("Marocaine".into()));
    }

    #[test]
    fn where_options_are_expected_the_first_words_of_one_label_do() {
        let procedures = [
            Choice { label: "Première demande de titre de séjour".into(), value: "proc:first-permit".into() },
            Choice { label: "Naturalisation — autre voie".into(), value: "proc:naturalisation".into() },
            Choice { label: "Renouvellement de titre de séjour — autre voie".into(), value: "proc:renewal".into() },
        ];
        assert_eq!(read_input(&text("naturalisation"), Expecting::Options, &procedures), chosen("proc:naturalisation"));
        assert_eq!(read_input(&text("Premiere demande"), Expecting::Options, &procedures), chosen("proc:first-permit"));
        assert_eq!(read_input(&text("de"), Expecting::Options, &procedures), Input::Text("de".into()), "too short to mean one");
        // Never on a text step: « Effacer » is a name there, not « Effacer cette réponse ».
        assert_eq!(read_input(&text("Effacer"), Expecting::Text, &profile_options()), Input::Text("Effacer".into()));
    }

    #[test]
    fn the_usual_words_answer_yes_and_no_in_three_languages() {
        let confirm = [
            Choice { label: "Oui, surveiller".into(), value: "confirm:yes".into() },
            Choice { label: "Non, annuler".into(), value: "confirm:no".into() },
        ];
        for (typed, value) in [
            ("OUI", "confirm:yes"),
            ("yes", "confirm:yes"),
            ("نعم", "confirm:yes"),
            ("Non", "confirm:no"),
            ("no", "confirm:no"),
            ("لا", "confirm:no"),
        ] {
            assert_eq!(read_input(&text(typed), Expecting::Options, &confirm), chosen(value), "{typed}");
        }
        for typed in ["annuler", "Cancel", "إلغاء", "الغاء"] {
            assert_eq!(read_input(&text(typed), Expecting::Text, &[]), Input::Cancel, "{typed}");
        }
    }

    #[test]
    fn commands_are_read_with_bot_names_and_arguments() {
        assert_eq!(read_input(&text("/status@guichet_bot"), Expecting::Options, &[]), Input::Command(Command::Status));
        assert_eq!(read_input(&text("/stop all"), Expecting::Options, &[]), Input::Command(Command::Stop { all: true }));
        assert_eq!(read_input(&text("/START"), Expecting::Options, &[]), Input::Command(Command::Start));
        assert_eq!(read_input(&text("/frobnicate"), Expecting::Options, &[]), Input::Command(Command::Unknown("frobnicate".into())));
        let url = "https://www.Example.gouv.fr/booking/create/AbC";
        let expected = Input::Command(Command::Target(format!("add 93 aes {url}")));
        assert_eq!(read_input(&text(&format!("/target  add 93 aes {url} ")), Expecting::Options, &[]), expected);
        assert_eq!(read_input(&text("/target"), Expecting::Options, &[]), Input::Command(Command::Target(String::new())));
    }

    #[test]
    fn junk_is_named() {
        assert_eq!(read_input(&text("   "), Expecting::Options, &[]), Input::Empty);
        assert_eq!(read_input(&text("\u{0}\u{1}\u{7f}"), Expecting::Options, &[]), Input::Empty);
        assert_eq!(read_input(&text(&"a".repeat(501)), Expecting::Options, &[]), Input::TooLong(501));
        assert_eq!(read_input(&text("🙂🙂"), Expecting::Options, &[]), Input::Text("🙂🙂".into()));
    }
}
