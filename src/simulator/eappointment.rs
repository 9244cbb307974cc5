//! Val-de-Marne's eAppointment, simulated: the motive step, an information
//! step, the calendar (a jQuery UI datepicker) and the image captcha of step
//! 4/4, which never passes. The flow is documented in the parent module; the
//! markers are those of [`crate::sites::eappointment::markers`], the contract
//! with the reader.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{Datelike, Days, NaiveDate};
use tokio::time::Instant;

use super::pages::{esc, nginx_error, DISABLED_TEXT};
use super::scenario::{valid_id, Layout};
use super::server::{cookie, html, not_found, redirect, Shared};
use super::slots::Slot;

/// The application's root.
pub(crate) const APP: &str = "/eAppointmentpref94";
/// The Java session cookie.
pub(crate) const SESSION_COOKIE: &str = "JSESSIONID";
/// The motives offered: key and label; 20 is the one of the notes.
pub(crate) const MOTIVES: &[(&str, &str)] = &[("20", "Retrait de titre"), ("21", "Changement d'adresse sur un titre")];
/// The no-slot message of the alert.
pub(crate) const NO_SLOT_TEXT: &str = "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous.";
/// The maintenance page.
pub(crate) const MAINTENANCE_TEXT: &str =
    "Le service est temporairement indisponible pour cause d'opération de maintenance. Nous vous prions de nous excuser pour la gêne occasionnée.";
/// The hidden field that says which step a form comes from.
const STEP_FIELD: &str = "step";
/// At most this many months in the datepicker.
const MAX_MONTHS: usize = 3;

const MONTHS: [&str; 12] =
    ["Janvier", "Février", "Mars", "Avril", "Mai", "Juin", "Juillet", "Août", "Septembre", "Octobre", "Novembre", "Décembre"];

/// The slot engine's key of a site: never an ezbooking form id.
pub(crate) fn form_key(sitekey: &str) -> String {
    format!("eappointment-{sitekey}")
}

/// eAppointment's routes, merged into the simulator's router.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route(&format!("{APP}/appointment.do"), get(start).post(step))
}

fn appointment_url(sitekey: &str) -> String {
    format!("{APP}/appointment.do?sitekey={}", esc(sitekey))
}

/// The site named by `sitekey=`, its key and the layout in force; `Err` is
/// the answer already (unknown site, maintenance, disabled).
// The error is the HTTP answer itself, returned at once: boxing it buys nothing.
#[allow(clippy::result_large_err)]
fn site(shared: &Shared, query: &HashMap<String, String>) -> Result<(String, String, Layout), Response> {
    let Some(sitekey) = query.get("sitekey").filter(|k| valid_id(&form_key(k))) else {
        return Err(not_found());
    };
    let key = form_key(sitekey);
    let elapsed = shared.elapsed();
    let (layout, status) = shared.lock().view(&key, elapsed);
    match (layout, status) {
        (Layout::Maintenance, Some(_)) => Err(html(StatusCode::SERVICE_UNAVAILABLE, nginx_error("503 Service Temporarily Unavailable"))),
        (Layout::Maintenance, None) => {
            Err(html(StatusCode::OK, document("Prise de rendez-vous", &format!("<p>{}</p>", esc(MAINTENANCE_TEXT)))))
        }
        (Layout::Disabled, _) => Err(html(StatusCode::OK, document("Prise de rendez-vous", &format!("<p>{DISABLED_TEXT}.</p>")))),
        (Layout::Changed, _) => Err(html(StatusCode::OK, changed_page())),
        _ => Ok((sitekey.clone(), key, layout)),
    }
}

