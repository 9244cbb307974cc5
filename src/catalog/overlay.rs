//! The operator's changes to the catalog: targets added, fields of existing
//! targets corrected, targets disabled, and the channel of a procedure in a
//! département set (a row of `ways.csv`, its key in the `target` column as
//! `way:<procedure>:<département>`, `*` for every one). They are stored as a log (never
//! rewritten) and laid over the embedded data in the order they were made;
//! each change is checked exactly like a row of `targets.csv`, and one that no
//! longer holds (the data or the allowlist moved under it) is skipped and
//! reported, never fatal.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use super::allowlist::check_operator_url;
use super::ways::Way;
use super::{load, Catalog, CatalogError, Target, UnknownName};

/// The log key of the channel of `procedure` in `departement` (`*` for every
/// procedure or every département), as [`ChangeAction::Way`] changes name it.
pub fn way_key(procedure: Option<&str>, departement: Option<&str>) -> String {
    format!("way:{}:{}", procedure.unwrap_or("*"), departement.unwrap_or("*"))
}

/// Back from [`way_key`]: the procedure and the département, `None` for `*`.
fn read_way_key(key: &str) -> Option<(Option<String>, Option<String>)> {
    let rest = key.strip_prefix("way:")?;
    let (procedure, departement) = rest.split_once(':')?;
    let any = |v: &str| (v != "*").then(|| v.to_string());
    Some((any(procedure), any(departement)))
}

/// What an operator did to a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeAction {
    /// A new target; its fields are all given.
    Add,
    /// Some fields of an existing target set to new values.
    Edit,
    /// An existing target disabled (kept for history, offered to nobody).
    Disable,
    /// A procedure's channel in a département set (a row of `ways.csv`).
    Way,
}

impl ChangeAction {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeAction::Add => "add",
            ChangeAction::Edit => "edit",
            ChangeAction::Disable => "disable",
            ChangeAction::Way => "way",
        }
    }
}

impl fmt::Display for ChangeAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ChangeAction {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [ChangeAction::Add, ChangeAction::Edit, ChangeAction::Disable, ChangeAction::Way]
            .into_iter()
            .find(|action| action.as_str() == s)
            .ok_or_else(|| UnknownName(s.to_string()))
    }
}

/// One change, as an operator asks for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetChange {
    /// The target's id.
    pub target: String,
    /// What is done to it.
    pub action: ChangeAction,
    /// The fields set, by `targets.csv` column name (every column but `id`
    /// for [`ChangeAction::Add`], none for [`ChangeAction::Disable`]).
    pub fields: BTreeMap<String, String>,
    /// Who asked: a chat (`telegram:123`) or the command line (`cli:<user>`).
    pub by: String,
}

/// A change as stored: with its place in the log and its date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredTargetChange {
    /// Its position in the log: changes apply in this order.
    pub id: i64,
    /// When it was made.
    pub at: DateTime<Utc>,
    /// The change.
    pub change: TargetChange,
}

/// A stored change that was not applied, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedChange {
    /// The change's id in the log.
    pub id: i64,
    /// The target it was about.
    pub target: String,
    /// What is wrong, in English, for the operator.
    pub reason: String,
}

impl fmt::Display for SkippedChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "operator change #{} to {}: {}", self.id, self.target, self.reason)
    }
}

/// The catalog with the operator's changes, and those that were skipped.
#[derive(Debug)]
pub struct Overlaid {
    /// The catalog to use.
    pub catalog: Catalog,
    /// The changes that did not apply.
    pub skipped: Vec<SkippedChange>,
}

/// The columns an edit may set: all but the id, which names the target.
pub fn editable_fields() -> &'static [&'static str] {
    &load::target_columns()[1..]
}

impl Catalog {
    /// This catalog with `changes` applied in order; the URL of every target
    /// a change touches must pass [`check_operator_url`] with `allowed_hosts`.
    pub fn overlaid(&self, changes: &[StoredTargetChange], allowed_hosts: &[String]) -> Overlaid {
        let mut targets = self.targets.clone();
        let mut ways = self.ways.clone();
        let mut skipped = Vec::new();
        for stored in changes {
            let applied = match stored.change.action {
                ChangeAction::Way => self.apply_way(&mut ways, &stored.change, allowed_hosts).map(|_| ()),
                _ => self.apply(&mut targets, &stored.change, allowed_hosts).map(|_| ()),
            };
            if let Err(reason) = applied {
                skipped.push(SkippedChange { id: stored.id, target: stored.change.target.clone(), reason });
            }
        }
        let mut catalog = Catalog::from_parts(self.departements.clone(), self.procedures.clone(), targets);
        catalog.ways = ways;
        catalog.prefectures = self.prefectures.clone();
        catalog.contacts = self.contacts.clone();
        Overlaid { catalog, skipped }
    }

    /// The target `change` would leave, checked, without changing anything:
    /// what an operator's command runs before the change is stored.
    pub fn try_change(&self, change: &TargetChange, allowed_hosts: &[String]) -> Result<Target, String> {
        let mut targets = self.targets.clone();
        let position = self.apply(&mut targets, change, allowed_hosts)?;
        Ok(targets.swap_remove(position))
    }

