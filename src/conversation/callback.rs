//! What a button means. Its data (`lang:fr`, `dep:93`, `tried:remove:12`…)
//! is written and read here only: the conversation builds and matches
//! [`Callback`] values, never strings. The data stays short (Telegram
//! allows 64 bytes) and is what older messages carry, so its form does not
//! change.

use std::fmt;

use crate::chat::Choice;
use crate::i18n::Lang;
use crate::journal::AttemptKind;
use crate::letters::LetterKind;
use crate::profile::Field;

/// A button's meaning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Callback {
    /// A language (`lang:fr`).
    Language(Lang),
    /// A region, by its place in the catalog's list (`region:3`).
    Region(usize),
    /// A département, by its code (`dep:93`).
    Departement(String),
    /// A procedure, by its id (`proc:aes`).
    Procedure(String),
    /// Yes or no to a watch (`confirm:yes`).
    Confirm(bool),
    /// Stop one watch, by one of its pages, or all (`stop:all`).
    Stop(Stop),
    /// A person's check of a page (`check:ezb-93-9829`).
    Check(String),
    /// A button of `/tried`.
    Tried(TriedButton),
    /// A button of `/profile`.
    Profile(ProfileButton),
    /// Yes or no to `/forget` (`forget:yes`).
    Forget(bool),
    /// A letter, and the watch it is about once chosen (`letter:email:ezb-93-9829`).
    Letter(LetterKind, Option<String>),
}

/// Which watches `/stop` stops.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// Every one.
    All,
    /// The watch this page belongs to.
    Watch(String),
}

/// The buttons of `/tried`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TriedButton {
    /// What was tried (`tried:web`).
    Kind(AttemptKind),
    /// The list of tries (`tried:list`).
    List,
    /// Save without a note (`tried:save`).
    Save,
    /// Take back an entry (`tried:remove:12`).
    Remove(i64),
}

/// The buttons of `/profile`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileButton {
    /// Leave the question (`profile:skip`).
    Skip,
    /// Erase the answer (`profile:erase`).
    Erase,
    /// Close the profile (`profile:done`).
    Done,
    /// Change one answer (`profile:edit:birth-date`).
    Edit(Field),
    /// Give the dates of one's deadlines (`profile:dates`).
    Dates,
}

impl Callback {
    /// Reads a button's data; `None` for data no button of ours carries.
    pub fn parse(data: &str) -> Option<Callback> {
        let (kind, argument) = data.split_once(':')?;
        let yes_no = |answer: &str| match answer {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        };
        Some(match kind {
            "lang" => Callback::Language(Lang::from_hint(argument)?),
            "region" => Callback::Region(argument.parse().ok()?),
            "dep" => Callback::Departement(argument.to_string()),
            "proc" => Callback::Procedure(argument.to_string()),
            "confirm" => Callback::Confirm(yes_no(argument)?),
            "stop" if argument == "all" => Callback::Stop(Stop::All),
            "stop" => Callback::Stop(Stop::Watch(argument.to_string())),
            "check" => Callback::Check(argument.to_string()),
            "tried" => Callback::Tried(match argument {
                "list" => TriedButton::List,
                "save" => TriedButton::Save,
                other => match other.strip_prefix("remove:") {
                    Some(id) => TriedButton::Remove(id.parse().ok()?),
                    None => TriedButton::Kind(AttemptKind::parse(other)?),
                },
            }),
            "profile" => Callback::Profile(match argument {
                "skip" => ProfileButton::Skip,
                "erase" => ProfileButton::Erase,
                "done" => ProfileButton::Done,
                "dates" => ProfileButton::Dates,
                other => ProfileButton::Edit(Field::parse(other.strip_prefix("edit:")?)?),
            }),
            "forget" => Callback::Forget(yes_no(argument)?),
            "letter" => {
                let (kind, target) = argument.split_once(':').map_or((argument, None), |(kind, target)| (kind, Some(target.to_string())));
                Callback::Letter(LetterKind::parse(kind)?, target)
            }
            _ => return None,
        })
    }

    /// A button with this meaning.
    pub fn choice(self, label: String) -> Choice {
        Choice { label, value: self.to_string() }
    }

