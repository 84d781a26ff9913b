"""Texts of "Request a visit" (the portal's form, reused by the desk) and of the rules it shows next to each
field: key -> (English, Japanese), merged into the one catalog (catalog.py). Keys start with `request.`.

`request.rule.<pydantic error type or rule code>` states the rule a field breaks, in the reader's language; the
service's own English message stays on the API (dispatch/web/request_form.py maps one to the other).
"""

from __future__ import annotations

REQUEST: dict[str, tuple[str, str]] = {
    "request.heading": ("Request a visit", "訪問を依頼"),
    "request.intro": (
        "Fields marked * are required. You can save a draft at any time; nothing you type is lost.",
        "* は必須項目です。いつでも下書き保存でき、入力した内容が失われることはありません。",
    ),
    "request.draft_saved": ("Draft saved.", "下書きを保存しました。"),
    "request.save": ("Save", "保存"),
    "request.save_draft": ("Save draft", "下書きを保存"),
    "request.send": ("Check and send the request", "確認して依頼を送信"),
    "request.send.hint": (
        "Every field is checked by the same rules as our contract. If a fee applies, you see it before sending.",
        "契約と同じルールで全項目を確認します。料金が発生する場合は送信前に表示します。",
    ),
    "request.errors.heading": ("{count} item(s) to correct", "{count} 件の修正が必要です"),
    "request.errors.body": (
        "Each problem is shown in red next to its field. Everything you entered has been kept.",
        "各項目の横に赤字で表示しています。入力した内容はすべて保存されています。",
    ),
    "request.row.remove": ("Remove", "削除"),
    # -- sections ---------------------------------------------------------------------------------------
    "request.section.what": ("The request", "依頼内容"),
    "request.section.when": ("When", "日時"),
    "request.section.where": ("Where (sites to visit)", "訪問先"),
    "request.section.who": ("Who", "担当者とエンジニア"),
    "request.section.work": ("The work", "作業内容"),
    "request.section.documents": ("Documents", "資料"),
    "request.section.bring": ("Items to bring", "持参品"),
    "request.section.paperwork": ("Paperwork before the visit", "事前書類"),
    "request.section.travel": ("Travel and accommodation", "交通・宿泊"),
    "request.section.send": ("Confirm and send", "確認して送信"),
    # -- the request ------------------------------------------------------------------------------------
    "request.title": ("Title", "件名"),
    "request.title.hint": (
        "A short name for the visit, e.g. “Replace core switch”.",
        "訪問の短い名前（例: 「コアスイッチ交換」）",
    ),
    "request.reference": ("Your reference", "貴社管理番号"),
    "request.reference.hint": ("Your own order or ticket number (optional).", "貴社の発注番号やチケット番号（任意）"),
    "request.urgency": ("Urgency", "緊急度"),
    "request.urgency.hint": (
        "Class 4 means “visit immediately”: preparation starts at once.",
        "クラス4は「即時訪問」です。受付と同時に準備を開始します。",
    ),
    "request.urgency.1": ("Class 1 — routine", "クラス1 — 通常"),
    "request.urgency.2": ("Class 2 — soon", "クラス2 — 早め"),
    "request.urgency.3": ("Class 3 — urgent", "クラス3 — 至急"),
    "request.urgency.4": ("Class 4 — visit immediately", "クラス4 — 即時訪問"),
    "request.class4.hint": (
        "Class 4: after sending, also call eCorpOne now on {phone}.",
        "クラス4の場合は、送信後すぐに eCorpOne（{phone}）へお電話ください。",
    ),
    "request.class4.demo": ("Demo number — not yet configured", "デモ用番号（未設定）"),
    "request.class4.call_now": ("Class 4 — call eCorpOne now", "クラス4 — 今すぐ eCorpOne にお電話ください"),
    "request.class4.body_before": (
        "Send the request, then call this number at once so we can confirm the details by phone.",
        "依頼を送信してから、すぐにこの番号へお電話ください。詳細を電話で確認します。",
    ),
    "request.class4.desk": (
        "Every dispatcher's intake shows it on top with an alarm as soon as it is sent.",
        "送信と同時に、すべてのデスクの受付一覧の先頭にアラーム付きで表示されます。",
    ),
    "request.class4.body": (
        "Our desk has been alerted and preparation has started. Call so we can confirm the details by phone.",
        "デスクに通知済みで、準備を開始しています。詳細を電話で確認するため、お電話ください。",
    ),
    # -- when -------------------------------------------------------------------------------------------
    "request.visit_date": ("Visit date", "訪問日"),
    "request.visit_time": ("Start time", "開始時刻"),
    "request.visit_time.hint": (
        "On the site's clock; 09:00 if left empty.",
        "訪問先の現地時刻。未入力の場合は 09:00。",
    ),
    "request.site_timezone": ("Site time zone", "訪問先のタイムゾーン"),
    "request.site_timezone.hint": (
        "Where the site is; times are shown in it.",
        "訪問先の地域。時刻はこの時間帯で表示します。",
    ),
    "request.reserved_hours": ("Reserved hours", "予約時間"),
    "request.reserved_hours.hint": (
        "Charges are based on the hours reserved, at least 2 hours in all cases. Leave empty for the default: "
        "2 hours plus a 30-minute grace period. In steps of 0.25 h (15 min).",
        "料金は予約時間に基づきます（いかなる場合も最低 2 時間）。空欄の場合は標準の 2 時間＋30 分の猶予となります。"
        "0.25 時間（15 分）単位で入力してください。",
    ),
    "request.expedite.hint": (
        "A visit less than {hours} hours away is expedited: an expedite fee of {fee} applies unless your retainer "
        "agreement covers it.",
        "{hours} 時間以内の訪問は特急扱いとなり、リテーナー契約の対象外の場合は特急料金 {fee} がかかります。",
    ),
    # -- where ------------------------------------------------------------------------------------------
    "request.location.legend": ("Site {n}", "訪問先 {n}"),
    "request.location.name": ("Site name", "訪問先の名称"),
    "request.location.name.hint": ("e.g. “Shinagawa DC, hall B”", "例: 「品川DC Bホール」"),
    "request.location.address": ("Address", "住所"),
    "request.location.maps_url": ("Google Maps link", "Google マップのリンク"),
    "request.location.maps_url.hint": (
        "Drop a pin on the exact entrance in Google Maps, then Share → Copy link.",
        "Google マップで入口にピンを立て、「共有」→「リンクをコピー」で貼り付けてください。",
    ),
    "request.location.pin": ("Pin: {lat}, {lng}", "ピン: {lat}, {lng}"),
    "request.location.pin_short": (
        "Short link: the pin is read when the engineer opens it.",
        "短縮リンク: ピンはエンジニアが開いたときに読み取られます。",
    ),
    "request.location.pin_none": (
        "This link carries no pin: drop a pin for the exact point.",
        "このリンクにはピンがありません。正確な地点にピンを立ててください。",
    ),
    "request.location.open": ("Open", "開く"),
    "request.location.floor": ("Floor", "階"),
    "request.location.access_notes": ("Access and entry instructions", "入館・入室方法"),
    "request.location.access_notes.hint": (
        "How to reach the room: entrance, reception, security, badge, loading dock…",
        "部屋までの行き方: 入口、受付、警備、入館証、搬入口など",
    ),
    "request.location.contacts": ("Local contacts on site", "現地担当者"),
    "request.location.contacts.hint": (
        "eCorpOne does not send engineers without a local contact (name and phone with country code).",
        "現地担当者（氏名と国番号付きの電話番号）がいない場合、エンジニアは派遣できません。",
    ),
    "request.location.contact": ("Contact {n}", "担当者 {n}"),
    "request.location.add": ("+ Add another site", "＋ 訪問先を追加"),
    "request.location.remove": ("Remove this site", "この訪問先を削除"),
    "request.override.summary": (
        "No local contact? (the customer forces the visit)",
        "現地担当者がいない場合（お客様の指示で派遣）",
    ),
    "request.override.hint": (
        "Only if the customer insists on a visit without a local contact: record who decided and why.",
        "お客様が現地担当者なしでの訪問を指示する場合のみ、指示者と理由を記入してください。",
    ),
    "request.override.forced_by": ("Decided by", "指示者"),
    "request.override.reason": ("Reason", "理由"),
    # -- contacts ---------------------------------------------------------------------------------------
    "request.contact.name": ("Name", "氏名"),
    "request.contact.role": ("Role", "役割"),
    "request.contact.phone": ("Phone", "電話番号"),
    "request.contact.phone.hint": ("With the country code, e.g. +81 3-1234-5678", "国番号付き（例: +81 3-1234-5678）"),
    "request.contact.email": ("Email", "メール"),
    "request.contact.whatsapp": ("WhatsApp", "WhatsApp 番号"),
    "request.contact.whatsapp.hint": ("With the country code (optional)", "国番号付き（任意）"),
    "request.contact.add": ("+ Add a contact", "＋ 担当者を追加"),
    "request.contact.remove": ("Remove this contact", "この担当者を削除"),
    # -- who --------------------------------------------------------------------------------------------
    "request.ordering_party.company": ("Ordering company", "発注会社"),
    "request.ordering_party.engineer": ("Your project engineer", "プロジェクト担当エンジニア"),
    "request.ordering_party.engineer.hint": (
        "The project-management company's engineer eCorpOne reports to (phone, email and/or WhatsApp).",
        "eCorpOne が報告するプロジェクト管理会社のエンジニア（電話・メール・WhatsApp のいずれか）",
    ),
    "request.skill_level": ("Engineer skill level", "エンジニアのスキルレベル"),
    "request.skill_level.hint": (
        "Senior unless you choose otherwise. Entry/junior engineers need your assistance on site unless "
        "well-written instructions are provided.",
        "指定がなければシニアです。エントリー/ジュニアの場合は、十分な手順書がない限り現地での補助が必要です。",
    ),
    "request.skill.senior_default": ("Senior (default)", "シニア（標準）"),
    "request.engineer_count": ("Number of engineers", "エンジニアの人数"),
    "request.assistance_provided": ("We assist the engineer on site", "現地で当社がエンジニアを補助します"),
    "request.assistance_provided.hint": (
        "Someone of yours works alongside the engineer.",
        "貴社の担当者がエンジニアと一緒に作業します。",
    ),
    "request.languages": ("Languages", "対応言語"),
    "request.languages.hint": ("At least one: the engineer's languages on site.", "少なくとも1つ: 現地で使う言語"),
    # -- work -------------------------------------------------------------------------------------------
    "request.work.summary": ("Work description", "作業内容"),
    "request.work.summary.hint": ("What is to be done, and on what.", "何を、どの機器に対して行うか"),
    "request.work.target_hardware": ("Target hardware", "対象機器"),
    "request.work.steps": ("Steps", "作業手順"),
    "request.work.steps.hint": (
        "In order, with what must be confirmed before or after a step.",
        "順番に記入し、各手順の前後で必要な確認事項も記入してください。",
    ),
    "request.work.step": ("Step {n}", "手順 {n}"),
    "request.work.step.title": ("Step", "手順"),
    "request.work.step.detail": ("Details", "詳細"),
    "request.work.step.confirm_before": ("Confirm before", "事前確認"),
    "request.work.step.confirm_before.hint": ("e.g. “Backup taken”", "例: 「バックアップ取得済み」"),
    "request.work.step.confirm_after": ("Confirm after", "事後確認"),
    "request.work.step.confirm_after.hint": ("e.g. “Link up on both ports”", "例: 「両ポートのリンクアップ」"),
    "request.work.step.add": ("+ Add a step", "＋ 手順を追加"),
    "request.work.instructions_provided": (
        "Well-written instruction documents are provided",
        "十分な作業手順書を提供します",
    ),
    "request.work.instructions_provided.hint": (
        "Upload them under Documents.",
        "「資料」にアップロードしてください。",
    ),
    "request.work.simple": ("The work is very simple", "ごく簡単な作業です"),
    "request.work.simple.hint": (
        "Then no assistance from you is recorded when a senior engineer is on site.",
        "シニア以上のエンジニアが対応する場合、貴社の補助は不要として記録されます。",
    ),
    # -- documents --------------------------------------------------------------------------------------
    "request.documents.hint": (
        "Instructions, NDA, floor plans: PDF, PNG or JPEG, up to {mb} MB each, {count} files in all.",
        "手順書、NDA、フロア図など: PDF・PNG・JPEG、1ファイル {mb} MB まで、合計 {count} ファイルまで",
    ),
    "request.documents.kind": ("Kind of document", "資料の種類"),
    "request.documents.kind.instructions": ("Instructions", "作業手順書"),
    "request.documents.kind.nda": ("NDA", "秘密保持契約書（NDA）"),
    "request.documents.kind.floor_plan": ("Floor plan", "フロア図"),
    "request.documents.kind.other": ("Other", "その他"),
    "request.documents.file": ("Files", "ファイル"),
    "request.documents.upload": ("Upload", "アップロード"),
    "request.documents.refused.too_many": (
        "not added: at most {count} documents per request",
        "追加できません: 1件の依頼につき資料は {count} 件までです",
    ),
    "request.documents.refused.too_large": (
        "not added: larger than {mb} MB",
        "追加できません: {mb} MB を超えています",
    ),
    "request.documents.refused.empty": ("not added: the file is empty", "追加できません: ファイルが空です"),
    "request.documents.refused.type": (
        "not added: only PDF, PNG or JPEG files (checked by their content, not their name)",
        "追加できません: PDF・PNG・JPEG のみ受け付けます（ファイル名ではなく内容で判定）",
    ),
    "request.doc.open": ("Open", "開く"),
    "request.doc.on_device": ("saved on this device", "端末に保存済み"),
    "request.doc.not_yet": ("not downloaded yet: sync with signal", "未取得: 電波のある場所で同期してください"),
    # -- items, paperwork, travel -----------------------------------------------------------------------
    "request.items.hint": (
        "eCorpOne brings standard equipment only (photo ID, laptop, basic tools). List anything else you need "
        "the engineer to bring, e.g. RS-232C cable, tethering phone.",
        "eCorpOne は標準装備（写真付き身分証、PC、基本工具）のみ持参します。その他に必要な物"
        "（RS-232C ケーブル、テザリング用携帯など）を記入してください。",
    ),
    "request.items.name": ("Item", "品名"),
    "request.items.quantity": ("Quantity", "数量"),
    "request.items.requested": ("Kind", "区分"),
    "request.items.requested.yes": ("Requested by us", "当社からの依頼品"),
    "request.items.requested.standard": ("eCorpOne standard", "eCorpOne 標準品"),
    "request.items.add": ("+ Add an item", "＋ 持参品を追加"),
    "request.paperwork.hint": (
        "Documents to exchange before the visit (scanned photo ID, signature, NDA, serial numbers…) and where "
        "each stands.",
        "訪問前にやり取りする書類（身分証の写し、署名、NDA、シリアル番号など）とその状況",
    ),
    "request.paperwork.name": ("Paperwork", "書類"),
    "request.paperwork.status": ("Status", "状況"),
    "request.paperwork.status.to_prepare": ("To prepare", "準備中"),
    "request.paperwork.status.sent": ("Sent", "送付済み"),
    "request.paperwork.status.accepted": ("Accepted", "受理済み"),
    "request.paperwork.status.not_needed": ("Not needed", "不要"),
    "request.paperwork.note": ("Note", "備考"),
    "request.paperwork.add": ("+ Add paperwork", "＋ 書類を追加"),
    "request.travel.required": ("Travel or accommodation is needed", "交通手段・宿泊の手配が必要"),
    "request.travel.required.hint": (
        "eCorpOne books it; the engineer sees the tickets and the hotel.",
        "eCorpOne が手配し、エンジニアが乗車券とホテルを確認できます。",
    ),
    "request.travel.accommodation": ("Travel needs", "交通・宿泊の要望"),
    "request.devices_on_site_confirmed": (
        "The devices needed for the work have arrived at the site",
        "作業に必要な機器は現地に到着済みです",
    ),
    "request.devices_on_site_confirmed.hint": (
        "If they have not arrived when the engineer does, the full reserved time is charged.",
        "エンジニア到着時に機器が届いていない場合、予約時間分の全額が請求されます。",
    ),
    "request.notes": ("Anything else", "その他のご連絡"),
    # -- confirm and sent -------------------------------------------------------------------------------
    "request.confirm.heading": ("Before sending: an expedite fee applies", "送信前の確認: 特急料金がかかります"),
    "request.confirm.fee": ("Expedite fee: {fee}", "特急料金: {fee}"),
    "request.confirm.fee.why": (
        "The visit is less than {hours} hours away (or Class 4) and no retainer agreement covers it.",
        "訪問まで {hours} 時間未満（またはクラス4）で、リテーナー契約の対象外のためです。",
    ),
    "request.confirm.send": ("Send the request and accept the fee", "料金を了承して依頼を送信"),
    "request.confirm.back": ("Back to the form", "フォームに戻る"),
    "request.sent.heading": ("Request sent", "依頼を送信しました"),
    "request.sent.body": ("eCorpOne has received your request {id}.", "ご依頼 {id} を受け付けました。"),
    "request.sent.reserved": ("{hours} h (+ {grace} min grace)", "{hours} 時間（猶予 {grace} 分）"),
    "request.sent.reserved_plain": ("{hours} h", "{hours} 時間"),
    "request.sent.expedited": ("Expedited", "特急扱い"),
    "request.sent.expedited.yes": ("Yes", "はい"),
    "request.sent.next": (
        "We will propose engineers by mail; you approve them with one click.",
        "エンジニアの提案をメールでお送りします。ワンクリックで承認いただけます。",
    ),
    "request.sent.visits": ("Your visits", "訪問一覧"),
    # -- the desk, on a client's behalf -----------------------------------------------------------------
    "request.desk.choose": ("Take a request by phone: which client?", "電話で依頼を受け付け: どのお客様ですか？"),
    "request.desk.heading": ("Request by phone for {company}", "{company} の電話依頼"),
    "request.desk.caller": ("Caller", "依頼者"),
    "request.desk.caller.hint": (
        "Who phoned: recorded as “requested by phone by …”.",
        "電話をかけてきた方。「電話にて…様より依頼」と記録されます。",
    ),
    "request.desk.by_phone": ("requested by phone by {name}", "電話にて {name} 様より依頼"),
    # -- the rules, next to their field -----------------------------------------------------------------
    "request.rule.missing": ("Required.", "必須項目です。"),
    "request.rule.string_too_short": ("Required: it cannot be empty.", "必須項目です。入力してください。"),
    "request.rule.string_too_long": ("At most {limit} characters.", "{limit} 文字以内で入力してください。"),
    "request.rule.too_short": ("Add at least {limit}.", "少なくとも {limit} 件必要です。"),
    "request.rule.too_long": ("At most {limit} entries.", "{limit} 件までです。"),
    "request.rule.int_parsing": ("Enter a whole number.", "整数で入力してください。"),
    "request.rule.int_from_float": ("Enter a whole number.", "整数で入力してください。"),
    "request.rule.decimal_parsing": ("Enter a number, e.g. 2.5", "数値で入力してください（例: 2.5）"),
    "request.rule.finite_number": ("Enter a number, e.g. 2.5", "数値で入力してください（例: 2.5）"),
    "request.rule.string_unicode": ("Contains characters that cannot be stored.", "保存できない文字が含まれています。"),
    "request.rule.decimal_max_places": ("At most {limit} decimal places.", "小数点以下 {limit} 桁までです。"),
    "request.rule.decimal_max_digits": ("Too many digits.", "桁数が多すぎます。"),
    "request.rule.greater_than": ("Must be more than {limit}.", "{limit} より大きい値にしてください。"),
    "request.rule.greater_than_equal": ("Must be at least {limit}.", "{limit} 以上にしてください。"),
    "request.rule.less_than": ("Must be less than {limit}.", "{limit} 未満にしてください。"),
    "request.rule.less_than_equal": ("Must be at most {limit}.", "{limit} 以下にしてください。"),
    "request.rule.enum": ("Choose one of the options.", "選択肢から選んでください。"),
    "request.rule.literal_error": ("Choose one of the options.", "選択肢から選んでください。"),
    "request.rule.bool_parsing": ("Tick or untick this box.", "チェックボックスで選択してください。"),
    "request.rule.string_pattern_mismatch": (
        "Contains characters that are not allowed.",
        "使用できない文字が含まれています。",
    ),
    "request.rule.datetime_parsing": (
        "Enter a real date (year-month-day) and time (hh:mm).",
        "正しい日付（年-月-日）と時刻（時:分）を入力してください。",
    ),
    "request.rule.datetime_from_date_parsing": (
        "Enter a real date (year-month-day) and time (hh:mm).",
        "正しい日付（年-月-日）と時刻（時:分）を入力してください。",
    ),
    "request.rule.timezone_aware": ("Choose the site's time zone.", "訪問先のタイムゾーンを選んでください。"),
    "request.rule.instant_out_of_range": (
        "Enter a date between 2000 and 2099.",
        "2000年から2099年までの日付を入力してください。",
    ),
    "request.rule.timezone": (
        "Choose a time zone such as Asia/Tokyo.",
        "Asia/Tokyo のようなタイムゾーンを選んでください。",
    ),
    "request.rule.phone_country_code": (
        "Include the country code, e.g. +81 3-1234-5678.",
        "国番号を付けてください（例: +81 3-1234-5678）。",
    ),
    "request.rule.phone_invalid": (
        "This is not a valid phone number for its country code.",
        "国番号に対して正しい電話番号ではありません。",
    ),
    "request.rule.email": ("Enter an address such as name@example.com.", "name@example.com の形式で入力してください。"),
    "request.rule.maps_url": (
        "Must be a Google Maps link (https://www.google.com/maps/… or https://maps.app.goo.gl/…).",
        "Google マップのリンク（https://www.google.com/maps/… または https://maps.app.goo.gl/…）を入力してください。",
    ),
    "request.rule.contact_reachable": (
        "Give at least one of phone, email or WhatsApp.",
        "電話・メール・WhatsApp のいずれか1つ以上を入力してください。",
    ),
    "request.rule.coordinates_pair": ("Latitude and longitude go together.", "緯度と経度は両方必要です。"),
    "request.rule.local_contact_required": (
        "Add a local contact with name and phone: eCorpOne does not send engineers without one (unless the "
        "customer forces the visit — see below).",
        "氏名と電話番号のある現地担当者を追加してください。現地担当者なしでは派遣できません"
        "（お客様の指示で派遣する場合は下記に記入）。",
    ),
    "request.rule.entry_needs_assistance": (
        "Entry/junior engineers need your assistance on site unless well-written instructions are provided: "
        "tick one of the two, or choose Senior.",
        "エントリー/ジュニアのエンジニアには、十分な手順書がない限り現地での補助が必要です。"
        "どちらかにチェックを入れるか、シニアを選んでください。",
    ),
    "request.rule.quarter_hours": (
        "Reserve in steps of 0.25 hours (15 minutes).",
        "0.25 時間（15 分）単位で入力してください。",
    ),
    "request.rule.unique": ("Each may be chosen once.", "重複して選択できません。"),
    "request.rule.unique_ids": ("Each site must be distinct.", "訪問先が重複しています。"),
    "request.rule.unstorable_text": (
        "Contains characters that cannot be stored.",
        "保存できない文字が含まれています。",
    ),
    "request.rule.languages_required": ("Choose at least one language.", "少なくとも1つの言語を選んでください。"),
    "request.rule.caller_required": ("Enter the caller's name.", "依頼者の氏名を入力してください。"),
}
