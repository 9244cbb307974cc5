# /stats: the short version of each watch's statistics (La Cimade's classes).

stats-header = Statistics of your watches (checks of this month and the last, Paris time). Green: at least two dates within a month; yellow: one date within a month; orange: first date between one and two months; red: beyond two months; black: no date.
stats-month = { $month }: { PLURAL($total) ->
    [one] { $total } successful check
   *[other] { $total } successful checks
}, { $dated } % with a date — green { $vert } %, yellow { $jaune } %, orange { $orange } %, red { $rouge } %, black { $noir } %. { PLURAL($failed) ->
    [one] { $failed } failed check (blocked, captcha, error…), counted apart.
   *[other] { $failed } failed checks (blocked, captcha, error…), counted apart.
}
stats-month-empty = { $month }: no successful check ({ $failed } failed).
stats-appear = Slots appeared most often around { $hour }, on { $weekday } ({ PLURAL($releases) ->
    [one] { $releases } release seen
   *[other] { $releases } releases seen
}).
stats-appear-none = No slot has appeared since the start of last month.