    /// The way a [`ChangeAction::Way`] change would set, checked, without
    /// changing anything.
    pub fn try_way(&self, change: &TargetChange, allowed_hosts: &[String]) -> Result<Way, String> {
        self.apply_way(&mut self.ways.clone(), change, allowed_hosts)
    }

    /// Sets the way a change names, in place of the row for the same
    /// procedure and département; returns it, or why it cannot apply (then
    /// `ways` is unchanged). Its URL passes the same checks as a page's.
    fn apply_way(&self, ways: &mut Vec<Way>, change: &TargetChange, allowed_hosts: &[String]) -> Result<Way, String> {
        let (procedure, departement) = read_way_key(&change.target).ok_or_else(|| format!("not a way's key: {:?}", change.target))?;
        if let Some(id) = procedure.as_deref().filter(|p| self.procedure(p).is_none()) {
            return Err(format!("unknown procedure {id:?}"));
        }
        if let Some(code) = departement.as_deref().filter(|d| self.departement(d).is_none()) {
            return Err(format!("unknown département {code:?}"));
        }
        let field = |name: &str| change.fields.get(name).cloned().unwrap_or_default();
        check_operator_url(&field("url"), allowed_hosts).map_err(|refusal| refusal.to_string())?;
        let way = Way::checked(procedure, departement, &field("way"), field("url").trim().to_string())?;
        let way = Way { source: field("source"), source_date: field("source_date"), ..way };
        match ways.iter_mut().find(|w| w.procedure == way.procedure && w.departement == way.departement) {
            Some(row) => *row = way.clone(),
            None => ways.push(way.clone()),
        }
        Ok(way)
    }

