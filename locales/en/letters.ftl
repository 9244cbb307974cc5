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
# The court of a référé when the catalog does not name it: « of the … ».
letter-court-unknown = competent administrative court (the one of the prefecture's département)
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
## The letters of an ANEF case: a procedure in a département, without a booking page.
letter-kind-anef-paper = ANEF: ask to file on paper
letter-kind-api = ANEF: ask for the attestation (API)
letter-kind-refere-anef = ANEF: draft court request (référé « mesures utiles »)
letter-kind-ddd-anef = ANEF: request to the Défenseur des droits
letter-about-anef-paper = A letter to the prefecture when you cannot file your request on ANEF: it asks to file it on paper or at a counter, which the law allows since a decision of the Conseil d'État in 2022. It rests on your tries: record with /tried every ANEF error (with a screenshot), every contact with the ANTS contact centre (Centre de contact citoyen, { $phone }) with its ticket number, and every visit to the prefecture's digital help desk (point d'accueil numérique), over several weeks. Send it by registered letter with acknowledgement of receipt or by email, and keep proof that you sent it.
letter-about-api = A letter to the prefecture asking for the attestation de prolongation d'instruction (API), or for its renewal if yours is ending: ANEF's filing confirmation does not prove that you stay lawfully, the attestation does, for three months, and it is renewed. Give the date and number of your filing with /profile, and the end date of your attestation if you have one. Send it by registered letter with acknowledgement of receipt or by email, and record it with /tried.
letter-about-refere-anef = A draft request to the administrative court (référé « mesures utiles », article L. 521-3 of the code de justice administrative) for an ANEF case: the judge can order the prefecture to unblock your account, to issue the attestation, or to give you an appointment to file on paper. The judge looks at your tries: tries spread over several weeks weigh more than a few screenshots taken within a few days. Write to the prefecture first (the ANEF letters above). It is filed with the court's registry, or online.
letter-about-ddd-anef = A request to the Défenseur des droits for an ANEF case: this independent authority can step in with the prefecture, after a first step of yours with it (a letter, an email, a form, a visit: record it with /tried). Send it through its online form or to its local delegate, with your proof. It is free.
letter-says-anef-paper = What it says: addressed to the { $prefecture }, it explains that you cannot use ANEF, lists { PLURAL($tries) ->
        [one] your try
       *[other] your { $tries } tries
    }, recalls the Conseil d'État's decision of 3 June 2022 and the arrêté of 1 August 2023, and asks to file your request on paper or at a counter.
letter-says-api = What it says: addressed to the { $prefecture }, it gives the date and number of your online filing, recalls that a filing confirmation does not prove lawful stay (article R. 431-15-1 CESEDA), says what you stand to lose (your job, your benefits) and asks for the attestation or its renewal.
letter-says-refere-anef = What it says: you ask the urgent-applications judge of the { $court } to order the prefect ({ $prefecture }), within fifteen days, to unblock your ANEF account, to issue the attestation or else to give you an appointment to file on paper, showing the urgency and { PLURAL($tries) ->
        [one] your try
       *[other] your { $tries } tries
    }.
letter-says-ddd-anef = What it says: you explain to the Défenseur des droits that your request is stuck on ANEF with the { $prefecture }, with { PLURAL($tries) ->
        [one] your try
       *[other] your { $tries } tries
    }, and ask them to step in; it cites their report of 11 December 2024 on ANEF. Online form: https://formulaire.defenseurdesdroits.fr/
letter-no-path = A letter for an ANEF case is about your procedure in your département: choose it first with /start, then ask for the letter again.
letter-not-anef = Your procedure is not filed on ANEF in your département: the ANEF letters do not fit it. /deadlines counts the days since you sent your request.
letter-silence-over = Your request was filed on { $filed }: since { $date }, four months have passed without an answer, and this silence can count as an implicit refusal. That can change which appeal to make, within short time limits: show it quickly to an association or a lawyer.
