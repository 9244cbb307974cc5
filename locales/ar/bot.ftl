# Guichet — الرسائل بالعربية.
# للأعداد، استعملوا PLURAL($n) للاختيار بين الصيغ (انظر src/i18n.rs).

language-name = العربية

welcome = مرحبًا! أراقب لكم مواعيد المحافظة (البريفكتور) وأكتب إليكم فور ظهور موعد شاغر. لا أحجز أبدًا بدلًا منكم.
choose-language = بأي لغة تريدون المتابعة؟
language-set = اللغة المختارة: { $language }.

ask-departement = في أي مقاطعة (département) تقيمون؟ اكتبوا رقمها (مثلًا 93) أو اسمها.
departement-several = هناك عدة مقاطعات مطابقة. أيّها مقاطعتكم؟
departement-unknown = لم أجد مقاطعة باسم «{ $input }». اكتبوا رقمًا (من 01 إلى 95، أو 2A أو 2B، أو من 971 إلى 976) أو اسمًا، مثل «Seine-Saint-Denis».

ask-procedure = { $departement }: لأي إجراء تبحثون عن موعد؟
no-online-booking = بالنسبة لـ«{ $procedure }» في { $departement }، لا أعرف حجزًا إلكترونيًا يمكن مراقبته. استعلموا لدى المحافظة أو لدى جمعية. يمكنكم اختيار إجراء آخر:

confirm-subscription = سأراقب «{ $procedure }» ({ $departement }) في { $places } { PLURAL($count) ->
    [one] (صفحة حجز واحدة).
    [two] (صفحتا حجز).
    [few] ({ $count } صفحات حجز).
    [many] ({ $count } صفحةَ حجز).
   *[other] ({ $count } صفحة حجز).
} سأكتب إليكم فور ظهور موعد. هل أبدأ؟
option-yes = نعم، راقِب
option-no = لا، إلغاء
subscription-cancelled = حسنًا، لن أراقب شيئًا جديدًا. اكتبوا /start للبدء من جديد.
subscribed = تم: أراقب الآن «{ $procedure }». أتحقق { PLURAL($minutes) ->
    [one] كل دقيقة تقريبًا
    [two] كل دقيقتين تقريبًا
    [few] كل { $minutes } دقائق تقريبًا
    [many] كل { $minutes } دقيقةً تقريبًا
   *[other] كل { $minutes } دقيقة تقريبًا
} وأكتب إليكم فور ظهور موعد. الأمر /status يعرض حال كل متابعة، و/stop يوقفها.

stop-which = أي متابعة تريدون إيقافها؟
option-stop-all = كل متابعاتي
stopped-one = أُوقفت المتابعة: { $subscription }.
stopped-none = لم تكن هناك أي متابعة جارية.
stopped-all = { PLURAL($count) ->
    [one] أُوقفت متابعتكم.
    [two] أُوقفت متابعتاكم الاثنتان.
    [few] أُوقفت { $count } متابعات.
    [many] أُوقفت { $count } متابعةً.
   *[other] أُوقفت { $count } متابعة.
}

status-none = لا تتابعون أي إجراء حاليًا. اكتبوا /start للبدء.
status-header = { PLURAL($count) ->
    [one] متابعتكم:
    [two] متابعتاكم:
    [few] متابعاتكم ({ $count }):
    [many] متابعاتكم ({ $count }):
   *[other] متابعاتكم ({ $count }):
}
status-last-success = آخر تحقق ناجح: { $time } (بتوقيت باريس) — { $result }.
status-never = لم يتم التحقق بعد: أول تحقق خلال دقائق.
target-not-probed = { $place }: لا أستطيع بعدُ التحقق من موقع الحجز هذا تلقائيًا (رمز أمان أو مسار آخر). تحققوا منه بأنفسكم: { $url }
status-last-failure = آخر محاولة: { $time } — { $problem }. هذا لا يعني أنه لا يوجد موعد.
result-slots = { PLURAL($count) ->
    [zero] لا مواعيد
    [one] موعد واحد، يوم { $first }
    [two] موعدان، ابتداءً من { $first }
    [few] { $count } مواعيد، ابتداءً من { $first }
    [many] { $count } موعدًا، ابتداءً من { $first }
   *[other] { $count } موعد، ابتداءً من { $first }
}
result-no-slot = لا يوجد موعد شاغر
problem-captcha = الموقع يطلب رمز أمان (كابتشا)
problem-blocked = الموقع رفض زيارتنا
problem-maintenance = الموقع في صيانة
problem-changed = تغيّرت الصفحة، وعلى أحد المسؤولين التحقق منها
problem-error = لم يُجب الموقع بشكل صحيح

alert = 🔔 مواعيد متاحة: { $procedure }
    { $place } ({ $departement })
    { $dates }
    للحجز: { $url }
    شوهدت في { $seen } (بتوقيت باريس). المواعيد تنفد غالبًا في دقائق: أسرعوا.
alert-dates-one = أول تاريخ: { $first }
alert-dates-two = أول التواريخ: { $first }، ثم { $second }

help = أراقب لكم مواعيد المحافظة.
    /start — اختيار محافظة وإجراء للمراقبة
    /watch — مراقبة إجراء آخر
    /status — متابعاتكم وآخر تحقق لكل منها
    /stop — إيقاف متابعة أو كل المتابعات
    /lang — تغيير اللغة
    /help — هذه المساعدة
    لا أحجز أبدًا بدلًا منكم ولا أملأ أي كابتشا: أنتم من يحجز.
unknown-command = لا أعرف الأمر /{ $command }. اكتبوا /help لمعرفة ما أستطيع فعله.
input-too-long = رسالتكم طويلة جدًا (عدد الأحرف: { $length }، والحد الأقصى: { $limit }). اكتبوا نصًا أقصر من فضلكم.
input-empty = لم يصلني أي نص.
choice-expired = هذا الزر لم يعد صالحًا.
choose-an-option = اختاروا إحدى الإجابات المقترحة، أو اكتبوا رقمها.
idle-hint = اكتبوا /start لمراقبة إجراء، أو /status لرؤية متابعاتكم، أو /help.

departement-in-region = { $region }: أي مقاطعة؟
group-welcome = مرحبًا! في هذه المجموعة، يختار المشرفون بالأمر /watch الإجراءات التي تُراقَب، وأكتب هنا فور ظهور موعد. الأمر /status يعرض متابعات المجموعة. للمساعدة الشخصية، راسلوني على الخاص: لا أطلب أبدًا أي معلومة شخصية في مجموعة.
group-admins-only = وحدهم مشرفو المجموعة يستطيعون تغيير ما تراقبه المجموعة. لمتابعتكم الخاصة، راسلوني على الخاص.
button-private-chat = مراسلة البوت على الخاص

command-start = البدء: اختيار اللغة والمحافظة والإجراء
command-watch = مراقبة إجراء
command-unwatch = إيقاف متابعة
command-status = متابعاتكم وآخر تحقق
command-stop = إيقاف متابعة أو كل المتابعات
command-lang = تغيير اللغة
command-help = مساعدة

matrix-undecryptable = لم أستطع فك تشفير رسالتكم (لم تصلني مفاتيح التشفير بعد). هل يمكنكم إرسالها مرة أخرى؟

demo-banner = عرض تجريبي لـGuichet: محافظة محاكاة تعمل على { $address }. اكتبوا كما في تطبيق مراسلة؛ اكتبوا /start للبدء، ورقمًا لاختيار خيار، وCtrl-D للخروج.
