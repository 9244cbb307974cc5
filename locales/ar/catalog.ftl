# الإجراءات، كما يسمّيها الناس.
procedure-first-permit = طلب أول لبطاقة الإقامة
procedure-renewal = تجديد بطاقة الإقامة
procedure-aes = القبول الاستثنائي للإقامة (admission exceptionnelle au séjour)
procedure-handover = استلام بطاقة الإقامة
procedure-status-change = تغيير نوع بطاقة الإقامة (changement de statut، مثلًا من طالب إلى أجير)
procedure-naturalisation = التجنيس
procedure-minor-travel = وثيقة تنقل للقاصر الأجنبي (DCEM)
procedure-refugee-travel = وثيقة سفر للاجئ
procedure-situation-change = تحديث بيانات البطاقة بعد تغيّر العنوان أو الحالة المدنية
procedure-asylum = تسجيل طلب لجوء
procedure-student = بطاقة إقامة طالب (طلب أول أو تجديد)
procedure-talent = بطاقة « passeport talent »
procedure-visitor = بطاقة إقامة زائر
procedure-protection = بطاقة إقامة لاجئ أو مستفيد من الحماية الفرعية
procedure-eu-family = بطاقة إقامة فرد من عائلة مواطن من الاتحاد الأوروبي
procedure-family-of-french = بطاقة إقامة زوج أو والد أو ابن مواطن فرنسي
procedure-seasonal = بطاقة إقامة عامل موسمي
