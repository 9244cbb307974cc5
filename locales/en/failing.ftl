# Guichet — a watched page that has been failing for long, and its recovery (English).

outage-failing = ⚠️ { $procedure } — { $place }: the booking page has not been working since { $since } (Paris time): { $problem }.
    This is not "no slot": I cannot see the calendar, and the statistics count these checks apart.
    Meanwhile, look at the page yourself: { $url }
    I keep trying and will write when it works again.
outage-failing-captcha = ⚠️ { $procedure } — { $place }: since { $since } (Paris time), nobody has read the calendar: { $problem }.
    This is not "no slot": the statistics count these checks apart.
    Meanwhile, tap "Check now" or type /check: you type the code and everyone watching gets the result. Or look yourself: { $url }
    I will write when the calendar is read again.
outage-recovered = ✅ { $procedure } — { $place }: the booking page works again (it was failing since { $since }, Paris time). Watching has resumed; I write as soon as a slot opens.
outage-operator-detail = For operators: target { $target }, outcome { $kind }, HTTP { $status }, detail: { $detail }; page { $url }, seen { $seen }.
status-failing-since = Failing since { $since } (Paris time): no calendar read since then.
