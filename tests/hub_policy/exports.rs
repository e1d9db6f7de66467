//! Issue 17, item 7: the audit export defuses a formula in every piece a
//! spreadsheet could split the cell into (after `;`, `,` or a tab, and blanks), not
//! only at the cell's first character. Login names are the attacker's text
//! that reaches the export without signing in.

use super::*;
use serde_json::json;

pub fn csv_exports_defuse_formulas_after_separators(b: Backend) {
    let mut hub = Hub::start(b);
    for name in ["a;=1+1", "x\t =2+2", "b,@SUM(A1)"] {
        let r = hub
            .client()
            .post_json("/api/v1/session", &json!({"user": name, "password": "x"}));
        assert_eq!(r.status, 401, "{}", r.text());
    }
    let mut root = hub.admin("mat-khau-quan-tri-tinh");
    let csv = root.get("/api/v1/audit?format=csv").text();
    for cell in [
        r#""user:a;'=1+1""#,
        "\"user:x\t '=2+2\"",
        r#""user:b,'@SUM(A1)""#,
    ] {
        assert!(csv.contains(cell), "{cell} in {csv}");
    }
    for raw in [";=1+1", "\t =2+2", ",@SUM"] {
        assert!(!csv.contains(raw), "{raw} in {csv}");
    }
}