    /// Whether it acts on what a person gave (never in a group).
    pub fn is_personal(&self) -> bool {
        matches!(self, Callback::Tried(_) | Callback::Profile(_) | Callback::Forget(_) | Callback::Letter(..))
    }
}

impl fmt::Display for Callback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let yes_no = |yes: bool| if yes { "yes" } else { "no" };
        match self {
            Callback::Language(lang) => write!(f, "lang:{}", lang.code()),
            Callback::Region(index) => write!(f, "region:{index}"),
            Callback::Departement(code) => write!(f, "dep:{code}"),
            Callback::Procedure(id) => write!(f, "proc:{id}"),
            Callback::Confirm(yes) => write!(f, "confirm:{}", yes_no(*yes)),
            Callback::Stop(Stop::All) => f.write_str("stop:all"),
            Callback::Stop(Stop::Watch(target)) => write!(f, "stop:{target}"),
            Callback::Check(target) => write!(f, "check:{target}"),
            Callback::Tried(TriedButton::Kind(kind)) => write!(f, "tried:{}", kind.as_str()),
            Callback::Tried(TriedButton::List) => f.write_str("tried:list"),
            Callback::Tried(TriedButton::Save) => f.write_str("tried:save"),
            Callback::Tried(TriedButton::Remove(id)) => write!(f, "tried:remove:{id}"),
            Callback::Profile(ProfileButton::Skip) => f.write_str("profile:skip"),
            Callback::Profile(ProfileButton::Erase) => f.write_str("profile:erase"),
            Callback::Profile(ProfileButton::Done) => f.write_str("profile:done"),
            Callback::Profile(ProfileButton::Dates) => f.write_str("profile:dates"),
            Callback::Profile(ProfileButton::Edit(field)) => write!(f, "profile:edit:{}", field.as_str()),
            Callback::Forget(yes) => write!(f, "forget:{}", yes_no(*yes)),
            Callback::Letter(kind, None) => write!(f, "letter:{}", kind.as_str()),
            Callback::Letter(kind, Some(target)) => write!(f, "letter:{}:{target}", kind.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_button_reads_back_as_written() {
        let buttons = [
            Callback::Language(Lang::Ar),
            Callback::Region(12),
            Callback::Departement("2A".into()),
            Callback::Procedure("aes".into()),
            Callback::Confirm(true),
            Callback::Confirm(false),
            Callback::Stop(Stop::All),
            Callback::Stop(Stop::Watch("ezb-93-9829".into())),
            Callback::Check("rdvpref-93-4321".into()),
            Callback::Tried(TriedButton::Kind(AttemptKind::Phone)),
            Callback::Tried(TriedButton::List),
            Callback::Tried(TriedButton::Save),
            Callback::Tried(TriedButton::Remove(42)),
            Callback::Profile(ProfileButton::Skip),
            Callback::Profile(ProfileButton::Erase),
            Callback::Profile(ProfileButton::Done),
            Callback::Profile(ProfileButton::Edit(Field::PermitExpiry)),
            Callback::Profile(ProfileButton::Dates),
            Callback::Forget(true),
            Callback::Letter(LetterKind::Refere, None),
            Callback::Letter(LetterKind::Email, Some("ezb-93-9829".into())),
            // ANEF kinds have a hyphen in their names: the target is after the second colon.
            Callback::Letter(LetterKind::RefereAnef, None),
            Callback::Letter(LetterKind::DefenseurAnef, Some("ezb-93-9829".into())),
        ];
        for button in buttons {
            let data = button.to_string();
            assert!(data.len() <= 64, "Telegram's limit: {data}");
            assert_eq!(Callback::parse(&data), Some(button), "{data}");
        }
    }

    #[test]
    fn data_no_button_carries_is_none() {
        for data in [
            "",
            "x",
            "lang:xx",
            "region:two",
            "confirm:maybe",
            "tried:teleport",
            "tried:remove:x",
            "profile:edit:shoe-size",
            "letter:poem",
            "nope:1",
        ] {
            assert_eq!(Callback::parse(data), None, "{data}");
        }
        assert_eq!(Callback::parse(&"x".repeat(5000)), None);
    }
}
