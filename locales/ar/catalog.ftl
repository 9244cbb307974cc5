# الإجراءات، كما يسمّيها الناس.
procedure-first-permit = طلب أول لبطاقة الإقامة
procedure-renewal = تجديد بطاقة الإقامة
procedure-aes = القبول الاستثنائي للإقامة (admission exceptionnelle au séjour)
procedure-handover = استلام بطاقة الإقامة
procedure-status-change = تغيير الوضعية
procedure-naturalisation = التجنيس
procedure-minor-travel = وثيقة تنقل للقاصر الأجنبي (DCEM)
procedure-refugee-travel = وثيقة سفر للاجئ
procedure-situation-change = تغيير الوضع (العنوان، الحالة المدنية)
procedure-asylum = تسجيل طلب لجوء
