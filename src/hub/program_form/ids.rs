//! A program's id (SPEC.md: `[a-z0-9-]+`, unique) made from its title, so
//! nobody has to type one: Vietnamese folded to ASCII ("Bản tin trưa" →
//! `ban-tin-trua`, đ → d) by the feed's own `slug`, and made unique among the
//! ids already taken (the hub's other programs and the station's own) by a
//! suffix `-2`, `-3`, ….

use crate::feed::publish::slug;

/// The longest id made from a title (a suffix may add a few characters).
const MAX_BASE: usize = 60;

/// The id a title folds to ("" when nothing of it is a letter or digit).
pub fn fold_id(title: &str) -> String {
    let mut s = slug(title);
    s.truncate(MAX_BASE);
    s.trim_end_matches('-').to_string()
}

/// `base`, else `base-2`, `base-3`, … — the first not in `taken`.
pub fn unique_id(base: &str, taken: &[String]) -> String {
    let free = |s: &str| !taken.iter().any(|t| t == s);
    if free(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|s| free(s))
        .expect("a free suffix")
}

/// A new program's id from its title, unique in `taken`; "chuong-trinh"
/// when the title has no letter or digit.
pub fn id_from_title(title: &str, taken: &[String]) -> String {
    let base = match fold_id(title) {
        b if b.is_empty() => "chuong-trinh".to_string(),
        b => b,
    };
    unique_id(&base, taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taken(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn vietnamese_titles_fold_to_ascii_ids() {
        for (title, want) in [
            ("Bản tin trưa", "ban-tin-trua"),
            ("Thời sự 6 giờ", "thoi-su-6-gio"),
            ("Đài xã Tân Hòa", "dai-xa-tan-hoa"),
            ("Đài xã Tân Hoà", "dai-xa-tan-hoa"),
            ("ĐẠI HỘI ĐOÀN", "dai-hoi-doan"),
            (
                "Phòng chống dịch sốt xuất huyết",
                "phong-chong-dich-sot-xuat-huyet",
            ),
            ("Tin bão số 9 — khẩn!", "tin-bao-so-9-khan"),
            ("Nhạc: Quê hương (buổi sáng)", "nhac-que-huong-buoi-sang"),
            ("Cải cách hành chính", "cai-cach-hanh-chinh"),
            ("Giờ   phát\tthử", "gio-phat-thu"),
            ("Lúa – Ngô – Khoai", "lua-ngo-khoai"),
            ("Người ở ấp Ưu Đãi", "nguoi-o-ap-uu-dai"),
            ("ỹ ữ ợ ặ ể ộ ị", "y-u-o-a-e-o-i"),
            // Decomposed (NFD) input: the marks are dropped.
            ("Ba\u{309}n tin", "ban-tin"),
            ("  -- Sáng --  ", "sang"),
        ] {
            assert_eq!(id_from_title(title, &[]), want, "{title}");
        }
    }

    #[test]
    fn ids_are_unique_by_suffix() {
        let t = taken(&["ban-tin-trua", "ban-tin-trua-2", "sang"]);
        assert_eq!(id_from_title("Bản tin trưa", &t), "ban-tin-trua-3");
        assert_eq!(
            id_from_title("Bản tin trưa", &taken(&["ban-tin-trua"])),
            "ban-tin-trua-2"
        );
        // A gap is reused; an id that merely starts the same is no clash.
        let t = taken(&["ban-tin-trua", "ban-tin-trua-3"]);
        assert_eq!(id_from_title("Bản tin trưa", &t), "ban-tin-trua-2");
        assert_eq!(id_from_title("Bản tin", &t), "ban-tin");
        assert_eq!(id_from_title("Sáng", &taken(&["sang"])), "sang-2");
    }

    #[test]
    fn titles_with_nothing_to_fold_and_long_titles() {
        assert_eq!(id_from_title("!!!", &[]), "chuong-trinh");
        assert_eq!(
            id_from_title("", &taken(&["chuong-trinh"])),
            "chuong-trinh-2"
        );
        let long = "Thông báo của Ủy ban nhân dân xã về việc tổ chức tiêm chủng mở rộng đợt hai";
        let id = id_from_title(long, &[]);
        assert!(id.len() <= MAX_BASE && !id.ends_with('-'), "{id}");
        assert!(id.starts_with("thong-bao-cua-uy-ban"), "{id}");
        assert!(id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
    }
}
