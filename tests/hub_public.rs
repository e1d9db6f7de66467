//! The citizens' pages (issue 21) against the real hub, on SQLite and
//! PostgreSQL: `/p/AREA` lists exactly the approved, public, valid clips that
//! reached the commune (its own, its district's, its province's) newest first
//! — never a private, pending, withdrawn, expired, not-yet-valid or another
//! area's clip, on the page, in the search, the podcast, the embed, the
//! board or the audio route; unknown areas 404 in Vietnamese; the podcast
//! parsed by Python's feedparser (the parser behind many podcast tools) and
//! every enclosure downloaded, whole and with a Range (206 + Content-Range);
//! `public = false` from the API and from the upload page's unticked box.

mod common;

use common::hub::{Backend, Client, Hub, Resp};
use common::public::{seed, APPROVER, EDITOR, HIDDEN, PASSWORD, SHOWN};

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(super::Backend::Sqlite) } )*
        }
        mod postgres {
            $( #[test] fn $name() { super::$name(super::Backend::Postgres) } )*
        }
    };
}

on_both!(
    citizens_see_only_what_reached_them,
    podcast_parses_and_enclosures_stream
);

fn ok(c: &mut Client, path: &str) -> Resp {
    let r = c.get(path);
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    r
}

fn assert_only_shown(path: &str, body: &str) {
    for (_, t) in SHOWN {
        assert!(body.contains(t), "{path} lacks {t:?}");
    }
    for (_, t) in HIDDEN {
        assert!(!body.contains(t), "{path} shows {t:?}");
    }
}

