<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar" sourcelanguage="en">
<context>
    <name>App</name>
    <message>
        <source>Unexpected error</source>
        <translation>خطأ غير متوقع</translation>
    </message>
    <message>
        <source>Something went wrong inside BoQ Estimator (a bug, not your mistake):

{exc}

Every completed edit is already saved. Please report this with the details below.

</source>
        <translation>حدث خلل داخل برنامج BoQ Estimator (علّة في البرنامج، وليس خطأً منك):

{exc}

كل تعديل أُنجز محفوظ مسبقاً. يرجى الإبلاغ عن هذا الخلل مع التفاصيل أدناه.

</translation>
    </message>
    <message>
        <source>Cannot create the sample programme</source>
        <translation>تعذّر إنشاء البرنامج التجريبي</translation>
    </message>
</context>
<context>
    <name>BackupsDialog</name>
    <message>
        <source>Restore backup — {name}</source>
        <translation>استعادة نسخة احتياطية — {name}</translation>
    </message>
    <message>
        <source>Backups are taken before a facility or bill is deleted, a work list is imported or a backup is restored; the newest {keep} are kept in {folder}.</source>
        <translation>تُؤخذ نسخة احتياطية قبل حذف منشأة أو قسم، وقبل استيراد قائمة أعمال أو استعادة نسخة احتياطية؛ ويُحتفظ بأحدث {keep} نسخة في {folder}.</translation>
    </message>
    <message>
        <source>No backups of this programme yet. </source>
        <translation>لا توجد نسخ احتياطية لهذا البرنامج بعد. </translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>وقت النسخ</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>السبب</translation>
    </message>
    <message>
        <source>Facilities</source>
        <translation>المنشآت</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>البنود</translation>
    </message>
    <message>
        <source>Grand total</source>
        <translation>المجموع الكلي</translation>
    </message>
    <message>
        <source>Open as a &amp;copy…</source>
        <translation>فتح &amp;كنسخة مستقلة…</translation>
    </message>
    <message>
        <source>&amp;Replace the current contents…</source>
        <translation>&amp;استبدال المحتوى الحالي…</translation>
    </message>
    <message>
        <source>Open backup as a copy</source>
        <translation>فتح النسخة الاحتياطية كنسخة مستقلة</translation>
    </message>
    <message>
        <source>{target} exists; choose a new name (nothing is written over a file)</source>
        <translation>الملف {target} موجود؛ اختر اسماً جديداً (لا يُكتب فوق أي ملف)</translation>
    </message>
    <message>
        <source>Replace with backup</source>
        <translation>الاستبدال بالنسخة الاحتياطية</translation>
    </message>
    <message>
        <source>Replace the whole contents of {name} with the backup taken {when:%Y-%m-%d %H:%M:%S} ({reason}; {facilities} facilities, {items} items, {total})?

The current state is backed up first, and Edit › Undo puts it back.</source>
        <translation>هل تريد استبدال كامل محتوى {name} بالنسخة الاحتياطية المأخوذة في {when:%Y-%m-%d %H:%M:%S} ({reason}؛ عدد المنشآت {facilities}، عدد البنود {items}، {total})؟

تُؤخذ نسخة احتياطية من الحالة الراهنة أولاً، ويعيدها الأمر تحرير › تراجع.</translation>
    </message>
    <message>
        <source>Restore backup of {when:%Y-%m-%d %H:%M}</source>
        <translation>استعادة النسخة الاحتياطية المأخوذة في {when:%Y-%m-%d %H:%M}</translation>
    </message>
    <message>
        <source>Restored the backup of {when:%Y-%m-%d %H:%M:%S}; Edit › Undo takes it back</source>
        <translation>استُعيدت النسخة الاحتياطية المأخوذة في {when:%Y-%m-%d %H:%M:%S}؛ يلغيها الأمر تحرير › تراجع</translation>
    </message>
</context>
<context>
    <name>BidsView</name>
    <message>
        <source>No bids added yet. Add the returned workbooks, or drop them here.</source>
        <translation>لم يُضف أي عرض بعد. أضف المصنفات المقدَّمة، أو أفلتها هنا.</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>مسح</translation>
    </message>
    <message>
        <source>Add bids…</source>
        <translation>إضافة عروض…</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>تقييم</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>Load evaluation…</source>
        <translation>تحميل تقييم…</translation>
    </message>
    <message>
        <source>Save evaluation…</source>
        <translation>حفظ التقييم…</translation>
    </message>
    <message>
        <source>Save CBA…</source>
        <translation>حفظ التحليل المقارن…</translation>
    </message>
    <message>
        <source>English</source>
        <translation>الإنكليزية</translation>
    </message>
    <message>
        <source>Arabic</source>
        <translation>العربية</translation>
    </message>
    <message>
        <source>English and Arabic</source>
        <translation>الإنكليزية والعربية</translation>
    </message>
    <message>
        <source>Committee: Name, role; Name, role (blank: lines to fill in)</source>
        <translation>اللجنة: الاسم، الصفة؛ الاسم، الصفة (فارغ: أسطر تُملأ باليد)</translation>
    </message>
    <message>
        <source>Why it was refused</source>
        <translation>سبب الرفض</translation>
    </message>
    <message>
        <source>Bidders</source>
        <translation>مقدمو العروض</translation>
    </message>
    <message>
        <source>Recommendation</source>
        <translation>التوصية</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>التقييم</translation>
    </message>
    <message>
        <source>abnormally low</source>
        <translation>منخفض بشكل غير طبيعي</translation>
    </message>
    <message>
        <source>Add returned bids</source>
        <translation>إضافة العروض المقدَّمة</translation>
    </message>
    <message>
        <source>Load the evaluation</source>
        <translation>تحميل التقييم</translation>
    </message>
    <message>
        <source>Evaluation file (*.csv)</source>
        <translation>ملف التقييم (*.csv)</translation>
    </message>
    <message>
        <source>Save the evaluation</source>
        <translation>حفظ التقييم</translation>
    </message>
    <message>
        <source>The evaluation failed: {reason}</source>
        <translation>تعذّر التقييم: {reason}</translation>
    </message>
    <message>
        <source>Refused ({count})</source>
        <translation>العروض المرفوضة ({count})</translation>
    </message>
    <message>
        <source>{count} bid(s) on {revision}</source>
        <translation>عدد العروض على {revision}: {count}</translation>
    </message>
    <message>
        <source>Lot {number}: {name} (engineer&apos;s estimate {amount} {currency})</source>
        <translation>الحصة {number}: {name} (الكلفة التقديرية للمهندس {amount} {currency})</translation>
    </message>
    <message>
        <source>Lot {number} ({bids})</source>
        <translation>الحصة {number} ({bids})</translation>
    </message>
    <message>
        <source>Save the comparative bid analysis</source>
        <translation>حفظ التحليل المقارن للعروض</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;PDF (*.pdf)</source>
        <translation>مصنف Excel (*.xlsx);;PDF (*.pdf)</translation>
    </message>
    <message>
        <source>{count} bid(s): {names}</source>
        <translation>عدد العروض {count}: {names}</translation>
    </message>
    <message>
        <source>{bidder} (lots {lots})</source>
        <translation>{bidder} (الحصص {lots})</translation>
    </message>
    <message>
        <source>{lots} lot(s), {bidders} bidder(s); recommended total {amount} {currency}: {who}</source>
        <translation>عدد الحصص {lots}، عدد مقدمي العروض {bidders}؛ المجموع الموصى به {amount} {currency}: {who}</translation>
    </message>
    <message>
        <source>no award</source>
        <translation>لا إحالة</translation>
    </message>
    <message>
        <source>Flag rates beyond ±</source>
        <translation>تمييز الأسعار التي تتجاوز ±</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>البنود</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>العروض المرفوضة</translation>
    </message>
    <message>
        <source>Evaluation cancelled.</source>
        <translation>أُلغي التقييم.</translation>
    </message>
    <message>
        <source>(working state)</source>
        <translation>(الحالة الراهنة)</translation>
    </message>
    <message>
        <source>Wrote {path}</source>
        <translation>كُتب الملف {path}</translation>
    </message>
