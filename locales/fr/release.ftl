## Mises en ligne de créneaux annoncées par un site de réservation, et le
## rappel qui les précède. L'annonce ne promet un rappel que s'il est prévu :
## une mise en ligne plus proche que le délai du rappel reçoit le message
## « soon ». Derrière un code de sécurité, le bot ne peut pas regarder seul :
## on dit aux personnes de vérifier à l'heure dite.
release-announced-reminder = { $procedure } — { $place } : le site annonce de nouveaux rendez-vous le { $when } (heure de Paris). Je vous le rappellerai { PLURAL($minutes) ->
    [one] une minute
   *[other] { $minutes } minutes
} avant, et je regarderai à ce moment-là.
release-announced-reminder-captcha = { $procedure } — { $place } : le site annonce de nouveaux rendez-vous le { $when } (heure de Paris). Il affiche un code de sécurité que seule une personne peut taper, je ne peux donc pas regarder seul : je vous le rappellerai { PLURAL($minutes) ->
    [one] une minute
   *[other] { $minutes } minutes
} avant ; à ce moment-là, touchez « Vérifier maintenant » (ou tapez /check) et tapez le code, ou vérifiez vous-même sur le site : { $url }
release-announced-soon = { $procedure } — { $place } : le site annonce de nouveaux rendez-vous le { $when } (heure de Paris), bientôt. Soyez prêt à ce moment-là ; je regarderai et je vous dirai ce que je vois.
release-announced-soon-captcha = { $procedure } — { $place } : le site annonce de nouveaux rendez-vous le { $when } (heure de Paris), bientôt. Il affiche un code de sécurité que seule une personne peut taper, je ne peux donc pas regarder seul : à ce moment-là, touchez « Vérifier maintenant » (ou tapez /check) et tapez le code, ou vérifiez vous-même sur le site : { $url }
release-reminder-before = { $procedure } — { $place } : de nouveaux rendez-vous sont mis en ligne le { $when } (heure de Paris), dans environ { PLURAL($minutes) ->
    [one] une minute
   *[other] { $minutes } minutes
}. Tenez-vous prêt ; je regarderai à ce moment-là et je vous dirai ce que je vois.
release-reminder-before-captcha = { $procedure } — { $place } : de nouveaux rendez-vous sont mis en ligne le { $when } (heure de Paris), dans environ { PLURAL($minutes) ->
    [one] une minute
   *[other] { $minutes } minutes
}. Je ne peux pas taper le code de sécurité : à ce moment-là, touchez « Vérifier maintenant » (ou tapez /check) et tapez le code, et tous ceux qui suivent la page reçoivent le résultat ; ou vérifiez vous-même sur le site : { $url }
