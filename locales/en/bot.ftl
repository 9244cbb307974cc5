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
no-online-booking = For "{ $procedure }" in { $departement }, I know of no online booking to watch. Ask the prefecture or an association. You can pick another procedure:

confirm-subscription = I will watch "{ $procedure }" ({ $departement }) at { $places } { PLURAL($count) ->
    [one] (one booking page).
   *[other] ({ $count } booking pages).
} I'll write as soon as a slot appears. Shall I?
option-yes = Yes, watch it
option-no = No, cancel
subscription-cancelled = All right, nothing new is watched. Type /start to begin again.
subscribed = Done: I'm watching "{ $procedure }". I check about every { $minutes } minutes and write as soon as a slot opens. /status shows each watch, /stop ends it.

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
    /stop — stop one watch or all
    /lang — change language
    /help — this help
    I never book in your place and never fill in a captcha: you book yourself.
unknown-command = I don't know the command /{ $command }. Type /help to see what I can do.
input-too-long = Your message is too long ({ $length } characters, at most { $limit }). Please write less.
input-empty = I received no text.
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
