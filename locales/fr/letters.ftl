## /letter : les lettres sont en français (elles vont à des institutions françaises) ; ce qui les entoure est dans votre langue.
letter-choose = De quelle lettre avez-vous besoin ? Elle sera en français, remplie avec votre profil, vos démarches et les chiffres du robot.
letter-kind-email = Courriel à la préfecture
letter-kind-lrar = Lettre recommandée à la préfecture
letter-kind-ddd = Saisine du Défenseur des droits
letter-kind-refere = Projet de référé « mesures utiles »
letter-about-email = Un courriel au service des étrangers de la préfecture, pour demander un rendez-vous ou un autre moyen de déposer votre demande. Envoyez-le à l'adresse indiquée sur le site de la préfecture ; gardez une copie de l'envoi : c'est une démarche en soi (notez-la avec /tried). Vous pouvez le renvoyer tous les quelques jours.
letter-about-lrar = Une lettre recommandée avec accusé de réception à la préfecture : imprimez-la, signez-la, joignez les pièces listées et envoyez-la depuis un bureau de poste. Gardez la preuve de dépôt et notez son numéro avec /tried : c'est une preuve forte.
letter-about-ddd = Une saisine du Défenseur des droits, autorité indépendante qui peut intervenir auprès de la préfecture. Envoyez-la par son formulaire en ligne ou à son délégué local, avec vos preuves. C'est gratuit.
letter-about-refere = Un projet de requête au tribunal administratif (référé « mesures utiles », article L. 521-3 du code de justice administrative), pour demander au juge d'ordonner à la préfecture de vous donner un rendez-vous. Les tribunaux demandent en général deux à trois mois de démarches (un à deux pour un renouvellement). La requête se dépose au greffe du tribunal, ou en ligne.
# The court of a référé when the catalog does not name it: « du … ».
letter-court-unknown = tribunal administratif compétent (celui du département de la préfecture)
letter-draft = Ceci est un projet : faites-le relire par la permanence juridique d'une association (La Cimade, Gisti, une association locale) ou par un avocat avant de l'envoyer. L'aide juridictionnelle peut payer un avocat si vos revenus sont faibles.
letter-missing = Certaines parties sont marquées [à compléter …] : remplissez-les à la main, ou donnez-les avec /profile et redemandez la lettre.
letter-mailto = Pour l'ouvrir dans votre messagerie : { $link }
letter-no-watch = Une lettre porte sur une préfecture et une démarche : suivez-en une d'abord avec /watch, puis redemandez.
letter-which-watch = Une lettre porte sur un seul suivi. Lequel ?
letter-says-email = Ce qu'il dit : vous vous présentez, vous écrivez à la { $prefecture } que vous n'obtenez pas de rendez-vous, vous listez { PLURAL($tries) ->
        [one] votre démarche
       *[other] vos { $tries } démarches
    } et les chiffres du robot, et vous demandez un rendez-vous ou un autre moyen de déposer votre demande.
letter-says-lrar = Ce qu'elle dit : adressée à la { $prefecture }, elle liste { PLURAL($tries) ->
        [one] votre démarche
       *[other] vos { $tries } démarches
    } et les chiffres du robot, demande un rendez-vous ou un autre moyen de déposer votre demande, et annonce qu'à défaut vous pourrez saisir le juge.
letter-says-ddd = Ce qu'elle dit : vous expliquez au Défenseur des droits que la { $prefecture } ne vous donne pas de rendez-vous, avec { PLURAL($tries) ->
        [one] votre démarche
       *[other] vos { $tries } démarches
    } et les chiffres du robot, et vous lui demandez d'intervenir. Formulaire en ligne : https://formulaire.defenseurdesdroits.fr/
letter-says-refere = Ce qu'elle dit : vous demandez au juge des référés du { $court } d'ordonner au préfet ({ $prefecture }) de vous donner un rendez-vous sous quinze jours, en montrant l'urgence, { PLURAL($tries) ->
        [one] votre démarche
       *[other] vos { $tries } démarches
    } et les chiffres du robot.
