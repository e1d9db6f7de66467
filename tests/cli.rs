//! The one-shot commands against the real binary: check, agenda, log; exit codes.

mod common;

use std::time::Duration;

use chrono::TimeDelta;
use common::*;

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_reports_each_problem_with_file_line_col_and_exits_2() {
    let st = Station::new();
    st.tone("chuong.wav", 440.0, 0.2);
    // line numbers: the header written by write_config is 12 lines.
    st.write_config(
        "[[program]]\nid = \"sang\"\nat = [\"25:00\"]\nplay = [\"chuong.wav\", \"khong-co.ogg\"]\n\n[[program]]\nid = \"sang\"\ncron = \"0 5 * * 1-6\"\nplay = [\"chuong.wav\"]\nmax_duraton = \"30m\"\n",
    );
    let o = st.cmd(&["check"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    let cfg = st.config_path().display().to_string();
    assert!(
        err.contains(&format!("{cfg}:15:7:")),
        "bad time at line 15 col 7:\n{err}"
    );
    assert!(err.contains("khong-co.ogg"), "{err}");
    assert!(err.contains("seconds"), "5-field cron hint:\n{err}");
    assert!(err.contains("max_duraton"), "unknown key:\n{err}");
}

#[test]
fn check_passes_a_good_config_with_a_summary() {
    let st = Station::new();
    st.tone("chuong.wav", 440.0, 0.2);
    st.write_config("[[program]]\nid = \"sang\"\nat = [\"05:00\"]\nplay = [\"chuong.wav\", { silence = \"1s\" }]\n");
    let o = st.cmd(&["check"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("ok:"), "{}", stdout(&o));
    assert!(stdout(&o).contains("1 program"), "{}", stdout(&o));
}

#[test]
fn missing_config_is_a_clear_error() {
    let o = loa()
        .args(["--config", "/nonexistent/loa.toml", "check"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("/nonexistent/loa.toml"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn agenda_json_has_the_spec_shape() {
    let st = Station::new();
    st.tone("chuong.wav", 440.0, 2.0);
    st.write_config("[[program]]\nid = \"sang\"\ntitle = \"Bản tin sáng\"\nat = [\"05:00\", \"17:00\"]\npriority = 20\nplay = [\"chuong.wav\", { silence = \"3s\" }]\n");
    let o = st.cmd(&["agenda", "--from", "2026-12-01", "--days", "2", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("agenda JSON");
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 4, "{v:#}");
    let e = &arr[0];
    assert_eq!(e["program"], "sang");
    assert_eq!(e["title"], "Bản tin sáng");
    assert_eq!(e["priority"], 20);
    assert_eq!(e["decision"], "air");
    assert!(
        e["occurrence"]
            .as_str()
            .unwrap()
            .starts_with("sang@2026-12-01T05:00:00"),
        "{e}"
    );
    assert!(
        e["start"]
            .as_str()
            .unwrap()
            .starts_with("2026-12-01T05:00:00"),
        "{e}"
    );
    assert_eq!(e["items"][0]["kind"], "file");
    assert!(
        (e["items"][0]["duration_s"].as_f64().unwrap() - 2.0).abs() < 0.05,
        "{e}"
    );
    assert_eq!(e["items"][1]["kind"], "silence");
    assert!(
        (e["duration_s"].as_f64().unwrap() - 5.0).abs() < 0.05,
        "{e}"
    );
    let table = st.cmd(&["agenda", "--from", "2026-12-01", "--days", "1"]);
    assert!(stdout(&table).contains("05:00:00"), "{}", stdout(&table));
    assert!(
        stdout(&table).contains("Bản tin sáng"),
        "{}",
        stdout(&table)
    );
}

#[test]
fn log_formats_and_verify_after_a_broadcast() {
    let st = Station::new();
    st.tone("x.wav", 440.0, 0.3);
    let a = whole_second_in(2);
    st.write_config(&format!("[[program]]\nid = \"tin\"\ntitle = \"Thông báo, khẩn\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n", st.local_hms(a)));
    let mut d = st.spawn_with(&["--output", "null"]);
    st.wait_for(Duration::from_secs(10), "aired", |r| {
        r.iter().any(|x| x["outcome"] == "aired")
    });
    d.term();
    let csv = st.cmd(&["log", "--format", "csv"]);
    let text = stdout(&csv);
    assert!(text.starts_with('\u{feff}'), "CSV starts with a BOM");
    assert!(text.contains("\"Thông báo, khẩn\""), "{text}");
    let json = st.cmd(&["log", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(
        v.as_array().unwrap().len(),
        1,
        "one row per occurrence: {v:#}"
    );
    assert_eq!(v[0]["outcome"], "aired");
    let table = st.cmd(&["log"]);
    assert!(stdout(&table).contains("tin"), "{}", stdout(&table));
    let ok = st.cmd(&["log", "--verify"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    // Tamper with the first line: the chain breaks.
    let path = st.path("state/asrun.jsonl");
    let log = std::fs::read_to_string(&path)
        .unwrap()
        .replacen("\"tin\"", "\"tun\"", 1);
    std::fs::write(&path, log).unwrap();
    let bad = st.cmd(&["log", "--verify"]);
    assert_eq!(bad.status.code(), Some(1), "{}", stdout(&bad));
    assert!(stdout(&bad).contains("chain broken"), "{}", stdout(&bad));
}

#[test]
fn a_start_in_quiet_hours_is_logged_skipped() {
    let st = Station::new();
    st.tone("x.wav", 440.0, 0.3);
    let a = whole_second_in(2);
    let start = st.local_hms(a - TimeDelta::minutes(1));
    let end = st.local_hms(a + TimeDelta::minutes(5));
    st.write_config(&format!(
        "[[program]]\nid = \"dem\"\nat = [\"{}\"]\nplay = [\"x.wav\"]\n",
        st.local_hms(a)
    ));
    let cfg = std::fs::read_to_string(st.config_path()).unwrap().replace(
        "warmup = \"1s\"\n",
        &format!(
            "warmup = \"1s\"\nquiet_hours = [\"{}-{}\"]\n",
            &start[..5],
            &end[..5]
        ),
    );
    std::fs::write(st.config_path(), cfg).unwrap();
    let mut d = st.spawn_with(&["--output", "null"]);
    st.wait_for(Duration::from_secs(10), "skipped", |r| {
        r.iter().any(|x| x["outcome"] == "skipped")
    });
    d.term();
    let o = &st.outcomes("dem")[0];
    assert!(o["reason"].as_str().unwrap().contains("quiet"), "{o}");
    assert!(st.asrun().iter().all(|r| r["event"] != "on_air"));
}

#[test]
fn check_resolves_feed_items_against_the_store() {
    let st = Station::new();
    st.write_config("[[program]]\nid = \"cchc\"\nat = [\"05:00\"]\nplay = [{ category = \"cai-cach-hanh-chinh\", count = 2 }, { clip = \"cchc-1\" }]\n");
    let o = st.cmd(&["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("no clip of category `cai-cach-hanh-chinh`"),
        "{out}"
    );
    assert!(
        out.contains("feed clip `cchc-1` is not in the store"),
        "{out}"
    );
    assert!(out.contains("2 warning(s)"), "{out}");
}

#[test]
fn agenda_shows_stream_windows_and_check_validates_streams() {
    let st = Station::new();
    st.tone("chuong.wav", 440.0, 2.0);
    st.write_config(
        "[[program]]\nid = \"sang\"\nat = [\"05:00\"]\nplay = [\"chuong.wav\", { silence = \"3s\" }, { stream = \"http://radio.example.vn/vov1\", duration = \"15m\", fallback = [\"chuong.wav\"] }]\n",
    );
    let table = st.cmd(&["agenda", "--from", "2026-12-01", "--days", "1"]);
    assert_eq!(table.status.code(), Some(0), "{}", stderr(&table));
    assert!(
        stdout(&table).contains("stream http://radio.example.vn/vov1 (15:00, 05:00:05–05:15:05)"),
        "{}",
        stdout(&table)
    );
    let json = st.cmd(&["agenda", "--from", "2026-12-01", "--days", "1", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("agenda JSON");
    let s = &v[0]["items"][2];
    assert_eq!(s["kind"], "stream");
    assert!(
        s["start"]
            .as_str()
            .unwrap()
            .starts_with("2026-12-01T05:00:05"),
        "{s}"
    );
    assert!(
        s["end"]
            .as_str()
            .unwrap()
            .starts_with("2026-12-01T05:15:05"),
        "{s}"
    );
    let ok = st.cmd(&["check"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));

    // A bad URL is an error with its place; a stream without fallback a warning.
    st.write_config(
        "[[program]]\nid = \"sang\"\nat = [\"05:00\"]\nplay = [{ stream = \"http://radio vn/x\", duration = \"15m\" }, { stream = \"https://radio.example.vn/vov1\", duration = \"1m\" }]\n",
    );
    let bad = st.cmd(&["check"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    let err = stderr(&bad) + &stdout(&bad);
    assert!(
        err.contains("loa.toml:16:20: `stream` \"http://radio vn/x\" is not a valid URL"),
        "{err}"
    );
    assert!(
        err.contains("loa.toml:16:61: warning: this stream has no `fallback`"),
        "{err}"
    );
}