/// `GET appointment.do?sitekey=…`: the motive step; starts a session unless the client has one.
async fn start(State(shared): State<Arc<Shared>>, Query(query): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    let (sitekey, _, _) = match site(&shared, &query) {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let mut response = html(StatusCode::OK, motive_page(&sitekey, None));
    let mut inner = shared.lock();
    if cookie(&headers, SESSION_COOKIE).is_none_or(|id| !inner.sessions.contains_key(&id)) {
        let id = inner.new_session(Instant::now());
        if let Ok(value) = HeaderValue::from_str(&format!("{SESSION_COOKIE}={id}; Path={APP}")) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    response
}

/// `POST appointment.do?sitekey=…`: the step named by the hidden `step` field.
async fn step(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    fields: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let (sitekey, key, _) = match site(&shared, &query) {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let session = cookie(&headers, SESSION_COOKIE).filter(|id| shared.lock().sessions.contains_key(id));
    let Some(session) = session else {
        return redirect(&appointment_url(&sitekey));
    };
    let fields = fields.map(|Form(f)| f).unwrap_or_default();
    let elapsed = shared.elapsed();
    let mut inner = shared.lock();
    let chosen = inner.sessions.get(&session).and_then(|s| s.plannings.get(&key)).cloned();
    let body = match (fields.get(STEP_FIELD).map(String::as_str), chosen) {
        (Some("motive"), _) => {
            let motive = fields.get("selectedMotiveKeyList").filter(|m| MOTIVES.iter().any(|(k, _)| k == m));
            let Some(motive) = motive else {
                return html(StatusCode::OK, motive_page(&sitekey, Some("Veuillez choisir un motif.")));
            };
            if let Some(s) = inner.sessions.get_mut(&session) {
                s.plannings.insert(key.clone(), motive.clone());
            }
            match inner.engine.free(&key, None, elapsed).is_empty() {
                true => no_slot_alert_page(&sitekey),
                false => information_page(&sitekey),
            }
        }
        (Some("info"), Some(_)) => calendar_page(&sitekey, &inner.engine.free(&key, None, elapsed)),
        (Some("date" | "captcha"), Some(_)) => captcha_page(&sitekey, fields.get(STEP_FIELD).is_some_and(|s| s == "captcha")),
        _ => return redirect(&appointment_url(&sitekey)),
    };
    html(StatusCode::OK, body)
}

fn document(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title} - Préfecture du Val-de-Marne</title>\n</head>\n\
<body>\n<div id=\"page\">\n{body}\n</div>\n</body>\n</html>\n"
    )
}

/// A step's form: `action` on the site, the hidden step field, the content, and the next button.
fn step_form(sitekey: &str, step: &str, content: &str, button: &str) -> String {
    format!(
        "<form name=\"appointmentForm\" method=\"post\" action=\"{action}\">\n<input type=\"hidden\" name=\"{STEP_FIELD}\" value=\"{step}\">\n\
{content}\n<input type=\"submit\" id=\"nextButtonId\" value=\"{button}\">\n</form>",
        action = appointment_url(sitekey),
    )
}

/// Étape 1/4. The real button calls DWR first; here it submits the form.
/// The script carries the no-slot message for later, as the real page does.
pub(crate) fn motive_page(sitekey: &str, error: Option<&str>) -> String {
    let motives: String = MOTIVES
        .iter()
        .map(|(key, label)| {
            format!("<p><input type=\"checkbox\" name=\"selectedMotiveKeyList\" value=\"{key}\" id=\"motif{key}\"><label for=\"motif{key}\">{}</label></p>\n", esc(label))
        })
        .collect();
    let error = error.map(|e| format!("<p class=\"error\">{}</p>\n", esc(e))).unwrap_or_default();
    let script = format!(
        "<script type=\"text/javascript\">\nfunction retourMotifs(reponse) {{ if (!reponse.ok) {{ alert(\"{NO_SLOT_TEXT}\"); return; }} document.forms.appointmentForm.submit(); }}\n</script>"
    );
    let body = format!(
        "<h1>Étape 1/4 : choix du motif</h1>\n<p>Site : {site}</p>\n{error}{form}\n{script}",
        site = esc(sitekey),
        form = step_form(sitekey, "motive", &motives, "Étape suivante"),
    );
    document("Prise de rendez-vous", &body)
}

/// What the motive step answers when no slot is left.
pub(crate) fn no_slot_alert_page(sitekey: &str) -> String {
    let body = format!(
        "<h1>Prise de rendez-vous</h1>\n<script type=\"text/javascript\">\nalert(\"{NO_SLOT_TEXT}\\nMerci de renouveler votre demande ultérieurement.\");\n\
document.location = \"{}\";\n</script>",
        appointment_url(sitekey)
    );
    document("Prise de rendez-vous", &body)
}

/// Étape 2/4: what to bring (our assumption of the step between).
pub(crate) fn information_page(sitekey: &str) -> String {
    let content = "<ul>\n<li>votre passeport ;</li>\n<li>votre titre de séjour ou récépissé en cours ;</li>\n\
<li>un justificatif de domicile de moins de trois mois.</li>\n</ul>";
    let body = format!("<h1>Étape 2/4 : informations</h1>\n{}", step_form(sitekey, "info", content, "Étape suivante"));
    document("Prise de rendez-vous", &body)
}

/// Étape 3/4: the datepicker on the months that have free days, the first
/// free day selected and its hours offered; with no free slot, a disabled day field.
pub(crate) fn calendar_page(sitekey: &str, free: &[Slot]) -> String {
    let mut days: BTreeMap<NaiveDate, Vec<String>> = BTreeMap::new();
    for slot in free {
        days.entry(slot.at.date_naive()).or_default().push(slot.at.format("%H:%M").to_string());
    }
    let content = match days.first_key_value() {
        None => "<label for=\"dayValueId\">Date du rendez-vous</label>\n<input type=\"text\" id=\"dayValueId\" name=\"dayValue\" value=\"\" disabled>\n\
<select id=\"hourValueSelect\" name=\"hourValue\" disabled><option value=\"\">-- Choisissez une heure --</option></select>"
            .to_string(),
        Some((first, hours)) => {
            let options: String = hours.iter().map(|h| format!("<option value=\"{h}\">{h}</option>")).collect();
            format!(
                "<label for=\"dayValueId\">Date du rendez-vous</label>\n<input type=\"text\" id=\"dayValueId\" name=\"dayValue\" value=\"{}\" readonly>\n\
<div id=\"datepicker\" class=\"ui-datepicker-inline ui-datepicker ui-widget ui-widget-content ui-helper-clearfix ui-corner-all\">\n{}</div>\n\
<label for=\"hourValueSelect\">Heure du rendez-vous</label>\n<select id=\"hourValueSelect\" name=\"hourValue\">\
<option value=\"\">-- Choisissez une heure --</option>{options}</select>",
                first.format("%d/%m/%Y"),
                months(&days),
            )
        }
    };
    let body = format!(
        "<h1>Étape 3/4 : choix de la date et de l'heure</h1>\n<p>Site : {}</p>\n{}",
        esc(sitekey),
        step_form(sitekey, "date", &content, "Étape suivante")
    );
    document("Prise de rendez-vous", &body)
}

/// One `.ui-datepicker-group` per month from the first free day's, at most [`MAX_MONTHS`].
fn months(days: &BTreeMap<NaiveDate, Vec<String>>) -> String {
    let Some(first) = days.keys().next().and_then(|d| d.with_day(1)) else { return String::new() };
    let last = days.keys().next_back().copied().unwrap_or(first);
    let mut month = first;
    let mut out = String::new();
    for _ in 0..MAX_MONTHS {
        if month > last {
            break;
        }
        out.push_str(&month_group(month, days));
        let Some(next) = month.checked_add_months(chrono::Months::new(1)) else { break };
        month = next;
    }
    out
}

fn month_group(month: NaiveDate, days: &BTreeMap<NaiveDate, Vec<String>>) -> String {
    let mut cells: Vec<String> = (0..month.weekday().num_days_from_monday())
        .map(|_| "<td class=\" ui-datepicker-other-month ui-datepicker-unselectable ui-state-disabled\">&#xa0;</td>".to_string())
        .collect();
    let mut day = month;
    while day.month() == month.month() {
        cells.push(match days.contains_key(&day) {
            true => format!(
                "<td class=\" undefined\" data-handler=\"selectDay\" data-event=\"click\" data-month=\"{}\" data-year=\"{}\"><a class=\"ui-state-default\" href=\"#\">{}</a></td>",
                day.month0(),
                day.year(),
                day.day()
            ),
            false => format!("<td class=\" ui-datepicker-unselectable ui-state-disabled\"><span class=\"ui-state-default\">{}</span></td>", day.day()),
        });
        let Some(next) = day.checked_add_days(Days::new(1)) else { break };
        day = next;
    }
    let rows: String = cells.chunks(7).map(|week| format!("<tr>{}</tr>\n", week.concat())).collect();
    format!(
        "<div class=\"ui-datepicker-group\">\n<div class=\"ui-datepicker-header ui-widget-header ui-helper-clearfix\">\
<div class=\"ui-datepicker-title\"><span class=\"ui-datepicker-month\">{}</span>&nbsp;<span class=\"ui-datepicker-year\">{}</span></div></div>\n\
<table class=\"ui-datepicker-calendar\">\n<thead><tr><th>Lu</th><th>Ma</th><th>Me</th><th>Je</th><th>Ve</th><th>Sa</th><th>Di</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</div>\n",
        MONTHS[month.month0() as usize],
        month.year()
    )
}

/// Étape 4/4: the image captcha, which never passes.
pub(crate) fn captcha_page(sitekey: &str, again: bool) -> String {
    let error = if again { "<p class=\"error\">Le code saisi est incorrect.</p>\n" } else { "" };
    let content = format!(
        "{error}<p>Recopiez les quatre chiffres de l'image ci-dessous.</p>\n<img id=\"captchaImgId\" src=\"{APP}/captcha\" alt=\"Code à recopier\">\n\
<input type=\"text\" id=\"captchaId\" name=\"captchaValue\" maxlength=\"4\" size=\"4\">"
    );
    let body = format!("<h1>Étape 4/4 : vérification</h1>\n{}", step_form(sitekey, "captcha", &content, "Valider"));
    document("Prise de rendez-vous", &body)
}

/// A redesigned site: none of the markers.
fn changed_page() -> String {
    document(
        "Rendez-vous",
        "<div class=\"rdv-v2\">\n<h1>Rendez-vous étrangers</h1>\n<p>Notre service évolue : retrouvez votre démarche dans le nouvel espace.</p>\n</div>",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::Outcome;
    use crate::sites::{eappointment::Eappointment, PageReader};
    use chrono::TimeZone;
    use chrono_tz::Europe::Paris;
    use std::time::Duration;

    fn slot(month: u32, day: u32, hour: u32) -> Slot {
        let at = Paris.with_ymd_and_hms(2026, month, day, hour, 30, 0).unwrap();
        Slot { planning: "p".into(), at, appears: Duration::ZERO, gone: Duration::MAX }
    }

    fn read(body: &str) -> Outcome {
        Eappointment.classify(200, body).outcome
    }

    #[test]
    fn the_reader_reads_every_page() {
        let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let free = [slot(12, 3, 9), slot(12, 3, 10), slot(11, 30, 14), slot(12, 31, 9)];
        let mut sorted = free.to_vec();
        sorted.sort_by_key(|s| s.at);
        // 30/11 selected with its one hour, plus 03/12 and 31/12 (the second month group).
        assert_eq!(read(&calendar_page("P941", &sorted)), Outcome::Slots { first: date(11, 30), second: Some(date(12, 3)), count: 3 });
        assert_eq!(read(&calendar_page("P941", &[])), Outcome::NoSlot);
        assert_eq!(read(&no_slot_alert_page("P941")), Outcome::NoSlot);
        assert!(matches!(read(&motive_page("P941", None)), Outcome::Error { .. }), "the motive step carries the message for later");
        assert!(matches!(read(&information_page("P941")), Outcome::Changed { .. }));
        assert_eq!(read(&captcha_page("P941", false)), Outcome::Captcha);
        assert!(matches!(read(&changed_page()), Outcome::Changed { .. }));
    }

    #[test]
    fn months_follow_the_free_days_and_stop_at_three() {
        let mut days = BTreeMap::new();
        for (m, d) in [(1, 31), (2, 1), (6, 1)] {
            days.insert(NaiveDate::from_ymd_opt(2027, m, d).unwrap(), vec!["09:00".to_string()]);
        }
        let html = months(&days);
        assert_eq!(html.matches("ui-datepicker-group").count(), 3);
        assert!(html.contains("data-month=\"0\" data-year=\"2027\"><a class=\"ui-state-default\" href=\"#\">31</a>"));
        assert!(!html.contains("Juin"), "beyond three months the datepicker pages on");
    }

    async fn serve() -> (String, crate::simulator::SimulatorHandle) {
        let scenario = crate::simulator::Scenario::parse("too_soon_ms = 0\nforbid_after = 0\n").expect("test scenario parses");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let sim = crate::simulator::Simulator::new(scenario);
        let handle = sim.handle();
        tokio::spawn(sim.serve(listener));
        (base, handle)
    }

    async fn post(client: &reqwest::Client, url: &str, form: &[(&str, &str)]) -> (u16, String) {
        let answer = client.post(url).form(form).send().await.unwrap();
        (answer.status().as_u16(), answer.text().await.unwrap())
    }

    #[tokio::test]
    async fn the_steps_need_the_session_and_a_motive_and_end_at_the_captcha() {
        let (base, handle) = serve().await;
        handle.release_now("eappointment-P942", 2, 5, Duration::from_secs(600));
        let client = reqwest::Client::builder().cookie_store(true).no_proxy().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let url = format!("{base}{APP}/appointment.do?sitekey=P942");
        assert_eq!(post(&client, &url, &[("step", "motive"), ("selectedMotiveKeyList", "20")]).await.0, 302, "no session");
        assert_eq!(client.get(&url).send().await.unwrap().status().as_u16(), 200);
        assert_eq!(post(&client, &url, &[("step", "info")]).await.0, 302, "no motive chosen yet");
        let (_, unknown) = post(&client, &url, &[("step", "motive"), ("selectedMotiveKeyList", "99")]).await;
        assert!(unknown.contains("Veuillez choisir un motif"));
        let (_, info) = post(&client, &url, &[("step", "motive"), ("selectedMotiveKeyList", "20")]).await;
        assert!(info.contains("Étape 2/4"), "{info}");
        let (_, calendar) = post(&client, &url, &[("step", "info")]).await;
        let first = handle.free_slots("eappointment-P942")[0].format("%d/%m/%Y").to_string();
        assert!(calendar.contains(&format!("id=\"dayValueId\" name=\"dayValue\" value=\"{first}\" readonly")), "{calendar}");
        let (_, captcha) = post(&client, &url, &[("step", "date"), ("dayValue", &first), ("hourValue", "09:00")]).await;
        assert_eq!(Eappointment.classify(200, &captcha).outcome, Outcome::Captcha);
        let (_, again) = post(&client, &url, &[("step", "captcha"), ("captchaValue", "1234")]).await;
        assert!(again.contains("Le code saisi est incorrect"), "it never passes");
        handle.take_all("eappointment-P942");
        let (_, empty) = post(&client, &url, &[("step", "info")]).await;
        assert_eq!(Eappointment.classify(200, &empty).outcome, Outcome::NoSlot, "taken meanwhile: the day field is disabled");
    }
}
