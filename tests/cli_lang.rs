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

/// `loa` with the given language variables only (the others removed).
fn run(st: &Station, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut c = loa();
    for k in ["LOA_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        c.env_remove(k);
    }
    c.envs(env.iter().copied())
        .arg("--config")
        .arg(st.config_path())
        .args(args)
        .output()
        .unwrap()
}

/// A whole config with a dozen different mistakes, one per line.
const MANY: &str = r#"[station]
name = "Đài thử nghiệm"
timezone = "Asia/Hanoi"
tieng = "vi"

[output]
device = "null"
volume = "80%"
warmup = 5
quiet_hours = ["21:30"]

[paths]
clips = "audio"
state = "state"

[[program]]
id = "sang"
cron = "0 5 * * 1-6"
play = ["chuong.wav"]

[[program]]
id = "sang"
at = ["05:00"]
days = ["thu hai"]
play = [{ category = "tin", count = 0 }]

[[program]]
id = "chieu"
at = ["17:00"]
play = ["khong-co.wav", { stream = "ftp://radio.example.vn/vov1", duration = "15m", fallback = [{ silence = "1s" }] }]
max_duration = "1 gio"
"#;

#[test]
fn check_prints_every_kind_of_mistake_in_vietnamese_with_its_position() {
    let st = Station::new();
    st.tone("chuong.wav", 440.0, 0.2);
    std::fs::write(st.config_path(), MANY).unwrap();
    let cfg = st.config_path().display().to_string();
    let o = run(&st, &[("LANG", "vi_VN.UTF-8")], &["check"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    let expected = [
        "3:12: Không có múi giờ \"Asia/Hanoi\"",
        "4:1: Không có mục «tieng» ở chỗ này",
        "8:10: «volume» là một số từ 0.0 đến 1.0, không phải phần trăm: viết volume = 0.8 thay cho 80%.",
        "9:10: «warmup» cần có đơn vị, đặt trong dấu nháy: viết \"5s\" nếu là giây, \"5m\" nếu là phút.",
        "10:16: «quiet_hours»: \"21:30\" không phải một khung giờ",
        "18:8: Biểu thức cron \"0 5 * * 1-6\" có 5 trường như một dòng crontab, nhưng cron ở đây bắt đầu bằng giây: thử \"0 0 5 * * Mon-Sat\".",
        "22:6: Mã chương trình «sang» bị trùng: chương trình ở dòng 17 đã dùng mã này",
        "24:9: «thu hai» không phải là một ngày trong tuần",
        "25:37: «count» phải ít nhất là 1",
        "30:9: Không tìm thấy tệp phát",
        "30:36: Nguồn tiếp sóng \"ftp://radio.example.vn/vov1\" phải là địa chỉ http:// hoặc https://",
        "31:16: «max_duration»: \"1 gio\" không phải là một khoảng thời gian",
    ];
    for want in expected {
        assert!(
            err.contains(&format!("{cfg}:{want}")),
            "no `{want}` in:\n{err}"
        );
    }
    let lines = err.lines().filter(|l| l.starts_with(&cfg)).count();
    assert_eq!(lines, expected.len(), "one line per mistake:\n{err}");
    assert!(
        err.contains(&format!("loa: cấu hình có {} lỗi", expected.len())),
        "{err}"
    );
    for english in [
        " must ", " is not ", "unknown", "missing", "found", "error(s)",
    ] {
        assert!(!err.contains(english), "English {english:?} left:\n{err}");
    }

    // English as before: the same positions, the old wording.
    let o = run(&st, &[("LANG", "C.UTF-8")], &["check"]);
    let en = stderr(&o);
    for want in [
        "3:12: `timezone`: unknown timezone \"Asia/Hanoi\"",
        "4:1: unknown key `tieng` in [station]",
        "9:10: `warmup` needs a unit, in quotes",
        "22:6: duplicate program id \"sang\": the program at line 17 already uses it",
        "30:36: `stream` \"ftp://radio.example.vn/vov1\" must be an http:// or https:// URL",
    ] {
        assert!(
            en.contains(&format!("{cfg}:{want}")),
            "no `{want}` in:\n{en}"
        );
    }
    assert!(
        en.contains(&format!(
            "loa: the config has {} error(s); nothing was changed",
            expected.len()
        )),
        "{en}"
    );
}

#[test]
fn a_good_config_is_summed_up_in_vietnamese() {
    let st = Station::new();
    st.tone("chuong.wav", 440.0, 0.2);
    st.write_config("[[program]]\nid = \"sang\"\nat = [\"05:00\"]\nplay = [\"chuong.wav\"]\n");
    let cfg = st.config_path().display().to_string();
    let o = run(&st, &[("LOA_LANG", "vi")], &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        out.starts_with(&format!(
            "ổn: {cfg} — 1 chương trình, 0 cảnh báo; lần phát tới: sang lúc "
        )),
        "{out}"
    );
    // T2…CN and dd/mm/yyyy.
    let when = out.split(" lúc ").nth(1).unwrap();
    assert!(
        ["T2 ", "T3 ", "T4 ", "T5 ", "T6 ", "T7 ", "CN "]
            .iter()
            .any(|d| when.starts_with(d)),
        "{out}"
    );
    assert_eq!(&when[5..6], "/", "{out}");
    let o = run(&st, &[("LANG", "C.UTF-8")], &["check"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        out.starts_with(&format!(
            "ok: {cfg} — 1 program(s), 0 warning(s); next: sang at "
        )),
        "{out}"
    );
}

#[test]
fn play_and_stop_refusals_in_vietnamese() {
    let st = Station::new();
    st.tone("chuong.wav", 440.0, 0.2);
    st.write_config("[[program]]\nid = \"sang\"\nat = [\"05:00\"]\nplay = [\"chuong.wav\"]\n");
    let vi = [("LANG", "vi_VN.UTF-8")];

    // No daemon yet.
    let o = run(&st, &vi, &["play", "sang"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o)
            .lines()
            .any(|l| l.starts_with("loa: loa chưa chạy (")),
        "{}",
        stderr(&o)
    );

    let mut d = st.spawn();
    let t = std::time::Instant::now();
    while !run(&st, &[], &["status", "--json"]).status.success() {
        assert!(t.elapsed().as_secs() < 10, "control socket never answered");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let o = run(&st, &vi, &["play", "khong-co"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.lines().any(|l| l == "loa: không phát được «khong-co»: đài không có chương trình hay tệp phát nào tên như vậy. Các chương trình của đài: sang."),
        "{err}"
    );
    let o = run(&st, &vi, &["stop"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o)
            .lines()
            .any(|l| l == "loa: không có gì đang phát"),
        "{}",
        stderr(&o)
    );

    // English as before, with the station's clips folder.
    let o = run(&st, &[("LANG", "C.UTF-8")], &["play", "khong-co"]);
    let err = stderr(&o);
    assert!(
        err.lines()
            .any(|l| l.starts_with("loa: `khong-co` is not a program (sang), a clip in ")),
        "{err}"
    );
    let o = run(&st, &[("LANG", "C.UTF-8")], &["stop"]);
    assert!(
        stderr(&o).lines().any(|l| l == "loa: nothing is on air"),
        "{}",
        stderr(&o)
    );
    d.term();
}
