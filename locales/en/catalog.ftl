# Procedures, as people name them.
procedure-first-permit = First residence permit
procedure-renewal = Renewal of a residence permit
procedure-aes = Exceptional admission to residence (admission exceptionnelle au séjour)
procedure-handover = Collecting a residence permit
procedure-status-change = Change of status
procedure-naturalisation = Naturalisation
procedure-minor-travel = Travel document for a foreign minor (DCEM)
procedure-refugee-travel = Refugee travel document
procedure-situation-change = Change of situation (address, civil status)
procedure-asylum = Registering an asylum claim
