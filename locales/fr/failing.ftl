# Guichet — une page suivie en panne depuis longtemps, puis rétablie (français).

outage-failing = ⚠️ { $procedure } — { $place } : la page de réservation ne fonctionne plus depuis le { $since } (heure de Paris) : { $problem }.
    Ce n'est pas « aucun créneau » : je ne vois pas le calendrier, et les statistiques comptent ces vérifications à part.
    En attendant, regardez vous-même la page : { $url }
    Je continue d'essayer et vous écrirai quand elle fonctionnera de nouveau.
outage-failing-captcha = ⚠️ { $procedure } — { $place } : depuis le { $since } (heure de Paris), personne n'a lu le calendrier : { $problem }.
    Ce n'est pas « aucun créneau » : les statistiques comptent ces vérifications à part.
    En attendant, touchez « Vérifier maintenant » ou tapez /check : vous tapez le code et tous ceux qui suivent la page reçoivent le résultat. Ou regardez vous-même : { $url }
    Je vous écrirai quand le calendrier sera lu de nouveau.
outage-recovered = ✅ { $procedure } — { $place } : la page de réservation fonctionne de nouveau (elle était en panne depuis le { $since }, heure de Paris). La surveillance a repris ; je vous écris dès qu'un créneau s'ouvre.
outage-operator-detail = Pour les responsables : cible { $target }, résultat { $kind }, HTTP { $status }, détail : { $detail } ; page { $url }, vue le { $seen }.
status-failing-since = En panne depuis le { $since } (heure de Paris) : aucun calendrier lu depuis.
