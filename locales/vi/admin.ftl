# Quản trị: tài khoản, nhật ký thao tác, trang lỗi.
admin-accounts-title = Tài khoản
admin-account-title = Tài khoản { $name }
admin-back = ← Danh sách tài khoản
admin-col-name = Tên
admin-col-reach = Phạm vi
admin-col-state = Trạng thái
admin-col-action = Thao tác
admin-create = Tạo tài khoản
admin-edit = Sửa
admin-edit-heading = Vai trò, đài và địa bàn
admin-save = Lưu thay đổi
admin-saved = Đã lưu tài khoản { $name }.
admin-field-name = Tên tài khoản
admin-hint-name = 2–64 chữ cái, chữ số, dấu . _ - @ (ví dụ: van-hanh-tan-hoa)
admin-field-roles = Vai trò
admin-field-stations = Đài
admin-hint-stations = Người vận hành đài chỉ làm việc với các đài được chọn ở đây.
admin-no-stations = Chưa có đài nào trong phạm vi của bạn.
admin-field-areas = Địa bàn
admin-hint-areas = Biên tập, phê duyệt, xem báo cáo trong các địa bàn được chọn.
admin-one-time-given = Mật khẩu dùng một lần của { $name } (chỉ hiện lần này; đổi khi đăng nhập lần đầu):
admin-reach-all = { $roles } — toàn tỉnh
admin-reach-operator = Vận hành đài { $stations }
admin-reach-stations = { $roles } — đài { $stations }
admin-reach-areas = { $roles } — { $areas }
admin-reach-both = { $roles } — { $areas }; đài { $stations }
admin-state-active = Đang dùng
admin-state-one-time = Chưa đổi mật khẩu dùng một lần
admin-state-disabled = Đã khóa
admin-reset-heading = Đặt lại mật khẩu
admin-reset-hint = Tạo mật khẩu dùng một lần mới để đưa cho người dùng; mật khẩu cũ hết hiệu lực và các phiên đăng nhập kết thúc.
admin-reset = Tạo mật khẩu mới
admin-disable-heading = Khóa tài khoản
admin-disable-hint = Tài khoản bị khóa không đăng nhập được; các phiên đang mở kết thúc. Có thể mở khóa lại.
admin-disable = Khóa tài khoản
admin-disabled = Đã khóa tài khoản { $name }.
admin-enable-heading = Tài khoản đang bị khóa
admin-enable = Mở khóa tài khoản
admin-enabled = Đã mở khóa tài khoản { $name }.
admin-error-401 = Cần đăng nhập
admin-error-403 = Không được phép
admin-error-404 = Không tìm thấy
admin-error-500 = Lỗi hệ thống
admin-error-other = Không thực hiện được
admin-error-home = Về trang chính
admin-audit-title = Nhật ký thao tác
admin-audit-chain-ok = Nhật ký nguyên vẹn: { $n } dòng, không dòng nào bị sửa hay xóa.
admin-audit-chain-broken = Nhật ký bị phá vỡ tại dòng { $row }: có dòng đã bị sửa hoặc xóa.
admin-audit-who = Ai
admin-audit-anyone = Mọi người
admin-audit-what = Việc gì
admin-audit-anything = Mọi việc
admin-audit-from = Từ ngày
admin-audit-to = Đến ngày
admin-audit-apply = Lọc
admin-audit-clear = Bỏ lọc
admin-audit-count = { $n } dòng · trang { $page }/{ $pages }
admin-audit-meta = Dòng { $id } · { $at } · từ địa chỉ { $address }
admin-audit-meta-local = Dòng { $id } · { $at } · trên chính máy chủ
admin-audit-empty = Không có dòng nào khớp bộ lọc.
admin-audit-pages = Trang
admin-audit-newer = ← Mới hơn
admin-audit-older = Cũ hơn →
admin-audit-csv = Tải xuống toàn bộ (CSV)
admin-audit-group-sign-in = Đăng nhập, mật khẩu
admin-audit-group-accounts = Tài khoản
admin-audit-group-clips = Bản tin
admin-audit-group-broadcasts = Phát ngay
admin-audit-group-stations = Đài
admin-audit-group-timetables = Lịch phát sóng, điều khiển đài
admin-audit-login = { $who } đã đăng nhập lúc { $at }
admin-audit-login-failed = Có người đăng nhập sai vào tài khoản { $what } lúc { $at }
admin-audit-logout = { $who } đã đăng xuất lúc { $at }
admin-audit-password-change = { $who } đã đổi mật khẩu lúc { $at }
admin-audit-password-change-failed = { $who } nhập sai mật khẩu cũ khi đổi mật khẩu lúc { $at }
admin-audit-user-add = { $who } đã tạo tài khoản { $what } lúc { $at }
admin-audit-user-add-refused = { $who } bị từ chối khi tạo tài khoản { $what } lúc { $at }
admin-audit-user-edit = { $who } đã sửa vai trò, đài, địa bàn của tài khoản { $what } lúc { $at }
admin-audit-user-change-refused = { $who } bị từ chối khi thay đổi tài khoản { $what } lúc { $at }
admin-audit-user-password-reset = { $who } đã đặt lại mật khẩu của tài khoản { $what } lúc { $at }
admin-audit-user-disable = { $who } đã khóa tài khoản { $what } lúc { $at }
admin-audit-user-enable = { $who } đã mở khóa tài khoản { $what } lúc { $at }
admin-audit-clip-upload = { $who } đã tải lên bản tin «{ $what }» lúc { $at }
admin-audit-clip-upload-refused = { $who } bị từ chối khi tải lên bản tin cho { $what } lúc { $at }
admin-audit-clip-submit = { $who } đã gửi duyệt bản tin «{ $what }» lúc { $at }
admin-audit-clip-approve = { $who } đã phê duyệt bản tin «{ $what }» lúc { $at }
admin-audit-clip-reject = { $who } đã từ chối bản tin «{ $what }» lúc { $at }
admin-audit-clip-withdraw = { $who } đã thu hồi bản tin «{ $what }» lúc { $at }
admin-audit-broadcast-propose = { $who } đã đề xuất phát ngay «{ $what }» lúc { $at }
admin-audit-broadcast-approve = { $who } đã phê duyệt phát ngay «{ $what }» lúc { $at }
admin-audit-broadcast-reject = { $who } đã từ chối phát ngay «{ $what }» lúc { $at }
admin-audit-broadcast-withdraw = { $who } đã thu hồi phát ngay «{ $what }» lúc { $at }
admin-audit-station-add = { $who } đã thêm { $named ->
        [yes] { $what }
       *[no] đài { $what }
    } lúc { $at }
