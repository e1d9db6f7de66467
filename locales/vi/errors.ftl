# Lời từ chối của hệ thống (mã lỗi HTTP kèm lý do), theo tệp mã nguồn đưa ra lời đó.
err-internal = lỗi nội bộ; đã ghi vào nhật ký của máy chủ

# src/hub/heartbeat.rs
err-bad-heartbeat-field-must-be = nhịp báo trạng thái sai: trường `{ $field }` phải là { $want }
err-bad-heartbeat-field-own-programs = nhịp báo trạng thái sai: trường `own_programs` phải là các bảng [[program]] viết bằng TOML ({ $why })
err-no-station-lies-outside-your = không có đài { $id }, hoặc đài nằm ngoài địa bàn của bạn

# src/hub/chain.rs
err-only-admin-may-acknowledge-as = chỉ quản trị viên được xác nhận chuỗi nhật ký bị đứt
err-field-note-say-why-1 = ghi lý do xác nhận (1–{ $max_note } ký tự), ví dụ: đã thay thẻ nhớ của đài
err-chain-not-broken = chuỗi nhật ký của đài không bị đứt: không có gì để xác nhận
err-chain-break-acknowledged-meanwhile = chuỗi đứt này vừa được xác nhận bởi người khác

# src/hub/reports.rs
err-must-be-date-yyyy-mm = `{ $name }` phải là ngày dạng YYYY-MM-DD

# src/hub/outage.rs
err-database-unavailable = Cơ sở dữ liệu tạm thời không truy cập được, vui lòng thử lại sau
err-disk-full = Máy chủ hết dung lượng đĩa; không có gì được lưu. Hãy báo quản trị viên giải phóng dung lượng rồi thử lại

# src/hub/clips.rs
err-not-date-yyyy-mm-dd = { $name } `{ $s }` không phải ngày dạng YYYY-MM-DD
err-title-needs-1-200-characters = tiêu đề cần 1–200 ký tự, không có ký tự điều khiển
err-language-code-invalid-vi-cjm = mã ngôn ngữ `{ $lang }` không hợp lệ (vd. vi, cjm)
err-level-invalid-normal-priority-emergencies = mức `{ $level }` không hợp lệ: thông thường (normal) hoặc ưu tiên (priority); khẩn cấp là phát ngay (broadcast)
err-valid-from-after-valid-until = ngày bắt đầu { $f } sau ngày kết thúc { $u }
err-no-audio-file-field-file = chưa chọn tệp âm thanh (trường `file`)
err-clip-id-already-taken-choose = mã bản tin `{ $id }` đã có
err-broadcast-plays-clip-withdraw-broadcast = phát ngay `{ $b }` đang dùng bản tin này: hãy thu hồi nó trước
err-only-clip-s-author-submits = chỉ người soạn mới gửi duyệt được

# src/hub/upload.rs
err-upload-was-cut-off-malformed = tải lên không trọn vẹn hoặc sai định dạng; không có gì được lưu ({ $body_text })
err-file-over-mib-limit-max = tệp lớn hơn giới hạn { $mib } MiB
err-upload-one-file-at-time = chỉ tải lên một tệp mỗi lần
err-file-empty = tệp rỗng
err-file-not-supported-audio-format = tệp không phải âm thanh được hỗ trợ (WAV, MP3, Ogg Vorbis, FLAC, AAC/M4A)
err-field-too-long = trường `{ $name }` quá dài
err-field-not-utf-8 = trường `{ $name }` không phải UTF-8

# src/hub/areas.rs
err-area-code-not-in-list = mã địa bàn `{ $c }` không có trong danh sách đơn vị hành chính

# src/hub/broadcasts.rs
err-give-at-now-not-both = chọn `at` hoặc `now`, không chọn cả hai
err-give-at-rfc-3339-now = cần thời điểm phát (`at`) hoặc `now`
err-at-not-rfc-3339-2026 = thời điểm `{ $s }` không đúng dạng RFC 3339
err-at-not-in-future = thời điểm { $s } đã qua
err-priority-must-be-1-1000 = độ ưu tiên phải từ 1 đến 1000
err-play-needs-at-least-one = cần ít nhất một bản tin để phát
err-clip-is-state = bản tin `{ $c }` { $state ->
        [rejected] đã bị từ chối
        [withdrawn] đã bị thu hồi
       *[other] đang ở trạng thái { $state }
    }
err-broadcast-id-already-taken = mã `{ $id }` đã có
err-approve-clip-first = hãy phê duyệt bản tin `{ $c }` trước (bản tin đang { $state ->
        [draft] là bản nháp
        [submitted] chờ duyệt
        [rejected] bị từ chối
        [withdrawn] đã thu hồi
       *[other] ở trạng thái { $state }
    })