</context>
<context>
    <name>BoqModel</name>
    <message>
        <source>Item</source>
        <translation>البند</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>بيان الأعمال</translation>
    </message>
    <message>
        <source>Description (Arabic)</source>
        <translation>بيان الأعمال (عربي)</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>الكمية</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>الوحدة</translation>
    </message>
    <message>
        <source>Rate code</source>
        <translation>رمز السعر</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>سعر الوحدة</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>المبلغ</translation>
    </message>
    <message>
        <source>Not accepted: {why}</source>
        <translation>لم يُقبل: {why}</translation>
    </message>
    <message>
        <source>measured {measurement} = {quantity} {unit}{converted}</source>
        <translation>القياس {measurement} = {quantity} {unit}{converted}</translation>
    </message>
    <message>
        <source>measured {quantity} {unit} = {billed} {billed_unit}</source>
        <translation>المقيس {quantity} {unit} = {billed} {billed_unit}</translation>
    </message>
    <message>
        <source>own rate {rate} {own} per {unit} = {converted} {currency}</source>
        <translation>سعر خاص {rate} {own} لكل {unit} = {converted} {currency}</translation>
    </message>
    <message>
        <source>Provisional sum: a fixed amount, printed with its amount in the tender; bidders do not price it</source>
        <translation>مبلغ احتياطي: مبلغ ثابت يُطبع بقيمته في المناقصة؛ لا يسعّره مقدمو العروض</translation>
    </message>
    <message>
        <source>Prime cost sum: a fixed amount; bidders price their profit and attendance on it</source>
        <translation>مبلغ الكلفة الأساسية: مبلغ ثابت؛ يسعّر مقدمو العروض أرباحهم وخدماتهم عليه</translation>
    </message>
    <message>
        <source>Profit and attendance: the rate is a percentage of the prime cost sum (the quantity)</source>
        <translation>الأرباح والخدمات: السعر نسبة مئوية من مبلغ الكلفة الأساسية (الكمية)</translation>
    </message>
    <message>
        <source>Daywork: a provisional quantity; bidders give their rate</source>
        <translation>أعمال المياومة: كمية تقديرية؛ يقدّم مقدمو العروض سعرهم</translation>
    </message>
    <message>
        <source>Edit {column}</source>
        <translation>تعديل {column}</translation>
    </message>
    <message>
        <source>Row {row}, {column}: {problem}</source>
        <translation>السطر {row}، {column}: {problem}</translation>
    </message>
    <message>
        <source>Edit row</source>
        <translation>تعديل السطر</translation>
    </message>
    <message>
        <source>{facility} › {bill}, row {row}, {column}</source>
        <translation>{facility} › {bill}، السطر {row}، {column}</translation>
    </message>
</context>
<context>
    <name>BoqView</name>
    <message>
        <source>Input not accepted was dropped; the cell shows its value again</source>
        <translation>أُهمل الإدخال غير المقبول؛ تعرض الخلية قيمتها السابقة</translation>
    </message>
</context>
<context>
    <name>BuildupModel</name>
    <message>
        <source>Component</source>
        <translation>المكوّن</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>بيان الأعمال</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>الوحدة</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>الكمية</translation>
    </message>
    <message>
        <source>Waste %</source>
        <translation>الهدر %</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>السعر</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>الكلفة</translation>
    </message>
    <message>
        <source>Subtotal</source>
        <translation>المجموع الجزئي</translation>
    </message>
    <message>
        <source>Overheads and profit {percent} %</source>
        <translation>المصاريف العامة والربح {percent} %</translation>
    </message>
    <message>
        <source>Quoted price ({source})</source>
        <translation>السعر المعروض ({source})</translation>
    </message>
    <message>
        <source>Unit rate per {unit}</source>
        <translation>سعر الوحدة لكل {unit}</translation>
    </message>
</context>
<context>
    <name>CheckPanel</name>
    <message>
        <source>Check</source>
        <translation>التدقيق</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>الموقع</translation>
    </message>
    <message>
        <source>What</source>
        <translation>الملاحظة</translation>
    </message>
    <message>
        <source>Before exporting: {found}.</source>
        <translation>قبل التصدير: {found}.</translation>
    </message>
    <message>
        <source> Double-click a row to go there.</source>
        <translation> انقر نقراً مزدوجاً على السطر للانتقال إليه.</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>Rank</source>
        <translation>الترتيب</translation>
    </message>
    <message>
        <source>Bidder</source>
        <translation>مقدم العرض</translation>
    </message>
    <message>
        <source>File</source>
        <translation>الملف</translation>
    </message>
    <message>
        <source>Corrected total</source>
        <translation>المجموع المصحَّح</translation>
    </message>
    <message>
        <source>Low rates</source>
        <translation>أسعار منخفضة</translation>
    </message>
    <message>
        <source>High rates</source>
        <translation>أسعار مرتفعة</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>النوع</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>الورقة</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>السطر</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>العمود</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>البند</translation>
    </message>
    <message>
        <source>Workbooks</source>
        <translation>المصنفات</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>الأسباب</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>الحصة</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>Engineer&apos;s estimate</source>
        <translation>الكلفة التقديرية للمهندس</translation>
    </message>
    <message>
        <source>Recommended bidder</source>
        <translation>مقدم العرض الموصى به</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>المبلغ</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>الفرق</translation>
    </message>
    <message>
        <source>Difference %</source>
        <translation>الفرق %</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>ملاحظة</translation>
    </message>
    <message>
        <source>Workbook</source>
        <translation>المصنف</translation>
    </message>
    <message>
        <source>Read total</source>
        <translation>المجموع المقروء</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>الملاحظات</translation>
    </message>
    <message>
        <source>Stated</source>
        <translation>المذكور</translation>
    </message>
    <message>
        <source>Corrected</source>
        <translation>المصحَّح</translation>
    </message>
    <message>
        <source>What</source>
        <translation>الملاحظة</translation>
    </message>
    <message>
        <source>Facility</source>
        <translation>المنشأة</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>بيان الأعمال</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>الوحدة</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>الكمية</translation>
    </message>
    <message>
        <source>Engineer&apos;s rate</source>
        <translation>سعر المهندس</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>النوع</translation>
    </message>
    <message>
        <source>Governorate</source>
        <translation>المحافظة</translation>
    </message>
    <message>
        <source>Floor m²</source>
        <translation>المساحة م²</translation>
    </message>
    <message>
        <source>Beds</source>
        <translation>الأسرّة</translation>
    </message>
    <message>
        <source>Total {currency}</source>
        <translation>المجموع {currency}</translation>
    </message>
    <message>
        <source>Per m²</source>
        <translation>للمتر المربع</translation>
    </message>
    <message>
        <source>Per bed</source>
        <translation>للسرير</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>التنبيهات</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>المجموعة</translation>
    </message>
    <message>
        <source>Facilities</source>
        <translation>المنشآت</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>المجموع</translation>
    </message>
    <message>
        <source>Median total</source>
        <translation>وسيط المجموع</translation>
    </message>
    <message>
        <source>Min per m²</source>
        <translation>الأدنى للمتر المربع</translation>
    </message>
    <message>
        <source>Median per m²</source>
        <translation>الوسيط للمتر المربع</translation>
    </message>
    <message>
        <source>Max per m²</source>
        <translation>الأعلى للمتر المربع</translation>
    </message>
    <message>
        <source>Median per bed</source>
        <translation>الوسيط للسرير</translation>
    </message>
    <message>
        <source>Trade</source>
        <translation>الاختصاص</translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation>النسبة</translation>
    </message>
    <message>
        <source>Flag</source>
        <translation>التنبيه</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>السبب</translation>
    </message>
    <message>
        <source>high</source>
        <translation>مرتفع</translation>
    </message>
    <message>
        <source>low</source>
        <translation>منخفض</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>مصنف Excel ‏(*.xlsx)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>مستند PDF ‏(*.pdf)</translation>
    </message>
    <message>
        <source>Total per facility by trade ({currency})</source>
        <translation>مجموع كل منشأة حسب الاختصاص ({currency})</translation>
    </message>
    <message>
        <source>Cost per m² of floor by facility type ({currency})</source>
        <translation>كلفة المتر المربع من المساحة حسب نوع المنشأة ({currency})</translation>
    </message>
    <message>
        <source>Minimum per m²</source>
        <translation>الأدنى للمتر المربع</translation>
    </message>
    <message>
        <source>Median per m²</source>
        <translation>الوسيط للمتر المربع</translation>
    </message>
    <message>
        <source>Maximum per m²</source>
        <translation>الأعلى للمتر المربع</translation>
    </message>
    <message>
        <source>{currency} per m²</source>
        <translation>{currency} للمتر المربع</translation>
    </message>
    <message>
        <source>Flag per m² above</source>
        <translation>تمييز كلفة المتر المربع التي تزيد على</translation>
    </message>
    <message>
        <source>× or below</source>
        <translation>× أو تقل عن</translation>
    </message>
    <message>
        <source>× the median of the type</source>
        <translation>× وسيط النوع</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>تحديث</translation>
    </message>
    <message>
        <source>Compare again with the programme as it is now</source>
        <translation>إعادة المقارنة مع البرنامج بحالته الراهنة</translation>
    </message>
    <message>
        <source>Excel…</source>
        <translation>Excel…</translation>
    </message>
    <message>
        <source>PDF…</source>
        <translation>PDF…</translation>
    </message>
    <message>
        <source>Write this comparison as a {arg0} report with charts</source>
        <translation>كتابة هذه المقارنة في تقرير {arg0} مع المخططات</translation>
    </message>
    <message>
        <source>Totals by trade</source>
        <translation>المجاميع حسب الاختصاص</translation>
    </message>
    <message>
        <source>Cost per m² by type</source>
        <translation>كلفة المتر المربع حسب النوع</translation>
    </message>
    <message>
        <source>Outliers</source>
        <translation>القيم الشاذة</translation>
    </message>
    <message>
        <source>By facility type</source>
        <translation>حسب نوع المنشأة</translation>
    </message>
    <message>
        <source>By governorate</source>
        <translation>حسب المحافظة</translation>
    </message>
    <message>
        <source>Export comparison</source>
        <translation>تصدير المقارنة</translation>
    </message>
    <message>
        <source>Export failed: {arg0}</source>
        <translation>تعذّر التصدير: {arg0}</translation>
    </message>
    <message>
        <source>Writing {out} …</source>
        <translation>جارٍ كتابة {out} …</translation>
    </message>
    <message>
        <source>Wrote {path}</source>
        <translation>كُتب الملف {path}</translation>
    </message>
    <message>
        <source>Comparison exported</source>
        <translation>صُدّرت المقارنة</translation>
    </message>
    <message>
        <source>Wrote {path}. Open it?</source>
        <translation>كُتب الملف {path}. هل تريد فتحه؟</translation>
    </message>
    <message>
        <source>Outliers ({outliers})</source>
        <translation>القيم الشاذة ({outliers})</translation>
    </message>
    <message>
        <source>{facilities} facilities, {currency}, totals before markups; {outliers} outlier flag(s)</source>
        <translation>عدد المنشآت {facilities}، {currency}، المجاميع قبل الإضافات؛ عدد تنبيهات القيم الشاذة {outliers}</translation>
    </message>
