//! Profiles encrypted at rest with XChaCha20-Poly1305 (RustCrypto's
//! `chacha20poly1305`): a fresh random nonce per write, the chat's key as
//! associated data (a profile copied onto another chat's row does not open),
//! and the key from the settings or the environment, never from the store.

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::profile::Profile;

/// The known value of the key check (sealed, it tells nothing of the key).
const KEY_CHECK: &[u8] = b"guichet-profile-key-check-v1";

/// What can go wrong with the key or a sealed profile.
#[derive(Debug, thiserror::Error)]
pub enum PrivacyError {
    /// The configured key is not 64 hexadecimal digits.
    #[error("the profile key must be 64 hexadecimal digits (32 bytes); generate one with `openssl rand -hex 32`")]
    BadKey,
    /// A sealed profile does not open with this key (another key, or altered).
    #[error("a stored profile does not open with this key")]
    Sealed,
}

/// A profile as stored: its nonce and ciphertext.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedProfile {
    /// The nonce it was sealed with (24 bytes).
    pub nonce: Vec<u8>,
    /// The encrypted, authenticated profile.
    pub ciphertext: Vec<u8>,
}

/// Seals and opens profiles with one key.
pub struct Vault {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key, even in a debug log.
        f.write_str("Vault(..)")
    }
}

impl Vault {
    /// A vault from a key written as 64 hexadecimal digits.
    pub fn from_hex(key: &str) -> Result<Vault, PrivacyError> {
        let bytes = hex::decode(key.trim()).map_err(|_| PrivacyError::BadKey)?;
        let cipher = XChaCha20Poly1305::new_from_slice(&bytes).map_err(|_| PrivacyError::BadKey)?;
        Ok(Vault { cipher })
    }

    /// A vault with a key drawn now (the demo, whose database is thrown away).
    pub fn random() -> Vault {
        Vault { cipher: XChaCha20Poly1305::new(&XChaCha20Poly1305::generate_key(&mut OsRng)) }
    }

    /// Seals `profile` for the chat `chat` (its key is bound to the ciphertext).
    pub fn seal(&self, chat: &str, profile: &Profile) -> SealedProfile {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let plain = serde_json::to_vec(profile).expect("a profile serialises");
        let ciphertext =
            self.cipher.encrypt(&nonce, Payload { msg: &plain, aad: chat.as_bytes() }).expect("encryption in memory does not fail");
        SealedProfile { nonce: nonce.to_vec(), ciphertext }
    }

    /// The key check: a known value sealed with this key, kept in the store
    /// so that a later start can tell whether its key is the same.
    pub fn seal_check(&self) -> SealedProfile {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ciphertext =
            self.cipher.encrypt(&nonce, Payload { msg: KEY_CHECK, aad: KEY_CHECK }).expect("encryption in memory does not fail");
        SealedProfile { nonce: nonce.to_vec(), ciphertext }
    }

    /// Whether `check` was sealed by [`Vault::seal_check`] with this key.
    pub fn opens_check(&self, check: &SealedProfile) -> bool {
        let Ok(nonce) = <[u8; 24]>::try_from(check.nonce.as_slice()) else { return false };
        self.cipher.decrypt(&XNonce::from(nonce), Payload { msg: &check.ciphertext, aad: KEY_CHECK }).is_ok_and(|plain| plain == KEY_CHECK)
    }

    /// Opens a profile sealed for `chat`.
    pub fn open(&self, chat: &str, sealed: &SealedProfile) -> Result<Profile, PrivacyError> {
        let nonce: [u8; 24] = sealed.nonce.as_slice().try_into().map_err(|_| PrivacyError::Sealed)?;
        let plain = self
            .cipher
            .decrypt(&XNonce::from(nonce), Payload { msg: &sealed.ciphertext, aad: chat.as_bytes() })
            .map_err(|_| PrivacyError::Sealed)?;
        serde_json::from_slice(&plain).map_err(|_| PrivacyError::Sealed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Field;

    fn profile() -> Profile {
        let mut profile = Profile::default();
        profile.values.insert(Field::FamilyName, "Ben Ali".into());
        profile.values.insert(Field::Agdref, "7501234567".into());
        profile
    }

    #[test]
    fn a_sealed_profile_opens_only_with_its_key_and_chat() {
        let key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        let vault = Vault::from_hex(key).unwrap();
        let sealed = vault.seal("telegram:1", &profile());
        assert!(!sealed.ciphertext.windows(7).any(|w| w == b"Ben Ali"), "no clear text at rest");
        assert_eq!(vault.open("telegram:1", &sealed).unwrap(), profile());
        assert!(vault.open("telegram:2", &sealed).is_err(), "bound to its chat");
        assert!(Vault::random().open("telegram:1", &sealed).is_err(), "another key");
        let mut altered = sealed.clone();
        altered.ciphertext[0] ^= 1;
        assert!(vault.open("telegram:1", &altered).is_err(), "authenticated");
        assert_ne!(vault.seal("telegram:1", &profile()).nonce, sealed.nonce, "a fresh nonce each time");
    }

    #[test]
    fn a_bad_key_is_refused_plainly() {
        for bad in ["", "abc", &"zz".repeat(32), &"00".repeat(31)] {
            assert!(matches!(Vault::from_hex(bad), Err(PrivacyError::BadKey)), "{bad}");
        }
        assert_eq!(format!("{:?}", Vault::random()), "Vault(..)", "the key is never printed");
    }

    #[test]
    fn the_key_check_opens_with_its_key_only() {
        let vault = Vault::random();
        let check = vault.seal_check();
        assert!(vault.opens_check(&check));
        assert!(!Vault::random().opens_check(&check));
        let mut altered = check.clone();
        altered.ciphertext[0] ^= 1;
        assert!(!vault.opens_check(&altered));
    }
}
