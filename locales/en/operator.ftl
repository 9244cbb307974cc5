# Guichet — the operators' /target command, and where unconfirmed booking pages come from.

operator-usage = Catalog commands (operators only):
    /target add <département> <procedure> <https URL> [place=… planning=… source=… source_locator=… source_date=YYYY-MM-DD confidence=… system=… id=…]
    /target edit <id> <field>=<value> …
    /target disable <id>
    /target list <département>
    /target way <procedure> <département or all> <anef|form|booking|prefecture|spada> <https URL> [source=…]
operator-added = Added { $id }: { $procedure } — { $place } ({ $departement }), { $system } form { $form }. Confidence: { $confidence }. Page: { $url }
operator-edited = Changed { $id }: { $procedure } — { $place } ({ $departement }), { $system } form { $form }. Confidence: { $confidence }. Page: { $url }
operator-disabled = Disabled { $id } ({ $procedure } — { $place }): it is offered to nobody and no longer checked.
operator-list-header = Booking pages in { $departement }: { $count }
operator-list-disabled = disabled
operator-refused-host = Refused: the host { $host } is not on the allowlist of booking hosts ({ $setting } in the settings: { $allowed }).
operator-refused-not-url = Refused: { $url } is not a web address.
operator-refused-not-https = Refused: { $url } is not an https:// address.
operator-refused-credentials = Refused: { $url } carries a user name or a password.
operator-refused-ip = Refused: { $url } names an IP address, not a host.
operator-refused-port = Refused: { $url } names a port; booking pages are on the default https port.
operator-unknown-departement = Refused: there is no département { $departement } (a code such as 93, 2A or 971).
operator-unknown-procedure = Refused: there is no procedure { $procedure } (procedures: { $known }).
operator-unknown-system = Refused: I cannot tell the booking system of { $url }. Give system=ezbooking, pprdv, rdvpref, eappointment or orion, with a URL that names the form the way that system does.
operator-unknown-target = Refused: there is no booking page { $id }.
operator-unknown-field = Refused: there is no field { $field } (fields: { $known }).
operator-invalid = Refused, nothing was changed: { $reason }

# Shown to people for a booking page whose confidence is not "confirmed".
provenance-unconfirmed = { $place }: this booking page is not confirmed. Where it was seen: { $source } ({ $date }). How sure we are: { $confidence }. Please check the page yourself: { $url }
provenance-undated = undated
confidence-confirmed = checked on the booking page itself
confidence-code = seen in software that used this page
confidence-doc = seen in documentation that names this page
confidence-page = seen on the prefecture's website
confidence-unverified = reported second-hand, not checked by a person yet

operator-way-set = The channel of { $procedure } in { $departement } is now { $way }: { $url } . People who pick it are told so at once.
operator-way-everywhere = every département
