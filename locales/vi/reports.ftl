# Báo cáo.
