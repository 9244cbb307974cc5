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
procedure-student = Student permit (first or renewal)
procedure-talent = « Passeport talent » permit
procedure-visitor = Visitor permit
procedure-protection = Permit of a refugee or beneficiary of subsidiary protection
procedure-eu-family = Permit of a family member of an EU citizen
procedure-family-of-french = Permit of a spouse, parent or child of a French national
procedure-seasonal = Seasonal worker permit
