# Lỗi cấu hình do «loa check» và trình sửa chương trình báo (mã check-… kèm tham số).
check-warning = cảnh báo:
check-summary-errors = loa: cấu hình có { $n } lỗi; không có gì bị thay đổi.
check-program-id-invalid = Mã chương trình «{ $id }» không hợp lệ: chỉ dùng chữ thường a-z, chữ số và dấu '-'.
check-program-id-invalid-hint = Mã chương trình «{ $id }» không hợp lệ: chỉ dùng chữ thường a-z, chữ số và dấu '-', ví dụ «{ $hint }».
check-until-before-from = Ngày kết thúc { $until } trước ngày bắt đầu { $from }: chương trình sẽ không bao giờ phát; hãy đổi lại hai ngày.
check-no-schedule = Chương trình chưa có giờ phát: thêm đúng một trong «at» (giờ trong ngày), «cron» hoặc «on_start».
check-at-empty = Chưa có giờ phát nào: nhập một hoặc nhiều giờ, ví dụ 05:00, 17:00.
check-at-twice = Giờ { $time } được nhập hai lần: chương trình chỉ phát một lần.
check-days-empty = Chưa chọn ngày nào nên chương trình sẽ không bao giờ phát: chọn ít nhất một ngày (T2…CN).
check-day-invalid = «{ $value }» không phải là một ngày trong tuần: dùng T2, T3, T4, T5, T6, T7, CN.
check-play-empty = Danh sách phát trống: chương trình cần ít nhất một mục (tệp, bản tin, chuyên mục…).
check-missing-key = Thiếu mục «{ $key }»: thêm, ví dụ { $example }.
check-time-invalid = «{ $value }» không phải là giờ trong ngày: viết như 05:00, 11:30 hoặc 17:45:30.
check-only-programs = «{ $key }» không được phép ở đây: lịch hệ thống gửi cho đài chỉ chứa các chương trình ([[program]]).
check-station-no-file = Đài không có tệp «{ $name }» trong thư mục tệp phát: chép tệp lên đài, hoặc chọn một tệp đài đang có.
check-clip-unknown = Không có bản tin đã duyệt «{ $id }» nào đến được đài này: tải lên và duyệt cho địa bàn của đài trước, hoặc kiểm tra lại mã.
check-file-name-only = Lịch hệ thống chỉ ghi tên tệp của đài (ví dụ «chime.ogg»): không có thư mục, đường dẫn hay tệp ẩn.
check-duplicate-id = Mã chương trình «{ $id }» bị trùng: chương trình ở dòng { $line } đã dùng mã này; mỗi chương trình cần một mã riêng.
check-no-programs = Cấu hình chưa có chương trình nào ([[program]]): đài sẽ không phát gì.
check-invalid-toml = Sai cú pháp TOML ở đây (thiếu dấu nháy, ngoặc hoặc dấu «=»): sửa lại dòng này.

check-cannot-read = Không đọc được tệp cấu hình { $path }: { $error }; kiểm tra đường dẫn (--config hoặc biến LOA_CONFIG) và quyền đọc tệp.
check-not-utf8 = Tệp cấu hình không phải văn bản UTF-8: lưu lại tệp dưới dạng UTF-8 (hầu hết trình soạn thảo có mục «UTF-8» khi Lưu thành).
check-no-station = Cấu hình chưa có bảng [station]: thêm bảng này, ít nhất với tên đài, ví dụ [station] name = "Đài truyền thanh xã Phước Dinh".
check-section-not-table = «{ $key }» phải là một bảng, viết [{ $key }] trên một dòng riêng rồi đến các mục của nó (ở đây là { $found ->
        [string] một chuỗi chữ
        [integer] một số nguyên
        [number] một số
        [boolean] true hoặc false
        [datetime] một ngày giờ
        [array] một danh sách […]
        [table] một bảng
        [lufs] một số LUFS hoặc "off"
        [size] một dung lượng
        [whole-number] một số nguyên
       *[other] { $found }
    }).
