# Guichet — la commande /target des opérateurs, et d'où viennent les pages de réservation non confirmées.

operator-usage = Commandes du catalogue (opérateurs seulement) :
    /target add <département> <démarche> <adresse https> [place=… planning=… source=… source_locator=… source_date=AAAA-MM-JJ confidence=… system=… id=…]
    /target edit <id> <champ>=<valeur> …
    /target disable <id>
    /target list <département>
    /target way <démarche> <département ou all> <anef|form|booking|prefecture|spada> <URL https> [source=…]
operator-added = Ajouté { $id } : { $procedure } — { $place } ({ $departement }), formulaire { $system } { $form }. Fiabilité : { $confidence }. Page : { $url }
operator-edited = Modifié { $id } : { $procedure } — { $place } ({ $departement }), formulaire { $system } { $form }. Fiabilité : { $confidence }. Page : { $url }
operator-disabled = Désactivé { $id } ({ $procedure } — { $place }) : il n'est plus proposé ni vérifié.
operator-list-header = Pages de réservation dans le { $departement } : { $count }
operator-list-disabled = désactivée
operator-refused-host = Refusé : l'hôte { $host } n'est pas dans la liste des hôtes de réservation autorisés ({ $setting } dans les réglages : { $allowed }).
operator-refused-not-url = Refusé : { $url } n'est pas une adresse web.
operator-refused-not-https = Refusé : { $url } n'est pas une adresse https://.
operator-refused-credentials = Refusé : { $url } contient un nom d'utilisateur ou un mot de passe.
operator-refused-ip = Refusé : { $url } désigne une adresse IP, pas un nom d'hôte.
operator-refused-port = Refusé : { $url } indique un port ; les pages de réservation sont sur le port https habituel.
operator-unknown-departement = Refusé : il n'y a pas de département { $departement } (un code comme 93, 2A ou 971).
operator-unknown-procedure = Refusé : il n'y a pas de démarche { $procedure } (démarches : { $known }).
operator-unknown-system = Refusé : je ne reconnais pas le système de réservation de { $url }. Indiquez system=ezbooking, pprdv, rdvpref, eappointment ou orion, avec une adresse qui nomme le formulaire comme ce système le fait.
operator-unknown-target = Refusé : il n'y a pas de page de réservation { $id }.
operator-unknown-field = Refusé : il n'y a pas de champ { $field } (champs : { $known }).
operator-invalid = Refusé, rien n'a été changé : { $reason }

# Montré aux personnes pour une page de réservation dont la fiabilité n'est pas « confirmée ».
provenance-unconfirmed = { $place } : cette page de réservation n'est pas confirmée. Où elle a été vue : { $source } ({ $date }). Fiabilité : { $confidence }. Vérifiez la page vous-même : { $url }
provenance-undated = sans date
confidence-confirmed = vérifiée sur la page de réservation elle-même
confidence-code = vue dans un logiciel qui utilisait cette page
confidence-doc = vue dans une documentation qui cite cette page
confidence-page = vue sur le site de la préfecture
confidence-unverified = signalée de seconde main, pas encore vérifiée par une personne

operator-way-set = La voie de « { $procedure } » dans { $departement } est désormais { $way } : { $url } . Les personnes qui la choisissent en sont informées aussitôt.
operator-way-everywhere = tous les départements