</context>
<context>
    <name>ContractsView</name>
    <message>
        <source>Award from bid…</source>
        <translation>الإحالة من العرض…</translation>
    </message>
    <message>
        <source>Record variation…</source>
        <translation>تسجيل أمر تغييري…</translation>
    </message>
    <message>
        <source>Record measurement…</source>
        <translation>تسجيل كشف قياس…</translation>
    </message>
    <message>
        <source>Issue certificate</source>
        <translation>إصدار كشف الدفع</translation>
    </message>
    <message>
        <source>PDF…</source>
        <translation>PDF…</translation>
    </message>
    <message>
        <source>Excel…</source>
        <translation>Excel…</translation>
    </message>
    <message>
        <source>Variation name, e.g. VO-1</source>
        <translation>اسم الأمر التغييري، مثلاً VO-1</translation>
    </message>
    <message>
        <source>Period </source>
        <translation>الفترة </translation>
    </message>
    <message>
        <source>Materials on site</source>
        <translation>المواد في الموقع</translation>
    </message>
    <message>
        <source>Final</source>
        <translation>نهائي</translation>
    </message>
    <message>
        <source>English and Arabic</source>
        <translation>الإنكليزية والعربية</translation>
    </message>
    <message>
        <source>English</source>
        <translation>الإنكليزية</translation>
    </message>
    <message>
        <source>Arabic</source>
        <translation>العربية</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>الحصة</translation>
    </message>
    <message>
        <source>Selected certificate:</source>
        <translation>كشف الدفع المحدد:</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>الفترة</translation>
    </message>
    <message>
        <source>Measured to date, % of revised sum</source>
        <translation>المنفذ حتى تاريخه، % من القيمة المعدلة</translation>
    </message>
    <message>
        <source>Contract BoQ</source>
        <translation>جدول كميات العقد</translation>
    </message>
    <message>
        <source>Variations</source>
        <translation>الأوامر التغييرية</translation>
    </message>
    <message>
        <source>Periods</source>
        <translation>الفترات</translation>
    </message>
    <message>
        <source>Certificates</source>
        <translation>كشوف الدفع</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>البند</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>بيان الأعمال</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>الوحدة</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>الكمية</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>سعر الوحدة</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>المبلغ</translation>
    </message>
    <message>
        <source>From</source>
        <translation>من</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>الرقم</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>التاريخ</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>معتمد</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>معلّق</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>الأسطر</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>القيمة</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>النوع</translation>
    </message>
    <message>
        <source>Gross to date</source>
        <translation>الإجمالي حتى تاريخه</translation>
    </message>
    <message>
        <source>Retention</source>
        <translation>التوقيفات</translation>
    </message>
    <message>
        <source>Advance recovered</source>
        <translation>المسترد من الدفعة المقدمة</translation>
    </message>
    <message>
        <source>Amount due</source>
        <translation>المبلغ المستحق</translation>
    </message>
    <message>
        <source>interim</source>
        <translation>مؤقت</translation>
    </message>
    <message>
        <source>final account</source>
        <translation>الكشف الختامي</translation>
    </message>
    <message>
        <source>retention release</source>
        <translation>الإفراج عن التوقيفات</translation>
    </message>
    <message>
        <source>Contracts</source>
        <translation>العقود</translation>
    </message>
    <message>
        <source>{contractor}, awarded {date}: contract sum {sum} {currency}, revised {revised}; {count} certificate(s)</source>
        <translation>{contractor}، أُحيل في {date}: قيمة العقد {sum} {currency}، المعدلة {revised}؛ عدد كشوف الدفع {count}</translation>
    </message>
    <message>
        <source>This lot has no contract yet: award it from the returned bid.</source>
        <translation>ليس لهذه الحصة عقد بعد: أحِلها من العرض المقدَّم.</translation>
    </message>
    <message>
        <source>Returned bid to award</source>
        <translation>العرض المقدَّم للإحالة</translation>
    </message>
    <message>
        <source>Award</source>
        <translation>الإحالة</translation>
    </message>
    <message>
        <source>Variation (CSV or Excel)</source>
        <translation>أمر تغييري (CSV أو Excel)</translation>
    </message>
    <message>
        <source>Variation</source>
        <translation>الأمر التغييري</translation>
    </message>
    <message>
        <source>Measurement (CSV or Excel)</source>
        <translation>كشف قياس (CSV أو Excel)</translation>
    </message>
    <message>
        <source>Measurement</source>
        <translation>كشف القياس</translation>
    </message>
    <message>
        <source>materials on site</source>
        <translation>المواد في الموقع</translation>
    </message>
    <message>
        <source>period {period} has no measurement; record it first</source>
        <translation>ليس للفترة {period} كشف قياس؛ سجّله أولاً</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>كشف الدفع</translation>
    </message>
    <message>
        <source>Export certificate</source>
        <translation>تصدير كشف الدفع</translation>
    </message>
</context>
<context>
    <name>DialogService</name>
    <message>
        <source>Open</source>
        <translation>فتح</translation>
    </message>
    <message>
        <source>No program on this computer opens {target}</source>
        <translation>لا يوجد على هذا الحاسوب برنامج يفتح {target}</translation>
    </message>
</context>
<context>
    <name>Edits</name>
    <message>
        <source>Edit</source>
        <translation>تعديل</translation>
    </message>
    <message>
        <source>Edit cell</source>
        <translation>تعديل خلية</translation>
    </message>
    <message>
        <source>Renumber</source>
        <translation>إعادة الترقيم</translation>
    </message>
    <message>
        <source>Insert rows</source>
        <translation>إدراج أسطر</translation>
    </message>
    <message>
        <source>Delete rows</source>
        <translation>حذف أسطر</translation>
    </message>
    <message>
        <source>Move rows</source>
        <translation>نقل أسطر</translation>
    </message>
    <message>
        <source>Add facility</source>
        <translation>إضافة منشأة</translation>
    </message>
    <message>
        <source>Delete facility</source>
        <translation>حذف منشأة</translation>
    </message>
    <message>
        <source>Add bill</source>
        <translation>إضافة قسم</translation>
    </message>
    <message>
        <source>Delete bill</source>
        <translation>حذف قسم</translation>
    </message>
    <message>
        <source>Add rates</source>
        <translation>إضافة أسعار</translation>
    </message>
    <message>
        <source>Import work list</source>
        <translation>استيراد قائمة الأعمال</translation>
    </message>
    <message>
        <source>Programme settings</source>
        <translation>إعدادات البرنامج</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>إعادة التسمية</translation>
    </message>