fn citizens_see_only_what_reached_them(b: Backend) {
    let hub = Hub::start(b);
    seed(&hub);
    let mut c = hub.client();

    // The list: the three, newest first, each with its player; no sign-in.
    let r = ok(&mut c, "/p/22936");
    let page = r.text();
    assert_only_shown("/p/22936", &page);
    assert!(page.contains("<html lang=\"vi\""), "{page}");
    assert!(page.contains("Xã Phước Dinh"));
    assert!(page.contains("Có 3 bản tin."), "{page}");
    let at: Vec<usize> = SHOWN.iter().map(|(_, t)| page.find(t).unwrap()).collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "not newest first: {at:?}"
    );
    assert!(page.contains("<audio controls preload=\"none\" src=\"/p/22936/audio/xa-tin.wav\""));
    assert!(page.contains("href=\"/p/22936/podcast.xml\""));
    assert_eq!(r.header("cache-control"), Some("public, max-age=60"));
    assert_eq!(r.header("x-frame-options"), Some("DENY"));
    assert!(r.header("set-cookie").is_none());
    assert!(page.len() < 12_000, "page weighs {} bytes", page.len());

    // Search: accents and case do not matter; a miss says so.
    let r = ok(&mut c, "/p/22936?q=THUAN+nam");
    let t = r.text();
    assert!(t.contains(SHOWN[1].1) && !t.contains(SHOWN[0].1) && !t.contains(SHOWN[2].1));
    assert!(t.contains("Tìm thấy 1 bản tin"), "{t}");
    let t = ok(&mut c, "/p/22936?q=Kh%C3%A1nh+H%C3%B2a").text();
    assert!(t.contains("Không có bản tin nào khớp"), "{t}");
    let t = ok(&mut c, "/p/22936?q=rieng").text();
    assert!(!t.contains(HIDDEN[0].1), "search found a private clip");

    // Another commune of the same district: its own and the shared two.
    let t = ok(&mut c, "/p/22939").text();
    assert!(t.contains("Tin riêng của xã Phước Diêm"));
    assert!(!t.contains(SHOWN[0].1) && t.contains(SHOWN[1].1) && t.contains(SHOWN[2].1));
    // The other province sees only its own.
    let t = ok(&mut c, "/p/56").text();
    assert!(t.contains("Tin của tỉnh Khánh Hòa"));
    for (_, s) in SHOWN {
        assert!(!t.contains(s), "/p/56 shows {s}");
    }

    // Unknown areas: 404, in Vietnamese, everywhere under /p/.
    for p in [
        "/p/99999",
        "/p/99999/podcast.xml",
        "/p/99999/nhung",
        "/p/99999/bang-tin",
        "/p/%3Cscript%3E",
    ] {
        let r = c.get(p);
        assert_eq!(r.status, 404, "{p}");
        if !p.contains("audio") {
            let t = r.text();
            assert!(
                t.contains("Không có trang này") && t.contains("lang=\"vi\""),
                "{p}: {t}"
            );
            assert!(!t.contains("<script>"), "{p} echoes markup");
        }
    }
    // English on request.
    let t = ok(&mut c, "/p/22936?lang=en").text();
    assert!(
        t.contains("3 bulletins.") && t.contains("<html lang=\"en\""),
        "{t}"
    );

    // Audio: the public ones stream; everything else is a 404.
    let r = ok(&mut c, "/p/22936/audio/xa-tin.wav");
    assert_eq!(r.header("content-type"), Some("audio/wav"));
    assert_eq!(r.header("accept-ranges"), Some("bytes"));
    assert!(r.header("cache-control").unwrap().starts_with("public"));
    assert!(r.body.starts_with(b"RIFF"));
    let whole = r.body.len();
    let r = c.request(
        "GET",
        "/p/22936/audio/xa-tin.wav",
        &[("Range", "bytes=0-99")],
        b"",
    );
    assert_eq!(r.status, 206);
    assert_eq!(r.body.len(), 100);
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes 0-99/{whole}").as_str())
    );
    ok(&mut c, "/p/22936/audio/tinh-tin.wav");
    ok(&mut c, "/p/22939/audio/xa-khac.wav");
    for (id, _) in HIDDEN {
        let r = c.get(&format!("/p/22936/audio/{id}.wav"));
        assert_eq!(r.status, 404, "audio of {id}");
    }
    for p in [
        "/p/22936/audio/xa-tin.mp3",
        "/p/22936/audio/xa-tin",
        "/p/22939/audio/xa-tin.wav",
        "/p/56/audio/huyen-tin.wav",
    ] {
        assert_eq!(c.get(p).status, 404, "{p}");
    }

    // The embed: framable by any site, the same three.
    let r = ok(&mut c, "/p/22936/nhung");
    assert_only_shown("/p/22936/nhung", &r.text());
    assert!(r.header("x-frame-options").is_none());
    assert!(r
        .header("content-security-policy")
        .unwrap()
        .contains("frame-ancestors *"));
    let t = ok(&mut c, "/p/22936/nhung?n=1").text();
    assert!(t.contains(SHOWN[0].1) && !t.contains(SHOWN[1].1));

    // The board: the three, one shown at a time, turning without script.
    let r = ok(&mut c, "/p/22936/bang-tin");
    let t = r.text();
    assert_only_shown("/p/22936/bang-tin", &t);
    assert!(
        t.contains(
            "<noscript><meta http-equiv=\"refresh\" content=\"15;url=/p/22936/bang-tin?i=1\">"
        ),
        "{t}"
    );
    assert!(t.contains("<script src=\"/static/board.js\""));
    assert_eq!(t.matches("<section class=\"slide\"").count(), 3);
    assert_eq!(t.matches(" hidden").count(), 2);
    let t = ok(&mut c, "/p/22936/bang-tin?i=2").text();
    assert!(t.contains("content=\"15;url=/p/22936/bang-tin?i=0\""));
    let shown_at = t.find(SHOWN[2].1).unwrap();
    let section = t[..shown_at].rfind("<section").unwrap();
    assert!(
        !t[section..shown_at].contains("hidden"),
        "slide 3 is not the one shown"
    );
    let js = ok(&mut c, "/static/board.js");
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    let css = ok(&mut c, "/static/public.css");
    assert!(
        css.body.len() < 4_000,
        "public.css is {} bytes",
        css.body.len()
    );

    // A local announcement whose stations have no area reaches no public
    // page: it is never taken for a province-wide bulletin.
    common::station_api::station_add(&hub, "dai-le", "22936");
    hub.sql("DELETE FROM clip_areas WHERE clip_id = 'tinh-tin'");
    hub.sql("INSERT INTO clip_stations (clip_id, station_id) VALUES ('tinh-tin', 'dai-le')");
    for p in ["/p/22936", "/p/56", "/p/58"] {
        assert!(
            !ok(&mut c, p).text().contains(SHOWN[2].1),
            "{p} shows a local announcement"
        );
    }
    assert_eq!(c.get("/p/22936/audio/tinh-tin.wav").status, 404);

    // A withdrawn bulletin leaves at once.
    let mut ed = hub.login(EDITOR, PASSWORD);
    let r = ed.post_json("/api/v1/clips/xa-tin/withdraw", &serde_json::json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(!ok(&mut c, "/p/22936").text().contains(SHOWN[0].1));
    assert_eq!(c.get("/p/22936/audio/xa-tin.wav").status, 404);
    let _ = APPROVER;
}

