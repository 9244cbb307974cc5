## /tried: سجل محاولات الشخص، محفوظ كدليل له.
tried-ask = ماذا جربتم؟ أحفظه مؤرخًا كدليل لكم (تطلب المحاكم محاولات كثيرة على مدى أسابيع).
tried-kind-web = موقع الحجز
tried-kind-email = بريد إلكتروني إلى المحافظة
tried-kind-letter = رسالة مضمونة
tried-kind-counter = زيارة إلى الشباك
tried-kind-phone = مكالمة هاتفية
tried-kind-anef = خطأ على منصة ANEF (الإيداع عبر الإنترنت)
tried-kind-ants = تواصل مع مركز اتصال المواطنين التابع لـANTS
tried-kind-helpdesk = زيارة نقطة الاستقبال الرقمي في المحافظة
tried-kind-form = إرسال استمارة طلب
tried-reference-ants = ما رقم التذكرة الذي أعطاكم إياه مركز اتصال المواطنين التابع لـANTS؟ (رقمه: { $phone }.)
tried-reference-form = ما مرجع الاستمارة التي أرسلتموها (في إشعار الاستلام)؟
tried-reference-invalid = المرجع لا يحتوي إلا على حروف وأرقام ومسافات و- / _ . ، بحد أقصى { $limit }. اكتبوه مجددًا.
tried-list-button = محاولاتي
tried-letter-number = ما رقم الرسالة (على وصل الإيداع من البريد)؟
tried-letter-invalid = رقم الرسالة حروف وأرقام ومسافات فقط، { $limit } على الأكثر. اكتبوه مجددًا.
tried-details = يمكنكم إضافة ملاحظة، أو لقطة شاشة أو صورة، أو وثيقة PDF؛ أو اضغطوا «حفظ».
tried-save-button = حفظ
tried-saved = تم الحفظ في { $time } (بتوقيت باريس): { $what }. بصمة الدليل: { $hash }
tried-saved-file = يُحفظ الملف مرة واحدة، مع بصمته SHA-256: { $file }
tried-file-short = ملف { $file }…
tried-file-too-large = حجم هذا الملف { $size } ميغابايت؛ أحفظ الملفات حتى { $limit } ميغابايت. لم يُحفظ شيء: أرسلوا ملفًا أصغر، أو اضغطوا «حفظ».
tried-file-type = أحفظ الصور ولقطات الشاشة (JPEG وPNG وWebP وHEIF) ووثائق PDF فقط. لم يُحفظ شيء.
tried-file-failed = لم أتمكن من استلام هذا الملف. أرسلوه مجددًا من فضلكم.
tried-file-unexpected = لحفظ هذا الملف كدليل، اكتبوا أولًا /tried وقولوا ماذا جربتم.
tried-list-empty = لم تسجلوا أي محاولة بعد. اكتبوا /tried بعد كل محاولة.
tried-list-header = { PLURAL($count) ->
    [one] محاولتكم (بتوقيت باريس):
    [two] محاولتاكم (بتوقيت باريس):
    [few] محاولاتكم الـ{ $count } (بتوقيت باريس):
    [many] محاولاتكم الـ{ $count } (بتوقيت باريس):
   *[other] محاولاتكم الـ{ $count } (بتوقيت باريس):
}
tried-list-line = رقم { $id } — { $time } — { $what } { $details } [{ $hash }]
tried-list-check = رقم { $id } — { $time } — تحقق عبر الروبوت بالرمز الذي كتبتموه، { $place }: { $result }
tried-remove-button = حذف رقم { $id }
tried-removed = «{ $what }» بتاريخ { $time } معلّمة كمحذوفة. والحذف نفسه مسجل في سجلكم.

## محاولات الشخص مقارنةً بما تطلبه المحاكم عادة.
tried-readiness = { PLURAL($weeks) ->
    [zero] أقل من أسبوع من المحاولات:
    [one] أسبوع واحد من المحاولات:
    [two] أسبوعان من المحاولات:
    [few] { $weeks } أسابيع من المحاولات:
   *[other] { $weeks } أسبوعًا من المحاولات:
} { PLURAL($tries) ->
    [zero] لا محاولة
    [one] محاولة واحدة
    [two] محاولتان
    [few] { $tries } محاولات
   *[other] { $tries } محاولة
} في { PLURAL($days) ->
    [zero] لا يوم
    [one] يوم واحد
    [two] يومين مختلفين
    [few] { $days } أيام مختلفة
   *[other] { $days } يومًا مختلفًا
}، في { PLURAL($hours) ->
    [zero] لا ساعة
    [one] ساعة واحدة من اليوم
    [two] ساعتين مختلفتين
    [few] { $hours } ساعات مختلفة
   *[other] { $hours } ساعة مختلفة
}. تطلب المحاكم عادة من { $min } إلى { $max } أشهر من المحاولات، من { $rate_min } إلى { $rate_max } في الأسبوع، في أوقات مختلفة.
tried-readiness-until = واصلوا حتى { $until } تقريبًا.
tried-readiness-rate = حاولوا أكثر: أنتم عند { $rate } في الأسبوع.
tried-readiness-enough = محاولاتكم تغطي ما تطلبه المحاكم عادة: تحدثوا مع جمعية أو محامٍ عن دعوى استعجالية.
tried-readiness-context = تحققات الروبوت من صفحاتكم محسوبة على حدة: هي السياق، ومحاولاتكم هي دليلكم أنتم.
tried-readiness-weeks = تقع محاولاتكم في { PLURAL($weeks) ->
    [zero] لا أسبوع
    [one] أسبوع واحد
    [two] أسبوعين مختلفين
    [few] { $weeks } أسابيع مختلفة
   *[other] { $weeks } أسبوعًا مختلفًا
}. بالنسبة لـ ANEF والطلبات عبر الإنترنت أيضًا، تنتظر المحاكم محاولات موزعة على عدة أسابيع: اعتبر مجلس الدولة أربع لقطات شاشة أُخذت في خمسة أيام غير كافية (CE، 10 يونيو 2020، رقم 435594).
