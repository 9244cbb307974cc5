//! The markup of every page. Texts a client looks for are the constants below,
//! copied from the reference notes (booking-systems.md, section 1); the rest of
//! the wording is ours. No page refers to any host: a browser opening the demo
//! must not contact anything outside 127.0.0.0/8.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;

use super::scenario::FormSpec;
use super::slots::Slot;

/// Submit value of the conditions page (step 0).
pub(crate) const CONDITIONS_BUTTON: &str = "Effectuer une demande de rendez-vous";
/// Submit value of steps 1 and 3.
pub(crate) const NEXT_BUTTON: &str = "Etape suivante";
/// Submit value of the calendar page (step 4).
pub(crate) const FIRST_FREE_BUTTON: &str = "Première plage horaire libre";
/// Heading of the no-slot page (step 2).
pub(crate) const NO_SLOT_HEADING: &str = "Vérification de disponibilité";
/// The announcement of the next release, as RDV-Préfecture words it (only
/// its `/creneau/` page announces; see the module doc).
pub(crate) const NEXT_RELEASE: &str = "Prochaine mise en ligne de nouveaux rendez-vous";
/// The whole text of `#FormBookingCreate` on the no-slot page.
pub(crate) const NO_SLOT_TEXT: &str =
    "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous. Veuillez recommencer ultérieurement.";
/// The maintenance page.
pub(crate) const MAINTENANCE_TEXT: &str = "Attention : Cette page n'est pas disponible pour le moment !";
/// The disabled-form page.
pub(crate) const DISABLED_TEXT: &str = "Ce lien a été désactivé définitivement";
/// Link text of a free cell in the calendar.
pub(crate) const FREE_CELL_TEXT: &str = "plage libre";
/// The 403 body (HAProxy's default page).
pub(crate) const FORBIDDEN_TEXT: &str = "Request forbidden by administrative rules.";

const IMAGES: &str = "/extension/bookingserver/design/standard/images";

const DAYS: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
const MONTHS: [&str; 12] =
    ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

/// Escapes text for HTML content and attribute values.
pub(crate) fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn create_url(form: &str, step: u32) -> String {
    format!("/booking/create/{}/{step}", esc(form))
}

/// The step bar: one image per step, the active one with an `r` suffix
/// (`etape_4r.png`), as on the real sites.
fn steps_bar(spec: &FormSpec, active: u32) -> String {
    let mut steps = vec![(1, "Prise de rendez-vous")];
    if spec.description_step {
        steps.push((3, "Descriptif"));
    }
    steps.extend([(4, "Choix d'une plage"), (6, "Contrôle de sécurité"), (8, "Coordonnées personnelles"), (9, "Valider et terminer")]);
    let images: String = steps
        .iter()
        .map(|(n, label)| {
            let r = if *n == active { "r" } else { "" };
            format!("<li><img src=\"{IMAGES}/etape_{n}{r}.png\" alt=\"{label}\" title=\"{label}\"></li>")
        })
        .collect();
    format!("<ul id=\"etapes_Booking\">{images}</ul>")
}

/// The common frame of the booking pages.
fn booking_page(spec: &FormSpec, active: u32, inner: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n\
<title>Prise de rendez-vous - Les services de l'État</title>\n\
<link rel=\"stylesheet\" href=\"/extension/bookingserver/design/standard/stylesheets/booking.css\">\n\
</head>\n<body>\n<div id=\"header\"><p class=\"marianne\">Liberté • Égalité • Fraternité</p>\
<p class=\"site\">PRÉFECTURE — Les services de l'État dans le département</p></div>\n\
<div id=\"page\">\n<h1>Prise de rendez-vous</h1>\n{bar}\n<div id=\"inner_Booking\">\n{inner}\n</div>\n</div>\n\
<div id=\"footer\"><p>Simulation locale (Guichet) — aucune donnée n'est transmise.</p></div>\n</body>\n</html>\n",
        bar = steps_bar(spec, active),
    )
}

/// A page outside the booking frame (maintenance, disabled, 404).
fn site_page(title: &str, inner: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n</head>\n\
<body>\n<div id=\"header\"><p class=\"marianne\">Liberté • Égalité • Fraternité</p></div>\n\
<div id=\"page\">\n{inner}\n</div>\n</body>\n</html>\n"
    )
}

fn error_line(error: Option<&str>) -> String {
    error.map(|e| format!("<p class=\"Berror\">{}</p>\n", esc(e))).unwrap_or_default()
}

