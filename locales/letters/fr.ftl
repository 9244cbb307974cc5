## The letters themselves, always in French: they go to a French
## administration, the Défenseur des droits or a French court. Our own wording,
## from the elements La Cimade's and Gisti's guides list (seeds 001 and 003).
## Not in the three-language parity check on purpose; the explanations around
## each letter are in locales/<lang>/letters.ftl.

missing = [à compléter : { $field }]
field-family-name = nom de famille
field-given-names = prénoms
field-birth-date = date de naissance
field-birth-place = lieu de naissance
field-nationality = nationalité
field-address = adresse postale
field-email = adresse électronique
field-agdref = numéro étranger (AGDREF)
field-legal-basis = fondement de la demande
field-permit = titre de séjour actuel
field-permit-expiry = date d'expiration du titre
field-stakes = ce qui est en jeu
field-filing-date = date du dépôt en ligne de la demande
field-filing-reference = numéro de la demande en ligne
field-api-end = date de fin de l'attestation de prolongation d'instruction
field-court = tribunal administratif compétent
field-prefecture-address = adresse postale de la préfecture (sur son site internet)
field-tries = liste des tentatives, avec dates et heures
field-page-url = adresse de la page de réservation
field-first-step = date et moyen de votre démarche auprès de la préfecture (courrier, courriel, formulaire, guichet)
field-silence-end = date à laquelle quatre mois se sont écoulés depuis le dépôt

stake-job = mon emploi
stake-benefits = mes prestations sociales
stake-housing = mon logement
stake-studies = mes études
stake-family = ma vie de famille

identity = Je m'appelle { $given } { $family }, né(e) le { $birth_date } à { $birth_place }, de nationalité { $nationality }. Numéro étranger : { $agdref }. Adresse : { $address }. Courriel : { $email }.
# The count is the number of tries listed below it: never more than they show.
tries-intro = { $count ->
    [one] Le { $first }, j'ai tenté d'obtenir ce rendez-vous, sans succès :
   *[other] Depuis le { $first }, j'ai tenté { $count } fois d'obtenir ce rendez-vous, sans succès :
}
tries-none = Je n'ai pas encore noté mes tentatives : { $placeholder }
figures = Ces difficultés ne me sont pas propres : { $period }, un relevé automatique de la page de réservation de la préfecture ({ $url }) n'a trouvé aucune date disponible dans { $percent } % des { $count } vérifications abouties.
period-day = le { $day }
period-days = entre le { $from } et le { $until }
figures-none = Le relevé automatique de la page de réservation de la préfecture ({ $url }) n'a pas encore de chiffres sur la période.
check-failed = la vérification n'a pas pu atteindre le calendrier
closing = Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.
signature = { $given } { $family }

email-subject = Demande de rendez-vous — { $procedure } — { $family } { $given }
email-body = Madame, Monsieur,

    { $identity }

    Je souhaite déposer { $request } auprès de la { $prefecture }. Les rendez-vous se prennent sur le site de réservation en ligne ; chaque fois, aucune plage horaire n'est proposée.

    { $tries }

    { $figures }

    Je vous demande de bien vouloir me donner un rendez-vous, ou de m'indiquer une autre manière de déposer ma demande, par retour de courriel ou à mon adresse postale.

    { $closing }

    { $signature }

lrar-subject = Lettre recommandée avec accusé de réception — demande de rendez-vous — { $procedure }
lrar-body = { $given } { $family }
    { $address }

    À la { $prefecture }
    Service de l'immigration et de l'intégration (séjour des étrangers)
    { $prefecture_address }

    Le { $today }

    Objet : demande de rendez-vous pour { $request }

    Madame, Monsieur,

    { $identity }

    Je dois déposer { $request }. La prise de rendez-vous ne se fait qu'en ligne, et je n'ai jamais pu en obtenir un.

    { $tries }

    { $figures }

    Je vous demande de me fixer un rendez-vous, ou de me permettre de déposer ma demande par un autre moyen. À défaut de réponse, je me réserve la possibilité de saisir le juge administratif.

    Pièces jointes :
    { $exhibits }

    { $closing }

    { $signature }

