## Releases of slots that a booking page announces, and the reminder before
## one. The announcement promises a reminder only when one is scheduled: a
## release nearer than the reminder's lead gets the "soon" message instead.
## On a page behind a security code the bot cannot look by itself: people
## are told to check at the release time.
release-announced-reminder = { $procedure } — { $place }: the booking site announces new appointments on { $when } (Paris time). I will remind you { PLURAL($minutes) ->
    [one] one minute
   *[other] { $minutes } minutes
} before, and look at that moment.
release-announced-reminder-captcha = { $procedure } — { $place }: the booking site announces new appointments on { $when } (Paris time). It shows a security code that only a person may type, so I cannot look by myself: I will remind you { PLURAL($minutes) ->
    [one] one minute
   *[other] { $minutes } minutes
} before; at that moment, tap "Check now" (or type /check) and type the code, or check the site yourself: { $url }
release-announced-soon = { $procedure } — { $place }: the booking site announces new appointments on { $when } (Paris time), soon. Be ready at that moment; I will look then and tell you what I see.
release-announced-soon-captcha = { $procedure } — { $place }: the booking site announces new appointments on { $when } (Paris time), soon. It shows a security code that only a person may type, so I cannot look by myself: at that moment, tap "Check now" (or type /check) and type the code, or check the site yourself: { $url }
release-reminder-before = { $procedure } — { $place }: new appointments go online at { $when } (Paris time), in about { PLURAL($minutes) ->
    [one] one minute
   *[other] { $minutes } minutes
}. Be ready; I will look at that moment and tell you what I see.
release-reminder-before-captcha = { $procedure } — { $place }: new appointments go online at { $when } (Paris time), in about { PLURAL($minutes) ->
    [one] one minute
   *[other] { $minutes } minutes
}. I cannot type the security code: at that moment, tap "Check now" (or type /check) and type the code, and everyone watching gets the result; or check the site yourself: { $url }