</context>
<context>
    <name>EvaluationTable</name>
    <message>
        <source>Bidder</source>
        <translation>مقدم العرض</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>تاريخ الاستلام</translation>
    </message>
    <message>
        <source>Bid security</source>
        <translation>التأمينات الأولية</translation>
    </message>
    <message>
        <source>Security valid</source>
        <translation>سريان التأمينات</translation>
    </message>
    <message>
        <source>Administrative</source>
        <translation>الإداري</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>ملاحظة</translation>
    </message>
    <message>
        <source>Technical</source>
        <translation>الفني</translation>
    </message>
    <message>
        <source>Qualification</source>
        <translation>التأهيل</translation>
    </message>
    <message>
        <source>evaluation table</source>
        <translation>جدول التقييم</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>مصنف Excel ‏(*.xlsx)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>مستند PDF ‏(*.pdf)</translation>
    </message>
    <message>
        <source>English</source>
        <translation>الإنكليزية</translation>
    </message>
    <message>
        <source>Arabic (العربية)</source>
        <translation>العربية</translation>
    </message>
    <message>
        <source>Bilingual: English and Arabic</source>
        <translation>ثنائي اللغة: الإنكليزية والعربية</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>تصدير</translation>
    </message>
    <message>
        <source>Excel BoQ workbook (.xlsx)</source>
        <translation>مصنف Excel لجدول الكميات (xlsx)</translation>
    </message>
    <message>
        <source>PDF tender pack (.pdf)</source>
        <translation>ملف المناقصة بصيغة PDF</translation>
    </message>
    <message>
        <source>Priced (engineer&apos;s estimate)</source>
        <translation>مسعَّر (الكلفة التقديرية للمهندس)</translation>
    </message>
    <message>
        <source>Unpriced (for bidders)</source>
        <translation>غير مسعَّر (لمقدمي العروض)</translation>
    </message>
    <message>
        <source>The programme as it is (Draft unless issued)</source>
        <translation>البرنامج بحالته الراهنة (مسودة ما لم يُصدر)</translation>
    </message>
    <message>
        <source>Tender revision {name} of {arg1}</source>
        <translation>إصدار المناقصة {name} بتاريخ {arg1}</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>استعراض…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>إغلاق</translation>
    </message>
    <message>
        <source>Open file</source>
        <translation>فتح الملف</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>إظهار في المجلد</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>الصيغة</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>الأسعار</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>اللغة</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>الإصدار</translation>
    </message>
    <message>
        <source>File</source>
        <translation>الملف</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>التصدير إلى</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>Choose a file to export to.</source>
        <translation>اختر الملف الذي يُصدَّر إليه.</translation>
    </message>
    <message>
        <source>The programme could not be saved, so it cannot be exported: {save_error}</source>
        <translation>تعذّر حفظ البرنامج، لذا لا يمكن تصديره: {save_error}</translation>
    </message>
    <message>
        <source>Exporting to {out} …</source>
        <translation>جارٍ التصدير إلى {out} …</translation>
    </message>
    <message>
        <source>Wrote {path}</source>
        <translation>كُتب الملف {path}</translation>
    </message>
    <message>
        <source>unexpected error, please report it: </source>
        <translation>خطأ غير متوقع، يرجى الإبلاغ عنه: </translation>
    </message>
    <message>
        <source>Export failed: {unexpected}{problem}</source>
        <translation>تعذّر التصدير: {unexpected}{problem}</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation>أُلغي التصدير؛ لم يُكتب شيء.</translation>
    </message>
    <message>
        <source>Cancelling …</source>
        <translation>جارٍ الإلغاء …</translation>
    </message>
</context>
<context>
    <name>FacilityTable</name>
    <message>
        <source>{trade}: {arg1} per m² of floor</source>
        <translation>{trade}: {arg1} للمتر المربع من المساحة</translation>
    </message>
</context>
<context>
    <name>FileActions</name>
    <message>
        <source>Open another programme</source>
        <translation>فتح برنامج آخر</translation>
    </message>
    <message>
        <source>File in use</source>
        <translation>الملف قيد الاستخدام</translation>
    </message>
    <message>
        <source>{exc}

Open it read-only? You can look, print and export, and use Save As to work on a copy.</source>
        <translation>{exc}

هل تريد فتحه للقراءة فقط؟ يمكنك الاطلاع والطباعة والتصدير، واستخدام «حفظ باسم» للعمل على نسخة.</translation>
    </message>
    <message>
        <source>Cannot open programme</source>
        <translation>تعذّر فتح البرنامج</translation>
    </message>
    <message>
        <source>Open programme</source>
        <translation>فتح برنامج</translation>
    </message>
    <message>
        <source>New programme</source>
        <translation>برنامج جديد</translation>
    </message>
    <message>
        <source>Cannot create programme</source>
        <translation>تعذّر إنشاء البرنامج</translation>
    </message>
    <message>
        <source>Save programme as</source>
        <translation>حفظ البرنامج باسم</translation>
    </message>
    <message>
        <source>Cannot save programme</source>
        <translation>تعذّر حفظ البرنامج</translation>
    </message>
    <message>
        <source>Replace file</source>
        <translation>استبدال الملف</translation>
    </message>
    <message>
        <source>{path} exists. Replace it?</source>
        <translation>الملف {path} موجود. هل تريد استبداله؟</translation>
    </message>
    <message>
        <source>Import work list</source>
        <translation>استيراد قائمة الأعمال</translation>
    </message>
    <message>
        <source>the programme changed during the import; import it again</source>
        <translation>تغيّر البرنامج أثناء الاستيراد؛ أعد الاستيراد</translation>
    </message>
    <message>
        <source>Import {name}</source>
        <translation>استيراد {name}</translation>
    </message>
    <message>
        <source>Imported {name}: {items} items, {facilities} new facilities (Undo takes it back)</source>
        <translation>اُستورد {name}: عدد البنود {items}، عدد المنشآت الجديدة {facilities} (يلغيه الأمر تراجع)</translation>
    </message>
    <message>
        <source>Importing {name} …</source>
        <translation>جارٍ استيراد {name} …</translation>
    </message>
    <message>
        <source>The same work list was imported before ({before}).

Import it again? Its items would be added a second time.</source>
        <translation>سبق استيراد قائمة الأعمال هذه ({before}).

هل تريد استيرادها مرة أخرى؟ ستُضاف بنودها مرة ثانية.</translation>
    </message>
    <message>
        <source>Exported {p}</source>
        <translation>صُدِّر {p}</translation>
    </message>
    <message>
        <source>Programme settings</source>
        <translation>إعدادات البرنامج</translation>
    </message>
</context>
<context>
    <name>FindPanel</name>
    <message>
        <source>Find in the programme: description, Arabic, rate code, item, facility…</source>
        <translation>البحث في البرنامج: بيان الأعمال، النص العربي، رمز السعر، البند، المنشأة…</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>الموقع</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>النص</translation>
    </message>
    <message>
        <source> (the first ones; add words to narrow it)</source>
        <translation> (النتائج الأولى فقط؛ أضف كلمات لتضييق البحث)</translation>
    </message>
    <message>
        <source>{hits} found{more}</source>
        <translation>عدد النتائج: {hits}{more}</translation>
    </message>
    <message>
        <source>Nothing found</source>
        <translation>لم يُعثر على شيء</translation>
    </message>
</context>
<context>
    <name>HelpWindow</name>
    <message>
        <source>BoQ Estimator — user guide</source>
        <translation>BoQ Estimator — دليل المستخدم</translation>
    </message>
    <message>
        <source>BoQ Estimator {version}

Cost estimates, bills of quantities and tender documents for health-facility programmes, in English and Arabic, in USD, TRY and SYP.

Python {python}, Qt {qt}.
Free software under the GPL (3.0 or later). Prices in the bundled library are indicative, dated and local: check them before you use them.</source>
        <translation>BoQ Estimator {version}

الكلف التقديرية وجداول الكميات ووثائق المناقصات لبرامج المنشآت الصحية، بالعربية والإنكليزية، بالدولار الأمريكي والليرة التركية والليرة السورية.

Python {python}، Qt {qt}.
برنامج حر بموجب رخصة GPL (الإصدار 3.0 أو أحدث). الأسعار في المكتبة المرفقة استرشادية ومؤرخة ومحلية: تحقق منها قبل استخدامها.</translation>
    </message>
</context>
<context>
    <name>IssueRevisionDialog</name>
    <message>
        <source>Issue tender revision</source>
        <translation>إصدار نسخة المناقصة</translation>
    </message>
    <message>
        <source>{name}  ·  {date}  ·  {items} items  ·  {total} {currency}</source>
        <translation>{name}  ·  {date}  ·  عدد البنود {items}  ·  {total} {currency}</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>لا يوجد بعد</translation>
    </message>
    <message>
        <source>Freezes the lots, bills, items, quantities, rates and settings the tender documents are made from. An issued revision never changes: File › Export can reproduce it, and returned bids are evaluated against it.

Issued so far:
{listed}</source>
        <translation>يثبّت الحصص والأقسام والبنود والكميات والأسعار والإعدادات التي تُعدّ منها وثائق المناقصة. لا يتغير الإصدار بعد صدوره: يمكن إعادة إخراجه من ملف › تصدير، وتُقيَّم العروض المقدَّمة على أساسه.

الإصدارات حتى الآن:
{listed}</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>Date of issue</source>
        <translation>تاريخ الإصدار</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>إصدار</translation>
    </message>
    <message>
        <source>your server account may not issue tender revisions: procurement accounts (boq_procurement) do</source>
        <translation>لا يستطيع حسابك على الخادم إصدار نسخ المناقصة: تصدرها حسابات المشتريات (boq_procurement)</translation>
    </message>
    <message>
        <source>Issuing {name} …</source>
        <translation>جارٍ إصدار {name} …</translation>
    </message>
    <message>
        <source>the programme changed while the revision was being made; issue it again</source>
        <translation>تغيّر البرنامج أثناء إعداد الإصدار؛ أعد الإصدار</translation>
    </message>