ddd-subject = Réclamation — impossibilité d'obtenir un rendez-vous en préfecture — { $family } { $given }
ddd-body = Madame, Monsieur le délégué du Défenseur des droits,

    { $identity }

    Je dois déposer auprès de la { $prefecture } { $request }. Cette préfecture impose de prendre rendez-vous sur son site internet, où aucune plage horaire n'est jamais disponible. Je ne peux donc pas accéder à ce service public.

    { $tries }

    { $figures }

    Je vous demande d'intervenir auprès de la préfecture pour qu'un rendez-vous me soit proposé, ou qu'un autre moyen de déposer ma demande me soit ouvert.

    Je joins les preuves de mes démarches.

    { $closing }

    { $signature }

refere-subject = Requête en référé « mesures utiles » (article L. 521-3 du code de justice administrative)
refere-body = À Madame, Monsieur le juge des référés du { $court }

    REQUÊTE EN RÉFÉRÉ « MESURES UTILES »
    (article L. 521-3 du code de justice administrative)

    Pour : { $given } { $family }, né(e) le { $birth_date } à { $birth_place }, de nationalité { $nationality }, demeurant { $address } ; numéro étranger : { $agdref }.

    Contre : { $prefect }.

    I. Les faits

    Je dois déposer { $request }{ $legal_basis }. La { $prefecture } n'accepte ces demandes que sur rendez-vous pris sur son site internet, où aucune plage horaire n'est proposée.

    { $tries }

    { $figures }

    II. L'urgence

    { $urgency }

    III. L'utilité de la mesure demandée

    Sans rendez-vous, je ne peux pas déposer ma demande, et la préfecture ne peut pas l'instruire. Seule une injonction de me fixer un rendez-vous permet de sortir de cette impasse.

    IV. L'absence d'obstacle à l'exécution d'une décision administrative

    La mesure demandée ne fait obstacle à l'exécution d'aucune décision administrative : aucune décision n'a été prise sur ma demande, que je n'ai pas pu déposer.

    Par ces motifs, je demande au juge des référés d'enjoindre au préfet de me fixer un rendez-vous pour le dépôt de ma demande, dans un délai de quinze jours à compter de l'ordonnance.

    Pièces jointes :
    { $exhibits }

    Le { $today }

    { $signature }
urgency-first = Je vis en France sans pouvoir régulariser ma situation. Sans titre de séjour, je suis exposé(e) à tout moment à une mesure d'éloignement, et je ne peux ni travailler légalement ni accéder à mes droits.{ $stakes }
urgency-renewal = Mon titre de séjour actuel ({ $permit }) expire le { $expiry }. Sans rendez-vous avant cette date, je perdrai mon droit au séjour, et avec lui { $stakes }
stakes-none = ce qui en dépend.
stakes-list = ce qui en dépend : { $list }.
stakes-sentence = { " " }Cela met aussi en jeu { $list }.

exhibit-dossier = Relevé de mes démarches et des vérifications de la page de réservation (dossier Guichet du { $today })
exhibit-tries = Preuves de mes tentatives ({ $count })
exhibit-letters = Copies des courriers et courriels déjà envoyés à la préfecture
exhibit-identity = Copie de mon passeport ou de ma pièce d'identité
exhibit-permit = Copie de mon titre de séjour actuel

