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

    Je souhaite déposer une demande { $of_procedure } auprès de la { $prefecture }. Les rendez-vous se prennent sur le site de réservation en ligne ; chaque fois, aucune plage horaire n'est proposée.

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

    Objet : demande de rendez-vous pour une demande { $of_procedure }

    Madame, Monsieur,

    { $identity }

    Je dois déposer une demande { $of_procedure }. La prise de rendez-vous ne se fait qu'en ligne, et je n'ai jamais pu en obtenir un.

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

    Je dois déposer auprès de la { $prefecture } une demande { $of_procedure }. Cette préfecture impose de prendre rendez-vous sur son site internet, où aucune plage horaire n'est jamais disponible. Je ne peux donc pas accéder à ce service public.

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

    Je dois déposer une demande { $of_procedure }{ $legal_basis }. La { $prefecture } n'accepte ces demandes que sur rendez-vous pris sur son site internet, où aucune plage horaire n'est proposée.

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
desk-unknown-kind = lettre inconnue « { $kind } » : email, lrar, ddd ou refere
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
