# Guichet — أمر ‎/target‎ الخاص بالمشغّلين، ومصدر صفحات الحجز غير المؤكَّدة.

operator-usage = أوامر الفهرس (للمشغّلين فقط):
    /target add <المقاطعة> <الإجراء> <عنوان https> [place=… planning=… source=… source_locator=… source_date=YYYY-MM-DD confidence=… system=… id=…]
    /target edit <المعرّف> <الحقل>=<القيمة> …
    /target disable <المعرّف>
    /target list <المقاطعة>
    /target way <الإجراء> <المقاطعة أو all> <anef|form|booking|prefecture|spada> <رابط https> [source=…]
operator-added = أُضيفت { $id }: { $procedure } — { $place } ({ $departement })، استمارة { $system } رقم { $form }. درجة الثقة: { $confidence }. الصفحة: { $url }
operator-edited = عُدّلت { $id }: { $procedure } — { $place } ({ $departement })، استمارة { $system } رقم { $form }. درجة الثقة: { $confidence }. الصفحة: { $url }
operator-disabled = عُطّلت { $id } ({ $procedure } — { $place }): لن تُعرض على أحد ولن يتم التحقق منها بعد الآن.
operator-list-header = صفحات الحجز في المقاطعة { $departement }: { $count }
operator-list-disabled = معطّلة
operator-refused-host = مرفوض: المضيف { $host } ليس في قائمة مضيفي الحجز المسموح بهم ({ $setting } في الإعدادات: { $allowed }).
operator-refused-not-url = مرفوض: { $url } ليس عنوان ويب.
operator-refused-not-https = مرفوض: { $url } ليس عنوانًا يبدأ بـ https://.
operator-refused-credentials = مرفوض: { $url } يحتوي على اسم مستخدم أو كلمة مرور.
operator-refused-ip = مرفوض: { $url } يشير إلى عنوان IP وليس إلى اسم مضيف.
operator-refused-port = مرفوض: { $url } يحدّد منفذًا؛ صفحات الحجز على منفذ https المعتاد.
operator-unknown-departement = مرفوض: لا توجد مقاطعة { $departement } (رمز مثل 93 أو 2A أو 971).
operator-unknown-procedure = مرفوض: لا يوجد إجراء { $procedure } (الإجراءات: { $known }).
operator-unknown-system = مرفوض: لا أعرف نظام الحجز الخاص بـ { $url }. حدّدوا system=ezbooking أو pprdv أو rdvpref أو eappointment أو orion، مع عنوان يسمّي الاستمارة كما يفعل ذلك النظام.
operator-unknown-target = مرفوض: لا توجد صفحة حجز { $id }.
operator-unknown-field = مرفوض: لا يوجد حقل { $field } (الحقول: { $known }).
operator-invalid = مرفوض، لم يتغيّر شيء: { $reason }

# تُعرض على الأشخاص لصفحة حجز درجة الثقة فيها ليست «مؤكَّدة».
provenance-unconfirmed = { $place }: صفحة الحجز هذه غير مؤكَّدة. أين شوهدت: { $source } ({ $date }). درجة الثقة: { $confidence }. يُرجى التحقق من الصفحة بأنفسكم: { $url }
provenance-undated = بلا تاريخ
confidence-confirmed = تم التحقق منها على صفحة الحجز نفسها
confidence-code = شوهدت في برنامج كان يستخدم هذه الصفحة
confidence-doc = شوهدت في وثائق تذكر هذه الصفحة
confidence-page = شوهدت على موقع المحافظة
confidence-unverified = أُبلغ عنها من مصدر غير مباشر، ولم يتحقق منها أحد بعد

operator-way-set = صارت طريقة «{ $procedure }» في { $departement } الآن { $way }: { $url } . يُبلَّغ بذلك فورًا من يختاره.
operator-way-everywhere = كل المقاطعات