## Les lettres d'un dossier ANEF (administration numérique pour les étrangers
## en France) : une démarche dans un département, sans page de réservation.
## Faits repris (CE, Section, 3 juin 2022, n° 452798 ; arrêté du 1er août 2023 ;
## art. R. 431-15-1 et R. 431-5 CESEDA ; rapport du Défenseur des droits du
## 11 décembre 2024), rédaction propre. $stage : unfiled (pas encore déposée),
## filed (déposée, pas d'attestation), api (une attestation est venue).
anef-tries-intro = { $count ->
    [one] Le { $first }, j'ai fait cette démarche, sans obtenir de solution :
   *[other] Depuis le { $first }, j'ai fait ces { $count } démarches, sans obtenir de solution :
}
# Only said from two weeks on: tries spread over time weigh more than a burst.
tries-weeks = Ces démarches s'étalent sur { $weeks } semaines différentes.
anef-unfiled = Je ne parviens pas à y déposer ma demande.
anef-filed = Je l'y ai déposée le { $filing_date }, sous le numéro { $reference }. { $api }
anef-no-api = Je n'ai reçu à ce jour que la confirmation de ce dépôt, et aucune attestation de prolongation d'instruction.
anef-api = L'attestation de prolongation d'instruction que j'ai reçue { $ended ->
    [yes] a pris fin
   *[no] prend fin
} le { $api_end }.
anef-deadline = { " " }Mon titre de séjour actuel { $expired ->
    [yes] a expiré
   *[no] expire
} le { $expiry }{ $window }.
anef-window = , et sa demande de renouvellement se dépose entre le { $opens } et le { $closes } (article R. 431-5 du code de l'entrée et du séjour des étrangers et du droit d'asile)
anef-help = { " " }J'ai demandé cet accompagnement { $places }, sans que mon problème soit résolu.
anef-help-ants = au Centre de contact citoyen de l'ANTS{ $phone }
anef-help-desk = au point d'accueil numérique de la préfecture
exhibit-dossier-anef = Relevé daté de mes démarches (dossier Guichet du { $today })
exhibit-tries-anef = Preuves de mes démarches : captures d'écran des erreurs de l'ANEF, numéros de ticket de l'ANTS, courriers et courriels ({ $count })
exhibit-filing = Confirmation du dépôt en ligne de ma demande (n° { $reference })
exhibit-api = Attestation de prolongation d'instruction, qui { $ended ->
    [yes] a pris fin
   *[no] prend fin
} le { $api_end }

anef-paper-subject = Demande de dépôt hors du téléservice ANEF — { $procedure } — { $family } { $given }
anef-paper-body = { $given } { $family }
    { $address }

    À la { $prefecture }
    Service de l'immigration et de l'intégration (séjour des étrangers)
    { $prefecture_address }

    Le { $today }

    Objet : impossibilité d'utiliser le téléservice ANEF pour { $request } ; demande de dépôt sur papier ou au guichet

    Madame, Monsieur,

    { $identity }

    Je dois déposer { $request }. Elle se fait en principe sur le téléservice de l'administration numérique pour les étrangers en France (ANEF), que je n'arrive pas à utiliser.{ $deadline }

    { $tries }

    Le Conseil d'État a annulé l'obligation de déposer ces demandes uniquement en ligne, faute pour l'administration d'avoir prévu une solution de substitution pour les personnes qui ne peuvent pas utiliser le téléservice (CE, Section, 3 juin 2022, n° 452798). L'arrêté du 1er août 2023 a ensuite prévu l'accompagnement de ces personnes et, une fois l'impossibilité technique établie, le dépôt de leur demande par une autre voie, notamment sur papier.{ $help }

    Les démarches énumérées ci-dessus établissent cette impossibilité dans mon cas. Je vous demande donc de me permettre de déposer ma demande sur papier, par courrier ou à un guichet de la préfecture, et de m'indiquer comment procéder, par courrier ou par courriel.

    Pièces jointes :
    { $exhibits }

    { $closing }

    { $signature }