fn podcast_parses_and_enclosures_stream(b: Backend) {
    let hub = Hub::start(b);
    seed(&hub);
    let mut c = hub.client();
    let r = ok(&mut c, "/p/22936/podcast.xml");
    assert_eq!(
        r.header("content-type"),
        Some("application/rss+xml; charset=utf-8")
    );
    let xml = hub.dir.path().join("podcast.xml");
    std::fs::write(&xml, &r.body).unwrap();
    for (_, t) in HIDDEN {
        assert!(!r.text().contains(t), "the podcast has {t}");
    }
    // Debian's python3-feedparser (.ci/run installs it).
    let out = std::process::Command::new("/usr/bin/python3")
        .arg("-c")
        .arg(
            r#"
import feedparser, json, sys
d = feedparser.parse(sys.argv[1])
print(json.dumps({
  "bozo": int(bool(d.bozo)), "version": d.version, "title": d.feed.title, "link": d.feed.link,
  "language": d.feed.get("language"),
  "entries": [{"title": e.title, "id": e.id, "published": e.published,
    "duration": e.get("itunes_duration"),
    "enclosures": [{"href": x.href, "length": x.length, "type": x.type} for x in e.enclosures]}
    for e in d.entries]}))
"#,
        )
        .arg(&xml)
        .output()
        .expect("python3 with feedparser (apt-get install python3-feedparser)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["bozo"], 0, "{v}");
    assert_eq!(v["version"], "rss20");
    assert_eq!(v["title"], "Bản tin Xã Phước Dinh");
    assert_eq!(v["language"], "vi");
    let base = format!("http://{}", hub.addr);
    assert_eq!(v["link"], format!("{base}/p/22936"));
    let entries = v["entries"].as_array().unwrap();
    let titles: Vec<&str> = entries
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, SHOWN.map(|(_, t)| t));
    for (e, (id, _)) in entries.iter().zip(SHOWN) {
        assert_eq!(e["id"], format!("loa-{id}"));
        assert_eq!(e["duration"], "1");
        assert!(e["published"].as_str().unwrap().ends_with("+0700"), "{e}");
        let enc = &e["enclosures"][0];
        assert_eq!(enc["type"], "audio/wav");
        let href = enc["href"].as_str().unwrap();
        let path = href
            .strip_prefix(&base)
            .unwrap_or_else(|| panic!("{href} not under {base}"));
        assert_eq!(path, format!("/p/22936/audio/{id}.wav"));
        let length: usize = enc["length"].as_str().unwrap().parse().unwrap();
        let whole = ok(&mut c, path);
        assert_eq!(whole.body.len(), length, "{id}: enclosure length");
        let r = c.request("GET", path, &[("Range", "bytes=100-")], b"");
        assert_eq!(r.status, 206, "{id}");
        assert_eq!(r.body.len(), length - 100);
        assert_eq!(
            r.header("content-range"),
            Some(format!("bytes 100-{}/{length}", length - 1).as_str())
        );
    }
}

/// `public = false` from the API (and a wrong value refused), and from the
/// upload page, whose box is ticked unless the official unticks it.
#[test]
fn the_public_flag_at_upload() {
    let hub = Hub::start(Backend::Sqlite);
    hub.add_user(EDITOR, "editor", "58", PASSWORD);
    let mut ed = hub.login(EDITOR, PASSWORD);
    let audio = common::public::wav(&hub, 1.0);
    let r = ed.post_form(
        "/api/v1/clips",
        &[
            ("id", "a"),
            ("title", "Công khai"),
            ("category", "tin-tuc"),
            ("areas", "22936"),
        ],
        Some(("a.wav", &audio)),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["public"], true);
    let r = ed.post_form(
        "/api/v1/clips",
        &[
            ("id", "b"),
            ("title", "Riêng"),
            ("category", "tin-tuc"),
            ("areas", "22936"),
            ("public", "false"),
        ],
        Some(("a.wav", &audio)),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["public"], false);
    let r = ed.post_form(
        "/api/v1/clips",
        &[
            ("id", "c"),
            ("title", "Sai"),
            ("category", "tin-tuc"),
            ("areas", "22936"),
            ("public", "co"),
        ],
        Some(("a.wav", &audio)),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("public `co`"), "{}", r.text());
    // The page: the box, ticked.
    let form = ed.get("/clips/new").text();
    assert!(
        form.contains(
            "<input type=\"checkbox\" id=\"public\" name=\"public\" value=\"true\" checked>"
        ),
        "{form}"
    );
    assert!(form.contains("Đưa lên trang công khai"));
    // Unticked: the browser sends no field at all.
    let r = ed.post_form(
        "/clips/new",
        &[
            ("id", "d"),
            ("title", "Bỏ chọn"),
            ("category", "tin-tuc"),
            ("area_22936", "1"),
        ],
        Some(("a.wav", &audio)),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let r = ed.post_form(
        "/clips/new",
        &[
            ("id", "e"),
            ("title", "Có chọn"),
            ("category", "tin-tuc"),
            ("area_22936", "1"),
            ("public", "true"),
        ],
        Some(("a.wav", &audio)),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let d = ed.get("/api/v1/clips/d").json();
    assert_eq!(d["public"], false, "{d}");
    let e = ed.get("/api/v1/clips/e").json();
    assert_eq!(e["public"], true, "{e}");
    assert_eq!(
        hub.sql("SELECT id FROM clips WHERE public = 0 ORDER BY id")
            .trim(),
        "b\nd"
    );
}
