//! Tests of the log file: chain, fsync, torn lines, open_occurrences, verify.

use super::*;

/// A log with 4 lines: A on_air, A aired, B missed, C on_air.
pub(super) fn four_lines(dir: &Path) -> std::path::PathBuf {
    let mut log = AsRun::open(dir).unwrap();
    log.append(on_air(
        "sang",
        "Bản tin sáng",
        A,
        "2026-11-27T05:00:00.004+07:00",
    ))
    .unwrap();
    log.append(aired(
        "sang",
        "Bản tin sáng",
        A,
        "2026-11-27T05:00:00.004+07:00",
        "2026-11-27T05:02:05+07:00",
    ))
    .unwrap();
    log.append(outcome("chieu", "Bản tin chiều", B, Outcome::Missed))
        .unwrap();
    log.append(on_air(
        "sang",
        "Bản tin sáng",
        C,
        "2026-11-28T05:00:01+07:00",
    ))
    .unwrap();
    log.path().to_path_buf()
}

#[test]
fn append_and_reopen_keep_chain_and_done_set() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state/loa");
    let path = four_lines(&state);
    assert_eq!(path, state.join("asrun.jsonl"));

    let lines = file_lines(&path);
    assert_eq!(lines.len(), 4);
    assert_eq!(prev_of(&lines[0]), GENESIS);
    assert_eq!(prev_of(&lines[1]), hash(lines[0].as_bytes()));
    assert_eq!(prev_of(&lines[2]), hash(lines[1].as_bytes()));
    assert_eq!(prev_of(&lines[3]), hash(lines[2].as_bytes()));
    assert!(lines[0].starts_with(
        r#"{"event":"on_air","occurrence":"sang@2026-11-27T05:00:00+07:00","program":"sang","title":"Bản tin sáng","scheduled":"2026-11-27T05:00:00.000+07:00","started":"2026-11-27T05:00:00.004+07:00","prev":"#
    ));

    let mut log = AsRun::open(&state).unwrap();
    assert_eq!(log.lines(), 4);
    assert_eq!(log.head(), hash(lines[3].as_bytes()));
    let mut done: Vec<&str> = log.done().iter().map(|(id, _)| id).collect();
    done.sort();
    assert_eq!(done, vec![occ("chieu", B), occ("sang", A), occ("sang", C)]);
    assert_eq!(log.anchor(), Some(utc(C)));
    assert_eq!(log.newest(), Some(utc("2026-11-28T05:00:01+07:00")));
    assert_eq!(log.fsyncs(), 0);

    log.append(outcome("sang", "Bản tin sáng", C, Outcome::Stopped))
        .unwrap();
    assert_eq!(log.fsyncs(), 1);
    let lines = file_lines(&path);
    assert_eq!(lines.len(), 5);
    assert_eq!(prev_of(&lines[4]), hash(lines[3].as_bytes()));
    let report = verify(&path).unwrap();
    assert_eq!(report.lines, 5);
    assert_eq!(report.first_bad, None);
    assert_eq!(report.head, hash(lines[4].as_bytes()));
}

#[test]
fn every_append_is_fsynced() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = AsRun::open(dir.path()).unwrap();
    for (i, at) in [A, B, C].iter().enumerate() {
        log.append(outcome("p", "P", at, Outcome::Skipped)).unwrap();
        assert_eq!(log.fsyncs(), i as u64 + 1);
    }
    // Written through to the file before append returned (no buffering).
    assert_eq!(file_lines(log.path()).len(), 3);
}