api-subject = Demande { $renew ->
    [yes] de renouvellement de mon attestation de prolongation d'instruction
   *[no] d'attestation de prolongation d'instruction
} — demande n° { $reference } déposée en ligne le { $filing_date } — { $family } { $given }
api-body = { $given } { $family }
    { $address }

    À la { $prefecture }
    Service de l'immigration et de l'intégration (séjour des étrangers)
    { $prefecture_address }

    Le { $today }

    Objet : demande { $renew ->
        [yes] de renouvellement de mon attestation de prolongation d'instruction
       *[no] d'attestation de prolongation d'instruction
    } (article R. 431-15-1 du code de l'entrée et du séjour des étrangers et du droit d'asile)

    Madame, Monsieur,

    { $identity }

    Le { $filing_date }, j'ai déposé sur le téléservice de l'administration numérique pour les étrangers en France (ANEF) { $request }, complète, enregistrée sous le numéro { $reference }.{ $follow_ups }

    { $renew ->
        [yes] L'attestation de prolongation d'instruction mise à ma disposition { $ended ->
            [yes] a pris fin
           *[no] prend fin
        } le { $api_end }, alors que vous n'avez pas encore statué sur ma demande. Valable trois mois au plus, cette attestation doit être renouvelée aussi longtemps que l'instruction se poursuit (article R. 431-15-1 du code de l'entrée et du séjour des étrangers et du droit d'asile).
       *[no] Je n'ai reçu à ce jour que la confirmation de ce dépôt, qui ne prouve pas la régularité de mon séjour. Or, lorsque l'instruction d'une demande complète se poursuit au-delà de la validité du document de séjour détenu, l'article R. 431-15-1 du code de l'entrée et du séjour des étrangers et du droit d'asile oblige le préfet à mettre à la disposition du demandeur, sur le téléservice, une attestation de prolongation d'instruction, valable trois mois au plus et renouvelée tant qu'il n'a pas statué.
    }

    { $stakes }

    Je vous demande donc de { $renew ->
        [yes] renouveler cette attestation
       *[no] me délivrer cette attestation
    } et de la mettre à ma disposition sur le téléservice dans les meilleurs délais.

    Pièces jointes :
    { $exhibits }

    { $closing }

    { $signature }
api-follow-ups = { $count ->
    [one] Depuis ce dépôt, j'ai fait cette démarche, sans obtenir l'attestation :
   *[other] Depuis ce dépôt, j'ai fait ces { $count } démarches, sans obtenir l'attestation :
}
api-stakes = Sans ce document, je ne peux pas prouver que mon séjour est régulier, ce qui met en jeu { $list }.
api-stakes-none = Sans ce document, je ne peux pas prouver que mon séjour est régulier, ni auprès d'un employeur ni auprès des organismes qui versent les prestations sociales.

refere-anef-subject = Requête en référé « mesures utiles » (article L. 521-3 du code de justice administrative) — téléservice ANEF
refere-anef-body = À Madame, Monsieur le juge des référés du { $court }

    REQUÊTE EN RÉFÉRÉ « MESURES UTILES »
    (article L. 521-3 du code de justice administrative)

    Pour : { $given } { $family }, né(e) le { $birth_date } à { $birth_place }, de nationalité { $nationality }, demeurant { $address } ; numéro étranger : { $agdref }.

    Contre : { $prefect }.

    I. Les faits

    Je dois déposer { $request }{ $legal_basis }. Auprès de la { $prefecture }, elle passe par le téléservice de l'administration numérique pour les étrangers en France (ANEF). { $filing }

    { $tries }

    II. Le droit applicable

    Le Conseil d'État a annulé l'obligation de recourir au seul téléservice, faute de solution de substitution pour les personnes qui ne peuvent pas l'utiliser (CE, Section, 3 juin 2022, n° 452798) ; l'arrêté du 1er août 2023 a ensuite prévu leur accompagnement et, une fois l'impossibilité technique établie, le dépôt de leur demande par une autre voie. Le dépôt en ligne ne donne lieu qu'à une confirmation, qui ne justifie pas de la régularité du séjour ; lorsque l'instruction d'une demande complète se poursuit, le préfet doit mettre à disposition une attestation de prolongation d'instruction, valable trois mois au plus et renouvelée jusqu'à sa décision (article R. 431-15-1 du code de l'entrée et du séjour des étrangers et du droit d'asile).

    III. L'urgence

    { $urgency }

    IV. L'utilité des mesures demandées

    Sans accès utile au téléservice, sans attestation et sans autre moyen de déposer ma demande, je ne peux ni la faire instruire ni prouver la régularité de mon séjour. Seules les mesures demandées permettent de sortir de cette impasse.

    V. L'absence d'obstacle à l'exécution d'une décision administrative

    { $decision }

    Par ces motifs, je demande au juge des référés d'enjoindre au préfet, dans un délai de quinze jours à compter de l'ordonnance :
    — de débloquer ou de corriger mon compte sur le téléservice ANEF, afin que ma demande puisse y être { $stage ->
        [unfiled] déposée
       *[other] instruite
    } ;
    — de me délivrer l'attestation de prolongation d'instruction prévue à l'article R. 431-15-1 du code de l'entrée et du séjour des étrangers et du droit d'asile{ $stage ->
        [unfiled] , dès le dépôt de ma demande complète
       *[other] {""}
    } ;
    — à défaut, de me fixer un rendez-vous pour déposer ma demande en personne, sur papier.

    Pièces jointes :
    { $exhibits }

    Le { $today }

    { $signature }