</context>
<context>
    <name>KindActions</name>
    <message>
        <source>Measured work</source>
        <translation>أعمال مقيسة</translation>
    </message>
    <message>
        <source>Provisional sum (fixed amount)</source>
        <translation>مبلغ احتياطي (مبلغ ثابت)</translation>
    </message>
    <message>
        <source>Prime cost sum (fixed amount)</source>
        <translation>مبلغ الكلفة الأساسية (مبلغ ثابت)</translation>
    </message>
    <message>
        <source>Profit and attendance on a PC sum (%)</source>
        <translation>الأرباح والخدمات على مبلغ الكلفة الأساسية (%)</translation>
    </message>
    <message>
        <source>Daywork (provisional quantity)</source>
        <translation>أعمال المياومة (كمية تقديرية)</translation>
    </message>
    <message>
        <source>Item t&amp;ype</source>
        <translation>&amp;نوع البند</translation>
    </message>
    <message>
        <source>Select rows of a bill first</source>
        <translation>اختر أسطراً من قسم أولاً</translation>
    </message>
    <message>
        <source>Item type: {kind}</source>
        <translation>نوع البند: {kind}</translation>
    </message>
    <message>
        <source>A fixed sum: type its amount as the rate of 1 LS; bidders do not price it</source>
        <translation>مبلغ ثابت: اكتب قيمته سعراً لـ1 LS؛ لا يسعّره مقدمو العروض</translation>
    </message>
    <message>
        <source>Profit and attendance: type the percentage as the rate</source>
        <translation>الأرباح والخدمات: اكتب النسبة المئوية في السعر</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;الإعدادات</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;اللغة</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>اللغة</translation>
    </message>
    <message>
        <source>The window will speak {language} from the next start. Restart now? Every edit is already saved.</source>
        <translation>ستُعرض النافذة باللغة المختارة ({language}) عند التشغيل التالي. هل تريد إعادة التشغيل الآن؟ كل تعديل محفوظ مسبقاً.</translation>
    </message>
</context>
<context>
    <name>LibraryActions</name>
    <message>
        <source>&amp;Rates</source>
        <translation>&amp;الأسعار</translation>
    </message>
    <message>
        <source>&amp;Edit library rate…</source>
        <translation>&amp;تعديل سعر من المكتبة…</translation>
    </message>
    <message>
        <source>&amp;Re-price programme from the library…</source>
        <translation>&amp;إعادة تسعير البرنامج من المكتبة…</translation>
    </message>
    <message>
        <source>Select a rate in the rate library first</source>
        <translation>اختر سعراً من مكتبة الأسعار أولاً</translation>
    </message>
    <message>
        <source>Edit library rate</source>
        <translation>تعديل سعر من المكتبة</translation>
    </message>
    <message>
        <source>Saved {code} in your library ({folder}); Rates › Re-price uses it in this programme</source>
        <translation>حُفظ {code} في مكتبتك ({folder})؛ يستخدمه الأمر الأسعار › إعادة التسعير في هذا البرنامج</translation>
    </message>
    <message>
        <source>… and {count} more lines</source>
        <translation>… و{count} سطراً آخر</translation>
    </message>
    <message>
        <source>Re-price from the library</source>
        <translation>إعادة التسعير من المكتبة</translation>
    </message>
    <message>
        <source>{text}

Re-price the programme with the library&apos;s current rates? Edit &gt; Undo takes it back.</source>
        <translation>{text}

هل تريد إعادة تسعير البرنامج بأسعار المكتبة الحالية؟ يلغيها الأمر تحرير › تراجع.</translation>
    </message>
    <message>
        <source>Re-priced from the library: grand total {old_total} -&gt; {new_total} {currency} (Undo takes it back)</source>
        <translation>أُعيد التسعير من المكتبة: المجموع الكلي {old_total} ← {new_total} {currency} (يلغيه الأمر تراجع)</translation>
    </message>
</context>
<context>
    <name>LibraryPanel</name>
    <message>
        <source>Search rates: code, English or Arabic words</source>
        <translation>البحث في الأسعار: الرمز، أو كلمات عربية أو إنكليزية</translation>
    </message>
    <message>
        <source>All trades</source>
        <translation>جميع الاختصاصات</translation>
    </message>
    <message>
        <source>Select a rate to see its build-up</source>
        <translation>اختر سعراً لعرض تحليله</translation>
    </message>
    <message>
        <source>{code}: cannot be built up ({problem})</source>
        <translation>{code}: لا يمكن تحليله ({problem})</translation>
    </message>
    <message>
        <source>library</source>
        <translation>المكتبة</translation>
    </message>
    <message>
        <source>&lt;b&gt;{code}&lt;/b&gt; ({where}) per {unit}: {description}&lt;br&gt;&lt;span dir=&apos;rtl&apos;&gt;{description_ar}&lt;/span&gt;</source>
        <translation>&lt;b&gt;{code}&lt;/b&gt; ({where}) لكل {unit}: {description_ar}&lt;br&gt;&lt;span dir=&apos;ltr&apos;&gt;{description}&lt;/span&gt;</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Programme</source>
        <translation>البرنامج</translation>
    </message>
    <message>
        <source>Rate library</source>
        <translation>مكتبة الأسعار</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;ملف</translation>
    </message>
    <message>
        <source>&amp;New programme…</source>
        <translation>برنامج &amp;جديد…</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;فتح…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>فتح &amp;ملف حديث</translation>
    </message>
    <message>
        <source>Open from ser&amp;ver…</source>
        <translation>فتح من ال&amp;خادم…</translation>
    </message>
    <message>
        <source>Lock or unlock the facility (server)</source>
        <translation>قفل المنشأة أو فتحها (الخادم)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;حفظ</translation>
    </message>
    <message>
        <source>Save &amp;as…</source>
        <translation>حفظ &amp;باسم…</translation>
    </message>
    <message>
        <source>&amp;Import work list…</source>
        <translation>&amp;استيراد قائمة الأعمال…</translation>
    </message>
    <message>
        <source>&amp;Export (Excel, PDF)…</source>
        <translation>&amp;تصدير (Excel، PDF)…</translation>
    </message>
    <message>
        <source>Issue tender &amp;revision…</source>
        <translation>&amp;إصدار نسخة المناقصة…</translation>
    </message>
    <message>
        <source>Programme se&amp;ttings…</source>
        <translation>إ&amp;عدادات البرنامج…</translation>
    </message>
    <message>
        <source>Restore &amp;backup…</source>
        <translation>استعادة نسخة ا&amp;حتياطية…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;خروج</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;تحرير</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;تراجع</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;إعادة</translation>
    </message>
    <message>
        <source>New facility from &amp;template…</source>
        <translation>منشأة جديدة من &amp;نموذج…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;عرض</translation>
    </message>
    <message>
        <source>&amp;Compare facilities…</source>
        <translation>&amp;مقارنة المنشآت…</translation>
    </message>
    <message>
        <source>&amp;Bid evaluation…</source>
        <translation>تقييم ال&amp;عروض…</translation>
    </message>
    <message>
        <source>C&amp;ontracts and payments…</source>
        <translation>&amp;العقود والدفعات…</translation>
    </message>
    <message>
        <source>Contracts &amp;overview…</source>
        <translation>&amp;نظرة عامة على العقود…</translation>
    </message>
    <message>
        <source>Input not accepted was dropped (Undo again to undo the last edit)</source>
        <translation>أُهمل الإدخال غير المقبول (تراجع مرة أخرى للتراجع عن آخر تعديل)</translation>
    </message>
    <message>
        <source>BoQ Estimator</source>
        <translation>BoQ Estimator</translation>
    </message>
    <message>
        <source>{name} — {path}{flag} — BoQ Estimator</source>
        <translation>{name} — {path}{flag} — BoQ Estimator</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>للقراءة فقط</translation>
    </message>
    <message>
        <source>NOT SAVED</source>
        <translation>غير محفوظ</translation>
    </message>
    <message>
        <source>Could not save: {error}</source>
        <translation>تعذّر الحفظ: {error}</translation>
    </message>
    <message>
        <source>All changes saved</source>
        <translation>حُفظت جميع التغييرات</translation>
    </message>
    <message>
        <source>Saved {path} (every edit is saved as you make it)</source>
        <translation>حُفظ {path} (يُحفظ كل تعديل فور إجرائه)</translation>
    </message>
    <message>
        <source>as priced in this programme</source>
        <translation>كما سُعّر في هذا البرنامج</translation>
    </message>
    <message>
        <source>&lt;i&gt;Select a bill in the programme tree&lt;/i&gt;</source>
        <translation>&lt;i&gt;اختر قسماً من شجرة البرنامج&lt;/i&gt;</translation>
    </message>
    <message>
        <source>, </source>
        <translation>، </translation>
    </message>
    <message>
        <source>&lt;b&gt;{facility}&lt;/b&gt;{about} › {bill} — {n} items, bill total &lt;b&gt;{total} {currency}&lt;/b&gt;</source>
        <translation>&lt;b&gt;{facility}&lt;/b&gt;{about} › {bill} — عدد البنود {n}، مجموع القسم &lt;b&gt;{total} {currency}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;{facility}&lt;/b&gt;{about} › {bill} — {n} item, bill total &lt;b&gt;{total} {currency}&lt;/b&gt;</source>
        <translation>&lt;b&gt;{facility}&lt;/b&gt;{about} › {bill} — بند واحد، مجموع القسم &lt;b&gt;{total} {currency}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Compare facilities — {name}</source>
        <translation>مقارنة المنشآت — {name}</translation>
    </message>
    <message>
        <source>Bid evaluation</source>
        <translation>تقييم العروض</translation>
    </message>
    <message>
        <source>Bid evaluation — {name}</source>
        <translation>تقييم العروض — {name}</translation>
    </message>
    <message>
        <source>Contracts overview</source>
        <translation>نظرة عامة على العقود</translation>
    </message>
    <message>
        <source>Contracts and payments</source>
        <translation>العقود والدفعات</translation>
    </message>
    <message>
        <source>{title} — {name}</source>
        <translation>{title} — {name}</translation>
    </message>
    <message>
        <source>Issued tender revision {arg0}</source>
        <translation>صدرت نسخة المناقصة {arg0}</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>إغلاق</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;بحث…</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>بحث</translation>
    </message>
    <message>
        <source>Next &amp;pane</source>
        <translation>الجزء ال&amp;تالي</translation>
    </message>
    <message>
        <source>Previous pane</source>
        <translation>الجزء السابق</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;مساعدة</translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation>&amp;دليل المستخدم</translation>
    </message>
    <message>
        <source>&amp;About BoQ Estimator</source>
        <translation>&amp;حول BoQ Estimator</translation>
    </message>
    <message>
        <source>About BoQ Estimator</source>
        <translation>حول BoQ Estimator</translation>
    </message>
