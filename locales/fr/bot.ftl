# Guichet — messages en français.
# Pour les nombres, utilisez PLURAL($n) comme sélecteur (voir src/i18n.rs).

language-name = Français

welcome = Bonjour ! Je surveille pour vous les rendez-vous en préfecture et je vous écris dès qu'un créneau s'ouvre. Je ne réserve jamais à votre place.
choose-language = Dans quelle langue voulez-vous continuer ?
language-set = Langue choisie : { $language }.

ask-departement = Dans quel département êtes-vous ? Tapez son numéro (par exemple 93) ou son nom.
departement-several = Plusieurs départements correspondent. Lequel est le vôtre ?
departement-unknown = Je ne trouve pas de département « { $input } ». Tapez un numéro (01 à 95, 2A, 2B, 971 à 976) ou un nom, par exemple « Seine-Saint-Denis ».

ask-procedure = { $departement } : pour quelle démarche cherchez-vous un rendez-vous ?
ask-procedure-other-ways = Les démarches marquées « en ligne (ANEF) », « formulaire » ou « autre voie » n'ont pas de page de rendez-vous que je puisse surveiller : choisissez-en une, je vous dis comment la déposer.
procedure-other-way = { $procedure } — autre voie
procedure-on-anef = { $procedure } — en ligne (ANEF)
procedure-by-form = { $procedure } — formulaire
way-prefecture = Pour « { $procedure } » dans le département { $departement }, je ne connais pas de page de rendez-vous à surveiller. Voyez sur le site de la préfecture comment la demander (formulaire en ligne, courriel ou accueil) : { $url } . Une association (La Cimade, Gisti) peut vous aider. Vous pouvez choisir une autre démarche :
way-spada = La demande d'asile ne se réserve pas en ligne : on s'adresse d'abord à une structure de premier accueil des demandeurs d'asile (SPADA), qui donne le rendez-vous au guichet unique. Une association peut vous accompagner : { $url } . Vous pouvez choisir une autre démarche :
no-online-booking = Pour « { $procedure } » dans le département { $departement }, je ne connais pas de prise de rendez-vous en ligne à surveiller. Renseignez-vous auprès de la préfecture ou d'une association. Vous pouvez choisir une autre démarche :

confirm-subscription = Je vais surveiller « { $procedure } » ({ $departement }) à { $places } { PLURAL($count) ->
    [one] (une page de réservation).
   *[other] ({ $count } pages de réservation).
} Je vous écris dès qu'un créneau apparaît. On y va ?
option-yes = Oui, surveiller
option-no = Non, annuler
subscription-cancelled = D'accord, je ne surveille rien de nouveau. Tapez /start pour recommencer.
subscribed = C'est noté : je surveille « { $procedure } ». Je vérifie environ { PLURAL($minutes) ->
    [one] chaque minute
   *[other] toutes les { $minutes } minutes
} et je vous écris dès qu'un créneau s'ouvre. /status montre où en est chaque suivi, /stop l'arrête.

stop-which = Quel suivi voulez-vous arrêter ?
option-stop-all = Tous mes suivis
stopped-one = Suivi arrêté : { $subscription }.
stopped-none = Aucun suivi n'était en cours.
stopped-all = { PLURAL($count) ->
    [one] Votre suivi est arrêté.
   *[other] Vos { $count } suivis sont arrêtés.
}

status-none = Vous ne suivez aucune démarche pour l'instant. Tapez /start pour commencer.
status-header = { PLURAL($count) ->
    [one] Votre suivi :
   *[other] Vos { $count } suivis :
}
status-last-success = Dernière vérification réussie : { $time } (heure de Paris) — { $result }.
status-never = Pas encore vérifié : la première vérification arrive dans quelques minutes.
target-unconfirmed-plain = Lien pas encore vérifié par une personne : je le surveille quand même, mais il peut être faux.
target-not-probed = { $place } : je ne sais pas encore vérifier ce site de réservation automatiquement (code de sécurité ou autre parcours). Vérifiez-le vous-même : { $url }
status-last-failure = Dernière tentative : { $time } — { $problem }. Cela ne veut pas dire qu'il n'y a pas de créneau.
result-slots = { PLURAL($count) ->
    [one] 1 créneau, le { $first }
   *[other] { $count } créneaux, à partir du { $first }
}
result-no-slot = aucun créneau libre
problem-captcha = le site demande un code de sécurité (captcha)
problem-blocked = le site a refusé notre visite
problem-maintenance = le site est en maintenance
problem-changed = la page a changé, un responsable doit vérifier
problem-error = le site n'a pas répondu correctement