anef-urgency-permit = Mon titre de séjour actuel ({ $permit }) { $expired ->
    [yes] a expiré
   *[no] expire
} le { $expiry }{ $window }. Sans attestation ni moyen de faire instruire ma demande, je perds à cette date la preuve de mon droit au séjour, et avec elle { $stakes }
anef-urgency-api = L'attestation de prolongation d'instruction qui me permet de justifier de la régularité de mon séjour { $ended ->
    [yes] a pris fin
   *[no] prend fin
} le { $api_end }.{ $stakes }
anef-decision-unfiled = Les mesures demandées ne font obstacle à l'exécution d'aucune décision administrative : je n'ai pas pu déposer ma demande, et aucune décision n'a donc été prise.
anef-decision-pending = Les mesures demandées ne font obstacle à l'exécution d'aucune décision administrative : aucune décision n'a été prise sur ma demande, déposée le { $filing_date }, et les quatre mois au terme desquels le silence de l'administration peut valoir refus implicite ne s'achèvent que le { $silence_end }.
anef-decision-silence = Ma demande, déposée le { $filing_date }, est restée sans réponse : depuis le { $silence_end }, quatre mois de silence peuvent valoir refus implicite. Les mesures demandées ne remettent pas en cause une telle décision : elles tendent seulement à ce que je puisse prouver la régularité de mon séjour et voir ma demande instruite.

ddd-anef-subject = Réclamation — téléservice ANEF — { $procedure } — { $family } { $given }
ddd-anef-body = Madame, Monsieur le délégué du Défenseur des droits,

    { $identity }

    Je dois déposer auprès de la { $prefecture } { $request }, qui passe par le téléservice de l'administration numérique pour les étrangers en France (ANEF). { $filing }

    { $tries }

    { $first_step }

    Le Conseil d'État a jugé que ce téléservice ne pouvait être imposé sans solution de substitution (CE, Section, 3 juin 2022, n° 452798), et vous avez publié le 11 décembre 2024 un rapport consacré à l'ANEF.

    Je vous demande d'intervenir auprès de la préfecture pour { $stage ->
        [unfiled] que je puisse déposer ma demande, sur le téléservice ou par une autre voie
        [api] que mon attestation de prolongation d'instruction soit renouvelée tant que ma demande est en cours d'instruction
       *[filed] que l'attestation de prolongation d'instruction de ma demande me soit délivrée
    }.

    Je joins les preuves de mes démarches.

    { $closing }

    { $signature }
ddd-anef-first-step = Avant de vous saisir, je me suis adressé(e) à la préfecture, comme le montrent les démarches ci-dessus, sans obtenir de solution.
ddd-anef-first-step-missing = Avant de vous saisir, je me suis adressé(e) à la préfecture : { $placeholder }

