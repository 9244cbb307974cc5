## /tried: a person's own journal of tries, kept as their proof.
tried-ask = What did you try? I keep it, dated, as your proof (courts ask to see many tries, over weeks).
tried-kind-web = The booking website
tried-kind-email = An email to the prefecture
tried-kind-letter = A registered letter
tried-kind-counter = A visit to the counter
tried-kind-phone = A phone call
tried-kind-anef = An error on ANEF (the online filing)
tried-kind-ants = A contact with the ANTS citizens' contact centre
tried-kind-helpdesk = A visit to the prefecture's digital help desk
tried-kind-form = A request form sent
tried-reference-ants = Which ticket number did the ANTS citizens' contact centre give you? (Its number: { $phone }.)
tried-reference-form = What is the reference of the form you sent (in its acknowledgement)?
tried-reference-invalid = A reference has only letters, digits, spaces and - / _ ., at most { $limit }. Type it again.
tried-list-button = My attempts
tried-letter-number = What is the letter's number (on the post office receipt)?
tried-letter-invalid = A letter number has only letters, digits and spaces, at most { $limit }. Type it again.
tried-details = You may add a note, a screenshot or photo, or a PDF document; or press "Save".
tried-save-button = Save
tried-saved = Saved on { $time } (Paris time): { $what }. Its proof hash: { $hash }
tried-saved-file = The file is kept once, with its SHA-256: { $file }
tried-file-short = file { $file }…
tried-file-too-large = This file weighs { $size } MB; I keep files up to { $limit } MB. Nothing was kept: send a smaller one, or press "Save".
tried-file-type = I keep photos and screenshots (JPEG, PNG, WebP, HEIF) and PDF documents only. Nothing was kept.
tried-file-failed = I could not receive that file. Please send it again.
tried-file-unexpected = To keep this file as proof, first type /tried and say what you tried.
tried-list-empty = You have not recorded any try yet. Type /tried after each one.
tried-list-header = { PLURAL($count) ->
    [one] Your try (Paris time):
   *[other] Your { $count } tries (Paris time):
}
tried-list-line = #{ $id } — { $time } — { $what } { $details } [{ $hash }]
tried-list-check = #{ $id } — { $time } — check through the bot with your code, { $place }: { $result }
tried-remove-button = Remove #{ $id }
tried-removed = “{ $what }” of { $time } is marked removed. The removal itself is recorded in your journal.

## How a person's own tries compare with what courts usually ask.
tried-readiness = { $weeks ->
    [0] Less than a week of tries:
   *[other] { PLURAL($weeks) ->
        [one] { $weeks } week of tries:
       *[other] { $weeks } weeks of tries:
    }
} { PLURAL($tries) ->
    [one] { $tries } try
   *[other] { $tries } tries
} on { PLURAL($days) ->
    [one] { $days } day
   *[other] { $days } different days
}, at { PLURAL($hours) ->
    [one] { $hours } hour of the day
   *[other] { $hours } different hours
}. Courts usually want { $min }–{ $max } months of tries, { $rate_min }–{ $rate_max } a week, at different times.
tried-readiness-until = Keep going until about { $until }.
tried-readiness-rate = Try more often: you are at { $rate } a week.
tried-readiness-enough = Your tries cover what courts usually ask: talk to an association or a lawyer about a référé.
tried-readiness-context = The robot's probes of your pages are kept apart: they are the context, your tries are your own proof.
tried-readiness-weeks = Your tries fall in { PLURAL($weeks) ->
    [one] { $weeks } calendar week
   *[other] { $weeks } different calendar weeks
}. For ANEF and online requests too, courts look for tries spread over several weeks: the Conseil d'État held four screenshots taken over five days insufficient (CE, 10 June 2020, n° 435594).