alert = 🔔 Créneaux ouverts : { $procedure }
    { $place } ({ $departement })
    { $dates }
    Réserver : { $url }
    Vu le { $seen } (heure de Paris). Les créneaux partent souvent en quelques minutes : faites vite.
alert-dates-one = Première date : { $first }
alert-dates-two = Premières dates : { $first }, puis { $second }

help = Je surveille les rendez-vous en préfecture pour vous.
    /start — choisir une préfecture et une démarche à surveiller
    /watch — surveiller une autre démarche
    /status — vos suivis et la dernière vérification de chacun
    /stats — les statistiques de chaque suivi : ce mois et le précédent, et quand les créneaux apparaissent
    /stop — arrêter un suivi ou tous
    /check — vérifier maintenant un site à captcha : vous tapez le code, je lis le calendrier pour tous ceux qui le suivent
    /tried — noter une de vos démarches (site, courriel, lettre recommandée, guichet, téléphone, erreur ANEF, centre de contact de l'ANTS, point d'accueil numérique, formulaire de demande), datée, comme preuve
    /dossier — votre preuve en PDF et en CSV, à remettre à un avocat ou au tribunal
    /letter — un courriel, une lettre recommandée, une saisine du Défenseur des droits ou un projet de référé, remplis
    /profile — qui vous êtes, pour les lettres (gardé chiffré) ; /mydata — tout ce que je garde sur vous ; /forget — tout effacer
    /deadlines — quand déposer votre renouvellement (d'après la date d'expiration de votre titre dans /profile), et les jours écoulés depuis chaque formulaire de demande envoyé
    /lang — changer de langue
    /help — cette aide
    Je ne réserve jamais à votre place et je ne devine aucun captcha : c'est vous qui le tapez, et vous qui réservez.
    { appointments-free }
unknown-command = Je ne connais pas la commande /{ $command }. Tapez /help pour voir ce que je sais faire.
input-too-long = Votre message est trop long ({ $length } caractères, { $limit } au plus). Écrivez plus court, s'il vous plaît.
input-cancelled = C'est annulé : rien n'a été enregistré pour cette question. Tapez /help pour voir ce que je sais faire.
check-code-again = Tapez le code affiché dans l'image, ou /check pour une nouvelle image.
input-empty = Je n'ai reçu aucun texte.
input-secret = Ceci ressemble à un mot de passe : je ne l'ai pas gardé. Je ne demande jamais vos mots de passe (ANEF, FranceConnect) ; si quelqu'un d'autre l'a vu, changez-le. Si ce n'en était pas un, écrivez-le sans le mot « mot de passe ».
appointments-free = Les rendez-vous en préfecture sont gratuits : ne payez jamais personne pour en obtenir un.
choice-expired = Ce bouton n'est plus valable.
choose-an-option = Choisissez une des réponses proposées, ou tapez son numéro.
idle-hint = Tapez /start pour surveiller une démarche, /status pour voir vos suivis, ou /help.

departement-in-region = { $region } : quel département ?
group-welcome = Bonjour ! Dans ce groupe, les administrateurs choisissent avec /watch les démarches à surveiller, et j'écris ici dès qu'un créneau s'ouvre. /status montre les suivis du groupe. Pour une aide personnelle, écrivez-moi en privé : je ne demande jamais rien de personnel dans un groupe.
group-admins-only = Seuls les administrateurs du groupe peuvent changer ce que le groupe surveille. Pour votre propre suivi, écrivez-moi en privé.
button-private-chat = Écrire au bot en privé

command-start = Commencer : choisir la langue, la préfecture et la démarche
command-watch = Surveiller une démarche
command-unwatch = Arrêter un suivi
command-status = Vos suivis et la dernière vérification
command-stop = Arrêter un suivi ou tous
command-lang = Changer de langue
command-help = Aide

matrix-undecryptable = Je n'ai pas pu déchiffrer votre message (les clés de chiffrement ne me sont pas encore parvenues). Pouvez-vous le renvoyer ?

demo-banner = Démonstration de Guichet : une préfecture simulée tourne sur { $address }. Écrivez comme dans une messagerie ; tapez /start pour commencer, un numéro pour choisir une option, Ctrl-D pour quitter.
demo-barometer = Le baromètre public de ce que voit le robot (pages de statistiques, à imprimer et à citer) : { $url }

