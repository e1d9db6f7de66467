//! The clip list pages in SQL (issue 10's page-render fix), on SQLite and
//! PostgreSQL: 120 clips seeded into the real hub's database (every state,
//! creators, area sets inside and outside each scope, unknown codes, "every
//! area", equal creation times) are listed by each kind of account through
//! the JSON API (`GET /api/v1/clips?state=…`, the whole list) and the page
//! (`GET /clips?state=…&page=N`, 50 cards), and compared with the set and
//! order HUB.md's rules give, computed here from the area tree; the pager's
//! page count and out-of-range pages (clamped) too; the approval queue
//! (`/queue?page=N`) pages the submitted clips the same way. A real upload shows that
//! `clips::create` records its areas for the SQL scope test.

mod common;

use common::hub::{Backend, Client, Hub};
use common::write_tone;

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
    paged_lists_match_the_scope_rules,
    an_uploaded_clip_is_listed_by_its_areas
);

const STATES: [&str; 5] = ["draft", "submitted", "approved", "rejected", "withdrawn"];
const CLIPS: usize = 120;
const PER_PAGE: usize = 50;

/// The bundled tree (src/hub/areas.csv): code → parent.
fn parent(code: &str) -> Option<&'static str> {
    Some(match code {
        "568" | "569" => "56",
        "22333" | "22366" => "568",
        "22435" => "569",
        "582" | "588" | "589" => "58",
        "22780" => "582",
        "22900" => "588",
        "22936" | "22939" => "589",
        _ => return None,
    })
}

fn covers(outer: &str, inner: &str) -> bool {
    let mut c = inner;
    loop {
        if c == outer {
            return true;
        }
        match parent(c) {
            Some(p) => c = p,
            None => return false,
        }
    }
}

struct Account {
    name: &'static str,
    roles: &'static str,
    areas: &'static [&'static str],
    password: &'static str,
}

const CAST: &[Account] = &[
    Account {
        name: "bt-589",
        roles: "editor",
        areas: &["589"],
        password: "mk-bien-tap-589",
    },
    Account {
        name: "duyet-58",
        roles: "approver",
        areas: &["58"],
        password: "mk-phe-duyet-58",
    },
    Account {
        name: "duyet-56",
        roles: "approver",
        areas: &["56"],
        password: "mk-phe-duyet-56",
    },
    Account {
        name: "bt-hai-noi",
        roles: "editor",
        areas: &["22936", "568"],
        password: "mk-bien-tap-hai",
    },
    Account {
        name: "xem",
        roles: "viewer",
        areas: &[],
        password: "mk-chi-xem-thoi",
    },
    Account {
        name: "qt-58",
        roles: "admin",
        areas: &["58"],
        password: "mk-quan-tri-58",
    },
];

/// Area sets the clips cycle through ("" = every area).
const AREA_SETS: &[&str] = &[
    "22936",
    "22939",
    "589",
    "58",
    "22333",
    "22936,22333",
    "",
    "99999",
    "568,22939",
    "22900,22936",
];

struct Clip {
    id: String,
    by: &'static str,
    areas: Vec<&'static str>,
    state: &'static str,
    at: i64,
}

fn clips() -> Vec<Clip> {
    (0..CLIPS)
        .map(|i| Clip {
            // Ids out of insertion order, three clips a second: the order's
            // tie-break by id is tested too.
            id: format!("k{:03}", (i * 7) % CLIPS),
            by: CAST[i % 4].name,
            areas: AREA_SETS[i % AREA_SETS.len()]
                .split(',')
                .filter(|a| !a.is_empty())
                .collect(),
            state: STATES[(i / 2) % STATES.len()],
            at: 1_700_000_000 + (i / 3) as i64,
        })
        .collect()
}

fn seed(hub: &Hub, all: &[Clip]) {
    let mut rows = vec![];
    let mut areas = vec![];
    for c in all {
        rows.push(format!(
            "('{}', 'Bản tin {}', 'tin-tuc', 'vi', '{}', 'normal', '{}', 'wav', '{:064}', 1000, 1000, \
             (SELECT id FROM users WHERE name = '{}'), {}, {})",
            c.id, c.id, c.areas.join(","), c.state, c.at, c.by, c.at, c.at
        ));
        // What `clips::create` writes next to each clip.
        areas.extend(c.areas.iter().map(|a| format!("('{}', '{a}')", c.id)));
    }
    hub.sql(&format!(
        "INSERT INTO clips (id, title, category, lang, areas, level, state, ext, sha256, bytes, duration_ms, \
         created_by, created_at, updated_at) VALUES {}; INSERT INTO clip_areas (clip_id, code) VALUES {};",
        rows.join(", "),
        areas.join(", ")
    ));
}

/// What `who` may see in `state`, newest first then by id (HUB.md).
fn expected(all: &[Clip], who: &Account, state: Option<&str>) -> Vec<String> {
    // scope::sees: the whole province's admins and report readers see all;
    // others their own and the clips whose areas overlap theirs (a clip
    // without areas is for the whole province).
    let everything =
        (who.roles.contains("admin") || who.roles.contains("viewer")) && who.areas.is_empty();
    let mut v: Vec<&Clip> = all
        .iter()
        .filter(|c| state.is_none_or(|s| c.state == s))
        .filter(|c| {
            everything
                || c.by == who.name
                || (!who.areas.is_empty()
                    && (c.areas.is_empty()
                        || c.areas
                            .iter()
                            .any(|a| who.areas.iter().any(|o| covers(o, a) || covers(a, o)))))
        })
        .collect();
    v.sort_by(|a, b| b.at.cmp(&a.at).then(a.id.cmp(&b.id)));
    v.into_iter().map(|c| c.id.clone()).collect()
}

