//! A simulated prefecture running the legacy booking software ("ezbooking",
//! eZ Publish `bookingserver`), with its faults, driven by a scenario. The
//! demo, the tests and the benchmarks probe it instead of real sites. It only
//! serves on a loopback address and never sends anything anywhere. It also
//! serves RDV-Préfecture (with its CaptchEtat captcha), Val-de-Marne's
//! eAppointment and ESII Orion (Rennes), each in its own module, with the
//! same slot engine, front end and layouts (see [Other systems](#other-systems)).
//!
//! # The flow (paths as on the real sites)
//!
//! | Request | Answer |
//! |---|---|
//! | `GET /booking/create/{form}` or `/{form}/0` | conditions page; sets `eZSESSID=<32 hex>; Path=/` unless the client sent a valid one |
//! | `POST /{form}/0` `condition=on&nextButton=…` | 302 to `/1` (several counters), else `/2` (no slot), `/3` (slots, description step) or `/4` (slots) |
//! | `POST /{form}/0` without `condition=on` | 200, conditions page with `p.Berror` |
//! | `GET /{form}/1` | counter choice |
//! | `POST /{form}/1` `planning={id}&nextButton=Etape suivante` | 302 to `/2`, `/3` or `/4` for that counter; unknown id → 200, choice page with `p.Berror` |
//! | `GET /{form}/2` | no slot; `POST /2` → 302 to `/booking/create/{form}` |
//! | `GET /{form}/3` | description; `POST /3` → 302 to `/4` |
//! | `GET /{form}/4` | calendar page; `POST /4` → 302 to `/6` |
//! | `GET /{form}/5/{timestamp}`, `/5`, `/7`, `/8` | 302 to `/6` |
//! | `GET /{form}/6` | security check (`div.g-recaptcha`); `POST /6` → the same page with an error (never passes) |
//! | `GET`/`POST /ezjscore/call/bookingserver::planning::assign::{form}::{planning}::{offset}` | one week of the calendar (no session needed) |
//!
//! Every step after the conditions page needs a valid `eZSESSID` cookie, or it
//! answers 302 to `/booking/create/{form}`. Paths under `/booking/create/` are
//! relative to the site root; locations are absolute paths.
//!
//! Free slots decide the route when the counter is chosen (`POST /0` for a
//! single counter, `POST /1` otherwise). `GET /4` shows the calendar of the
//! session's counter (or the first one) whatever the slots.
//!
//! # Faults
//!
//! - A client (by remote IP) whose previous request came less than
//!   `too_soon_ms` ago gets `502 Bad Gateway` (nginx's page).
//! - More than `forbid_after` requests within `forbid_window_s` gets `403` with
//!   "Request forbidden by administrative rules." for `forbid_for_s`; the count
//!   restarts after the ban. [`SimulatorHandle::forbid_client_for`] bans everyone.
//! - With `throttle_all = true`, every request gets `429 Too Many Requests`
//!   (nginx's page), before any other check.
//! - With `retry_after_s`, 502, 403 and 429 answers carry `Retry-After`.
//! - Layouts ([`Layout`]): `maintenance` and `disabled` replace every page of
//!   the form, the ezjscore call included (HTTP 200); a maintenance window with
//!   `status = 503` answers nginx's `503 Service Temporarily Unavailable`;
//!   `changed` serves redesigned pages that contain none of the markers (and
//!   show slots in their own markup); `challenge` answers every page with a
//!   CDN's "Vérification de sécurité" challenge (HTTP 403). A layout set at run time
//!   ([`SimulatorHandle::set_layout`]) beats maintenance windows, which beat the
//!   scenario's layout.
//!
//! # Slots
//!
//! A release makes `slots` slots appear on a planning. The first lies on the
//! first weekday at least `days_ahead` days after the release day; each next
//! one on the same weekday or the next; times are 9:00–16:30 Europe/Paris, on
//! the form's grid of 15 or 30 minutes, never two on the same time of the same
//! planning. Each slot is taken (disappears) `lasts_s` after its release. All
//! choices are drawn from ChaCha8 generators derived from `seed`, the form id
//! and the release, so a scenario gives the same releases on every run.
//! Slot dates follow the wall clock; "seconds after start" follow
//! `tokio::time::Instant`, counted from [`Simulator::new`].
//!
//! # Scenario format (TOML)
//!
//! Every key is optional; unknown keys are errors.
//!
//! ```toml
//! seed = 7                 # default 0
//! too_soon_ms = 1000       # default 1000; 0 = off
//! forbid_after = 600       # default 600; 0 = off
//! forbid_window_s = 3600   # default 3600
//! forbid_for_s = 600       # default 600
//! retry_after_s = 120      # default: no Retry-After header
//! throttle_all = false     # true: 429 to every request
//!
//! [default_form]           # every form not listed below, and the defaults of listed ones
//! plannings = []           # [] = one counter, id = form id + 1 (804 → 805)
//! layout = "normal"        # "normal" | "changed" | "maintenance" | "disabled" | "challenge"
//! description_step = false # step 3 before the calendar
//! slot_minutes = 30        # 15 or 30
//!
//! [[default_form.release]] # scripted release
//! at_s = 60                # seconds after start
//! jitter_s = 30            # + seeded 0..=30 s per form and occurrence (default 0)
//! every_s = 300            # repeat (default: once)
//! slots = 3
//! days_ahead = 10
//! lasts_s = 240            # each slot is taken this long after the release
//! # planning = "805"       # default: the form's first counter
//! # announce = true        # RDV-Préfecture forms only (see below): the slot page
//! #                        # announces it ("Prochaine mise en ligne de nouveaux
//! #                        # rendez-vous : le DD/MM/YYYY à HH:mm"); it then falls
//! #                        # on a whole minute of the wall clock
//!
//! [default_form.random]    # seeded random releases (omit, or mean_gap_s = 0, for none)
//! mean_gap_s = 1800        # exponential gaps with this mean
//! slots = [1, 4]           # inclusive ranges
//! lasts_s = [60, 900]      # drawn per slot
//! days_ahead = [3, 70]
//!
//! [[default_form.maintenance]]
//! from_s = 3000            # inclusive
//! to_s = 3300              # exclusive
//! status = 200             # 200 = maintenance page, 503 = HTTP 503
//!
//! [[form]]                 # keys left out take [default_form]'s values
//! id = "9829"              # string or integer
//! plannings = [{ id = "9830", label = "Guichet 1" }, { id = "9831", label = "Guichet 2" }]
//! description_step = true
//! release = [{ at_s = 0, slots = 2, days_ahead = 5, lasts_s = 600, planning = "9831" }]
//! [[form.maintenance]]
//! from_s = 300
//! to_s = 400
//! status = 503
//! ```
//!
//! `scenarios/demo.toml` (what [`Scenario::demo`] runs) and
//! `scenarios/example.toml` are complete examples.
//!
//! Releases are announced only where the real sites announce them: on
//! RDV-Préfecture's `/creneau/` page, after a solved captcha. The field notes
//! never saw « Prochaine mise en ligne » on ezbooking, eAppointment or Orion
//! pages, so `announce = true` on any other form, or in `[default_form]`
//! (which every ezbooking form takes), is refused by [`Scenario::parse`]
//! with an error that names the form.
//!
//! # Markup
//!
//! The texts a client looks for are the constants of the `pages` submodule,
//! copied from the reference notes. Summary:
//!
//! - every booking page: `div#inner_Booking`; steps as images
//!   `/extension/bookingserver/design/standard/images/etape_{n}.png`, the
//!   active one `etape_{n}r.png` (1 on steps 0–2, 3, 4, 6);
//! - step 0: `form#FormBookingCreate[name=create]` (action `…/0`),
//!   `input[type=checkbox][name=condition][value=on]`,
//!   `#submit_Booking input[type=submit][name=nextButton][value="Effectuer une demande de rendez-vous"]`;
//! - step 1: `form#FormBookingCreate` (action `…/1`), in `div#fchoix_Booking`
//!   one `<p class="Bligne"><input type="radio" name="planning" id="planning{ID}" value="{ID}"><label for="planning{ID}">{label}</label></p>`
//!   per counter, `#submit_Booking` with `nextButton` "Etape suivante";
//! - step 2: `h2` "Vérification de disponibilité"; the text of
//!   `form#FormBookingCreate` is exactly "Il n'existe plus de plage horaire
//!   libre pour votre demande de rendez-vous. Veuillez recommencer
//!   ultérieurement." and it holds `input[type=submit][name=finishButton][value=Terminer]`;
//! - step 3: `etape_3r.png`, `nextButton` "Etape suivante";
//! - step 4: `etape_4r.png`, `form#FormBookingCreate` action
//!   `/booking/create/{form}/4`, a script containing the literal URL
//!   `/ezjscore/call/bookingserver::planning::assign::{form}::{planning}::0`;
//! - ezjscore: `table.Bplanning`, `th[colspan=7]` "Semaine du lundi 27 avril
//!   2020 au dimanche 03 mai 2020"; each free slot is
//!   `<td class="Bdispo"><span class="Bheure">09:30</span> <a href="/booking/create/{form}/5/{unix ts}">plage libre</a></td>`;
//!   the legend says "Plage libre" once, so "libre" occurs 1 + (free cells) times;
//! - step 6: `div.g-recaptcha`.
//!
//! # Other systems
//!
//! Each system's pages are served on the paths of the real site, and its
//! slots, layout and maintenance windows are those of a form of the scenario
//! whose id is a key that no ezbooking form id can be: `orion-<CONFIG>` and
//! `eappointment-<SITEKEY>` (e.g. `[[form]] id = "orion-SEJOURUSARNVT"`,
//! `handle.release_now("eappointment-P941", …)`, `set_layout`, `take_all`,
//! `free_slots` alike). Slots are on the form's first counter; a form with
//! several counters shows them all. The front end (502 too soon, 403 bans,
//! [`SimulatorHandle::forbid_client_for`], `Retry-After`) is the same for every
//! path. In every layout, `maintenance` answers a maintenance page with HTTP
//! 200 (or nginx's 503 in a window with `status = 503`), `disabled` a page
//! saying "Ce lien a été désactivé définitivement", and `changed` a
//! redesigned page (and JSON) with none of the reader's markers. The markup
//! is what the page readers (`crate::sites::{orion, eappointment}`) recognise:
//! their `markers` are the contract. What the field notes do not say is our
//! assumption, and is marked as such in the readers' module docs.
//!
//! ## RDV-Préfecture (`rdvpref` module), form key `rdvpref-<ID>`
//!
//! | Request | Answer |
//! |---|---|
//! | `GET /rdvpref/reservation/demarche/{id}/` | the landing page: a link "Prendre un rendez-vous" to `cgu/`; sets `SESSION=<32 hex>; Path=/rdvpref` unless the client has a live session |
//! | `GET …/{id}/cgu/` | the captcha step: `<rdv-captchetat token="tok-<session>" captcha-style-name="captchaFR" endpoint-url="https://api.piste.gouv.fr/piste/captchetat/v2/simple-captcha-endpoint">` inside a form, with "code de sécurité"; `?error=invalidCaptcha` adds "Le code de sécurité saisi est incorrect." Without a live session: a new one, and 302 to itself |
//! | `GET /piste/captchetat/v2/simple-captcha-endpoint?get=html&c=captchaFR` (`Authorization: Bearer tok-<session>`) | a new captcha of six digits: `img#captchaFR_CaptchaImage`, hidden `BDC_VCID_captchaFR` (its id) and `BDC_BackWorkaround_captchaFR`; 401 without a live session's token |
//! | `…?get=image&c=captchaFR&t=<id>` / `…?get=sound&…` | the code drawn in a 200×70 PNG / played as DTMF tones in a WAV |
//! | `POST …/{id}/_validerCaptcha` `captchaId`, `captchaUsercode`, the hidden inputs | the right code: 302 to `creneau/`; a wrong one (or an id the session never saw; each id is used once): 302 to `cgu/?error=invalidCaptcha`; no live session: 302 to `cgu/?error=errorSessionInvalide` |
//! | `GET …/{id}/creneau/` | after a right code: the `"critere":{…,"datePremiereDispo"}` JSON (empty without slots), then "Choisissez votre créneau" with one `h3.celulleHeader` "jeudi 03/12/2026" per day and `input[type=radio][name=trhId]` labelled "09h30" per slot, or "Aucun créneau disponible à partir de cette date. Veuillez réessayer ultérieurement."; and, when an announced release of the form is to come, "Prochaine mise en ligne de nouveaux rendez-vous : le DD/MM/YYYY à HH:mm" (Paris time). Otherwise 302 to `cgu/?error=errorSessionInvalide` |
//!
//! Sessions live 20 minutes; [`SimulatorHandle::expire_sessions`] ends them
//! all. [`SimulatorHandle::read_captcha`] tells what an image shows, as a
//! person reading it would. Every page carries the tarteaucitron cookie
//! banner, whose class names contain "captcha" and which is no captcha.
//! No other system's page announces a release (see the scenario format).
//!
//! ## ESII Orion (`orion` module)
//!
//! | Request | Answer |
//! |---|---|
//! | `GET /orion-reservation/slots?account=A&config=C&usemode=app&code=REN1` | the application shell (`<app-root></app-root>`, empty); sets `ORION_SESSION=<32 hex>; Path=/` unless the client sent a valid one. No `account` or a bad `config`: 404 |
//! | `POST /orion/api/1/rdv/bookings/availableSlotByDay` (JSON) | `{"daySlots": [{"day": "YYYY-MM-DD", "slots": [{"id", "startTime": "HH:MM", "endTime", "placeCode": "REN1", "placeName"}]}], "indexPagination", "slotsPerPage", "totalElements"}` |
//!
//! The request is `{"account", "config", "numberOfDay", "filterRequest":
//! {"filterPlaceCode": [..]}, "indexPagination", "slotsPerPage"}`; without
//! the session cookie the answer is 401 (JSON), a body that is not such a
//! request 400. It lists the free slots of `orion-<config>` dated before
//! today + `numberOfDay` (default 30), none if the place filter is given and
//! lacks `REN1`, soonest first, paged by slots (`indexPagination` from 1,
//! `slotsPerPage` 1–500, default 100), grouped by day; `totalElements` counts
//! all pages. No slot: `"daySlots": []`. Maintenance (200) and a disabled
//! form show the application with its `.user-msg.error` banner ("… en
//! maintenance …", "Ce lien a été désactivé définitivement."), on the page
//! and the endpoint alike; `changed` serves a page without `app-root` and
//! JSON with `disponibilites` instead of `daySlots`.
//!
//! ## Val-de-Marne's eAppointment (`eappointment` module)
//!
//! Every step is `form[name=appointmentForm]` posting to
//! `/eAppointmentpref94/appointment.do?sitekey=S` with a hidden `step` field
//! and a submit `#nextButtonId`.
//!
//! | Request | Answer |
//! |---|---|
//! | `GET /eAppointmentpref94/appointment.do?sitekey=S` | Étape 1/4, the motives: `input[type=checkbox][name=selectedMotiveKeyList]` 20 "Retrait de titre" and 21; sets `JSESSIONID=<32 hex>; Path=/eAppointmentpref94` unless the client sent a valid one |
//! | `POST …?sitekey=S` `step=motive&selectedMotiveKeyList=20` | no free slot: a page whose script calls `alert("Il n'existe plus de plage horaire libre …")`; else Étape 2/4, information (hidden `step=info`). Unknown motive: the motive page with an error |
//! | `POST …` `step=info` | Étape 3/4: `input#dayValueId` (the first free day, `DD/MM/YYYY`), a jQuery UI datepicker of `.ui-datepicker-group`s from the first free day's month (at most 3 months) whose free days are `td[data-month][data-year] a` (`data-month` from 0), and `select#hourValueSelect` with the first day's hours. With no free slot left, `#dayValueId` is `disabled` |
//! | `POST …` `step=date` | Étape 4/4: the image captcha (`img[src*=captcha]`, `input[name=captchaValue]`); `step=captcha` shows it again with an error: it never passes, and the slot is never held |
//!
//! A POST without a valid session, or `step=info|date|captcha` before a
//! motive was chosen, is answered 302 to the motive step. The DWR call
//! (`AjaxMotive.motiveMultiSiteSubmit`) is not served: the motive form submits
//! itself. Maintenance (200) says "Le service est temporairement indisponible
//! pour cause d'opération de maintenance."

