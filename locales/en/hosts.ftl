# Guichet — what operators see of each booking host under /status. Applicants never see it.

hosts-header = Booking hosts (operators only), { $count } known:
hosts-none = Booking hosts (operators only): none asked yet.
hosts-line = { $host }: { $state }. Last answer: { $status }. Refusals in a row: { $refusals }.
hosts-state-free = may be asked (at least { $gap } s between two requests)
hosts-state-probing = a probe is under way
hosts-state-retry-after = it asked us to wait (Retry-After), { $minutes } min more; none of its pages is checked meanwhile
hosts-state-backoff = it refused us, we back off { $minutes } min more; none of its pages is checked meanwhile
hosts-no-answer = none yet