/// Step 0: the conditions of use.
pub(crate) fn conditions(spec: &FormSpec, error: Option<&str>) -> String {
    let inner = format!(
        "{err}<form id=\"FormBookingCreate\" name=\"create\" method=\"post\" action=\"{action}\">\n\
<div class=\"Bconditions\">\n<p>Avant de prendre rendez-vous, lisez les informations suivantes :</p>\n\
<ul>\n<li>un seul rendez-vous par personne et par démarche ;</li>\n\
<li>présentez-vous à l'heure, avec la convocation et les pièces demandées ;</li>\n\
<li>un rendez-vous qui n'est pas honoré est perdu.</li>\n</ul>\n</div>\n\
<p class=\"Bcondition\"><input type=\"checkbox\" name=\"condition\" id=\"condition\" value=\"on\">\
<label for=\"condition\">J'ai lu et j'accepte les conditions d'utilisation du service de prise de rendez-vous.</label></p>\n\
<div id=\"submit_Booking\"><input type=\"submit\" name=\"nextButton\" value=\"{CONDITIONS_BUTTON}\" class=\"Bbutton\"></div>\n</form>",
        err = error_line(error),
        action = create_url(&spec.id, 0),
    );
    booking_page(spec, 1, &inner)
}

/// Step 1: the choice of counter.
pub(crate) fn counters(spec: &FormSpec, error: Option<&str>) -> String {
    let lines: String = spec
        .plannings
        .iter()
        .map(|p| {
            let id = esc(&p.id);
            format!(
                "<p class=\"Bligne\"><input type=\"radio\" name=\"planning\" id=\"planning{id}\" value=\"{id}\">\
<label for=\"planning{id}\">{}</label></p>\n",
                esc(&p.label)
            )
        })
        .collect();
    let inner = format!(
        "{err}<form id=\"FormBookingCreate\" name=\"create\" method=\"post\" action=\"{action}\">\n\
<h2>Choix du guichet</h2>\n<div id=\"fchoix_Booking\">\n{lines}</div>\n\
<div id=\"submit_Booking\"><input type=\"submit\" name=\"nextButton\" value=\"{NEXT_BUTTON}\" class=\"Bbutton\"></div>\n</form>",
        err = error_line(error),
        action = create_url(&spec.id, 1),
    );
    booking_page(spec, 1, &inner)
}

/// Step 2: no slot. The form holds the marker text and nothing else that has
/// text, with no whitespace around it, so its text content is exactly the marker.
pub(crate) fn no_slot(spec: &FormSpec) -> String {
    let inner = format!(
        "<h2>{NO_SLOT_HEADING}</h2>\n<form id=\"FormBookingCreate\" name=\"create\" method=\"post\" action=\"{action}\">\
<p>{NO_SLOT_TEXT}</p><p><input type=\"submit\" name=\"finishButton\" value=\"Terminer\" class=\"Bbutton\"></p></form>",
        action = create_url(&spec.id, 2),
    );
    booking_page(spec, 1, &inner)
}

/// "Prochaine mise en ligne de nouveaux rendez-vous : le DD/MM/YYYY à HH:mm"
/// (Paris time), in its own paragraph, or nothing.
pub(crate) fn announcement(at: Option<DateTime<Utc>>) -> String {
    let Some(at) = at else { return String::new() };
    let local = at.with_timezone(&chrono_tz::Europe::Paris);
    format!("<p class=\"announcement\">{NEXT_RELEASE} : le {}</p>", local.format("%d/%m/%Y à %H:%M"))
}

/// Step 3: the description of the procedure.
pub(crate) fn description(spec: &FormSpec) -> String {
    let inner = format!(
        "<h2>Descriptif</h2>\n<form id=\"FormBookingCreate\" name=\"create\" method=\"post\" action=\"{action}\">\n\
<div class=\"Bdescriptif\">\n<p>Ce rendez-vous concerne le dépôt d'une demande de titre de séjour au guichet de la préfecture.</p>\n\
<p>Munissez-vous de votre passeport, d'un justificatif de domicile de moins de trois mois et de trois photographies d'identité.</p>\n\
</div>\n<div id=\"submit_Booking\"><input type=\"submit\" name=\"nextButton\" value=\"{NEXT_BUTTON}\" class=\"Bbutton\"></div>\n</form>",
        action = create_url(&spec.id, 3),
    );
    booking_page(spec, 3, &inner)
}

/// The ezjscore call for a week of a planning.
pub(crate) fn ezjscore_url(form: &str, planning: &str, offset: i64) -> String {
    format!("/ezjscore/call/bookingserver::planning::assign::{}::{}::{offset}", esc(form), esc(planning))
}