</context>
<context>
    <name>OpenFromServerDialog</name>
    <message>
        <source>Open from server</source>
        <translation>فتح من الخادم</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>عنوان الخادم</translation>
    </message>
    <message>
        <source>List programmes</source>
        <translation>عرض البرامج</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>البرنامج</translation>
    </message>
    <message>
        <source>leave empty to use the system keyring</source>
        <translation>اتركه فارغاً لاستخدام حافظة كلمات المرور في النظام</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>كلمة المرور</translation>
    </message>
    <message>
        <source>Keep the password in the system keyring</source>
        <translation>احفظ كلمة المرور في حافظة كلمات المرور في النظام</translation>
    </message>
    <message>
        <source>Programmes on the server: %1</source>
        <translation>البرامج على الخادم: %1</translation>
    </message>
</context>
<context>
    <name>ParticularsForm</name>
    <message>
        <source>Particulars of this lot (empty: the programme&apos;s default)</source>
        <translation>بيانات هذه الحصة (فارغ: القيمة الافتراضية للبرنامج)</translation>
    </message>
    <message>
        <source>Tender particulars: the default of every lot</source>
        <translation>بيانات المناقصة: القيمة الافتراضية لكل حصة</translation>
    </message>
    <message>
        <source>Time for completion (days)</source>
        <translation>مدة التنفيذ (أيام)</translation>
    </message>
    <message>
        <source>Liquidated damages per day ({currency})</source>
        <translation>غرامة التأخير عن كل يوم ({currency})</translation>
    </message>
    <message>
        <source>Liquidated damages cap (% of contract sum)</source>
        <translation>الحد الأقصى لغرامة التأخير (% من قيمة العقد)</translation>
    </message>
    <message>
        <source>Defects liability period (days)</source>
        <translation>فترة الضمان (أيام)</translation>
    </message>
    <message>
        <source>Retention (% of each certificate)</source>
        <translation>التوقيفات (% من كل كشف)</translation>
    </message>
    <message>
        <source>Retention cap (% of contract sum)</source>
        <translation>الحد الأقصى للتوقيفات (% من قيمة العقد)</translation>
    </message>
    <message>
        <source>Advance payment (% of contract sum)</source>
        <translation>الدفعة المقدمة (% من قيمة العقد)</translation>
    </message>
    <message>
        <source>Bid security, a fixed amount ({currency})</source>
        <translation>التأمينات الأولية، مبلغ ثابت ({currency})</translation>
    </message>
    <message>
        <source>Bid security validity (days)</source>
        <translation>مدة سريان التأمينات الأولية (أيام)</translation>
    </message>
    <message>
        <source>any number</source>
        <translation>أي عدد</translation>
    </message>
    <message>
        <source>Bidders add the programme&apos;s tax to their total</source>
        <translation>يضيف مقدمو العروض ضريبة البرنامج إلى مجموعهم</translation>
    </message>
    <message>
        <source>reject the lot&apos;s bid</source>
        <translation>رفض عرض الحصة</translation>
    </message>
    <message>
        <source>price at the highest other bid&apos;s rate</source>
        <translation>التسعير بأعلى سعر في العروض الأخرى</translation>
    </message>
    <message>
        <source>Maximum lots per bidder</source>
        <translation>الحد الأقصى للحصص لكل مقدم عرض</translation>
    </message>
    <message>
        <source>A missing rate</source>
        <translation>السعر الناقص</translation>
    </message>
    <message>
        <source>Abnormally low below the estimate by (%)</source>
        <translation>منخفض بشكل غير طبيعي إذا قلّ عن التقديري بنسبة (%)</translation>
    </message>
    <message>
        <source>lot particulars</source>
        <translation>بيانات الحصة</translation>
    </message>
</context>
<context>
    <name>ProblemsDialog</name>
    <message>
        <source>File</source>
        <translation>الملف</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>السطر</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>العمود</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>المشكلة</translation>
    </message>
</context>
<context>
    <name>ProgrammeContractsView</name>
    <message>
        <source>Lot</source>
        <translation>الحصة</translation>
    </message>
    <message>
        <source>Contractor</source>
        <translation>المقاول</translation>
    </message>
    <message>
        <source>Contract sum</source>
        <translation>قيمة العقد</translation>
    </message>
    <message>
        <source>Variations</source>
        <translation>الأوامر التغييرية</translation>
    </message>
    <message>
        <source>Revised sum</source>
        <translation>القيمة المعدلة</translation>
    </message>
    <message>
        <source>Certified to date</source>
        <translation>المصدَّق حتى تاريخه</translation>
    </message>
    <message>
        <source>% complete</source>
        <translation>نسبة الإنجاز %</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>العملة</translation>
    </message>
    <message>
        <source>Cumulative value certified per facility</source>
        <translation>القيمة التراكمية المصدَّقة لكل منشأة</translation>
    </message>
</context>
<context>
    <name>ProgrammeTreeModel</name>
    <message>
        <source>{area} m²</source>
        <translation>{area} م²</translation>
    </message>
    <message>
        <source>{beds} beds</source>
        <translation>عدد الأسرّة {beds}</translation>
    </message>
    <message>
        <source>Facility / bill</source>
        <translation>المنشأة / القسم</translation>
    </message>
    <message>
        <source>Total ({currency})</source>
        <translation>المجموع ({currency})</translation>
    </message>
</context>
<context>
    <name>PropertiesDialog</name>
    <message>
        <source>Facility properties — {name}</source>
        <translation>خصائص المنشأة — {name}</translation>
    </message>
    <message>
        <source>Bill properties — {name}</source>
        <translation>خصائص القسم — {name}</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>Arabic name (الاسم)</source>
        <translation>الاسم بالعربية</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>النوع</translation>
    </message>
    <message>
        <source>Governorate</source>
        <translation>المحافظة</translation>
    </message>
    <message>
        <source>District</source>
        <translation>المنطقة</translation>
    </message>
    <message>
        <source>Floor area (m²)</source>
        <translation>المساحة الطابقية (م²)</translation>
    </message>
    <message>
        <source>gross floor area; empty if not known</source>
        <translation>المساحة الطابقية الإجمالية؛ تُترك فارغة إن لم تكن معروفة</translation>
    </message>
    <message>
        <source>Beds</source>
        <translation>الأسرّة</translation>
    </message>
    <message>
        <source>empty if none or not known</source>
        <translation>تُترك فارغة إن لم توجد أو لم تكن معروفة</translation>
    </message>
</context>
<context>
    <name>RateDialog</name>
    <message>
        <source>Edit rate {code} into your library</source>
        <translation>تعديل السعر {code} في مكتبتك</translation>
    </message>
    <message>
        <source>&lt;b&gt;{code}&lt;/b&gt; ({trade}, per {arg2}). Saved in your own library, over the bundled one; programmes keep their rates until you re-price them (Rates menu).</source>
        <translation>&lt;b&gt;{code}&lt;/b&gt; ({trade}، لكل {arg2}). يُحفظ في مكتبتك الخاصة فوق المكتبة المرفقة؛ وتحتفظ البرامج بأسعارها إلى أن تعيد تسعيرها (قائمة الأسعار).</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>بيان الأعمال</translation>
    </message>
    <message>
        <source>Arabic description</source>
        <translation>بيان الأعمال بالعربية</translation>
    </message>
    <message>
        <source>Overheads and profit %</source>
        <translation>المصاريف العامة والربح %</translation>
    </message>
    <message>
        <source>Quoted price</source>
        <translation>السعر المعروض</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>العملة</translation>
    </message>
    <message>
        <source>Source of the price</source>
        <translation>مصدر السعر</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>المكوّن</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>ملاحظة</translation>
    </message>
    <message>
        <source>Quantity per unit</source>
        <translation>الكمية لكل وحدة</translation>
    </message>
    <message>
        <source>Waste %</source>
        <translation>الهدر %</translation>
    </message>