/// The clip ids on a list page, in order.
fn card_ids(html: &str) -> Vec<String> {
    html.split("<a href=\"/clips/")
        .skip(1)
        .filter_map(|s| {
            s.split_once("\" class=\"title\"")
                .map(|(id, _)| id.to_string())
        })
        .collect()
}

fn check_account(c: &mut Client, all: &[Clip], who: &Account) {
    for state in std::iter::once(None).chain(STATES.iter().map(|s| Some(*s))) {
        let want = expected(all, who, state);
        let q = state.map(|s| format!("state={s}&")).unwrap_or_default();
        let api = c.get(&format!("/api/v1/clips?{q}"));
        assert_eq!(api.status, 200, "{}", api.text());
        let got: Vec<String> = api
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(got, want, "API list of {} ({state:?})", who.name);
        let pages = want.len().div_ceil(PER_PAGE).max(1);
        for page in 1..=pages {
            let r = c.get(&format!("/clips?{q}page={page}"));
            assert_eq!(r.status, 200);
            let want_page: Vec<String> = want
                .iter()
                .skip((page - 1) * PER_PAGE)
                .take(PER_PAGE)
                .cloned()
                .collect();
            assert_eq!(
                card_ids(&r.text()),
                want_page,
                "page {page} of {} ({state:?})",
                who.name
            );
            // The approval queue pages the submitted clips the same way.
            if state == Some("submitted") && who.roles.contains("approver") {
                let queue = c.get(&format!("/queue?page={page}"));
                assert_eq!(queue.status, 200);
                assert_eq!(
                    card_ids(&queue.text()),
                    want_page,
                    "queue page {page} of {}",
                    who.name
                );
            }
            if pages > 1 {
                assert!(
                    r.text()
                        .contains(&format!("<span>Trang {page} / {pages}</span>")),
                    "pager of {}",
                    who.name
                );
            }
        }
        // Out of range: clamped to the last and the first page.
        let last = c.get(&format!("/clips?{q}page={}", pages + 3)).text();
        let want_last: Vec<String> = want.iter().skip((pages - 1) * PER_PAGE).cloned().collect();
        assert_eq!(card_ids(&last), want_last);
        let first = c.get(&format!("/clips?{q}page=0")).text();
        assert_eq!(
            card_ids(&first),
            want.iter().take(PER_PAGE).cloned().collect::<Vec<_>>()
        );
        if want.is_empty() {
            assert!(first.contains("Chưa có bản tin nào."));
        }
    }
}

fn paged_lists_match_the_scope_rules(b: Backend) {
    let hub = Hub::start(b);
    for a in CAST {
        hub.add_user(a.name, a.roles, &a.areas.join(","), a.password);
    }
    let all = clips();
    seed(&hub, &all);
    let mut checked_paging = false;
    for who in CAST {
        let mut c = hub.login(who.name, who.password);
        check_account(&mut c, &all, who);
        checked_paging |= expected(&all, who, None).len() > PER_PAGE;
    }
    assert!(checked_paging, "some account sees more than one page");
    // The narrow scopes really narrow: not everyone sees everything.
    // (Areas that overlap, own clips and clips for the whole province.)
    assert!(expected(&all, &CAST[2], None).len() < CLIPS * 2 / 3);
}

fn an_uploaded_clip_is_listed_by_its_areas(b: Backend) {
    let hub = Hub::start(b);
    for a in CAST {
        hub.add_user(a.name, a.roles, &a.areas.join(","), a.password);
    }
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("tone.wav");
    write_tone(&wav, 550.0, 1.0, 0.4);
    let data = std::fs::read(&wav).unwrap();
    let mut ed = hub.login("bt-589", "mk-bien-tap-589");
    let r = ed.post_form(
        "/api/v1/clips",
        &[
            ("title", "Lịch tiêm chủng"),
            ("category", "y-te"),
            ("id", "tiem-chung"),
            ("areas", "22936,22939"),
        ],
        Some(("tone.wav", &data)),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let ids = |c: &mut Client| -> Vec<String> {
        c.get("/api/v1/clips")
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["id"].as_str().unwrap().to_string())
            .collect()
    };
    let sees = |name: &str, pw: &str| {
        let mut c = hub.login(name, pw);
        let api = ids(&mut c) == ["tiem-chung"];
        let page = card_ids(&c.get("/clips?state=submitted").text()) == ["tiem-chung"];
        assert_eq!(api, page, "API and page agree for {name}");
        api
    };
    assert!(sees("bt-589", "mk-bien-tap-589"));
    assert!(sees("duyet-58", "mk-phe-duyet-58"));
    assert!(!sees("duyet-56", "mk-phe-duyet-56"));
    // 22936 is in scope, 22939 is not: the areas overlap, so it is seen.
    assert!(sees("bt-hai-noi", "mk-bien-tap-hai"));
    assert!(sees("xem", "mk-chi-xem-thoi"));
}
