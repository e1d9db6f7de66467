# Chung: tên ngôn ngữ và các từ dùng khắp nơi.
lang-name = Tiếng Việt
catalogue-test = { $who }: { $n } mục
confirm-title = Xác nhận
confirm-back = Quay lại, không làm gì