</context>
<context>
    <name>RateListModel</name>
    <message>
        <source>Code</source>
        <translation>الرمز</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>بيان الأعمال</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>الوحدة</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>سعر الوحدة</translation>
    </message>
    <message>
        <source>
Cannot be priced: {why}</source>
        <translation>
لا يمكن تسعيره: {why}</translation>
    </message>
    <message>
        <source>{code} ({trade}, per {unit})
{description}
{description_ar}{why}</source>
        <translation>{code} ({trade}، لكل {unit})
{description_ar}
{description}{why}</translation>
    </message>
    <message>
        <source>Rate ({currency})</source>
        <translation>سعر الوحدة ({currency})</translation>
    </message>
</context>
<context>
    <name>RowActions</name>
    <message>
        <source>&amp;Insert row</source>
        <translation>&amp;إدراج سطر</translation>
    </message>
    <message>
        <source>&amp;Delete rows</source>
        <translation>&amp;حذف الأسطر</translation>
    </message>
    <message>
        <source>Move rows &amp;up</source>
        <translation>نقل الأسطر لل&amp;أعلى</translation>
    </message>
    <message>
        <source>Move rows do&amp;wn</source>
        <translation>نقل الأسطر لل&amp;أسفل</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;نسخ</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;قص</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;لصق</translation>
    </message>
    <message>
        <source>C&amp;lear cells</source>
        <translation>&amp;مسح الخلايا</translation>
    </message>
    <message>
        <source>&amp;Fill down</source>
        <translation>&amp;تعبئة للأسفل</translation>
    </message>
    <message>
        <source>Select a bill in the programme tree first</source>
        <translation>اختر قسماً من شجرة البرنامج أولاً</translation>
    </message>
    <message>
        <source>Copied {cells} cell{arg1}</source>
        <translation>نُسخت الخلايا: {cells}</translation>
    </message>
    <message>
        <source>Copied {rows} row{arg1}</source>
        <translation>نُسخت الأسطر: {rows}</translation>
    </message>
    <message>
        <source>Clear cells</source>
        <translation>مسح الخلايا</translation>
    </message>
    <message>
        <source>Cleared {cells} cell{arg1}</source>
        <translation>مُسحت الخلايا: {cells}</translation>
    </message>
    <message>
        <source>; dropped {dropped} input{arg1} not accepted</source>
        <translation>؛ وأُهملت مدخلات غير مقبولة: {dropped}</translation>
    </message>
    <message>
        <source>Descriptions and amounts are not cleared: type over a description, or delete the row</source>
        <translation>لا يُمسح بيان الأعمال ولا المبلغ: اكتب فوق البيان، أو احذف السطر</translation>
    </message>
    <message>
        <source>Fill down</source>
        <translation>تعبئة للأسفل</translation>
    </message>
    <message>
        <source>Filled {done} cell{s}</source>
        <translation>عُبّئت الخلايا: {done}</translation>
    </message>
    <message>
        <source>; {bad} not accepted (red)</source>
        <translation>؛ غير مقبولة (بالأحمر): {bad}</translation>
    </message>
    <message>
        <source>Nothing to paste: copy rows in this window or cells in Excel first</source>
        <translation>لا يوجد ما يُلصق: انسخ أسطراً في هذه النافذة أو خلايا في Excel أولاً</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>لصق</translation>
    </message>
    <message>
        <source>Paste rows</source>
        <translation>لصق أسطر</translation>
    </message>
    <message>
        <source>Pasted into {cells} cell{arg1}</source>
        <translation>أُلصق في الخلايا: {cells}</translation>
    </message>
    <message>
        <source> and {new_rows} new row{arg1}</source>
        <translation> وفي أسطر جديدة: {new_rows}</translation>
    </message>
    <message>
        <source>; {bad} not accepted (red): fix them in place</source>
        <translation>؛ غير مقبولة (بالأحمر): {bad}، صحّحها في مكانها</translation>
    </message>
    <message>
        <source>; {skipped} value(s) fell on cells that are computed</source>
        <translation>؛ قيم وقعت على خلايا محسوبة: {skipped}</translation>
    </message>
    <message>
        <source>Paste {n} row{arg1}</source>
        <translation>لصق أسطر: {n}</translation>
    </message>
    <message>
        <source>Pasted {n} row{arg1}</source>
        <translation>أُلصقت الأسطر: {n}</translation>
    </message>
    <message>
        <source>; {bad} cell{arg1} not understood (red): fix them in place</source>
        <translation>؛ خلايا لم تُفهم (بالأحمر): {bad}، صحّحها في مكانها</translation>
    </message>
    <message>
        <source>Add {arg0}</source>
        <translation>إضافة {arg0}</translation>
    </message>
    <message>
        <source>Added {arg0}: type the quantity</source>
        <translation>أُضيف {arg0}: اكتب الكمية</translation>
    </message>
</context>
<context>
    <name>Safekeeping</name>
    <message>
        <source>them</source>
        <translation>ها</translation>
    </message>
    <message>
        <source>it</source>
        <translation>ه</translation>
    </message>
    <message>
        <source>{action}: input not accepted</source>
        <translation>{action}: إدخال غير مقبول</translation>
    </message>
    <message>
        <source>{count} cell{arg1} input that was not accepted (red), e.g. {arg2}: {text!r} ({problem}).

{action} anyway and discard {them}? Choose No to go back and fix {them}.</source>
        <translation>في {count} خلية إدخال لم يُقبل (بالأحمر)، مثلاً {arg2}: «{text}» ({problem}).

هل تريد المتابعة ({action}) وإهمال ذلك؟ اختر «لا» للعودة وتصحيحه.</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>النسخة الاحتياطية</translation>
    </message>
    <message>
        <source>the programme could not be saved, so it was not backed up: {save_error}</source>
        <translation>تعذّر حفظ البرنامج، لذا لم تُؤخذ نسخة احتياطية منه: {save_error}</translation>
    </message>