    /// Applies one change to `targets`; returns the position of the target
    /// it left, or why it cannot apply (then `targets` is unchanged).
    fn apply(&self, targets: &mut Vec<Target>, change: &TargetChange, allowed_hosts: &[String]) -> Result<usize, String> {
        if change.action == ChangeAction::Way {
            return Err("a way is no target".into());
        }
        let existing = targets.iter().position(|t| t.id == change.target);
        let mut fields = match (change.action, existing) {
            (ChangeAction::Add, Some(_)) => return Err(format!("a target {:?} exists already", change.target)),
            (ChangeAction::Add, None) => vec![String::new(); load::target_columns().len()],
            (_, None) => return Err(format!("no target {:?}", change.target)),
            (_, Some(i)) => load::target_fields(&targets[i]),
        };
        fields[0] = change.target.clone();
        for (name, value) in &change.fields {
            let column = editable_fields()
                .iter()
                .position(|c| c == name)
                .ok_or_else(|| format!("unknown field {name:?} (fields: {})", editable_fields().join(", ")))?;
            fields[column + 1] = value.clone();
        }
        if change.action == ChangeAction::Disable {
            if let Some(enabled) = load::target_columns().iter().position(|c| *c == "enabled") {
                fields[enabled] = "false".to_string();
            }
        }
        let target = load::target_from_fields(fields, &self.departements, &self.procedures).map_err(|e| match e {
            CatalogError::Invalid { message, .. } => message,
            other => other.to_string(),
        })?;
        check_operator_url(&target.url, allowed_hosts).map_err(|refusal| refusal.to_string())?;
        match existing {
            Some(i) => {
                targets[i] = target;
                Ok(i)
            }
            None => {
                targets.push(target);
                Ok(targets.len() - 1)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Confidence, System};

    const DEPS: &str = "code,name,region,prefecture,sous_prefectures,aliases
93,Seine-Saint-Denis,Île-de-France,Bobigny,Le Raincy;Saint-Denis,
";
    const PROCS: &str = "id,online_booking_usual\nfirst-permit,true\naes,true\n";
    const TARGETS: &str = "id,departement,procedure,place,system,url,form,planning,source,source_locator,source_date,confidence,enabled
ezb-93-9829,93,aes,Bobigny,ezbooking,https://www.seine-saint-denis.gouv.fr/booking/create/9829,9829,,repo,file@abc,2019-09-10,code,true
";

    fn base() -> Catalog {
        Catalog::from_csv(DEPS, PROCS, TARGETS).expect("test data loads")
    }

    fn allowed() -> Vec<String> {
        vec!["*.gouv.fr".to_string()]
    }

    fn change(id: i64, target: &str, action: ChangeAction, fields: &[(&str, &str)]) -> StoredTargetChange {
        StoredTargetChange {
            id,
            at: Utc::now(),
            change: TargetChange {
                target: target.into(),
                action,
                fields: fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
                by: "test".into(),
            },
        }
    }

    fn added(id: i64, target: &str, url: &str, form: &str) -> StoredTargetChange {
        change(
            id,
            target,
            ChangeAction::Add,
            &[
                ("departement", "93"),
                ("procedure", "first-permit"),
                ("place", "Saint-Denis"),
                ("system", "ezbooking"),
                ("url", url),
                ("form", form),
                ("planning", ""),
                ("source", "operator"),
                ("source_locator", "added by test"),
                ("source_date", ""),
                ("confidence", "unverified"),
                ("enabled", "true"),
            ],
        )
    }

    #[test]
    fn changes_apply_in_order_over_the_embedded_data() {
        let changes = [
            added(1, "ezb-93-500", "https://www.seine-saint-denis.gouv.fr/booking/create/500", "500"),
            change(2, "ezb-93-9829", ChangeAction::Edit, &[("confidence", "confirmed"), ("place", "Saint-Denis")]),
            change(3, "ezb-93-500", ChangeAction::Disable, &[]),
        ];
        let overlaid = base().overlaid(&changes, &allowed());
        assert!(overlaid.skipped.is_empty(), "{:?}", overlaid.skipped);
        let catalog = overlaid.catalog;
        let edited = catalog.target("ezb-93-9829").expect("still there");
        assert_eq!((edited.confidence, edited.place.as_str()), (Confidence::Confirmed, "Saint-Denis"));
        let new = catalog.target("ezb-93-500").expect("added");
        assert_eq!((new.system, new.form.as_str(), new.enabled), (System::Ezbooking, "500", false));
        assert!(catalog.targets_for("93", "first-permit").is_empty(), "a disabled target is offered to nobody");
        // The base catalog itself is untouched.
        assert_eq!(base().targets().len(), 1);
    }

    #[test]
    fn changes_that_no_longer_hold_are_skipped_and_reported() {
        let changes = [
            change(1, "ezb-93-9829", ChangeAction::Edit, &[("place", "Lyon")]),
            change(2, "nope", ChangeAction::Disable, &[]),
            added(3, "ezb-93-9829", "https://www.seine-saint-denis.gouv.fr/booking/create/9829", "9829"),
            added(4, "ezb-93-7", "https://booking.example.org/booking/create/7", "7"),
            added(5, "ezb-93-8", "https://www.seine-saint-denis.gouv.fr/booking/create/8", "9"),
            change(6, "ezb-93-9829", ChangeAction::Edit, &[("id", "other")]),
            change(7, "ezb-93-9829", ChangeAction::Edit, &[("source_date", "yesterday")]),
            change(8, "ezb-93-9829", ChangeAction::Edit, &[("confidence", "page")]),
        ];
        let overlaid = base().overlaid(&changes, &allowed());
        let reasons: Vec<(i64, &str)> = overlaid.skipped.iter().map(|s| (s.id, s.reason.as_str())).collect();
        assert_eq!(reasons.iter().map(|r| r.0).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6, 7], "{reasons:?}");
        for (needle, (_, reason)) in
            ["Lyon", "no target", "exists already", "booking.example.org", "does not name form", "unknown field", "source_date"]
                .iter()
                .zip(&reasons)
        {
            assert!(reason.contains(needle), "{reason}");
        }
        // The good change after them still applies.
        assert_eq!(overlaid.catalog.target("ezb-93-9829").map(|t| t.confidence), Some(Confidence::Page));
        assert_eq!(overlaid.catalog.targets().len(), 1);
        assert!(overlaid.skipped[0].to_string().starts_with("operator change #1 to ezb-93-9829: "));
    }

    #[test]
    fn a_change_is_tried_without_being_applied() {
        let catalog = base();
        let edit = change(1, "ezb-93-9829", ChangeAction::Edit, &[("enabled", "false")]).change;
        let tried = catalog.try_change(&edit, &allowed()).expect("a valid edit");
        assert!(!tried.enabled);
        assert!(catalog.target("ezb-93-9829").is_some_and(|t| t.enabled));
        let bad = change(2, "ezb-93-9829", ChangeAction::Edit, &[("procedure", "visa")]).change;
        assert!(catalog.try_change(&bad, &allowed()).unwrap_err().contains("unknown procedure"));
    }

    #[test]
    fn the_system_and_form_are_read_from_the_url() {
        let cases = [
            ("https://www.val-de-marne.gouv.fr/booking/create/4321/0", Some((System::Ezbooking, "4321"))),
            ("https://pprdv.interieur.gouv.fr/booking/create/948", Some((System::Pprdv, "948"))),
            ("https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/16040/", Some((System::Rdvpref, "16040"))),
            (
                "https://rdv-etrangers-94.interieur.gouv.fr/eAppointmentpref94/appointment.do?sitekey=P941",
                Some((System::Eappointment, "P941")),
            ),
            (
                "https://esii-orion.com/orion-reservation/slots?account=EVMSPI&config=SEJOURREMISE&code=REN1",
                Some((System::Orion, "SEJOURREMISE")),
            ),
            ("https://other-orion.com/x?config=SEJOUR", None),
            ("https://www.val-de-marne.gouv.fr/demarches", None),
            ("ftp://www.val-de-marne.gouv.fr/booking/create/1", None),
        ];
        for (url, expected) in cases {
            let found = Target::system_of_url(url);
            assert_eq!(found.as_ref().map(|(s, f)| (*s, f.as_str())), expected, "{url}");
        }
    }
}