mod captcha;
mod eappointment;
mod orion;
mod pages;
mod rdvpref;
mod scenario;
mod server;
mod slots;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

pub use scenario::{FormConfig, FormEntry, Layout, MaintenanceWindow, Planning, RandomReleases, Release, Scenario, ScenarioError};

use server::{Inner, Shared};
use slots::Engine;

/// One request the simulator answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    /// When it arrived (monotonic).
    pub instant: std::time::Instant,
    /// When it arrived (wall clock).
    pub time: DateTime<Utc>,
    /// The client's IP address.
    pub client: IpAddr,
    /// The HTTP method, e.g. "GET".
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The status it was answered with.
    pub status: u16,
}

/// The simulated prefecture. Create it, take a [`SimulatorHandle`] if the
/// test needs one, then [`Simulator::serve`].
pub struct Simulator {
    shared: Arc<Shared>,
}

/// Controls and observes a simulator, also while it serves. Cheap to clone.
#[derive(Clone)]
pub struct SimulatorHandle {
    shared: Arc<Shared>,
}

impl Simulator {
    /// A simulator whose clock ("seconds after start") starts now.
    pub fn new(scenario: Scenario) -> Simulator {
        let inner = Inner {
            engine: Engine::new(scenario, Utc::now()),
            layouts: HashMap::new(),
            sessions: HashMap::new(),
            clients: HashMap::new(),
            ban_all_until: None,
            records: VecDeque::new(),
            rdvpref: Default::default(),
        };
        let shared = Shared { start: tokio::time::Instant::now(), inner: Mutex::new(inner) };
        Simulator { shared: Arc::new(shared) }
    }