## `guichet letter`, au bureau d'une association : ce qui ne va pas dans les fichiers.
desk-profile-syntax = profil : le fichier ne se lit pas (TOML, une clé par ligne, par exemple family-name = "Ben Ali") : { $detail }
desk-unknown-field = profil : « { $field } » n'est pas un champ (champs : { $fields })
desk-invalid = profil, { $field } : { $expected }
desk-expect-length = une réponse, pas trop longue
desk-expect-name = des lettres, des espaces, des traits d'union et des apostrophes
desk-expect-date = une date JJ/MM/AAAA
desk-expect-no-such-date = une date qui existe (JJ/MM/AAAA)
desk-expect-future = une date passée
desk-expect-future-filing = une date passée ou celle d'aujourd'hui
desk-expect-too-old = une date plus récente
desk-expect-email = une adresse de courriel (nom@exemple.fr)
desk-expect-agdref = 10 chiffres
desk-expect-stakes = les numéros 1 à 5, séparés par des espaces
desk-expect-latin = des lettres latines, en français
desk-tries = essais, ligne { $line } : { $expected }
desk-tries-line = une ligne CSV date,time,kind,note
desk-tries-date = la date en JJ/MM/AAAA
desk-tries-time = l'heure en HH:MM
desk-tries-kind = le type parmi web, email, lrar, counter, phone, anef, ants, helpdesk, form
desk-tries-paris-time = une heure qui existe à Paris (pas dans l'heure sautée au printemps)
desk-unknown-kind = lettre inconnue « { $kind } » : email, lrar, ddd ou refere ; pour une demande sur l'ANEF : anef-paper, api, refere-anef ou ddd-anef
desk-unknown-format = format inconnu « { $format } » : text ou pdf
desk-unreadable = impossible de lire { $path }
desk-unwritable = impossible d'écrire { $path }
desk-written = Lettre écrite dans { $path }
desk-problems = { PLURAL($count) ->
    [one] Un problème dans les fichiers : corrigez-le, puis relancez.
   *[other] { $count } problèmes dans les fichiers : corrigez-les, puis relancez.
}
desk-no-database = Pas de base de données dans { $path } : la lettre est écrite sans les chiffres du robot (--data-dir donne le dossier d'une base existante).
desk-no-page = aucune page de réservation connue pour cette page, ou pour cette démarche dans ce département (guichet target list)
desk-no-procedure = département ou démarche inconnus (--departement 93, 2A… ; --procedure renewal, first-permit, aes…)
# One try in a letter's list, at its day and time in Paris, with what was
# tried, and its details when it has some.
try-line = le { $day } à { $time } : { $what }
try-line-details = le { $day } à { $time } : { $what } — { $details }
# The last two things of a list: « mon emploi, mon logement et mes études ».
list-and = { $first } et { $second }
# What the person files, as a letter names it: « Je dois déposer … ».
request-first-permit = une première demande de titre de séjour
request-renewal = une demande de renouvellement de titre de séjour
request-aes = une demande d'admission exceptionnelle au séjour
request-handover = une demande de remise de mon titre de séjour
request-status-change = une demande de changement de statut
request-naturalisation = une demande de naturalisation
request-minor-travel = une demande de document de circulation pour étranger mineur
request-refugee-travel = une demande de titre de voyage pour réfugié
request-situation-change = une déclaration de changement de situation (adresse, état civil)
request-asylum = une demande d'asile
request-student = une demande de titre de séjour étudiant
request-talent = une demande de titre de séjour « passeport talent »
request-visitor = une demande de titre de séjour visiteur
request-protection = une demande de titre de séjour de réfugié ou de bénéficiaire de la protection subsidiaire
request-eu-family = une demande de titre de séjour de membre de famille d'un citoyen de l'Union européenne
request-family-of-french = une demande de titre de séjour de conjoint, parent ou enfant de Français
request-seasonal = une demande de titre de séjour de travailleur saisonnier
