# Les démarches, telles que les personnes les nomment.
procedure-first-permit = Première demande de titre de séjour
procedure-renewal = Renouvellement de titre de séjour
procedure-aes = Admission exceptionnelle au séjour
procedure-handover = Remise d'un titre de séjour
procedure-status-change = Changement de statut
procedure-naturalisation = Naturalisation
procedure-minor-travel = Document de circulation pour étranger mineur
procedure-refugee-travel = Titre de voyage pour réfugié
procedure-situation-change = Changement de situation (adresse, état civil)
procedure-asylum = Enregistrement d'une demande d'asile
procedure-student = Titre de séjour étudiant (première demande ou renouvellement)
procedure-talent = Titre « passeport talent »
procedure-visitor = Titre de séjour visiteur
procedure-protection = Titre de séjour de réfugié ou de bénéficiaire de la protection subsidiaire
procedure-eu-family = Titre de séjour de membre de famille d'un citoyen de l'UE
procedure-family-of-french = Titre de séjour de conjoint, parent ou enfant de Français
procedure-seasonal = Titre de séjour travailleur saisonnier