check-program-brackets = Mỗi chương trình viết là [[program]] (hai dấu ngoặc vuông), mỗi chương trình một bảng như vậy.
check-programs-not-tables = Các chương trình phải viết thành các bảng [[program]] (ở đây là { $found ->
        [string] một chuỗi chữ
        [integer] một số nguyên
        [number] một số
        [boolean] true hoặc false
        [datetime] một ngày giờ
        [array] một danh sách […]
        [table] một bảng
        [lufs] một số LUFS hoặc "off"
        [size] một dung lượng
        [whole-number] một số nguyên
       *[other] { $found }
    }).
check-program-not-table = Mỗi chương trình là một bảng [[program]] có mã (id), giờ phát và danh sách phát (play).
check-duplicate-key = Mục «{ $key }» bị lặp: mỗi mục (hoặc mỗi [bảng]) chỉ được xuất hiện một lần; gộp hai chỗ lại hoặc xóa bớt một.
check-invalid-toml-quote = Sai cú pháp TOML ở đây: chữ phải nằm trong dấu nháy kép, ví dụ name = "Đài".
check-file-missing = Không tìm thấy tệp phát { $path } (tên tệp trong «play» được tìm trong thư mục [paths] clips = { $clips }).
check-file-missing-skip = Không tìm thấy tệp phát { $path } (tên tệp trong «play» được tìm trong thư mục [paths] clips = { $clips }); đến giờ phát, đài sẽ bỏ qua mục này.
check-file-not-file = { $path } không phải là một tệp (có thể là thư mục): hãy ghi tên một tệp âm thanh.
check-file-not-file-skip = { $path } không phải là một tệp (có thể là thư mục): hãy ghi tên một tệp âm thanh; đến giờ phát, đài sẽ bỏ qua mục này.
check-cannot-decode = Không giải mã được { $path } ({ $error }): kiểm tra tệp phát được và có định dạng { $formats }.
check-unknown-key = Không có mục «{ $key }» ở chỗ này; các mục hợp lệ ở đây: { $keys }.
check-unknown-key-hint = Không có mục «{ $key }» ở chỗ này: có phải ý bạn là «{ $best }»?
check-unknown-key-section = Mục «{ $key }» không đặt ở chỗ này: nó thuộc bảng { $section }.
check-wrong-type = «{ $key }» phải là { $want ->
        [string] một chuỗi chữ
        [integer] một số nguyên
        [number] một số
        [boolean] true hoặc false
        [datetime] một ngày giờ
        [array] một danh sách […]
        [table] một bảng
        [lufs] một số LUFS hoặc "off"
        [size] một dung lượng
        [whole-number] một số nguyên
       *[other] { $want }
    }, ví dụ { $example } (ở đây là { $found ->
        [string] một chuỗi chữ
        [integer] một số nguyên
        [number] một số
        [boolean] true hoặc false
        [datetime] một ngày giờ
        [array] một danh sách […]
        [table] một bảng
        [lufs] một số LUFS hoặc "off"
        [size] một dung lượng
        [whole-number] một số nguyên
       *[other] { $found }
    }).
check-empty = «{ $key }» đang để trống: viết ví dụ { $example }.
check-empty-string = Có một chuỗi trống trong «{ $key }»: viết ví dụ { $example }.
check-whole-number-range = «{ $key }» phải là số nguyên từ 0 đến { $max }, ví dụ { $example }.
check-volume-percent = «{ $key }» là một số từ 0.0 đến 1.0, không phải phần trăm: viết { $key } = { $fraction } thay cho { $value }.
check-volume-range = «{ $key }» = { $value } nằm ngoài khoảng cho phép: đây là tỉ lệ từ 0.0 (im lặng) đến 1.0 (to nhất), ví dụ { $example }.
check-not-string-element = Mọi phần tử của «{ $key }» phải là chuỗi chữ trong dấu nháy, ví dụ { $example } (ở đây là { $found ->
        [string] một chuỗi chữ
        [integer] một số nguyên
        [number] một số
        [boolean] true hoặc false
        [datetime] một ngày giờ
        [array] một danh sách […]
        [table] một bảng
        [lufs] một số LUFS hoặc "off"
        [size] một dung lượng
        [whole-number] một số nguyên
       *[other] { $found }
    }).
