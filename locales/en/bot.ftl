# Guichet — messages in English.
# For numbers, select on PLURAL($n) (see src/i18n.rs).

language-name = English

welcome = Hello! I watch prefecture appointment pages for you and write as soon as a slot opens. I never book in your place.
choose-language = Which language would you like to continue in?
language-set = Language: { $language }.

ask-departement = Which département are you in? Type its number (for example 93) or its name.
departement-several = Several départements match. Which one is yours?
departement-unknown = I can't find a département "{ $input }". Type a number (01 to 95, 2A, 2B, 971 to 976) or a name, for example "Seine-Saint-Denis".

ask-procedure = { $departement }: which procedure do you need an appointment for?
ask-procedure-other-ways = Procedures marked "online (ANEF)", "request form" or "another way" have no appointment page I can watch: pick one and I will tell you how to file it.
procedure-other-way = { $procedure } — another way
procedure-on-anef = { $procedure } — online (ANEF)
procedure-by-form = { $procedure } — request form
way-prefecture = For "{ $procedure }" in { $departement }, I know of no appointment page to watch. See on the prefecture's site how to ask for it (online form, email or front desk): { $url } . An association (La Cimade, Gisti) can help you. You can pick another procedure:
way-spada = Asylum is not booked online: you first go to a first-reception structure for asylum seekers (SPADA), which gives the appointment at the single desk (guichet unique). An association can help you: { $url } . You can pick another procedure:
no-online-booking = For "{ $procedure }" in { $departement }, I know of no online booking to watch. Ask the prefecture or an association. You can pick another procedure:

confirm-subscription = I will watch "{ $procedure }" ({ $departement }) at { $places } { PLURAL($count) ->
    [one] (one booking page).
   *[other] ({ $count } booking pages).
} I'll write as soon as a slot appears. Shall I?
option-yes = Yes, watch it
option-no = No, cancel
subscription-cancelled = All right, nothing new is watched. Type /start to begin again.
subscribed = Done: I'm watching "{ $procedure }". I check about { PLURAL($minutes) ->
    [one] every minute
   *[other] every { $minutes } minutes
} and write as soon as a slot opens. /status shows each watch, /stop ends it.

stop-which = Which watch do you want to stop?
option-stop-all = All my watches
stopped-one = Stopped: { $subscription }.
stopped-none = Nothing was being watched.
stopped-all = { PLURAL($count) ->
    [one] Your watch is stopped.
   *[other] Your { $count } watches are stopped.
}

status-none = You are not watching any procedure yet. Type /start to begin.
status-header = { PLURAL($count) ->
    [one] Your watch:
   *[other] Your { $count } watches:
}
status-last-success = Last successful check: { $time } (Paris time) — { $result }.
status-never = Not checked yet: the first check comes within a few minutes.
target-unconfirmed-plain = Link not checked by a person yet: I watch it all the same, but it may be wrong.
target-not-probed = { $place }: I cannot check this booking site automatically yet (a security code or another flow). Please check it yourself: { $url }
status-last-failure = Last attempt: { $time } — { $problem }. This does not mean there is no slot.
result-slots = { PLURAL($count) ->
    [one] 1 slot, on { $first }
   *[other] { $count } slots, from { $first }
}
result-no-slot = no free slot
problem-captcha = the site asks for a security code (captcha)
problem-blocked = the site turned our visit away
problem-maintenance = the site is under maintenance
problem-changed = the page has changed, an operator must check
problem-error = the site did not answer properly

alert = 🔔 Slots open: { $procedure }
    { $place } ({ $departement })
    { $dates }
    Book: { $url }
    Seen on { $seen } (Paris time). Slots often go within minutes: be quick.
alert-dates-one = First date: { $first }
alert-dates-two = First dates: { $first }, then { $second }

