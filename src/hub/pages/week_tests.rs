//! The week picture on Asia/Ho_Chi_Minh (no DST): columns, block places,
//! conflicts, quiet hours and skipped occurrences, week links; and the
//! 50-program render benchmark (`--ignored`).

use chrono::NaiveDate;
use chrono_tz::Asia::Ho_Chi_Minh;

use super::*;
use crate::hub::program_form::timetable_config;

fn cfg(programs: &str, quiet: &[&str]) -> Config {
    let quiet: Vec<String> = quiet.iter().map(|s| s.to_string()).collect();
    timetable_config(programs, "Xã A", Ho_Chi_Minh, &quiet)
        .unwrap_or_else(|e| panic!("{e}"))
        .0
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// 2026-11-30 is a Monday.
const MONDAY: &str = "2026-11-30";

#[test]
fn monday_of_any_day() {
    assert_eq!(monday_of(date("2026-12-06")), date(MONDAY));
    assert_eq!(monday_of(date(MONDAY)), date(MONDAY));
    assert_eq!(monday_of(date("2026-12-03")), date(MONDAY));
}

#[test]
fn blocks_sit_at_their_local_start_and_length() {
    let c = cfg(
        "[[program]]\nid = \"sang\"\nat = [\"05:00\", \"17:30\"]\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\"]\nplay = [{ silence = \"30m\" }]\n",
        &[],
    );
    let days = layout(&c, date(MONDAY), &mut |_| None).unwrap();
    assert_eq!(days.len(), 7);
    assert_eq!(days[0].date, date(MONDAY));
    assert_eq!(days[6].date, date("2026-12-06"));
    for d in &days[..6] {
        let tops: Vec<u32> = d.blocks.iter().map(|b| b.top_min).collect();
        assert_eq!(tops, vec![300, 1050], "{}", d.date);
        assert!(d.blocks.iter().all(|b| b.len_min == 30 && b.lanes == 1));
    }
    assert!(days[6].blocks.is_empty(), "no Sunday");
    let html = week_picture(Lang::Vi, &c, &days, date("2026-12-02"), &|m| {
        format!("/w?week={m}")
    })
    .into_string();
    assert_eq!(
        html.matches("class=\"blk pr-n d-air\"").count(),
        12,
        "{html}"
    );
    assert!(
        html.contains("top:20.833%;height:2.083%"),
        "05:00 for 30 min: {html}"
    );
    assert!(
        html.contains("href=\"/w?week=2026-11-23\""),
        "previous week"
    );
    assert!(html.contains("href=\"/w?week=2026-12-07\""), "next week");
    assert!(html.contains("class=\"day today\" data-date=\"2026-12-02\""));
    assert!(
        html.contains("data-start=\"2026-11-30T05:00:00+07:00\""),
        "the station zone: {html}"
    );
}

#[test]
fn a_conflict_is_visible_side_by_side() {
    let c = cfg(
        "[[program]]\nid = \"a\"\nat = [\"06:00\"]\nplay = [{ silence = \"20m\" }]\n\n[[program]]\nid = \"b\"\ntitle = \"Khẩn\"\nat = [\"06:10\"]\npriority = 100\nplay = [{ silence = \"5m\" }]\n\n[[program]]\nid = \"c\"\nat = [\"06:12\"]\nlate_limit = \"1m\"\nplay = [{ silence = \"5m\" }]\n",
        &[],
    );
    let days = layout(&c, date(MONDAY), &mut |_| None).unwrap();
    let d = &days[0];
    assert_eq!(d.blocks.len(), 3);
    let by = |p: &str| d.blocks.iter().find(|b| b.entry.occ.program == p).unwrap();
    assert_eq!(by("a").entry.decision, Decision::Conflict, "preempted by b");
    assert_eq!(by("b").entry.decision, Decision::Air);
    assert_eq!(
        by("c").entry.decision,
        Decision::Conflict,
        "would be missed"
    );
    assert!(
        by("a").lanes >= 2 && by("a").lane != by("b").lane,
        "side by side"
    );
    let html = week_picture(Lang::En, &c, &days, date(MONDAY), &|m| m.to_string()).into_string();
    assert!(html.contains("class=\"blk pr-n d-conflict\""), "{html}");
    assert!(html.contains("class=\"blk pr-e d-air\""), "{html}");
    assert!(html.contains("<b>!</b>"));
    assert!(
        html.contains("preempted by"),
        "the engine's reason is shown: {html}"
    );
}

#[test]
fn quiet_hours_skip_and_shade() {
    let c = cfg(
        "[[program]]\nid = \"dem\"\nat = [\"22:00\"]\nplay = [{ silence = \"1m\" }]\n\n[[program]]\nid = \"bao\"\nat = [\"22:30\"]\npriority = 100\nplay = [{ silence = \"1m\" }]\n",
        &["21:30-05:00"],
    );
    let days = layout(&c, date(MONDAY), &mut |_| None).unwrap();
    for d in &days {
        let dem = d
            .blocks
            .iter()
            .find(|b| b.entry.occ.program == "dem")
            .unwrap();
        assert_eq!(dem.entry.decision, Decision::Skipped);
        let bao = d
            .blocks
            .iter()
            .find(|b| b.entry.occ.program == "bao")
            .unwrap();
        assert_eq!(
            bao.entry.decision,
            Decision::Air,
            "an emergency ignores quiet hours"
        );
    }
    let html = week_picture(Lang::Vi, &c, &days, date(MONDAY), &|m| m.to_string()).into_string();
    assert_eq!(html.matches("class=\"blk pr-n d-skipped\"").count(), 7);
    // 21:30-05:00 wraps: two bands a day.
    assert_eq!(html.matches("class=\"quiet\"").count(), 14, "{html}");
    assert!(html.contains("top:89.583%;height:10.417%"));
    assert!(html.contains("top:0.000%;height:20.833%"));
}

#[test]
fn unknown_lengths_get_a_visible_block_and_date_windows_hold() {
    let c = cfg(
        "[[program]]\nid = \"x\"\nat = [\"23:55\"]\nfrom = \"2026-12-02\"\nuntil = \"2026-12-03\"\nplay = [{ clip = \"abc\" }]\n",
        &[],
    );
    let days = layout(&c, date(MONDAY), &mut |_| None).unwrap();
    let n: Vec<usize> = days.iter().map(|d| d.blocks.len()).collect();
    assert_eq!(n, vec![0, 0, 1, 1, 0, 0, 0]);
    assert_eq!(days[2].blocks[0].len_min, 5, "cut at midnight");
}

/// `cargo test --release --lib week_render_50_programs -- --ignored --nocapture`
#[test]
#[ignore]
fn week_render_50_programs() {
    let mut text = String::new();
    for i in 0..50 {
        let h = 5 + (i % 16);
        let m = (i * 7) % 60;
        text.push_str(&format!(
            "[[program]]\nid = \"p{i}\"\ntitle = \"Chương trình {i}\"\nat = [\"{h:02}:{m:02}\"]\npriority = {}\nplay = [\"chime.ogg\", {{ category = \"tin\", count = 2 }}, {{ silence = \"{}m\" }}]\n\n",
            5 + i * 2,
            5 + i % 20
        ));
    }
    let c = cfg(&text, &["21:30-05:00"]);
    let runs = 200;
    let t0 = std::time::Instant::now();
    let mut bytes = 0;
    for _ in 0..runs {
        let days = layout(&c, date(MONDAY), &mut |_| None).unwrap();
        bytes = week_picture(Lang::Vi, &c, &days, date(MONDAY), &|m| m.to_string())
            .into_string()
            .len();
    }
    let each = t0.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
    let days = layout(&c, date(MONDAY), &mut |_| None).unwrap();
    let blocks: usize = days.iter().map(|d| d.blocks.len()).sum();
    println!("BENCH hub week picture, 50 programs ({blocks} blocks): {each:.2} ms per render (agenda + layout + HTML, {bytes} bytes), mean of {runs}");
}

#[test]
fn a_week_too_dense_is_not_drawn_and_names_the_program() {
    // Every second: 604,800 starts a week; the cap stops the expansion at 2,001.
    let c = cfg(
        "[[program]]\nid = \"sang\"\nat = [\"05:00\"]\nplay = [{ silence = \"1m\" }]\n\n\
         [[program]]\nid = \"bom\"\ntitle = \"Dày\"\ncron = \"* * * * * *\"\nplay = [{ silence = \"1s\" }]\n",
        &[],
    );
    let e = layout(&c, date(MONDAY), &mut |_| None).unwrap_err();
    assert_eq!(e.program, "bom");
    let html = e.show(Lang::Vi).into_string();
    assert!(html.contains("Lịch phát quá dày, không vẽ được"), "{html}");
    assert!(html.contains("bom"), "{html}");
    // Under the cap it is drawn: every minute of one Monday, 1,440 blocks.
    let c = cfg(
        "[[program]]\nid = \"phut\"\ncron = \"0 * 0-23 * * Mon\"\nplay = [{ silence = \"1s\" }]\n",
        &[],
    );
    assert_eq!(
        layout(&c, date(MONDAY), &mut |_| None).unwrap()[0]
            .blocks
            .len(),
        1440
    );
}
