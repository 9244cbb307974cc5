//! What looks like a password. The bot never asks for an ANEF password or
//! FranceConnect credentials; a message that looks like one is dropped where
//! it is read, before any step can store it, and the person is warned.
//! Better a note typed again than a password kept.

/// Words that announce a password, in French, English and Arabic (folded:
/// lower case, no accents).
const PASSWORD_WORDS: [&str; 10] =
    ["mot de passe", "mdp", "password", "passwd", "pwd", "franceconnect", "france connect", "identifiant ants", "كلمة السر", "كلمة المرور"];

/// Whether `text` looks like credentials: it names a password, or holds a
/// word that only a password looks like (8 to 64 characters without a
/// space, with a lower-case letter, a capital, a digit and a sign).
/// References (`ANTS-2026-4471`, a registered letter's number) have no
/// lower-case letter, and notes have spaces, so they pass.
pub fn looks_like_credentials(text: &str) -> bool {
    let folded = crate::sites::french::folded(text);
    let named = PASSWORD_WORDS.iter().any(|word| {
        folded.match_indices(word).any(|(at, _)| {
            // A whole word: "mdp" in "mdp:" but not in "admdpx".
            let before = folded[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let after = folded[at + word.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            before && after
        })
    });
    named || text.split_whitespace().any(password_like)
}

fn password_like(word: &str) -> bool {
    let length = word.chars().count();
    (8..=64).contains(&length)
        && word.chars().any(|c| c.is_lowercase())
        && word.chars().any(|c| c.is_uppercase())
        && word.chars().any(|c| c.is_ascii_digit())
        && word.chars().any(|c| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_caught_and_ordinary_answers_pass() {
        for secret in [
            "mon mot de passe ANEF : soleil2024",
            "Mot de passe: x",
            "MDP: Azerty123",
            "password hunter2",
            "FranceConnect amina.benali@example.org / Tr0ub4dor&3",
            "Tr0ub4dor&3",
            "كلمة السر 12345",
            "my login is amina, Xy7!abcd",
        ] {
            assert!(looks_like_credentials(secret), "{secret}");
        }
        for ordinary in [
            "Ben Ali",
            "Aminata",
            "12/03/1990",
            "12 rue de la Paix, 93000 Bobigny",
            "amina.benali@example.org",
            "75 0123 4567",
            "ANTS-2026-4471",
            "1A 234 567 8901 2",
            "DS 12345678",
            "Appelé le 3949, ticket QX-58213",
            "article L. 423-23 du CESEDA",
            "Titre de séjour 9311223344",
            "le site affiche « erreur 500 » depuis lundi",
            "aB3k9x",
            "https://administration-etrangers-en-france.interieur.gouv.fr/particuliers/#/",
        ] {
            assert!(!looks_like_credentials(ordinary), "{ordinary}");
        }
    }
}
