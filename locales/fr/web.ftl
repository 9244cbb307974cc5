## Le baromètre public (guichet web) : pages en lecture seule des statistiques du robot.
web-name = Guichet — baromètre
web-languages = Langues
web-title = Rendez-vous en préfecture : le baromètre
web-intro = Le robot de Guichet ouvre lui-même ces pages de prise de rendez-vous des préfectures, à intervalles réguliers, pour toutes les personnes qui les suivent, et note ce que chaque page affichait. Voici, pour chaque page, combien de fois elle n'a proposé aucune date, mois par mois, comme le publiait le robot « À guichets fermés » de La Cimade. Une vérification qui a rencontré un captcha, a été refusée ou a échoué est comptée à part, jamais comme « aucune date ».
web-about = Publié par Guichet à partir de son journal des vérifications. Seuls des comptes des vérifications du robot figurent ici : aucune personne, aucune demande.
web-generated = Page générée le { $time } (heure de Paris).
web-generated-short = Page générée le (heure de Paris)
web-permanent = Adresse permanente :
web-index-month = { $month } : les pages, de la pire à la meilleure
web-index-empty = Aucune page n'a encore été consultée par le robot.
web-col-departement = Département
web-col-page = Démarche et page de rendez-vous
web-col-no-date = Aucune date
web-col-answered = Vérifications ayant lu le calendrier
web-col-failed = Échecs (à part)
web-not-probed-this-month = aucune lecture ce mois-ci
web-method = Comment lire ces chiffres
web-failed-explained = Échec : captcha, refus, maintenance, page modifiée ou erreur. Compté à part : une telle vérification ne dit rien du calendrier.
web-method-month = Une vérification entre dans une classe selon les premières dates proposées, comptées depuis le jour de la vérification (heure de Paris) : « à moins d'un mois » veut dire au plus tard le même jour du mois suivant.
web-graph = Mois par mois, dans les classes de La Cimade
web-graph-caption = Chaque barre est un mois : les vérifications ayant lu le calendrier, selon les premières dates trouvées (100 % = toutes). La fine barre grise à côté est la part de toutes les vérifications du mois qui ont échoué, comptées à part.
web-table = Le tableau mois par mois
web-col-raw = Données brutes
web-raw-link = tableau
web-source = Page de rendez-vous consultée
web-last-answered = Dernière vérification ayant lu le calendrier (heure de Paris)
web-last-answered-none = Aucune pour l'instant.
web-releases = Quand des créneaux apparaissent, et combien de temps ils restent
web-releases-intro = Une mise en ligne est une vérification qui a trouvé des créneaux après une qui n'en trouvait pas ; ci-dessous, par jour de la semaine et heure de Paris. { PLURAL($count) ->
    [one] Une mise en ligne observée.
   *[other] { $count } mises en ligne observées.
}
web-lasted = La moitié des mises en ligne a duré { $median } ou moins, neuf sur dix { $p90 } ou moins ({ PLURAL($count) ->
    [one] une mesurée
   *[other] { $count } mesurées
} ; { $open } encore ouvertes à la dernière vérification, laissées de côté).
web-lasted-none = La durée des mises en ligne n'est pas encore mesurée ({ $open } encore ouvertes à la dernière vérification).
web-days = Jours avec au moins un créneau : { $with } sur { $probed } jours avec une vérification ayant lu le calendrier ({ $percent }).
web-minutes = { $minutes } min
web-hours = { $hours } h { $minutes }
web-days-hours = { $days } j { $hours } h
web-chain = Le journal des vérifications, et comment le vérifier
web-chain-head = Le { $time } (heure de Paris), le journal des vérifications de cette page comptait { PLURAL($count) ->
    [one] un enregistrement
   *[other] { $count } enregistrements
} ; l'empreinte SHA-256 du dernier est :
web-chain-how = Chaque enregistrement porte l'empreinte SHA-256 du précédent : un enregistrement modifié, supprimé ou déplacé après coup rompt la chaîne. Gardez cette empreinte avec votre copie : qui fait tourner Guichet peut montrer avec la commande ci-dessous que l'historique jusqu'à elle n'a pas changé. Le format est publié avec le code de Guichet (src/evidence/chain.rs).
web-chain-none = Le journal des vérifications de cette page est vide.
web-raw-title = Données brutes de { $month } — { $page }
web-raw-intro = Toutes les vérifications du mois, en heure de Paris : les deux premières dates proposées, et le résultat. Les échecs sont listés, et pas comptés dans les classes.
web-back = Retour aux statistiques de la page
web-not-found-title = Page introuvable
web-not-found = Il n'y a pas de page à cette adresse. Toutes les pages du baromètre sont listées sur son index.
web-csv-link = CSV
web-failed-title = Page indisponible
web-failed = Cette page n'a pas pu être préparée pour l'instant. Réessayez dans un moment.
web-too-many-title = Trop de requêtes
web-too-many = Trop de requêtes sont venues de votre adresse. Attendez quelques secondes puis réessayez.
stats-link = Les statistiques complètes, à imprimer et à citer : { $url }
