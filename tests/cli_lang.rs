//! `loa check` speaks the station's language: Vietnamese with `LANG=vi_VN…`
//! or `[station] language = "vi"`, English otherwise (byte for byte as
//! before), the `file:line:col` positions the same in both.

mod common;

use common::*;

fn check(st: &Station, env: &[(&str, &str)]) -> std::process::Output {
    let mut c = loa();
    for k in ["LOA_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        c.env_remove(k);
    }
    c.envs(env.iter().copied())
        .arg("--config")
        .arg(st.config_path())
        .arg("check")
        .output()
        .unwrap()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A config with a bad time at line 15 col 7 and an invalid program id at 14:6.
const BROKEN: &str = "[[program]]\nid = \"Bản tin\"\nat = [\"25:00\"]\nplay = [\"chuong.wav\"]\n";

#[test]
fn check_prints_vietnamese_diagnostics_with_positions_under_a_vietnamese_locale() {
    let st = Station::new();
    st.tone("chuong.wav", 440.0, 0.2);
    st.write_config(BROKEN);
    let cfg = st.config_path().display().to_string();
    let o = check(&st, &[("LANG", "vi_VN.UTF-8")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "{cfg}:15:7: «25:00» không phải là giờ trong ngày: viết như 05:00, 11:30 hoặc 17:45:30."
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{cfg}:14:6: Mã chương trình «Bản tin» không hợp lệ"
        )),
        "{err}"
    );
    assert!(
        err.contains("loa: cấu hình có 2 lỗi; không có gì bị thay đổi."),
        "{err}"
    );
    assert!(!err.contains("is not valid"), "English left:\n{err}");

    // English otherwise, as before.
    let o = check(&st, &[("LANG", "C.UTF-8")]);
    let err = stderr(&o);
    assert!(err.contains(&format!("{cfg}:15:7: `at`:")), "{err}");
    assert!(
        err.contains("the config has 2 error(s); nothing was changed"),
        "{err}"
    );
}

#[test]
fn the_station_config_can_choose_vietnamese() {
    let st = Station::new();
    st.tone("chuong.wav", 440.0, 0.2);
    st.write_config(BROKEN);
    let text = std::fs::read_to_string(st.config_path()).unwrap();
    let text = text.replacen("[station]\n", "[station]\nlanguage = \"vi\"\n", 1);
    std::fs::write(st.config_path(), &text).unwrap();
    let cfg = st.config_path().display().to_string();
    let o = check(&st, &[]);
    let err = stderr(&o);
    // One line more above the programs now.
    assert!(
        err.contains(&format!("{cfg}:16:7: «25:00» không phải là giờ trong ngày")),
        "{err}"
    );
    // The environment still wins when it names a language.
    let o = check(&st, &[("LANG", "en_US.UTF-8")]);
    assert!(
        stderr(&o).contains(&format!("{cfg}:16:7: `at`:")),
        "{}",
        stderr(&o)
    );
}
