## /letter: the letters are in French (they go to French institutions); what surrounds them is in your language.
letter-choose = Which letter do you need? It will be in French, filled in with your profile, your tries and the robot's figures.
letter-kind-email = Email to the prefecture
letter-kind-lrar = Registered letter to the prefecture
letter-kind-ddd = Request to the Défenseur des droits
letter-kind-refere = Draft court request (référé « mesures utiles »)
letter-about-email = An email to the prefecture's foreigners' service, asking for an appointment or another way to file. Send it to the address on the prefecture's website; keep a copy of what you send: it is a try of its own (record it with /tried). You can send it again every few days.
letter-about-lrar = A registered letter with acknowledgement of receipt (lettre recommandée avec accusé de réception) to the prefecture: print it, sign it, attach the listed documents, and send it from a post office. Keep the receipt and record its number with /tried: it is strong proof.
letter-about-ddd = A request to the Défenseur des droits, an independent authority that can step in with the prefecture. Send it through its online form or to its local delegate, with your proof. It is free.
letter-about-refere = A draft request to the administrative court (référé « mesures utiles », article L. 521-3 of the code de justice administrative), asking the judge to order the prefecture to give you an appointment. Courts usually want two to three months of tries (one to two for a renewal). It is filed with the court's registry, or online.
letter-draft = This is a draft: have it checked by an association's legal help desk (La Cimade, Gisti, a local association) or by a lawyer before sending it. Legal aid (aide juridictionnelle) can pay for a lawyer if your income is low.
letter-missing = Some parts are marked [à compléter …]: fill them in by hand, or give them with /profile and ask for the letter again.
letter-mailto = To open it in your email app: { $link }
letter-no-watch = A letter is about a prefecture and a procedure: watch one first with /watch, then ask again.
letter-which-watch = A letter is about one watch. Which one?
letter-says-email = What it says: you introduce yourself, tell the { $prefecture } you cannot get an appointment, list { PLURAL($tries) ->
        [one] your try
       *[other] your { $tries } tries
    } and the robot's figures, and ask for an appointment or another way to file your request.
letter-says-lrar = What it says: addressed to the { $prefecture }, it lists { PLURAL($tries) ->
        [one] your try
       *[other] your { $tries } tries
    } and the robot's figures, asks for an appointment or another way to file your request, and says that otherwise you may go to the judge.
letter-says-ddd = What it says: you explain to the Défenseur des droits that the { $prefecture } gives you no appointment, with { PLURAL($tries) ->
        [one] your try
       *[other] your { $tries } tries
    } and the robot's figures, and ask them to step in. Online form: https://formulaire.defenseurdesdroits.fr/
letter-says-refere = What it says: you ask the urgent-applications judge of the { $court } to order the prefect ({ $prefecture }) to give you an appointment within fifteen days, showing the urgency, { PLURAL($tries) ->
        [one] your try
       *[other] your { $tries } tries
    } and the robot's figures.
letter-mailto-no-address = I do not know this service's email address yet: find it on the prefecture's website, then paste the attached text into your email app.
