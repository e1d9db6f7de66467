# Chuỗi nhật ký phát sóng của một đài: các chỗ đứt và việc xác nhận chỗ đứt (trang một đài).
chain-ack-help = Sau khi kiểm tra đài (ví dụ: hộp được cài lại, thẻ nhớ được thay), xác nhận để hệ thống nhận tiếp nhật ký từ dòng mới nhất của đài. Chỗ đứt vẫn được ghi lại và hiện trong báo cáo.
chain-ack-note = Lý do
chain-ack-button = Xác nhận chỗ đứt
chain-breaks-title = Các chỗ đứt đã xác nhận
chain-break-found = Phát hiện { $at } · dòng đáng ngờ sau { $from }
chain-break-acked = Xác nhận bởi { $who } { $at }: { $note }
chain-break-acked-waiting = Xác nhận bởi { $who } { $at }: { $note } · chờ đài gửi tiếp