## Vérifications assistées : une personne tape le captcha, le bot lit le calendrier.
button-check = Vérifier maintenant
target-captcha = { $place } : ce site de réservation affiche un code de sécurité (captcha) avant son calendrier. Je surveille que le site répond ; pour voir le calendrier, touchez « Vérifier maintenant » ou tapez /check : vous tapez le code, et tous ceux qui suivent cette page reçoivent le résultat. La page : { $url }
check-none = Aucun de vos suivis ne porte sur un site à code de sécurité : ils sont vérifiés automatiquement. Tapez /status pour les voir.
check-which = Quelle page voulez-vous vérifier maintenant ?
check-captcha = { $target } : tapez le code affiché dans l'image (lettres et chiffres). La version audio est jointe si vous ne pouvez pas la lire.
check-captcha-shared = Quelqu'un vérifie déjà { $target } : voici le même code. La première bonne réponse vaut pour vous deux.
check-wrong-code = Le site n'a pas accepté ce code. En voici un nouveau : tapez ce que vous voyez.
check-expired = La session du site a expiré entre-temps. Voici un nouveau code : tapez ce que vous voyez.
check-too-many = { PLURAL($count) ->
    [one] Vous pouvez lancer une vérification par minute.
   *[other] Vous pouvez lancer { $count } vérifications par minute.
} Réessayez dans { $seconds } s.
check-code-invalid = Un code ne contient que des lettres et des chiffres, sans autre signe. Tapez-le à nouveau, ou /check pour une nouvelle image.
check-found-slots = { $target } — vérifié le { $time } (heure de Paris) : { $result } ! Réservez vite : { $url }
    Toutes les autres personnes qui suivent cette page sont alertées. Cette vérification est enregistrée comme votre tentative.
check-found-no-slot = { $target } — vérifié le { $time } (heure de Paris) : { $result }. Cette vérification est enregistrée comme votre tentative, avec la page, comme preuve.
check-already = Quelqu'un vient de vérifier { $target } : { $result } ({ $time }, heure de Paris).
check-ended = { $target } : la vérification n'a pas pu atteindre le calendrier — { $problem }. Elle est enregistrée comme votre tentative ; cela ne veut pas dire qu'il n'y a pas de créneau.
check-too-many-codes = Cela fait beaucoup de codes en peu de temps, et chacun est une requête au site. Tapez à nouveau le code dans { $seconds } s.
deadlines-none = Je ne sais pas quand votre titre expire. Donnez sa date d'expiration avec /profile (elle reste chiffrée), puis tapez de nouveau /deadlines.
deadlines-renewal = Votre titre expire le { $expiry }. Un renouvellement se demande entre 120 et 60 jours avant cette date (article R. 431-5 du CESEDA) : du { $opens } au { $closes }. La plupart des renouvellements se déposent en ligne, sur l'ANEF.
deadlines-before = La période s'ouvre dans { PLURAL($days) ->
        [one] un jour
       *[other] { $days } jours
    }. Rassemblez dès maintenant vos pièces.
deadlines-open = La période est ouverte : elle se ferme { PLURAL($days) ->
        [one] demain
       *[other] dans { $days } jours
    }. Déposez maintenant, et gardez la preuve du dépôt.
deadlines-last-day = La période est ouverte, et c'est aujourd'hui son dernier jour : déposez aujourd'hui, et gardez la preuve du dépôt.
deadlines-closed = La période s'est fermée { PLURAL($days) ->
        [one] hier
       *[other] il y a { $days } jours
    }, mais votre titre est encore valable : déposez tout de même maintenant, et gardez la preuve de chaque tentative. Une association (La Cimade, Gisti) peut vous aider.
deadlines-expired = Votre titre a expiré { PLURAL($days) ->
        [one] hier
       *[other] il y a { $days } jours
    }. Déposez votre demande sans attendre, gardez la preuve de chaque tentative, et faites-vous aider par une association (La Cimade, Gisti) ou un avocat.
deadlines-expires-today = Votre titre expire aujourd'hui. Déposez votre demande sans attendre, gardez la preuve de chaque tentative, et faites-vous aider par une association (La Cimade, Gisti) ou un avocat.
deadlines-form-reference = { " " }(référence { $reference })
deadlines-form-today = Formulaire de demande envoyé aujourd'hui{ $reference }. Gardez son accusé de réception : c'est votre preuve.
deadlines-form = Formulaire de demande envoyé le { $date }{ $reference } : il y a { PLURAL($days) ->
        [one] un jour
       *[other] { $days } jours
    }. Sans réponse, relancez ou écrivez à la préfecture (/letter), et notez chaque démarche (/tried).
