# /stats : la version courte des statistiques de chaque suivi (classes de La Cimade).

stats-header = Statistiques de vos suivis (vérifications de ce mois et du précédent, heures de Paris). Vert : au moins deux dates dans le mois ; jaune : une date dans le mois ; orange : première date entre un et deux mois ; rouge : au-delà de deux mois ; noir : aucune date.
stats-month = { $month } : { PLURAL($total) ->
    [one] { $total } vérification réussie
   *[other] { $total } vérifications réussies
}, { $dated } % avec une date — vert { $vert } %, jaune { $jaune } %, orange { $orange } %, rouge { $rouge } %, noir { $noir } %. { PLURAL($failed) ->
    [one] { $failed } vérification échouée (bloquée, captcha, erreur…), comptée à part.
   *[other] { $failed } vérifications échouées (bloquées, captcha, erreur…), comptées à part.
}
stats-month-empty = { $month } : aucune vérification réussie ({ PLURAL($failed) ->
    [one] { $failed } échouée
   *[other] { $failed } échouées
}).
stats-appear = Les créneaux sont apparus le plus souvent vers { $hour }, le { $weekday } ({ PLURAL($releases) ->
    [one] { $releases } apparition observée
   *[other] { $releases } apparitions observées
}).
stats-appear-none = Aucune apparition de créneaux observée depuis le début du mois dernier.