    /// Serves on the given listener until the future is dropped (tests bind
    /// 127.0.0.1:0). Refuses a listener that is not on a loopback address.
    pub async fn serve(self, listener: tokio::net::TcpListener) -> std::io::Result<()> {
        let addr = listener.local_addr()?;
        loopback_only(addr)?;
        tracing::info!(%addr, "simulated prefecture serving");
        let app = server::router(self.shared).into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(listener, app).await
    }

    /// Serves on every listener at once, as that many hosts of one
    /// prefecture sharing their state (benchmarks with many hosts); loopback only.
    pub async fn serve_all(self, listeners: Vec<tokio::net::TcpListener>) -> std::io::Result<()> {
        let mut served = tokio::task::JoinSet::new();
        for listener in listeners {
            served.spawn(Simulator { shared: self.shared.clone() }.serve(listener));
        }
        while let Some(result) = served.join_next().await {
            result.map_err(std::io::Error::other)??;
        }
        Ok(())
    }

    /// A handle to control and observe this simulator.
    pub fn handle(&self) -> SimulatorHandle {
        SimulatorHandle { shared: self.shared.clone() }
    }
}

/// The simulator stands in for real sites on this machine only.
fn loopback_only(addr: std::net::SocketAddr) -> std::io::Result<()> {
    if addr.ip().is_loopback() {
        Ok(())
    } else {
        let message = format!("the simulator only serves on loopback addresses, not {addr}");
        Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, message))
    }
}