check-duration-no-unit = «{ $key }» cần có đơn vị, đặt trong dấu nháy: viết "{ $n }s" nếu là giây, "{ $n }m" nếu là phút.
check-duration-invalid = «{ $key }»: "{ $value }" không phải là một khoảng thời gian: viết ví dụ "90s", "15m", "1h30m" hoặc "500ms" (đơn vị d ngày, h giờ, m phút, s giây, ms; mỗi đơn vị một lần, lớn trước nhỏ sau).
check-duration-zero = «{ $key }» phải dài hơn 0 giây, ví dụ { $key } = "2m".
check-date-invalid = «{ $key }»: "{ $value }" không phải là một ngày có thật: viết dạng "YYYY-MM-DD" (năm-tháng-ngày), ví dụ "2026-01-31" là ngày 31/01/2026.
check-times-as-strings = «{ $key }» nhận giờ trong ngày viết trong dấu nháy, ví dụ { $key } = ["05:00", "17:00"] (ở đây là { $found ->
        [string] một chuỗi chữ
        [integer] một số nguyên
        [number] một số
        [boolean] true hoặc false
        [datetime] một ngày giờ
        [array] một danh sách […]
        [table] một bảng
        [lufs] một số LUFS hoặc "off"
        [size] một dung lượng
        [whole-number] một số nguyên
       *[other] { $found }
    }).
check-item-kind = Mỗi mục trong «{ $key }» là một tên tệp hoặc một bảng viết trên một dòng, ví dụ { $forms } (ở đây là { $found ->
        [string] một chuỗi chữ
        [integer] một số nguyên
        [number] một số
        [boolean] true hoặc false
        [datetime] một ngày giờ
        [array] một danh sách […]
        [table] một bảng
        [lufs] một số LUFS hoặc "off"
        [size] một dung lượng
        [whole-number] một số nguyên
       *[other] { $found }
    }).
