## The public barometer (guichet web): read-only pages of the robot's statistics.
web-name = Guichet — barometer
web-languages = Languages
web-title = Prefecture appointments: the barometer
web-intro = Guichet's robot opens these prefecture booking pages on its own, at regular intervals, for everyone who watches them, and writes down what each page showed. Here is, for each page, how often it offered no date at all, month by month, as La Cimade's robot "À guichets fermés" published it. A probe that met a captcha, was refused, or failed is counted apart, never as "no date".
web-about = Published by Guichet from its probe log. Only counts of the robot's probes appear here: no person, no request.
web-generated = Page generated on { $time } (Paris time).
web-generated-short = Page generated on (Paris time)
web-permanent = Permanent address:
web-index-month = { $month }: the pages, the worst first
web-index-empty = No page has been probed yet.
web-col-departement = Département
web-col-page = Procedure and booking page
web-col-no-date = No date
web-col-answered = Probes that read the calendar
web-col-failed = Failed (apart)
web-not-probed-this-month = no reading this month
web-method = How to read these figures
web-failed-explained = Failed: captcha, refusal, maintenance, changed page or error. Counted apart: such a probe says nothing of the calendar.
web-method-month = A probe falls in a class by the first dates the page offered, counted from the day of the probe (Paris time): "within a month" means on or before the same day of the next month.
web-graph = Month by month, in La Cimade's classes
web-graph-caption = Each bar is a month: the probes that read the calendar, by the first dates they found (100 % = all of them). The narrow grey bar beside it is the share of all the month's probes that failed, counted apart.
web-table = The monthly table
web-col-raw = Raw probes
web-raw-link = table
web-source = Booking page probed
web-last-answered = Last probe that read the calendar (Paris time)
web-last-answered-none = None yet.
web-releases = When slots appear, and how long they last
web-releases-intro = A release is a probe that found slots after one that found none; below, by weekday and hour of Paris. { PLURAL($count) ->
    [one] One release seen.
   *[other] { $count } releases seen.
}
web-lasted = Half of the releases lasted { $median } or less, nine in ten { $p90 } or less ({ PLURAL($count) ->
    [one] one measured
   *[other] { $count } measured
}; { $open } still open at the last probe, left out).
web-lasted-none = How long releases last is not measured yet ({ $open } still open at the last probe).
web-days = Days with any slot: { $with } of { $probed } days with a probe that read the calendar ({ $percent }).
web-minutes = { $minutes } min
web-hours = { $hours } h { $minutes } min
web-days-hours = { $days } d { $hours } h
web-chain = The probe log, and how to check it
web-chain-head = On { $time } (Paris time), this page's probe log held { PLURAL($count) ->
    [one] one record
   *[other] { $count } records
}; the SHA-256 of the last one is:
web-chain-how = Each record carries the SHA-256 of the one before, so a record changed, removed or moved afterwards breaks the chain. Keep this hash with your copy: whoever runs Guichet can show with the command below that the history up to it is unchanged. The format is published with Guichet's code (src/evidence/chain.rs).
web-chain-none = This page's probe log is empty.
web-raw-title = Raw probes of { $month } — { $page }
web-raw-intro = Every probe of the month, in Paris time: the first two dates offered, and the result. Failed probes are listed, and not counted in the classes.
web-back = Back to the page's statistics
web-not-found-title = Page not found
web-not-found = There is no page at this address. Every page of the barometer is listed on its index.
web-csv-link = CSV
web-failed-title = Page unavailable
web-failed = This page could not be made just now. Please try again in a moment.
web-too-many-title = Too many requests
web-too-many = Too many requests came from your address. Please wait a few seconds and try again.
stats-link = The full statistics, to print and cite: { $url }