/// Step 4: the calendar. The week table comes from ezjscore, loaded by the
/// script, whose first URL (offset 0) is written out in full.
pub(crate) fn calendar(spec: &FormSpec, planning: &str) -> String {
    // Written out once, in full, so a client can take the first match.
    let first = ezjscore_url(&spec.id, planning, 0);
    let inner = format!(
        "<h2>Choix d'une plage horaire</h2>\n<form id=\"FormBookingCreate\" name=\"create\" method=\"post\" action=\"{action}\">\n\
<div id=\"planning_Booking\"><p class=\"Bchargement\">Chargement du planning…</p></div>\n\
<p class=\"Bnavigation\"><input type=\"button\" id=\"semainePrecedente\" value=\"Semaine précédente\" onclick=\"bookingWeek(-7)\"> \
<input type=\"button\" id=\"semaineSuivante\" value=\"Semaine suivante\" onclick=\"bookingWeek(7)\"></p>\n\
<div id=\"submit_Booking\"><input type=\"submit\" name=\"nextButton\" value=\"{FIRST_FREE_BUTTON}\" class=\"Bbutton\"></div>\n</form>\n\
<script type=\"text/javascript\">\nvar bookingUrl = \"{first}\";\nvar bookingOffset = 0;\n\
function bookingLoad(url) {{ var x = new XMLHttpRequest(); x.open(\"POST\", url); \
x.onload = function () {{ document.getElementById(\"planning_Booking\").innerHTML = x.responseText; }}; x.send(); }}\n\
function bookingWeek(step) {{ bookingOffset = Math.max(0, bookingOffset + step); \
bookingLoad(bookingUrl.replace(/::0$/, \"::\" + bookingOffset)); }}\n\
bookingLoad(bookingUrl);\n</script>",
        action = create_url(&spec.id, 4),
    );
    booking_page(spec, 4, &inner)
}

/// Step 6: the security check (never passable in the simulator). The real page
/// loads Google's reCAPTCHA script; this one only has the placeholder.
pub(crate) fn captcha(spec: &FormSpec, error: Option<&str>) -> String {
    let inner = format!(
        "{err}<h2>Contrôle de sécurité</h2>\n<form id=\"FormBookingCreate\" name=\"create\" method=\"post\" action=\"{action}\">\n\
<p>Afin de vérifier que la demande est faite par une personne, cochez la case ci-dessous.</p>\n\
<div class=\"g-recaptcha\" data-sitekey=\"6LcSimulationLocaleSansCleReelle0000000\"></div>\n\
<div id=\"submit_Booking\"><input type=\"submit\" name=\"nextButton\" value=\"{NEXT_BUTTON}\" class=\"Bbutton\"></div>\n</form>",
        err = error_line(error),
        action = create_url(&spec.id, 6),
    );
    booking_page(spec, 6, &inner)
}

/// "Semaine du lundi 27 avril 2020 au dimanche 03 mai 2020".
pub(crate) fn week_title(monday: NaiveDate) -> String {
    let sunday = monday + Days::new(6);
    format!("Semaine du {} au {}", long_date(monday), long_date(sunday))
}