#[test]
fn open_occurrences_and_interrupted_close() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = AsRun::open(dir.path()).unwrap();
    log.append(on_air("chieu", "Chiều", B, B)).unwrap();
    log.append(on_air("sang", "Sáng", A, A)).unwrap();
    log.append(outcome("sang", "Sáng", A, Outcome::Aired))
        .unwrap();
    // An on_air after the occurrence's outcome does not reopen it.
    log.append(on_air("sang", "Sáng", A, A)).unwrap();
    log.append(on_air("toi", "Tối", C, C)).unwrap();
    let open: Vec<String> = log
        .open_occurrences()
        .into_iter()
        .map(|r| r.occurrence)
        .collect();
    assert_eq!(open, vec![occ("chieu", B), occ("toi", C)]);

    let before = log.open_occurrences();
    drop(log);
    let log2 = AsRun::open(dir.path()).unwrap();
    assert_eq!(log2.open_occurrences(), before);
    drop(log2);

    let mut log = AsRun::open(dir.path()).unwrap();
    let closed = log.close_interrupted().unwrap();
    assert_eq!(closed, vec![occ("chieu", B), occ("toi", C)]);
    assert!(log.open_occurrences().is_empty());
    drop(log);
    let log = AsRun::open(dir.path()).unwrap();
    assert!(log.open_occurrences().is_empty());
    assert_eq!(log.lines(), 7);
    let recs = read(log.path()).unwrap();
    assert_eq!(recs[5].occurrence, occ("chieu", B));
    assert_eq!(recs[5].outcome, Some(Outcome::Partial));
    assert_eq!(recs[5].reason.as_deref(), Some("interrupted"));
    assert_eq!(recs[5].started, Some(t(B)));
    assert_eq!(verify(log.path()).unwrap().first_bad, None);
}

#[test]
fn torn_last_line_is_cut_and_next_append_chains_from_last_good_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = four_lines(dir.path());
    let good = fs::read(&path).unwrap();
    let good_lines = file_lines(&path);
    // A power cut in the middle of the fifth write.
    let mut f = fs::OpenOptions::new().append(true).open(&path).unwrap();
    f.write_all(br#"{"event":"outcome","occurrence":"sang@2026-11-28T05:00:00+07:00","prog"#)
        .unwrap();
    drop(f);

    let mut log = AsRun::open(dir.path()).unwrap();
    assert_eq!(fs::read(&path).unwrap(), good);
    assert_eq!(log.lines(), 4);
    assert_eq!(log.head(), hash(good_lines[3].as_bytes()));
    log.append(outcome("sang", "Bản tin sáng", C, Outcome::Aired))
        .unwrap();
    let lines = file_lines(&path);
    assert_eq!(lines.len(), 5);
    assert_eq!(prev_of(&lines[4]), hash(good_lines[3].as_bytes()));
    assert_eq!(verify(&path).unwrap().first_bad, None);
}

#[test]
fn invalid_last_line_with_newline_is_cut_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = four_lines(dir.path());
    let good = fs::read(&path).unwrap();
    let mut f = fs::OpenOptions::new().append(true).open(&path).unwrap();
    f.write_all(b"\0\0\0\0\n").unwrap();
    drop(f);
    let log = AsRun::open(dir.path()).unwrap();
    assert_eq!(log.lines(), 4);
    assert_eq!(fs::read(&path).unwrap(), good);
}

#[test]
fn complete_last_record_missing_only_its_newline_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = four_lines(dir.path());
    let mut bytes = fs::read(&path).unwrap();
    bytes.pop(); // the last '\n'
    fs::write(&path, &bytes).unwrap();
    let log = AsRun::open(dir.path()).unwrap();
    assert_eq!(log.lines(), 4);
    assert!(log.done().contains(&occ("sang", C)));
    bytes.push(b'\n');
    assert_eq!(fs::read(&path).unwrap(), bytes);
}

#[test]
fn bad_middle_line_refuses_to_open_and_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = four_lines(dir.path());
    let mut lines = file_lines(&path);
    lines[1] = lines[1].replace(r#""outcome":"aired""#, r#""outcome":"aired"#);
    let text = lines.join("\n") + "\n";
    fs::write(&path, &text).unwrap();
    let err = AsRun::open(dir.path()).unwrap_err();
    match &err {
        RecordError::Corrupt { line, .. } => assert_eq!(*line, 2),
        other => panic!("expected Corrupt, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains("asrun.jsonl, line 2: not a valid as-run record"),
        "{msg}"
    );
    // Nothing was cut or rewritten.
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
    // `loa log` refuses it the same way.
    assert!(matches!(
        read(&path),
        Err(RecordError::Corrupt { line: 2, .. })
    ));
}

#[test]
fn verify_reports_the_line_after_an_edited_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = four_lines(dir.path());
    let mut lines = file_lines(&path);
    lines[1] = lines[1].replace("\"aired\"", "\"partial\"");
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    let report = verify(&path).unwrap();
    assert_eq!(report.lines, 4);
    let (line, why) = report.first_bad.unwrap();
    assert_eq!(line, 3);
    assert!(
        why.starts_with("prev is not the SHA-256 of line 2: line 2 was changed"),
        "{why}"
    );
    // The daemon still opens it (and warns): airing must not stop.
    assert_eq!(AsRun::open(dir.path()).unwrap().lines(), 4);
}

