//! Tests of fetch.rs: URL joining, range checks, file downloads. Test-only.
use super::fetch::*;
use std::fs;
use std::time::Duration;

fn http(u: &str) -> FeedUrl {
    FeedUrl::parse(u).unwrap()
}

#[test]
fn http_join_appends_to_the_manifest_folder() {
    let f = http("https://tt.example.vn/feed/manifest.json");
    assert_eq!(
        f.clip("clips/a.mp3").unwrap(),
        Source::Http("https://tt.example.vn/feed/clips/a.mp3".into())
    );
    assert_eq!(
        f.signature(),
        Source::Http("https://tt.example.vn/feed/manifest.json.minisig".into())
    );
    let f = http("http://127.0.0.1:8080/manifest.json");
    assert_eq!(
        f.clip("Tin tức/bản tin 1.mp3").unwrap(),
        Source::Http("http://127.0.0.1:8080/Tin%20t%E1%BB%A9c/b%E1%BA%A3n%20tin%201.mp3".into())
    );
    assert_eq!(
        f.clip("a%2F..%2Fb").unwrap(),
        Source::Http("http://127.0.0.1:8080/a%252F..%252Fb".into())
    );
}

#[test]
fn join_refuses_escapes() {
    let f = http("https://h/feed/manifest.json");
    for p in [
        "../x",
        "a/../../x",
        "/etc/passwd",
        "http://evil/x",
        "a\\b",
        "a?b",
        "a#b",
        "",
        "a//b",
        "./a",
    ] {
        assert!(
            matches!(f.clip(p), Err(FetchError::BadUrl(..))),
            "{p} accepted"
        );
    }
}

#[test]
fn feed_urls_are_checked() {
    for u in [
        "ftp://h/m.json",
        "https://h/",
        "https://h",
        "https:///m.json",
        "https://h/m.json?x=1",
        "https://h/m.json#f",
        "https://h/a b.json",
        "file://other/m.json",
        "file:///srv/feed/",
        "manifest.json",
    ] {
        assert!(
            matches!(FeedUrl::parse(u), Err(FetchError::BadUrl(..))),
            "{u} accepted"
        );
    }
}

#[test]
fn file_urls() {
    let f = http("file:///srv/my%20feed/manifest.json");
    assert_eq!(
        f.manifest(),
        Source::File("/srv/my feed/manifest.json".into())
    );
    assert_eq!(
        f.signature(),
        Source::File("/srv/my feed/manifest.json.minisig".into())
    );
    assert_eq!(
        f.clip("clips/a.mp3").unwrap(),
        Source::File("/srv/my feed/clips/a.mp3".into())
    );
    let f = http("file://localhost/srv/m.json");
    assert_eq!(f.manifest(), Source::File("/srv/m.json".into()));
}

#[test]
fn content_range_must_continue_exactly() {
    assert_eq!(check_content_range("bytes 100-999/1000", 100, 1000), Ok(()));
    assert_eq!(check_content_range("bytes 100-999/*", 100, 1000), Ok(()));
    assert!(check_content_range("bytes 0-999/1000", 100, 1000).is_err());
    assert!(check_content_range("bytes 100-1999/2000", 100, 1000).is_err());
    assert!(check_content_range("bytes 100-998/1000", 100, 1000).is_err());
    assert!(check_content_range("", 100, 1000).is_err());
}

#[test]
fn durations_read_well() {
    assert_eq!(secs(Duration::from_secs(30)), "30 s");
    assert_eq!(secs(Duration::from_millis(300)), "0.3 s");
}

#[test]
fn file_download_caps_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("a.bin");
    fs::write(&src, b"0123456789").unwrap();
    let part = dir.path().join("a.part");
    let mut f = Fetcher::new(&FetchOptions::default());
    fs::write(&part, b"0123").unwrap();
    let mut seen = vec![];
    f.download(&Source::File(src.clone()), &part, 10, &mut |d| seen.push(d))
        .unwrap();
    assert_eq!(fs::read(&part).unwrap(), b"0123456789");
    assert_eq!(f.bytes, 6);
    assert_eq!(seen.first(), Some(&4));
    assert_eq!(seen.last(), Some(&10));
    let e = f
        .download(
            &Source::File(src.clone()),
            &dir.path().join("b"),
            9,
            &mut |_| {},
        )
        .unwrap_err();
    assert!(
        e.to_string().contains("body longer than declared 9 bytes"),
        "{e}"
    );
    let e = f
        .download(
            &Source::File(dir.path().join("nope")),
            &part,
            9,
            &mut |_| {},
        )
        .unwrap_err();
    assert!(matches!(e, FetchError::Missing(_)));
}