err-broadcast-s-time-has-passed = thời điểm phát đã qua; hãy đề xuất lại

# src/hub/users.rs
err-account-name-invalid-2-64 = tên tài khoản `{ $name }` không hợp lệ: 2–64 chữ cái, chữ số, `.`, `_`, `-`, `@`
err-account-needs-at-least-one = tài khoản cần ít nhất một vai trò
err-account-already-exists = tài khoản `{ $name }` đã có

# src/hub/measure.rs
err-audio-file-does-not-decode = không giải mã được tệp âm thanh (không phải tệp âm thanh hợp lệ); hãy xuất lại thành WAV, MP3, Ogg Vorbis, FLAC hoặc M4A
err-file-holds-no-audio = tệp không có âm thanh

# src/hub/clip_edit.rs
err-only-clip-s-author-fixes = chỉ người soạn mới sửa và gửi lại được

# src/hub/asrun.rs
err-as-run-line-0-based = dòng nhật ký phát sóng số { $i } không hợp lệ: { $what }
err-at-most-lines-per-upload = tối đa { $max_lines } dòng mỗi lần gửi
err-another-upload-station-was-stored = một lần gửi khác của đài đang được ghi; gửi lại

# src/hub/user_admin.rs
err-no-such-account = không có tài khoản này
err-account-outside-your-scope = tài khoản `{ $name }` nằm ngoài phạm vi quản trị của bạn
err-admin-cannot-take-admin-role = không thể tự bỏ vai trò quản trị của chính mình
err-change-your-own-password-on = hãy đổi mật khẩu của chính mình ở trang đổi mật khẩu
err-nobody-disables-their-own-account = không thể tự khóa tài khoản của chính mình

# src/hub/scope.rs
err-account-has-no-areas-admin = tài khoản chưa được giao địa bàn nào
err-area-outside-account-s-areas = địa bàn { $out } nằm ngoài phạm vi của tài khoản
err-no-station-id = không có đài `{ $id }`
err-only-admin-whole-province-makes = chỉ quản trị cấp tỉnh (không giới hạn địa bàn) mới tạo được tài khoản toàn tỉnh; hãy giao địa bàn hoặc đài
err-station-outside-account-s-scope = đài { $id } nằm ngoài phạm vi của tài khoản
err-nobody-approves-rejects-their-own = không được tự phê duyệt đề xuất của chính mình
err-proposal-targets-areas-outside-approver = đề xuất nhắm tới địa bàn ngoài phạm vi phê duyệt của tài khoản

# src/hub/lifecycle.rs
err-rejection-needs-reason = cần nêu lý do từ chối
err-no-action = không có thao tác `{ $what }`

# src/hub/local_clips.rs
err-only-station-s-operator-sends = chỉ người vận hành đài mới gửi thông báo cho đài của mình
err-station-not-one-operator-s = đài { $id } không thuộc các đài tài khoản này vận hành
err-no-station-check-id-on = không có đài `{ $id }`

# src/hub/stations.rs
err-station-id-must-be-z0 = mã đài "{ $id }" chỉ được gồm chữ thường, số và dấu '-' (tối đa 64 ký tự)
err-station-needs-name-name = tên đài không được để trống
err-station-needs-at-least-one = đài cần ít nhất một địa bàn (--areas)
err-station-exists-already-choose-another = đài { $id } đã có
err-enrolment-code-wrong-used-already = mã đăng ký không đúng, đã dùng rồi hoặc đã hết hạn: xin quản trị viên mã mới (loa hub station add)
err-no-station-token-authorization-bearer = thiếu mã truy cập của đài (Authorization: Bearer …)
err-unknown-station-token-enrol-station = mã truy cập của đài không đúng

# src/hub/timetable/bounds.rs
err-program-fires-too-often-cron = chương trình `{ $id }` phát quá dày: cron "{ $expr }" phát { $n } lần trong mỗi phút; hệ thống chỉ nhận chương trình phát nhiều nhất mỗi phút một lần (trường giây chỉ được một giá trị, vd. "0 */5 * * * *")
err-program-fires-too-often-times = chương trình `{ $id }` phát quá dày: hai giờ phát { $a } và { $b } cách nhau dưới 1 phút; hệ thống chỉ nhận chương trình phát nhiều nhất mỗi phút một lần

