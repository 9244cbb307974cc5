# Guichet — ce que les opérateurs voient de chaque hôte de réservation sous /status. Les demandeurs ne le voient jamais.

hosts-header = Hôtes de réservation (opérateurs seulement), { $count } connus :
hosts-none = Hôtes de réservation (opérateurs seulement) : aucun interrogé pour l'instant.
hosts-line = { $host } : { $state }. Dernière réponse : { $status }. Refus d'affilée : { $refusals }.
hosts-state-free = peut être interrogé (au moins { $gap } s entre deux requêtes)
hosts-state-probing = une vérification est en cours
hosts-state-retry-after = il nous a demandé d'attendre (Retry-After), encore { $minutes } min ; aucune de ses pages n'est vérifiée d'ici là
hosts-state-backoff = il nous a refusés, nous patientons encore { $minutes } min ; aucune de ses pages n'est vérifiée d'ici là
hosts-no-answer = aucune pour l'instant
