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