help = I watch prefecture appointments for you.
    /start — choose a prefecture and a procedure to watch
    /watch — watch another procedure
    /status — your watches and the last check of each
    /stats — the statistics of each watch: this month and the last, and when slots appear
    /stop — stop one watch or all
    /check — check a captcha-protected site now: you type the code, I read the calendar for everyone watching it
    /tried — record a try of yours (website, email, registered letter, counter, phone, ANEF error, ANTS contact centre, digital help desk, request form), dated, as your proof
    /dossier — your proof as a PDF and a CSV, to give to a lawyer or a court
    /letter — an email, a registered letter, a request to the Défenseur des droits or a draft court request, filled in
    /profile — who you are, for the letters (kept encrypted); /mydata — all I hold about you; /forget — erase it all
    /deadlines — when to file your renewal (from your permit's expiry date in /profile), and the days since each request form you sent
    /lang — change language
    /help — this help
    I never book in your place and never guess a captcha: you type it, and you book yourself.
    { appointments-free }
unknown-command = I don't know the command /{ $command }. Type /help to see what I can do.
input-too-long = Your message is too long ({ $length } characters, at most { $limit }). Please write less.
input-cancelled = Cancelled: nothing was saved for that question. Type /help to see what I can do.
check-code-again = Type the code shown in the picture, or /check for a new picture.
input-empty = I received no text.
input-secret = This looks like a password: I did not keep it. I never ask for your passwords (ANEF, FranceConnect); if anyone else saw it, change it. If it was not one, write it without the word "password".
appointments-free = Prefecture appointments are free: never pay anyone for one.
choice-expired = That button is no longer valid.
choose-an-option = Please pick one of the answers offered, or type its number.
idle-hint = Type /start to watch a procedure, /status to see your watches, or /help.

departement-in-region = { $region }: which département?
group-welcome = Hello! In this group, admins choose the procedures to watch with /watch, and I write here as soon as a slot opens. /status shows the group's watches. For personal help, write to me privately: I never ask anything personal in a group.
group-admins-only = Only the group's admins can change what the group watches. For your own watch, write to me privately.
button-private-chat = Write to the bot privately

command-start = Begin: choose the language, prefecture and procedure
command-watch = Watch a procedure
command-unwatch = Stop a watch
command-status = Your watches and the last check
command-stop = Stop one watch or all
command-lang = Change language
command-help = Help

matrix-undecryptable = I could not decrypt your message (its encryption keys have not reached me yet). Could you send it again?

demo-banner = Guichet demo: a simulated prefecture runs at { $address }. Write as in a chat app; type /start to begin, a number to pick an option, Ctrl-D to quit.
demo-barometer = The public barometer of what the robot sees (statistics pages, to print and cite): { $url }

## Assisted checks: a person solves the captcha, the bot reads the calendar.
button-check = Check now
target-captcha = { $place }: this booking site shows a security code (captcha) before its calendar. I watch that the site is up; to see the calendar, tap "Check now" or type /check: you type the code, and everyone watching gets the result. The page: { $url }
check-none = None of your watches is on a site with a security code: they are checked automatically. Type /status to see them.
check-which = Which page do you want to check now?
check-captcha = { $target }: type the code shown in the image (letters and digits). The spoken version is attached if you cannot read it.
check-captcha-shared = Someone is already checking { $target }: here is the same code. The first right answer counts for both of you.
check-wrong-code = The site did not accept that code. Here is a new one: type what you see.
check-expired = The site's session expired in the meantime. Here is a new code: type what you see.
check-too-many = { PLURAL($count) ->
    [one] You can open one check per minute.
   *[other] You can open { $count } checks per minute.
} Please try again in { $seconds } s.
check-code-invalid = A code is only letters and digits, with no other signs. Type it again, or /check for a new image.
check-found-slots = { $target } — checked { $time } (Paris time): { $result }! Book now: { $url }
    Everyone else watching this page is being alerted. This check is saved as your attempt.
check-found-no-slot = { $target } — checked { $time } (Paris time): { $result }. This check is saved as your attempt, with the page, as evidence.
check-already = Someone has just checked { $target }: { $result } ({ $time }, Paris time).
check-ended = { $target }: the check could not reach the calendar — { $problem }. It is saved as your attempt; this does not mean there is no slot.
check-too-many-codes = That is many codes in a short time, and each one is a request to the site. Please type the code again in { $seconds } s.
deadlines-none = I don't know when your permit expires. Give its expiry date with /profile (it stays encrypted), then type /deadlines again.
deadlines-renewal = Your permit expires on { $expiry }. A renewal is filed between 120 and 60 days before that (article R. 431-5 CESEDA): from { $opens } to { $closes }. Most renewals are filed online on ANEF.
deadlines-before = The window opens in { PLURAL($days) ->
        [one] one day
       *[other] { $days } days
    }. Gather your documents now.
deadlines-open = The window is open: it closes { PLURAL($days) ->
        [one] tomorrow
       *[other] in { $days } days
    }. File now, and keep the proof that you filed.
deadlines-last-day = The window is open, and today is its last day: file today, and keep the proof that you filed.
deadlines-closed = The window closed { PLURAL($days) ->
        [one] yesterday
       *[other] { $days } days ago
    }, but your permit is still valid: file now all the same, and keep proof of every try. An association (La Cimade, Gisti) can help.
deadlines-expired = Your permit expired { PLURAL($days) ->
        [one] yesterday
       *[other] { $days } days ago
    }. File your request without waiting, keep proof of every try, and get help from an association (La Cimade, Gisti) or a lawyer.
deadlines-expires-today = Your permit expires today. File your request without waiting, keep proof of every try, and get help from an association (La Cimade, Gisti) or a lawyer.
deadlines-form-reference = { " " }(reference { $reference })
deadlines-form-today = Request form sent today{ $reference }. Keep its acknowledgement: it is your proof.
deadlines-form = Request form sent on { $date }{ $reference }: { PLURAL($days) ->
        [one] one day ago
       *[other] { $days } days ago
    }. If no answer comes, send a reminder or write to the prefecture (/letter), and record each try (/tried).
path-anef = "{ $procedure }" is not booked at the prefecture: you file it yourself, online, on ANEF ({ $url }), from your own account. There is no appointment page to watch.
    • Once your complete request is filed, the prefecture must give you an attestation de prolongation d'instruction (API, article R. 431-15-1 CESEDA): it proves your lawful stay for three months and is renewed. The mere "confirmation de dépôt" does not prove it.
    • If ANEF blocks you, record every try with /tried (ANEF error with a screenshot, the ANTS contact centre at { $phone } with its ticket number, the prefecture's digital help desk): that is the proof that lets you ask to file another way (/letter).
    • Four months without an answer can count as a refusal: I count them for you.
    Give me your dates (permit expiry, filing, API) and I will remind you in time; /deadlines shows where you stand. You can also pick another procedure:
path-form = In { $departement }, "{ $procedure }" is asked with a request form that the prefecture reads (on Démarches simplifiées or the like), not by booking: see { $url } . There is nothing to watch. Send the form, keep its acknowledgement, and record it here with its reference: /deadlines will count the days without an answer. You can also pick another procedure:
path-form-sent = I sent the form
path-give-dates = Give my dates
deadlines-filed = Request filed online on { $date }{ $reference }, { PLURAL($days) ->
        [one] { $days } day ago
       *[other] { $days } days ago
    }. Four months without an answer (on { $silence }) can count as an implicit refusal: before then, get help from an association (La Cimade, Gisti) or a lawyer.
deadlines-api = Your attestation (API) is valid until { $date }: ask for its renewal before then.
deadlines-api-ended = Your attestation (API) ended on { $date }: ask the prefecture for a new one at once (/letter).
deadlines-no-api = No attestation (API) recorded: if you did not get one, ask for it (/letter); when it comes, give its end date with /profile.
deadlines-silence-passed = Four months have passed since the filing (on { $date }): the silence can count as a refusal, which a court can be asked to review, within time limits. Get help now from an association or a lawyer.
deadlines-no-reminders = No reminder planned.
deadlines-reminders = Reminders planned (I will write to you here):
deadlines-reminder = • { $date }: { $what }
deadlines-reminder-window-opens = the renewal window opens
deadlines-reminder-window-halfway = half the window is gone
deadlines-reminder-window-closing = two weeks before the window closes
deadlines-reminder-api-awaited = still no attestation (API)?
deadlines-reminder-api-ending = two weeks before your API ends
deadlines-reminder-silence = two weeks before four months of silence
reminder-window-opens = Reminder: the window to renew your permit opens today. File your request from now until { $closes } ({ $days } days), and keep the proof that you filed. /deadlines shows where you stand.
reminder-window-halfway = Reminder: half the window to renew your permit is gone. It closes on { $closes }, in { $days } days. If you have not filed yet, do it now; if a site blocks you, record each try with /tried.
reminder-window-closing = Reminder: the window to renew your permit closes on { $closes }, in { $days } days. File now, keep the proof, and if you cannot, get help from an association (La Cimade, Gisti).
reminder-api-awaited = Reminder: you filed your request online on { $date } and I have no attestation de prolongation d'instruction (API) for it. The prefecture must give one for a complete request: ask for it (/letter). If it came, give its end date with /profile.
reminder-api-ending = Reminder: your attestation (API) ends on { $date }, in two weeks. Ask the prefecture to renew it now (/letter), and keep the proof of your request.
reminder-silence = Reminder: on { $ends }, four months will have passed since you filed on { $date }. Four months without an answer can count as an implicit refusal, which can be challenged, within time limits. Get help now from an association (La Cimade, Gisti) or a lawyer; /letter prepares a request to the court.