</context>
<context>
    <name>ServerActions</name>
    <message>
        <source>Lock facility</source>
        <translation>قفل المنشأة</translation>
    </message>
    <message>
        <source>Open a programme from the server first.</source>
        <translation>افتح برنامجاً من الخادم أولاً.</translation>
    </message>
    <message>
        <source>Choose a facility in the programme tree first.</source>
        <translation>اختر منشأة من شجرة البرنامج أولاً.</translation>
    </message>
    <message>
        <source>%1 is locked by %2.</source>
        <translation>%1 مقفلة من قبل %2.</translation>
    </message>
    <message>
        <source>%1 is locked for you: others cannot change it until you unlock it</source>
        <translation>%1 مقفلة لك: لا يستطيع غيرك تغييرها حتى تفتحها</translation>
    </message>
    <message>
        <source>%1 is unlocked</source>
        <translation>%1 غير مقفلة</translation>
    </message>
    <message>
        <source>Open from server</source>
        <translation>فتح من الخادم</translation>
    </message>
    <message>
        <source>Give the server address (postgresql://user@server/database) and a programme name.</source>
        <translation>اكتب عنوان الخادم (postgresql://user@server/database) واسم البرنامج.</translation>
    </message>
    <message>
        <source>Working on %1 from the server; every edit is sent as you make it</source>
        <translation>تعمل على %1 من الخادم؛ يُرسَل كل تعديل فور إجرائه</translation>
    </message>
    <message>
        <source>%1 from the server: the programme is read-only for your account; tender revisions and contracts you make are sent to the server</source>
        <translation>%1 من الخادم: البرنامج للقراءة فقط لحسابك؛ تُرسَل إلى الخادم نسخ المناقصة والعقود التي تسجّلها</translation>
    </message>
    <message>
        <source>%1 from the server, read-only: your account may read, not change</source>
        <translation>%1 من الخادم، للقراءة فقط: يستطيع حسابك القراءة لا التغيير</translation>
    </message>
</context>
<context>
    <name>ServerLink</name>
    <message>
        <source>Not on the server yet: %1</source>
        <translation>ليس على الخادم بعد: %1</translation>
    </message>
    <message>
        <source>Saved on the server (version %1)</source>
        <translation>حُفظ على الخادم (الإصدار %1)</translation>
    </message>
    <message>
        <source>In touch with the server again</source>
        <translation>عاد الاتصال بالخادم</translation>
    </message>
    <message>
        <source>%1 change(s) by %2 came in (version %3)</source>
        <translation>وصل %1 تغيير من %2 (الإصدار %3)</translation>
    </message>
    <message>
        <source> (%1, %2)</source>
        <translation> (%1، %2)</translation>
    </message>
    <message>
        <source>%1 %2: %3: theirs %4%5, yours %6</source>
        <translation>%1 %2: %3: قيمتهم %4%5، قيمتك %6</translation>
    </message>
    <message>
        <source>%1: dropped, the row it changes was deleted on the server by someone else</source>
        <translation>%1: أُسقط، فالسطر الذي يغيّره حذفه شخص آخر على الخادم</translation>
    </message>
    <message>
        <source>Undo refused</source>
        <translation>رُفض التراجع</translation>
    </message>
    <message>
        <source>Someone else changed this since your edit; your undo was not applied:

%1

Keep their values? (No writes yours over theirs, as a new edit.)</source>
        <translation>غيّر شخص آخر هذا بعد تعديلك؛ لم يُطبَّق تراجعك:

%1

هل تُبقي قيمهم؟ (لا: تُكتب قيمك فوق قيمهم، كتعديل جديد.)</translation>
    </message>
    <message>
        <source>Their values kept; the undo step was dropped</source>
        <translation>أُبقيت قيمهم؛ وأُسقطت خطوة التراجع</translation>
    </message>
    <message>
        <source>Open from server</source>
        <translation>فتح من الخادم</translation>
    </message>
    <message>
        <source>Revisions and contracts on the server</source>
        <translation>النسخ والعقود على الخادم</translation>
    </message>
    <message>
        <source>Someone else recorded these on the server first, under the same name or number; yours were not kept and theirs are shown instead. Make yours again (a revision under another name):

%1</source>
        <translation>سجّل شخص آخر هذه على الخادم قبلك، بالاسم أو الرقم نفسه؛ لم يُحتفظ بما سجّلته وتُعرض تسجيلاته بدلاً منه. سجّل ما لديك مرة أخرى (النسخة باسم آخر):

%1</translation>
    </message>
    <message>
        <source>Revisions and contracts in step with the server: %1 sent, %2 received</source>
        <translation>النسخ والعقود متزامنة مع الخادم: أُرسل %1، واستُلم %2</translation>
    </message>
    <message>
        <source>Edit refused by the server</source>
        <translation>رفض الخادم التعديل</translation>
    </message>
    <message>
        <source>Someone else changed what you edited; your edit was not saved on the server:

%1

Take their values? (No keeps yours and writes them over theirs.)</source>
        <translation>غيّر شخص آخر ما عدّلته؛ لم يُحفظ تعديلك على الخادم:

%1

هل تأخذ قيمهم؟ (لا: تبقى قيمك وتُكتب فوق قيمهم.)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Programme settings</source>
        <translation>إعدادات البرنامج</translation>
    </message>
    <message>
        <source> days</source>
        <translation> يوماً</translation>
    </message>
    <message>
        <source>Programme name</source>
        <translation>اسم البرنامج</translation>
    </message>
    <message>
        <source>Tender reference</source>
        <translation>الرقم المرجعي للمناقصة</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>الجهة</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>الإصدار</translation>
    </message>
    <message>
        <source>Issue date</source>
        <translation>تاريخ الإصدار</translation>
    </message>
    <message>
        <source>Bid validity</source>
        <translation>مدة سريان العرض</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>العملة</translation>
    </message>
    <message>
        <source>Contingency %</source>
        <translation>احتياطي للطوارئ %</translation>
    </message>
    <message>
        <source>Overheads and profit %</source>
        <translation>المصاريف العامة والربح %</translation>
    </message>
    <message>
        <source>Tax %</source>
        <translation>الضريبة %</translation>
    </message>
    <message>
        <source>Add rate</source>
        <translation>إضافة سعر صرف</translation>
    </message>
    <message>
        <source>Remove rate</source>
        <translation>حذف سعر الصرف</translation>
    </message>
    <message>
        <source>Exchange rates (latest date applies)</source>
        <translation>أسعار الصرف (يُعتمد أحدث تاريخ)</translation>
    </message>
    <message>
        <source>Units per 1 {arg0}</source>
        <translation>وحدات لكل 1 {arg0}</translation>
    </message>
    <message>
        <source>Date (YYYY-MM-DD)</source>
        <translation>التاريخ (YYYY-MM-DD)</translation>
    </message>
</context>
<context>
    <name>TemplateDialog</name>
    <message>
        <source>Bill</source>
        <translation>القسم</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>الرمز</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>بيان الأعمال</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>الكمية</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>الوحدة</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>سعر الوحدة</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>المبلغ</translation>
    </message>
    <message>
        <source>New facility from template</source>
        <translation>منشأة جديدة من نموذج</translation>
    </message>
    <message>
        <source>e.g. Dialysis unit, Idlib</source>
        <translation>مثلاً: وحدة غسيل كلى، إدلب</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>النموذج</translation>
    </message>
    <message>
        <source>Facility name</source>
        <translation>اسم المنشأة</translation>
    </message>
    <message>
        <source>Name in Arabic</source>
        <translation>الاسم بالعربية</translation>
    </message>
    <message>
        <source>Governorate</source>
        <translation>المحافظة</translation>
    </message>
    <message>
        <source>District</source>
        <translation>المنطقة</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>المعطيات</translation>
    </message>
    <message>
        <source>{minimum} to {maximum}</source>
        <translation>من {minimum} إلى {maximum}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Total {total} {currency}&lt;/b&gt; — {items} items in {bills} bills</source>
        <translation>&lt;b&gt;المجموع {total} {currency}&lt;/b&gt; — عدد البنود {items} في {bills} أقسام</translation>
    </message>
    <message>
        <source>; {area} m², {per_m2} {currency} per m² (indicator for {bench}: {low}-{high} USD per m²)</source>
        <translation>؛ {area} م²، {per_m2} {currency} للمتر المربع (المؤشر لـ{bench}: {low}-{high} دولار أمريكي للمتر المربع)</translation>
    </message>
    <message>
        <source>The facility templates have problems (`boq rates check` lists them)</source>
        <translation>في نماذج المنشآت مشكلات (يسردها الأمر `boq rates check`)</translation>
    </message>
    <message>
        <source>New facility from template: {name}</source>
        <translation>منشأة جديدة من نموذج: {name}</translation>
    </message>
    <message>
        <source>Added {name} from template {title}; Edit &gt; Undo takes it out</source>
        <translation>أُضيفت {name} من النموذج {title}؛ يلغيها الأمر تحرير › تراجع</translation>
    </message>
</context>
<context>
    <name>TotalsBar</name>
    <message>
        <source>Subtotal {subtotal}</source>
        <translation>المجموع الجزئي {subtotal}</translation>
    </message>
    <message>
        <source>Grand total {grand_total} {cur}</source>
        <translation>المجموع الكلي {grand_total} {cur}</translation>
    </message>
    <message>
        <source>{problems} item(s) cannot be priced; they count as zero</source>
        <translation>بنود لا يمكن تسعيرها: {problems}؛ تُحسب صفراً</translation>
    </message>
</context>
<context>
    <name>TreeActions</name>
    <message>
        <source>Add &amp;facility</source>
        <translation>إضافة &amp;منشأة</translation>
    </message>
    <message>
        <source>Add &amp;bill</source>
        <translation>إضافة &amp;قسم</translation>
    </message>
    <message>
        <source>&amp;Delete facility or bill…</source>
        <translation>&amp;حذف المنشأة أو القسم…</translation>
    </message>
    <message>
        <source>D&amp;uplicate facility or bill</source>
        <translation>&amp;تكرار المنشأة أو القسم</translation>
    </message>
    <message>
        <source>&amp;Properties of facility or bill…</source>
        <translation>&amp;خصائص المنشأة أو القسم…</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>تعديل</translation>
    </message>
    <message>
        <source>Select a facility in the programme tree first</source>
        <translation>اختر منشأة من شجرة البرنامج أولاً</translation>
    </message>
    <message>
        <source>facility {name!r} with its {bills} bill{s} and {items} item{s2}</source>
        <translation>المنشأة «{name}» مع أقسامها ({bills}) وبنودها ({items})</translation>
    </message>
    <message>
        <source>Delete {name}</source>
        <translation>حذف {name}</translation>
    </message>
    <message>
        <source>bill {name!r} of {facility} with its {items} item{s}</source>
        <translation>القسم «{name}» من {facility} مع بنوده ({items})</translation>
    </message>
    <message>
        <source>Select a facility or a bill in the programme tree first</source>
        <translation>اختر منشأة أو قسماً من شجرة البرنامج أولاً</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>حذف</translation>
    </message>
    <message>
        <source>Delete the {what}, {total} {cur}?

Edit › Undo brings it back in this session; a backup of the programme is kept (File › Restore backup…).</source>
        <translation>هل تريد حذف {what}، {total} {cur}؟

يعيده الأمر تحرير › تراجع خلال هذه الجلسة؛ وتُحفظ نسخة احتياطية من البرنامج (ملف › استعادة نسخة احتياطية…).</translation>
    </message>
    <message>
        <source>Deleted {name}; Edit › Undo brings it back, File › Restore backup… too</source>
        <translation>حُذف {name}؛ يعيده الأمر تحرير › تراجع، وكذلك ملف › استعادة نسخة احتياطية…</translation>
    </message>
    <message>
        <source>Select a facility or bill in the programme tree first</source>
        <translation>اختر منشأة أو قسماً من شجرة البرنامج أولاً</translation>
    </message>
    <message>
        <source>Duplicate {name}</source>
        <translation>تكرار {name}</translation>
    </message>
    <message>
        <source>Duplicated {name}; Edit &gt; Undo takes the copy away</source>
        <translation>كُرّر {name}؛ يزيل الأمر تحرير › تراجع النسخة</translation>
    </message>
    <message>
        <source>Properties</source>
        <translation>الخصائص</translation>
    </message>
</context>
</TS>
