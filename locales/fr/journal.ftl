## /tried : le journal des démarches de la personne, gardé comme sa preuve.
tried-ask = Qu'avez-vous tenté ? Je le garde, daté, comme votre preuve (les tribunaux demandent de nombreuses tentatives, sur plusieurs semaines).
tried-kind-web = Le site de réservation
tried-kind-email = Un courriel à la préfecture
tried-kind-letter = Une lettre recommandée
tried-kind-counter = Un passage au guichet
tried-kind-phone = Un appel téléphonique
tried-kind-anef = Une erreur sur l'ANEF (le dépôt en ligne)
tried-kind-ants = Un contact avec le Centre de contact citoyen de l'ANTS
tried-kind-helpdesk = Une visite au point d'accueil numérique de la préfecture
tried-kind-form = Un formulaire de demande envoyé
tried-reference-ants = Quel numéro de ticket le Centre de contact citoyen de l'ANTS vous a-t-il donné ? (Son numéro : { $phone }.)
tried-reference-form = Quelle est la référence du formulaire envoyé (dans son accusé de réception) ?
tried-reference-invalid = Une référence n'a que des lettres, des chiffres, des espaces et - / _ . , au plus { $limit }. Tapez-la à nouveau.
tried-list-button = Mes démarches
tried-letter-number = Quel est le numéro de la lettre (sur la preuve de dépôt de La Poste) ?
tried-letter-invalid = Un numéro de lettre ne contient que des lettres, des chiffres et des espaces, { $limit } au plus. Tapez-le à nouveau.
tried-details = Vous pouvez ajouter une note, une capture d'écran ou une photo, ou un document PDF ; ou touchez « Enregistrer ».
tried-save-button = Enregistrer
tried-saved = Enregistré le { $time } (heure de Paris) : { $what }. Son empreinte de preuve : { $hash }
tried-saved-file = Le fichier est gardé une seule fois, avec son SHA-256 : { $file }
tried-file-short = fichier { $file }…
tried-file-too-large = Ce fichier pèse { $size } Mo ; je garde les fichiers jusqu'à { $limit } Mo. Rien n'a été gardé : envoyez-en un plus petit, ou touchez « Enregistrer ».
tried-file-type = Je garde seulement les photos et captures d'écran (JPEG, PNG, WebP, HEIF) et les documents PDF. Rien n'a été gardé.
tried-file-failed = Je n'ai pas pu recevoir ce fichier. Envoyez-le à nouveau, s'il vous plaît.
tried-file-unexpected = Pour garder ce fichier comme preuve, tapez d'abord /tried et dites ce que vous avez tenté.
tried-list-empty = Vous n'avez encore noté aucune démarche. Tapez /tried après chacune.
tried-list-header = { PLURAL($count) ->
    [one] Votre démarche (heure de Paris) :
   *[other] Vos { $count } démarches (heure de Paris) :
}
tried-list-line = n° { $id } — { $time } — { $what } { $details } [{ $hash }]
tried-list-check = n° { $id } — { $time } — vérification par le robot avec votre code, { $place } : { $result }
tried-remove-button = Retirer n° { $id }
tried-removed = « { $what } » du { $time } est marquée retirée. Le retrait lui-même est noté dans votre journal.

## Les démarches de la personne au regard de ce que demandent les tribunaux.
tried-readiness = { $weeks ->
    [0] Moins d'une semaine de démarches :
   *[other] { PLURAL($weeks) ->
        [one] { $weeks } semaine de démarches :
       *[other] { $weeks } semaines de démarches :
    }
} { PLURAL($tries) ->
    [one] { $tries } démarche
   *[other] { $tries } démarches
} sur { PLURAL($days) ->
    [one] { $days } jour
   *[other] { $days } jours différents
}, à { PLURAL($hours) ->
    [one] { $hours } heure de la journée
   *[other] { $hours } heures différentes
}. Les tribunaux demandent en général { $min } à { $max } mois de démarches, { $rate_min } à { $rate_max } par semaine, à des moments différents.
tried-readiness-until = Continuez jusqu'au { $until } environ.
tried-readiness-rate = Essayez plus souvent : vous en êtes à { $rate } par semaine.
tried-readiness-enough = Vos démarches couvrent ce que demandent en général les tribunaux : parlez d'un référé à une association ou à un avocat.
tried-readiness-context = Les vérifications du robot sur vos pages sont comptées à part : elles sont le contexte, vos démarches sont votre propre preuve.
tried-readiness-weeks = Vos démarches tombent dans { $weeks ->
    [0] aucune semaine
    [1] une seule semaine
   *[other] { $weeks } semaines différentes
}. Pour l'ANEF et les demandes en ligne aussi, les tribunaux attendent des démarches réparties sur plusieurs semaines : le Conseil d'État a jugé insuffisantes quatre captures d'écran prises en cinq jours (CE, 10 juin 2020, n° 435594).