path-anef = « { $procedure } » ne se réserve pas en préfecture : vous la déposez vous-même, en ligne, sur l'ANEF ({ $url }), depuis votre compte. Il n'y a pas de page de rendez-vous à surveiller.
    • Une fois votre demande complète déposée, la préfecture doit vous remettre une attestation de prolongation d'instruction (API, article R. 431-15-1 du CESEDA) : elle prouve votre séjour régulier pendant trois mois et se renouvelle. La simple « confirmation de dépôt » ne le prouve pas.
    • Si l'ANEF vous bloque, notez chaque essai avec /tried (erreur de l'ANEF avec une capture d'écran, le centre de contact de l'ANTS au { $phone } avec son numéro de ticket, le point d'accueil numérique de la préfecture) : c'est la preuve qui permet de demander à déposer autrement (/letter).
    • Quatre mois sans réponse peuvent valoir refus : je les compte pour vous.
    Donnez-moi vos dates (fin du titre, dépôt, API) et je vous préviendrai à temps ; /deadlines dit où vous en êtes. Vous pouvez aussi choisir une autre démarche :
path-form = Dans le département { $departement }, « { $procedure } » se demande par un formulaire que la préfecture lit (sur Démarches simplifiées ou équivalent), pas par réservation : voir { $url } . Il n'y a rien à surveiller. Envoyez le formulaire, gardez son accusé de réception, et notez-le ici avec sa référence : /deadlines comptera les jours sans réponse. Vous pouvez aussi choisir une autre démarche :
path-form-sent = J'ai envoyé le formulaire
path-give-dates = Donner mes dates
deadlines-filed = Demande déposée en ligne le { $date }{ $reference }, { PLURAL($days) ->
        [one] il y a { $days } jour
       *[other] il y a { $days } jours
    }. Quatre mois sans réponse (le { $silence }) peuvent valoir refus implicite : avant cette date, faites-vous aider par une association (La Cimade, Gisti) ou un avocat.
deadlines-api = Votre attestation (API) est valable jusqu'au { $date } : demandez son renouvellement avant.
deadlines-api-ended = Votre attestation (API) a pris fin le { $date } : demandez-en une nouvelle à la préfecture sans attendre (/letter).
deadlines-no-api = Aucune attestation (API) notée : si vous n'en avez pas reçu, demandez-la (/letter) ; quand elle arrive, donnez sa date de fin avec /profile.
deadlines-silence-passed = Quatre mois ont passé depuis le dépôt (le { $date }) : ce silence peut valoir refus, qu'un tribunal peut examiner, dans des délais. Faites-vous aider maintenant par une association ou un avocat.
deadlines-no-reminders = Aucun rappel prévu.
deadlines-reminders = Rappels prévus (je vous écrirai ici) :
deadlines-reminder = • { $date } : { $what }
deadlines-reminder-window-opens = la période de renouvellement s'ouvre
deadlines-reminder-window-halfway = la moitié de la période est passée
deadlines-reminder-window-closing = deux semaines avant la fin de la période
deadlines-reminder-api-awaited = toujours pas d'attestation (API) ?
deadlines-reminder-api-ending = deux semaines avant la fin de votre API
deadlines-reminder-silence = deux semaines avant quatre mois de silence
reminder-window-opens = Rappel : la période pour renouveler votre titre de séjour s'ouvre aujourd'hui. Déposez votre demande d'ici au { $closes } ({ $days } jours), et gardez la preuve du dépôt. /deadlines dit où vous en êtes.
reminder-window-halfway = Rappel : la moitié de la période pour renouveler votre titre est passée. Elle se ferme le { $closes }, dans { $days } jours. Si vous n'avez pas encore déposé, faites-le maintenant ; si un site vous bloque, notez chaque essai avec /tried.
reminder-window-closing = Rappel : la période pour renouveler votre titre se ferme le { $closes }, dans { $days } jours. Déposez maintenant, gardez la preuve, et si vous ne le pouvez pas, faites-vous aider par une association (La Cimade, Gisti).
reminder-api-awaited = Rappel : vous avez déposé votre demande en ligne le { $date } et je n'ai pas d'attestation de prolongation d'instruction (API) pour elle. La préfecture doit en remettre une pour une demande complète : demandez-la (/letter). Si elle est arrivée, donnez sa date de fin avec /profile.
reminder-api-ending = Rappel : votre attestation (API) prend fin le { $date }, dans deux semaines. Demandez dès maintenant son renouvellement à la préfecture (/letter), et gardez la preuve de votre demande.
reminder-silence = Rappel : le { $ends }, quatre mois auront passé depuis votre dépôt du { $date }. Quatre mois sans réponse peuvent valoir refus implicite, qui se conteste, dans des délais. Faites-vous aider maintenant par une association (La Cimade, Gisti) ou un avocat ; /letter prépare une requête au tribunal.