impl SimulatorHandle {
    /// Every request answered so far (the latest 100 000), oldest first.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.lock().records.iter().cloned().collect()
    }

    /// Releases `slots` slots now on the form's first counter, the first one on
    /// the first weekday at least `days_ahead` days from today; each is taken
    /// after `lasts`. At most 500 slots, at most 3650 days ahead.
    pub fn release_now(&self, form: &str, slots: u32, days_ahead: u32, lasts: Duration) {
        let elapsed = self.shared.elapsed();
        self.shared.lock().engine.release_now(form, slots, days_ahead, lasts, elapsed);
    }

    /// Every slot the form has now is taken (later releases still come).
    pub fn take_all(&self, form: &str) {
        let elapsed = self.shared.elapsed();
        self.shared.lock().engine.take_all(form, elapsed);
    }

    /// Switches the form's layout from now on; this beats the scenario's layout
    /// and its maintenance windows.
    pub fn set_layout(&self, form: &str, layout: Layout) {
        self.shared.lock().layouts.insert(form.to_string(), layout);
    }

    /// What a captcha image the simulator drew shows: the test's stand-in
    /// for the eyes of the person who solves it.
    pub fn read_captcha(&self, image: &[u8]) -> Option<String> {
        self.shared.lock().rdvpref.read(image)
    }

    /// Every RDV-Préfecture session expires now, as if the person had
    /// waited too long before typing the code.
    pub fn expire_sessions(&self) {
        self.shared.lock().rdvpref.expire_all();
    }

    /// The form's next announced release still to come (see `announce` in
    /// the scenario format).
    pub fn announced_release(&self, form: &str) -> Option<DateTime<Utc>> {
        let elapsed = self.shared.elapsed();
        self.shared.lock().engine.next_announced(form, elapsed)
    }

    /// Every client gets 403 for the given time.
    pub fn forbid_client_for(&self, d: Duration) {
        self.shared.lock().ban_all_until = Some(server::later(tokio::time::Instant::now(), d));
    }

    /// The form's free slots now (all counters), soonest first, in Europe/Paris.
    pub fn free_slots(&self, form: &str) -> Vec<DateTime<Tz>> {
        let elapsed = self.shared.elapsed();
        let free = self.shared.lock().engine.free(form, None, elapsed);
        free.into_iter().map(|s| s.at).collect()
    }
}