check-item-empty-name = Tên tệp trong danh sách phát đang để trống: viết ví dụ { $forms }.
check-item-url = "{ $url }" là một địa chỉ mạng, không phải tệp: để tiếp sóng, viết { $example }.
check-item-empty = Mục phát đang để trống: viết ví dụ { $forms }.
check-item-no-kind = Mục phát này không có «silence», «category», «clip» hay «stream»: viết ví dụ { $forms }.
check-item-two-kinds = Mỗi mục phát chỉ là một thứ: mục này có cả «{ $first }» và «{ $second }»; hãy tách thành hai mục.
check-count-zero = «count» phải ít nhất là 1, ví dụ { $example }.
check-stream-not-http = Nguồn tiếp sóng "{ $url }" phải là địa chỉ http:// hoặc https://, ví dụ { $example }.
check-stream-spaces = Nguồn tiếp sóng "{ $url }" không phải địa chỉ hợp lệ: có dấu cách hoặc ký tự điều khiển.
check-stream-no-host = Nguồn tiếp sóng "{ $url }" thiếu tên máy chủ, ví dụ { $example }.
check-stream-invalid = Nguồn tiếp sóng "{ $url }" không phải địa chỉ hợp lệ, ví dụ { $example }.
check-stream-credentials = Nguồn tiếp sóng "{ $url }" không được chứa tên đăng nhập hay mật khẩu.
check-stream-no-fallback = Nguồn tiếp sóng này chưa có «fallback»: nếu không tiếp sóng được hoặc bị im lặng thì trong khung giờ đó sẽ không phát gì; hãy thêm fallback = [ ... ] với một chuyên mục hoặc một bản tin.
check-two-schedules = Chương trình có cả «{ $first }» và «{ $other }»: chỉ giữ đúng một trong «at», «cron», «on_start» (muốn lịch khác thì tạo thêm một chương trình).
check-cron-five-fields = Biểu thức cron "{ $expr }" có 5 trường như một dòng crontab, nhưng cron ở đây bắt đầu bằng giây: thử "{ $suggestion }".
check-cron-invalid = Biểu thức cron "{ $expr }" không hợp lệ: cần 6 hoặc 7 trường, giây đứng đầu (giây phút giờ ngày tháng thứ [năm]), ví dụ "0 0 5 * * Mon-Sat" là 05:00 từ T2 đến T7.
check-cron-dow = Cron đếm thứ trong tuần từ 1 = CN đến 7 = T7, nên "{ $dow }" ở đây nghĩa là "{ $names }"; hãy viết tên ngày cho rõ.
check-cron-dow-crontab = Cron đếm thứ trong tuần từ 1 = CN đến 7 = T7, nên "{ $dow }" ở đây nghĩa là "{ $names }"; hãy viết tên ngày cho rõ ("{ $crontab }" nếu bạn định đếm kiểu crontab).
check-cron-dow-unusual = Cron đếm thứ trong tuần từ 1 = CN đến 7 = T7, nên "{ $dow }" ở đây có nghĩa lạ; hãy viết tên ngày cho rõ.
check-cron-dow-unusual-crontab = Cron đếm thứ trong tuần từ 1 = CN đến 7 = T7, nên "{ $dow }" ở đây có nghĩa lạ; hãy viết tên ngày cho rõ ("{ $crontab }" nếu bạn định đếm kiểu crontab).
check-language-invalid = «language»: "{ $value }" không phải ngôn ngữ của dòng lệnh: viết "vi" hoặc "en".
check-timezone-unknown = Không có múi giờ "{ $value }": viết tên IANA như "Asia/Ho_Chi_Minh" (Việt Nam), hoặc bỏ «timezone» để dùng múi giờ của máy.
check-device-wav-path = «device» "wav:" cần đường dẫn tệp, ví dụ device = "wav:/tmp/on-air.wav".
check-quiet-invalid = «quiet_hours»: "{ $value }" không phải một khung giờ gồm hai giờ khác nhau: viết "HH:MM-HH:MM", ví dụ "21:30-05:00".
check-quiet-overlap = Giờ yên lặng "{ $value }" trùng với "{ $other }" (dòng { $line }): gộp lại thành một khung giờ.
check-command-empty = «{ $key }» đang để trống: ghi lệnh và các tham số của nó, ví dụ { $example }, hoặc xóa mục này.
check-command-name-empty = «{ $key }»: tên lệnh đang để trống, ví dụ { $example }.
check-loudness-text = «loudness» = "{ $value }": cần một số LUFS hoặc "off", ví dụ { $example }.
check-loudness-range = «loudness» = { $value } nằm ngoài khoảng cho phép: mức LUFS phải từ -70 đến 0, ví dụ { $example }.
check-feed-not-table = Mỗi «[[feed]]» phải là một bảng có «url» và «public_key».
check-feed-url-scheme = «url» "{ $url }" phải bắt đầu bằng http://, https:// hoặc file://, ví dụ { $example }.
check-size-negative = «max_store» phải là một dung lượng dương, ví dụ { $example }.
check-size-invalid = «max_store»: "{ $value }" không phải một dung lượng: viết số kèm đơn vị (B, kB, MB, GB, TB hoặc KiB, MiB, GiB, TiB), ví dụ "4GiB".
check-hub-config = Tệp cấu hình hệ thống có lỗi (chi tiết bằng tiếng Anh): { $detail }