#[test]
fn verify_reports_a_deleted_line_where_the_gap_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = four_lines(dir.path());
    let lines = file_lines(&path);

    let without_2 = [&lines[0], &lines[2], &lines[3]]
        .map(|s| s.as_str())
        .join("\n")
        + "\n";
    fs::write(&path, without_2).unwrap();
    let report = verify(&path).unwrap();
    assert_eq!(report.lines, 3);
    assert_eq!(report.first_bad.map(|b| b.0), Some(2));

    let without_1 = lines[1..].join("\n") + "\n";
    fs::write(&path, without_1).unwrap();
    let report = verify(&path).unwrap();
    let (line, why) = report.first_bad.unwrap();
    assert_eq!(line, 1);
    assert!(why.starts_with("prev is not 64 zeros"), "{why}");

    let torn = lines.join("\n");
    fs::write(&path, torn).unwrap();
    let report = verify(&path).unwrap();
    assert_eq!(report.first_bad.map(|b| b.0), Some(4));

    let intact = lines.join("\n") + "\n";
    fs::write(&path, intact).unwrap();
    let report = verify(&path).unwrap();
    assert_eq!(
        report,
        VerifyReport {
            lines: 4,
            first_bad: None,
            head: hash(lines[3].as_bytes())
        }
    );
}

#[test]
fn missing_log_reads_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("asrun.jsonl");
    assert!(read(&path).unwrap().is_empty());
    assert_eq!(verify(&path).unwrap().lines, 0);
    assert_eq!(verify(&path).unwrap().head, GENESIS);
}

#[test]
fn read_skips_a_torn_last_line_without_touching_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = four_lines(dir.path());
    let mut f = fs::OpenOptions::new().append(true).open(&path).unwrap();
    f.write_all(b"{\"event\":").unwrap();
    drop(f);
    let before = fs::read(&path).unwrap();
    assert_eq!(read(&path).unwrap().len(), 4);
    assert_eq!(fs::read(&path).unwrap(), before);
    let day = NaiveDate::from_ymd_opt(2026, 11, 28);
    let only_28 = read_between(&path, day, day).unwrap();
    assert_eq!(only_28.len(), 1);
    assert_eq!(only_28[0].occurrence, occ("sang", C));
}

#[test]
fn a_second_writer_on_the_same_state_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let first = AsRun::open(dir.path()).unwrap();
    match AsRun::open(dir.path()) {
        Err(RecordError::Locked { path }) => assert_eq!(path, dir.path().join("asrun.jsonl")),
        other => panic!("expected Locked, got {:?}", other.map(|a| a.lines())),
    }
    drop(first);
    assert!(
        AsRun::open(dir.path()).is_ok(),
        "the lock goes with the first writer"
    );
}

#[test]
fn last_aired_by_sha_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = AsRun::open(dir.path()).unwrap();
    let mut rec = outcome("sang", "Sáng", A, Outcome::Aired);
    rec.started = Some(rec.scheduled);
    rec.items = vec![
        ItemAired {
            name: "cchc-1".into(),
            clip: None,
            sha256: Some("aa".into()),
            seconds: 12.0,
            error: None,
            events: Vec::new(),
        },
        ItemAired {
            name: "hong".into(),
            clip: None,
            sha256: Some("bb".into()),
            seconds: 0.0,
            error: Some("x".into()),
            events: Vec::new(),
        },
    ];
    log.append(rec).unwrap();
    drop(log);
    let log = AsRun::open(dir.path()).unwrap();
    assert_eq!(log.last_aired().len(), 1, "only clips that aired count");
    assert!(log.last_aired().contains_key("aa"));
}