admin-audit-station-enroll = { $named ->
        [yes] { $what }
       *[no] Đài { $what }
    } đã kết nối với hệ thống lúc { $at }
admin-audit-station-enroll-failed = Một đài dùng mã kết nối sai lúc { $at }
admin-audit-timetable-publish = { $who } đã phát hành lịch phát sóng của { $named ->
        [yes] { $what }
       *[no] đài { $what }
    } lúc { $at }
admin-audit-timetable-publish-refused = { $who } bị từ chối khi phát hành lịch phát sóng của { $named ->
        [yes] { $what }
       *[no] đài { $what }
    } lúc { $at }
admin-audit-remote-play = { $who } đã ra lệnh phát ngay tại { $named ->
        [yes] { $what }
       *[no] đài { $what }
    } lúc { $at }
admin-audit-remote-play-refused = { $who } bị từ chối khi ra lệnh phát ngay tại { $named ->
        [yes] { $what }
       *[no] đài { $what }
    } lúc { $at }
admin-audit-remote-stop = { $who } đã ra lệnh dừng phát tại { $named ->
        [yes] { $what }
       *[no] đài { $what }
    } lúc { $at }
admin-audit-remote-stop-refused = { $who } bị từ chối khi ra lệnh dừng phát tại { $named ->
        [yes] { $what }
       *[no] đài { $what }
    } lúc { $at }
admin-audit-asrun-break = Nhật ký phát sóng của { $named ->
        [yes] { $what }
       *[no] đài { $what }
    } bị đứt đoạn (phát hiện lúc { $at })
admin-audit-asrun-break-ack = { $who } đã xác nhận chỗ đứt đoạn trong nhật ký phát sóng của { $named ->
        [yes] { $what }
       *[no] đài { $what }
    } lúc { $at }
admin-audit-restore = { $who } đã khôi phục hệ thống từ bản sao lưu lúc { $at }
admin-audit-remote-command-refused = { $who } bị từ chối khi ra lệnh điều khiển { $named ->
        [yes] { $what }
       *[no] đài { $what }
    } lúc { $at }
admin-audit-init = { $who } đã khởi tạo hệ thống lúc { $at }
admin-audit-areas-import = { $who } đã nạp danh mục đơn vị hành chính từ tệp { $what } lúc { $at }
admin-audit-clip-resubmit = { $who } đã sửa và gửi duyệt lại bản tin «{ $what }» lúc { $at }
admin-audit-actor-cli = Quản trị trên máy chủ (dòng lệnh)
admin-audit-actor-cli-named = { $name } (dòng lệnh trên máy chủ)
admin-audit-actor-unknown = Người chưa đăng nhập
admin-audit-other = { $who }: { $action } — { $what } lúc { $at }