fn long_date(d: NaiveDate) -> String {
    let day = DAYS[d.weekday().num_days_from_monday() as usize];
    format!("{day} {:02} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// The row times of the week table: every half hour from 9:00 to 16:30, plus
/// the quarter hours that hold a slot.
fn row_times(slots: &[Slot]) -> Vec<NaiveTime> {
    let mut times: Vec<NaiveTime> = (18..=33).filter_map(|half| NaiveTime::from_hms_opt(half / 2, (half % 2) * 30, 0)).collect();
    times.extend(slots.iter().map(|s| s.at.time()));
    times.sort();
    times.dedup();
    times
}

/// One cell of the week table. Only free cells and the legend say "libre".
/// Weekends and past days are closed.
fn week_cell(form: &str, day: NaiveDate, today: NaiveDate, time: NaiveTime, slots: &[Slot]) -> String {
    let label = format!("{:02}:{:02}", time.hour(), time.minute());
    if day.weekday().num_days_from_monday() >= 5 || day < today {
        return "<td class=\"Bferme\">&nbsp;</td>".to_string();
    }
    match slots.iter().find(|s| s.at.date_naive() == day && s.at.time() == time) {
        Some(s) => format!(
            "<td class=\"Bdispo\"><span class=\"Bheure\">{label}</span> <a href=\"{}/{}\">{FREE_CELL_TEXT}</a></td>",
            create_url(form, 5),
            s.at.timestamp()
        ),
        None => format!("<td class=\"Bcomplet\">{label}</td>"),
    }
}

/// The ezjscore fragment: one week of one planning. `slots` are the free
/// slots of that planning in that week; `today` is in Europe/Paris.
pub(crate) fn week_table(form: &str, monday: NaiveDate, today: NaiveDate, slots: &[Slot]) -> String {
    let days: Vec<NaiveDate> = (0..7).map(|i| monday + Days::new(i)).collect();
    let heads: String = days
        .iter()
        .map(|d| format!("<th>{} {:02}/{:02}</th>", DAYS[d.weekday().num_days_from_monday() as usize], d.day(), d.month()))
        .collect();
    let rows: String = row_times(slots)
        .into_iter()
        .map(|t| {
            let cells: String = days.iter().map(|d| week_cell(form, *d, today, t, slots)).collect();
            format!("<tr>{cells}</tr>\n")
        })
        .collect();
    format!(
        "<table class=\"Bplanning\">\n<thead>\n<tr><th colspan=\"7\">{title}</th></tr>\n<tr>{heads}</tr>\n</thead>\n\
<tbody>\n{rows}</tbody>\n<tfoot>\n<tr><td colspan=\"7\" class=\"Blegende\"><span class=\"Bdispo\">&nbsp;&nbsp;</span> Plage libre \
<span class=\"Bcomplet\">&nbsp;&nbsp;</span> Plage réservée <span class=\"Bferme\">&nbsp;&nbsp;</span> Fermé</td></tr>\n</tfoot>\n</table>\n",
        title = week_title(monday),
    )
}

/// The "changed" layout: a redesigned site. It still shows slots, in markup
/// that has none of the ezbooking markers, so a client that guesses sees nothing.
pub(crate) fn changed_page(spec: &FormSpec, step: u32) -> String {
    let inner = format!(
        "<div id=\"app\" class=\"rdv-app\">\n<header class=\"rdv-header\">Prendre un rendez-vous en préfecture</header>\n\
<main class=\"rdv-main\" data-step=\"{step}\">\n<p>Notre service évolue : retrouvez votre démarche dans le nouvel espace.</p>\n\
<form method=\"post\" action=\"{action}\"><button type=\"submit\" class=\"rdv-btn\">Continuer</button></form>\n</main>\n</div>",
        action = create_url(&spec.id, step),
    );
    site_page("Rendez-vous en ligne", &inner)
}

/// The "changed" layout's answer to the ezjscore call.
pub(crate) fn changed_week(monday: NaiveDate, slots: &[Slot]) -> String {
    let items: String = slots.iter().map(|s| changed_item(&s.at)).collect();
    let sunday = monday + Days::new(6);
    format!(
        "<div class=\"rdv-agenda\"><h3>Disponibilités du {} au {}</h3><ul>{items}</ul></div>\n",
        monday.format("%d/%m/%Y"),
        sunday.format("%d/%m/%Y")
    )
}

fn changed_item(at: &DateTime<Tz>) -> String {
    format!("<li class=\"rdv-creneau\" data-ts=\"{}\">{}</li>", at.timestamp(), at.format("%d/%m %Hh%M"))
}

/// Every page of a form in maintenance (HTTP 200).
pub(crate) fn maintenance() -> String {
    site_page(
        "Information",
        &format!("<div class=\"Bmaintenance\">\n<p><strong>{MAINTENANCE_TEXT}</strong></p>\n<p>Veuillez réessayer plus tard.</p>\n</div>"),
    )
}

/// Every page of a disabled form.
pub(crate) fn disabled() -> String {
    site_page("Prise de rendez-vous", &format!("<p class=\"Berror\">{DISABLED_TEXT}</p>"))
}

/// A CDN's browser challenge in front of the site (HTTP 403): its own
/// markers (`cf-challenge`, `_cf_chl_opt`), no booking marker.
pub(crate) fn challenge() -> String {
    "<!DOCTYPE html><html lang=\"fr\"><head><title>Un instant…</title></head><body>\
<div id=\"cf-challenge-running\" class=\"cf-challenge\"><h1>Vérification de sécurité</h1>\
<p>Vérification que vous êtes un humain. Cela peut prendre quelques secondes.</p></div>\
<script>window._cf_chl_opt = { cType: 'managed' };</script></body></html>"
        .to_string()
}

/// The site's 404.
pub(crate) fn not_found() -> String {
    site_page("Erreur", "<h1>Erreur 404</h1>\n<p>La page demandée n'existe pas.</p>")
}

/// nginx's error page for a status line such as "502 Bad Gateway".
pub(crate) fn nginx_error(status_line: &str) -> String {
    format!(
        "<html>\r\n<head><title>{status_line}</title></head>\r\n<body>\r\n<center><h1>{status_line}</h1></center>\r\n\
<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
}

/// HAProxy's default 403 page.
pub(crate) fn forbidden() -> String {
    format!("<html><body><h1>403 Forbidden</h1>\n{FORBIDDEN_TEXT}\n</body></html>\n")
}
