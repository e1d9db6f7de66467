# Những gì dòng lệnh của đài in ra ngoài lỗi cấu hình (dòng tổng kết của
# «loa check», «loa play» / «stop» / «status» / «reload» / «log»): mã cli-….
cli-check-hub-error = { $path }: lịch từ hệ thống không dùng được: { $error }
cli-check-hub-note = { $path }: ghi chú: { $n } chương trình từ lịch của hệ thống (số { $seq }) cũng được phát
cli-check-feed-category = { $path }: cảnh báo: chương trình «{ $id }»: trong kho không có bản tin nào thuộc chuyên mục «{ $category }» còn hiệu lực hôm nay cho đài này (chạy «loa sync», hoặc đăng một bản tin)
cli-check-feed-clip = { $path }: cảnh báo: chương trình «{ $id }»: bản tin «{ $clip }» không có trong kho, hoặc hôm nay không còn hiệu lực cho đài này
cli-check-ok-next = ổn: { $path } — { $programs } chương trình, { $warnings } cảnh báo; lần phát tới: { $program } lúc { $when }
cli-check-ok-nothing = ổn: { $path } — { $programs } chương trình, { $warnings } cảnh báo; 8 ngày tới không có gì được lên lịch phát
cli-streams-none = tiếp sóng: cấu hình này không có nguồn tiếp sóng nào
cli-stream-ok = tiếp sóng { $url }: được, có tiếng sau { $seconds } giây
cli-stream-failed = tiếp sóng { $url }: hiện không tiếp sóng được: { $why }
cli-stream-silent = tiếp sóng { $url }: hiện không tiếp sóng được: không có tiếng trong { $seconds } giây
cli-no-daemon = loa chưa chạy (không có ổ điều khiển { $socket }): khởi động bằng «systemctl start loa» hoặc «loa run»
cli-no-daemon-stale = loa chưa chạy (ổ điều khiển { $socket } không trả lời): khởi động bằng «systemctl start loa» hoặc «loa run»
cli-permission-denied = không vào được ổ điều khiển { $socket } của loa: không có quyền — hãy chạy bằng root hoặc bằng một người dùng trong nhóm loa
cli-timeout = loa không trả lời trong { $seconds } giây qua { $socket }: chương trình đang bận hoặc bị treo; xem nhật ký («journalctl -u loa»)
cli-protocol = loa trả lời không đúng dạng qua { $socket }: { $detail } («loa» và chương trình đang chạy có cùng phiên bản không?)
cli-io = không liên lạc được với loa qua { $socket }: { $error }
cli-refused = đài từ chối yêu cầu: { $reason }
cli-cmd-play-unknown = không phát được «{ $target }»: đài không có chương trình hay tệp phát nào tên như vậy. Các chương trình của đài: { $programs }.
cli-cmd-play-busy = chưa phát được «{ $target }»: «{ $current }» (mức ưu tiên { $priority }) đang phát; dùng --priority { $needed } để ngắt, hoặc chạy «loa stop» trước.
cli-cmd-play-queued = chưa phát được «{ $target }»: «{ $waiting }» đang chờ bắt đầu; hãy thử lại sau giây lát.
cli-cmd-stop-nothing = không có gì đang phát
cli-cmd-stop-already = «{ $current }» đang dừng rồi
cli-cmd-reload-invalid = cấu hình mới có lỗi: đài không nhận và lịch cũ vẫn tiếp tục phát
cli-play-no-file = { $target }: không mở được tệp ({ $error })
cli-play-starting = đang bắt đầu: { $occurrence } (đang giảm dần tiếng chương trình đang phát)
cli-play-on-air = đang phát: { $occurrence }
cli-stopped = đã dừng: { $occurrence }
cli-reloaded = đã nạp lại: { $n } chương trình
cli-log-none = { $file }: chưa có nhật ký phát (chưa phát gì)
cli-log-ok = ổn: { $file }: { $n } bản ghi, chuỗi kiểm tra còn nguyên vẹn
cli-log-broken = { $file }:{ $line }: chuỗi kiểm tra bị đứt: { $why }
cli-status-now = Bây giờ: { $now } ({ $tz }) · chạy từ { $since }
cli-status-clock-untrusted = Đồng hồ: CHƯA ĐÁNG TIN: giờ hệ thống sớm hơn bản ghi phát sóng mới nhất, chưa lên lịch gì cho đến khi chỉnh lại giờ
cli-status-on-air-none = Đang phát: không
cli-status-on-air = Đang phát: { $title } [{ $program }] · mức ưu tiên { $priority }
cli-status-on-air-since = từ { $since } · đã phát { $elapsed }
cli-status-item = mục: { $item } ở { $position }
cli-status-between-items = mục: (giữa hai mục)
cli-status-next-none = Tiếp theo: không có
cli-status-next = Tiếp theo:
cli-status-next-item = { $start } ({ $day }) { $title } [{ $program }] · { $due ->
        [yes] đến giờ
       *[no] còn { $left }
    }{ $emergency ->
        [yes] {" "}· KHẨN CẤP (mức { $priority })
       *[no] {""}
    }
cli-status-feed-none = Nguồn tin: chưa cấu hình
cli-status-feed = Nguồn tin: { $result }
cli-status-feed-sequence = số { $n }
cli-status-feed-at = lúc { $at }
cli-status-feed-never = chưa đồng bộ lần nào
cli-status-feed-stale = HẾT HẠN (đang phát từ kho)
cli-status-store = Kho: { $clips } tệp · { $bytes }
cli-status-output = Đầu ra: { $device } · { $state ->
        [closed] đóng (mở trước giờ phát)
        [ready] sẵn sàng
        [on-air] đang phát
       *[failed] LỖI, đang thử lại
    }
cli-status-output-error = Đầu ra: { $device } · { $state ->
        [closed] đóng (mở trước giờ phát)
        [ready] sẵn sàng
        [on-air] đang phát
       *[failed] LỖI, đang thử lại
    }: { $error }