# src/hub/timetable/mod.rs
err-only-operator-station-admin-over = chỉ người vận hành đài { $station } hoặc quản trị địa bàn của đài mới được thay đổi lịch phát sóng của đài
err-program-has-priority-operators-may = chương trình `{ $id }` có mức ưu tiên { $p }: người vận hành chỉ được đặt từ 1 đến { $operator_max_priority }; mức khẩn cấp (từ 100) phải qua phê duyệt (người phê duyệt hoặc quản trị)
err-target-must-be-program-id = `target` phải là mã chương trình hoặc tên tệp bản tin của đài (không có thư mục)
err-priority-out-range-1 = mức ưu tiên { $p } không hợp lệ: từ 1 đến { $max }

# src/hub/timetable/check.rs
err-no-station-id-2 = không có đài { $station }

# src/hub/auth/password.rs
err-password-must-have-at-least = mật khẩu phải có ít nhất { $min_len } ký tự

# src/hub/auth/session.rs
err-account-disabled-ask-admin = tài khoản này đã bị khóa; hãy hỏi quản trị
err-wrong-account-name-password = sai tên tài khoản hoặc mật khẩu
err-current-password-wrong = mật khẩu hiện tại không đúng
err-new-password-must-differ-from = mật khẩu mới phải khác mật khẩu cũ
err-not-signed-in = chưa đăng nhập
err-session-has-expired-sign-in = phiên làm việc đã hết hạn; hãy đăng nhập lại
err-change-one-time-password-first = hãy đổi mật khẩu dùng một lần trước khi làm việc khác

# src/hub/api/reports.rs
err-format-not-offered-json-csv = định dạng `{ $other }` không hỗ trợ: json, csv, xlsx hoặc svg

# src/hub/api/programs.rs
err-no-such-station = không có đài này
err-programs-must-be-utf-8 = lịch phát sóng phải là văn bản UTF-8
err-body-not-valid-json = nội dung gửi lên không phải JSON hợp lệ: { $e }
err-field-target-program-clip-play = thiếu trường `target` (chương trình hoặc bản tin cần phát)
err-field-priority-must-be-whole = trường `priority` phải là số nguyên dương

# src/hub/api/audit.rs
err-neither-date-yyyy-mm-dd = `{ $s }` không phải ngày (YYYY-MM-DD) hay thời điểm RFC 3339
err-format-not-offered-json-csv-2 = định dạng `{ $f }` không có: json hoặc csv

# src/hub/api/stations.rs
err-field-code-enrolment-code-must = thiếu trường `code` (mã đăng ký)
err-field-note-must-be-string = trường `note` (lý do) phải là chuỗi ký tự
err-field-lines-must-be-list = trường `lines` phải là danh sách các dòng nhật ký

# src/hub/store/serve.rs
err-no-such-file = không có tệp này

# src/hub/pages/account_edit.rs
err-no-such-action = không có thao tác này

# src/hub/pages/timetable.rs
err-priority-not-number = mức ưu tiên «{ $p }» không phải là số

# src/hub/pages/timetable_restore.rs
err-timetable-changed-after-delete-open = lịch đã thay đổi sau khi xóa: mở lại lịch phát sóng và thêm lại chương trình
err-program-in-timetable-already = chương trình { $program } đã có trong lịch
err-timetable-no-has-no-program = lịch số { $from } không có chương trình { $program }

# src/hub/pages/ctx.rs
err-no-such-page = không có trang này; có thể đường dẫn đã cũ hoặc gõ nhầm

# Viết tay (mã, vai trò, trạng thái)
err-bad-heartbeat-own-programs = nhịp báo trạng thái sai: trường `own_programs`: { $reason }
err-category-invalid = chuyên mục `{ $category }` không hợp lệ: dùng chữ thường, chữ số, `.`, `_`, `-` (tối đa 100 ký tự), bắt đầu bằng chữ hoặc số
err-clip-id-invalid = mã bản tin `{ $id }` không hợp lệ: dùng chữ thường, chữ số, `.`, `_`, `-` (tối đa 100 ký tự), bắt đầu bằng chữ hoặc số
err-broadcast-id-invalid = mã lượt phát `{ $id }` không hợp lệ: dùng chữ thường, chữ số, `.`, `_`, `-` (tối đa 100 ký tự), bắt đầu bằng chữ hoặc số
err-role-needed = cần vai trò { $role } ({ $code })
err-role-not-held = không thể giao vai trò { $role } ({ $code }) mà chính tài khoản không có
err-item-not-found = không có { $kind ->
        [clip] bản tin
       *[broadcast] lượt phát
    } `{ $id }`
