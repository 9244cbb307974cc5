//! Reading what a person sent: commands, option numbers, junk.

use deunicode::deunicode;

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
    Stop { all: bool },
    Lang,
    Help,
    Check,
    Tried,
    Dossier,
    Profile,
    Forget,
    MyData,
    Letter,
    Stats,
    /// `/target …`, the operators' catalog command, with its words as typed.
    Target(String),
    Unknown(String),
}

/// A message, once read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Command(Command),
    Choice(String),
    File(Upload),
    Text(String),
    Empty,
    TooLong(usize),
}

impl Input {
    /// What kind of message this is, for the logs: never what the person wrote.
    pub fn label(&self) -> String {
        match self {
            Input::Command(command) => format!("command {command:?}").chars().take_while(|c| *c != '(').collect(),
            Input::Choice(value) => format!("choice {}", value.split(':').next().unwrap_or_default()),
            Input::File(_) => "file".into(),
            Input::Text(_) => "text".into(),
            Input::Empty => "empty".into(),
            Input::TooLong(_) => "too long".into(),
        }
    }
}

/// Reads `content`. Numbers and labels pick among `offered`, except where free
/// text is expected (a département: "93" is a département, not option 93).
pub fn read_input(content: &Content, free_text: bool, offered: &[Choice]) -> Input {
    let text = match content {
        Content::Choice(value) => return Input::Choice(value.clone()),
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
    if !free_text {
        if let Some(choice) = pick(cleaned, offered) {
            return Input::Choice(choice);
        }
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
        "stats" | "statistiques" => Command::Stats,
        "target" => Command::Target(text.split_once(char::is_whitespace).map_or("", |(_, rest)| rest).trim().to_string()),
        other => Command::Unknown(other.chars().take(32).collect()),
    }
}

/// An option by its number (1-based) or its label, forgiving case and accents.
fn pick(text: &str, offered: &[Choice]) -> Option<String> {
    if let Ok(number) = text.parse::<usize>() {
        return offered.get(number.checked_sub(1)?).map(|c| c.value.clone());
    }
    let wanted = fold(text);
    offered.iter().find(|c| fold(&c.label) == wanted).map(|c| c.value.clone())
}

fn fold(text: &str) -> String {
    deunicode(text).to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> Vec<Choice> {
        vec![
            Choice { label: "Français".into(), value: "lang:fr".into() },
            Choice { label: "English".into(), value: "lang:en".into() },
        ]
    }

    fn text(t: &str) -> Content {
        Content::Text(t.into())
    }

    #[test]
    fn numbers_and_labels_pick_options() {
        assert_eq!(read_input(&text("2"), false, &options()), Input::Choice("lang:en".into()));
        assert_eq!(read_input(&text(" francais "), false, &options()), Input::Choice("lang:fr".into()));
        assert_eq!(read_input(&text("3"), false, &options()), Input::Text("3".into()));
        assert_eq!(read_input(&text("0"), false, &options()), Input::Text("0".into()));
        assert_eq!(read_input(&text("93"), true, &options()), Input::Text("93".into()));
    }

    #[test]
    fn commands_are_read_with_bot_names_and_arguments() {
        assert_eq!(read_input(&text("/status@guichet_bot"), false, &[]), Input::Command(Command::Status));
        assert_eq!(read_input(&text("/stop all"), false, &[]), Input::Command(Command::Stop { all: true }));
        assert_eq!(read_input(&text("/START"), false, &[]), Input::Command(Command::Start));
        assert_eq!(read_input(&text("/frobnicate"), false, &[]), Input::Command(Command::Unknown("frobnicate".into())));
        let url = "https://www.Example.gouv.fr/booking/create/AbC";
        let expected = Input::Command(Command::Target(format!("add 93 aes {url}")));
        assert_eq!(read_input(&text(&format!("/target  add 93 aes {url} ")), false, &[]), expected);
        assert_eq!(read_input(&text("/target"), false, &[]), Input::Command(Command::Target(String::new())));
    }

    #[test]
    fn junk_is_named() {
        assert_eq!(read_input(&text("   "), false, &[]), Input::Empty);
        assert_eq!(read_input(&text("\u{0}\u{1}\u{7f}"), false, &[]), Input::Empty);
        assert_eq!(read_input(&text(&"a".repeat(501)), false, &[]), Input::TooLong(501));
        assert_eq!(read_input(&text("🙂🙂"), false, &[]), Input::Text("🙂🙂".into()));
    }
}