letter-mailto-no-address = Je ne connais pas encore l'adresse de courriel de ce service : cherchez-la sur le site de la préfecture, puis copiez le texte joint dans votre messagerie.
## Les lettres d'un dossier ANEF : une démarche dans un département, sans page de réservation.
letter-kind-anef-paper = ANEF : demander à déposer sur papier
letter-kind-api = ANEF : demander l'attestation (API)
letter-kind-refere-anef = ANEF : projet de référé « mesures utiles »
letter-kind-ddd-anef = ANEF : saisine du Défenseur des droits
letter-about-anef-paper = Une lettre à la préfecture quand vous n'arrivez pas à déposer votre demande sur l'ANEF : elle demande à la déposer sur papier ou au guichet, ce que le droit permet depuis une décision du Conseil d'État de 2022. Elle s'appuie sur vos démarches : notez avec /tried chaque erreur de l'ANEF (avec une capture d'écran), chaque contact avec le Centre de contact citoyen de l'ANTS ({ $phone }) avec son numéro de ticket, et chaque visite au point d'accueil numérique de la préfecture, sur plusieurs semaines. Envoyez-la en recommandé avec accusé de réception ou par courriel, et gardez la preuve de l'envoi.
letter-about-api = Une lettre à la préfecture pour demander l'attestation de prolongation d'instruction (API), ou son renouvellement si la vôtre prend fin : la confirmation de dépôt de l'ANEF ne prouve pas que votre séjour est régulier, l'attestation le prouve pendant trois mois et se renouvelle. Donnez avec /profile la date et le numéro de votre dépôt, et la date de fin de votre attestation si vous en avez une. Envoyez-la en recommandé avec accusé de réception ou par courriel, et notez l'envoi avec /tried.
letter-about-refere-anef = Un projet de requête au tribunal administratif (référé « mesures utiles », article L. 521-3 du code de justice administrative) pour un dossier ANEF : le juge peut ordonner à la préfecture de débloquer votre compte, de vous délivrer l'attestation ou de vous donner un rendez-vous pour déposer sur papier. Il regarde vos démarches : des essais répartis sur plusieurs semaines pèsent plus que quelques captures d'écran en quelques jours. Écrivez d'abord à la préfecture (les lettres ANEF ci-dessus). La requête se dépose au greffe du tribunal, ou en ligne.
letter-about-ddd-anef = Une saisine du Défenseur des droits pour un dossier ANEF : cette autorité indépendante peut intervenir auprès de la préfecture, après une première démarche de votre part auprès d'elle (une lettre, un courriel, un formulaire, une visite : notez-la avec /tried). Envoyez-la par son formulaire en ligne ou à son délégué local, avec vos preuves. C'est gratuit.
letter-says-anef-paper = Ce qu'elle dit : adressée à la { $prefecture }, elle explique que vous ne pouvez pas utiliser l'ANEF, liste { PLURAL($tries) ->
        [one] votre démarche
       *[other] vos { $tries } démarches
    }, rappelle la décision du Conseil d'État du 3 juin 2022 et l'arrêté du 1er août 2023, et demande à déposer votre demande sur papier ou au guichet.
letter-says-api = Ce qu'elle dit : adressée à la { $prefecture }, elle donne la date et le numéro de votre dépôt en ligne, rappelle que la confirmation de dépôt ne prouve pas un séjour régulier (article R. 431-15-1 du CESEDA), dit ce que vous risquez (votre emploi, vos prestations) et demande l'attestation ou son renouvellement.
letter-says-refere-anef = Ce qu'elle dit : vous demandez au juge des référés du { $court } d'ordonner au préfet ({ $prefecture }), sous quinze jours, de débloquer votre compte ANEF, de vous délivrer l'attestation ou, à défaut, de vous donner un rendez-vous pour déposer sur papier, en montrant l'urgence et { PLURAL($tries) ->
        [one] votre démarche
       *[other] vos { $tries } démarches
    }.
letter-says-ddd-anef = Ce qu'elle dit : vous expliquez au Défenseur des droits que votre demande n'avance pas sur l'ANEF auprès de la { $prefecture }, avec { PLURAL($tries) ->
        [one] votre démarche
       *[other] vos { $tries } démarches
    }, et vous lui demandez d'intervenir ; elle cite son rapport du 11 décembre 2024 sur l'ANEF. Formulaire en ligne : https://formulaire.defenseurdesdroits.fr/
letter-no-path = Une lettre pour un dossier ANEF porte sur votre démarche dans votre département : choisissez-la d'abord avec /start, puis redemandez la lettre.
letter-not-anef = Votre démarche ne se dépose pas sur l'ANEF dans votre département : les lettres ANEF ne s'y appliquent pas. /deadlines compte les jours depuis l'envoi de votre demande.
letter-silence-over = Votre demande a été déposée le { $filed } : depuis le { $date }, quatre mois ont passé sans réponse, et ce silence peut valoir refus implicite. Cela peut changer le recours à faire, dans des délais courts : montrez-le vite à une association ou à un avocat.
