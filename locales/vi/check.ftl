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