err-item-wrong-state = { $kind ->
        [clip] bản tin
       *[broadcast] lượt phát
    } `{ $id }` đang ở trạng thái { $state ->
        [draft] bản nháp
        [submitted] chờ duyệt
        [approved] đã phê duyệt
        [rejected] bị từ chối
        [withdrawn] đã thu hồi
       *[other] { $state }
    }, không thể chuyển sang { $want ->
        [submitted] chờ duyệt
        [approved] đã phê duyệt
        [rejected] bị từ chối
        [withdrawn] đã thu hồi
       *[other] { $want }
    }
err-item-disk-full-unsigned = Máy chủ hết dung lượng đĩa: thao tác với { $kind ->
        [clip] bản tin
       *[broadcast] lượt phát
    } `{ $id }` đã được ghi nhận nhưng chưa ký lại được nguồn cấp; nguồn cấp cũ vẫn được phục vụ và sẽ được ký lại khi có chỗ trống
err-item-withdraw-who = chỉ người soạn, người phê duyệt của địa bàn hoặc quản trị mới thu hồi được { $kind ->
        [clip] bản tin
       *[broadcast] lượt phát
    } này
err-length-m = { $m } phút
err-length-m-s = { $m } phút { $s } giây
err-length-h = { $h } giờ
err-length-h-m = { $h } giờ { $m } phút
err-clip-too-long = bản tin dài { $got }, quá giới hạn { $limit } (max_duration); hãy cắt ngắn rồi tải lên lại
err-clip-longer-than = bản tin dài hơn giới hạn { $limit } (max_duration); hãy cắt ngắn rồi tải lên lại
err-signin-too-many-account = đăng nhập sai quá nhiều lần từ tài khoản này; thử lại sau { $retry } giây
err-signin-too-many-address = đăng nhập sai quá nhiều lần từ địa chỉ này; thử lại sau { $retry } giây
err-cross-site = yêu cầu từ trang web khác bị từ chối ({ $why })
err-role-unknown = không có vai trò `{ $role }`: dùng admin (quản trị), editor (biên tập), approver (phê duyệt), operator (vận hành đài) hoặc viewer (xem báo cáo)
err-station-acts-for-other = đài { $own } không được thao tác thay đài { $id }
err-timetable-has-errors = lịch có lỗi: { $first }
err-too-many-connections = địa chỉ này đang mở quá nhiều kết nối tới hệ thống; hãy thử lại sau
err-host-header-twice = yêu cầu có nhiều hơn một tiêu đề Host
err-host-misdirected = địa chỉ máy chủ trong yêu cầu không phải của hệ thống này (kiểm tra public_url)
err-request-too-slow = yêu cầu gửi quá chậm; kết nối bị đóng
err-programs-have-errors = lịch phát sóng có lỗi:
    { $lines }
err-chain-break = chuỗi nhật ký phát sóng bị đứt ở dòng { $index }: nhật ký trên đài đã bị sửa, xóa hoặc gửi sai thứ tự
err-want-object = một đối tượng JSON
err-want-version = một chuỗi, vd. "0.1.0"
err-want-seconds = một số nguyên giây
err-want-time = một thời điểm RFC 3339, vd. 2026-11-29T08:00:00+07:00
err-want-bytes = một số nguyên byte
err-want-strings = một danh sách chuỗi
err-want-null-object = null hoặc một đối tượng
err-want-null-number = null hoặc một số nguyên
err-want-null-string = null hoặc một chuỗi
err-want-file-names = một danh sách tối đa { $max } tên tệp
err-want-timezone = một múi giờ IANA, vd. "Asia/Ho_Chi_Minh"
err-want-windows = một danh sách tối đa { $max } khoảng giờ "HH:MM-HH:MM"
err-want-sha256 = null hoặc 64 chữ số thập lục phân (SHA-256 của own_programs)
err-want-sha256-match = văn bản có SHA-256 đúng bằng own_programs_sha256
err-want-text-bytes = null hoặc văn bản dài tối đa { $max } byte
err-want-heartbeat-s = một số giây từ 1 đến 86400
err-line-not-json = không phải JSON ({ $e })
err-line-field-string = trường `{ $k }` phải là một chuỗi
err-line-prev = trường `prev` phải là 64 chữ số thập lục phân
err-line-scheduled = trường `scheduled` phải là thời điểm RFC 3339
err-line-event = trường `event` phải là on_air hoặc outcome
err-tts-unknown-field = trường `{ $field }` không có trong bản tin bằng chữ (các trường nhận: { $fields })
err-public-flag = public `{ $value }` không hợp lệ: ghi true hoặc false
err-public-unknown-area = không có địa bàn mã `{ $code }`
err-public-no-bulletin = không có bản tin này trên trang công khai
err-public-no-file = không có tệp này
