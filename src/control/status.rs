//! The `loa status --json` shape: what the daemon reports about itself.
//!
//! The SPEC fields (`on_air`, `next`, `feed`, `store`, `output`) are exact;
//! the rest are extras for operators. Times are RFC 3339 in the station's
//! zone. Plain data: the daemon fills it, `render` prints it.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    /// The broadcast on air, if any.
    pub on_air: Option<OnAirStatus>,
    /// The next broadcasts, soonest first.
    pub next: Vec<NextStatus>,
    /// The last feed sync; null when no feed is configured.
    pub feed: Option<FeedStatus>,
    pub store: StoreStatus,
    pub output: OutputStatus,
    /// Extra: whether the wall clock is trusted (see SPEC "Scheduling rules").
    pub clock: ClockState,
    /// Extra: the daemon's wall clock when it answered.
    pub now: DateTime<FixedOffset>,
    /// Extra: when the daemon started.
    pub since: DateTime<FixedOffset>,
    /// Extra: the daemon's version.
    pub version: String,
    /// Extra: the station's name (`[station] name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnAirStatus {
    /// `program@local-start`.
    pub occurrence: String,
    /// Program id.
    pub program: String,
    /// The item playing now (clip id or file); null between items.
    pub item: Option<String>,
    /// Seconds into the current item.
    pub position_s: f64,
    /// Extra: program title.
    pub title: String,
    /// Extra: seconds since the broadcast started.
    pub elapsed_s: f64,
    /// Extra: when the first sample aired.
    pub started: DateTime<FixedOffset>,
    /// Extra: the broadcast's priority.
    pub priority: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextStatus {
    pub occurrence: String,
    pub start: DateTime<FixedOffset>,
    /// Extra: program id.
    pub program: String,
    /// Extra: program title.
    pub title: String,
    /// Extra: priority.
    pub priority: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedStatus {
    /// When the last sync attempt finished; null before the first one.
    pub last_sync: Option<DateTime<FixedOffset>>,
    /// `"ok"`, `"unchanged"`, or what went wrong.
    pub result: String,
    /// The last accepted manifest sequence; null before the first one.
    pub sequence: Option<u64>,
    /// The accepted manifest has expired (its `expires_at` passed).
    pub stale: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreStatus {
    pub clips: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputStatus {
    /// The output spec in force, e.g. `default`, `wav:/tmp/air.wav`.
    pub device: String,
    pub state: OutputState,
    /// Extra: why the output failed (with `state: "failed"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What the output is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputState {
    /// Not open: nothing due (it opens `warmup` before a broadcast).
    Closed,
    /// Open and silent.
    Ready,
    /// Airing a broadcast.
    OnAir,
    /// Could not be opened or failed; the daemon retries.
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    Ok,
    /// Earlier than the newest as-run record: nothing is scheduled.
    Untrusted,
}

#[cfg(test)]
pub(crate) fn sample() -> Status {
    let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
    Status {
        on_air: Some(OnAirStatus {
            occurrence: "sang@2026-11-27T05:00:00+07:00".into(),
            program: "sang".into(),
            item: Some("chime.ogg".into()),
            position_s: 12.5,
            title: "Bản tin buổi sáng".into(),
            elapsed_s: 185.0,
            started: t("2026-11-27T05:00:00+07:00"),
            priority: 10,
        }),
        next: vec![NextStatus {
            occurrence: "chieu@2026-11-27T17:00:00+07:00".into(),
            start: t("2026-11-27T17:00:00+07:00"),
            program: "chieu".into(),
            title: "Bản tin buổi chiều".into(),
            priority: 10,
        }],
        feed: Some(FeedStatus {
            last_sync: Some(t("2026-11-27T04:50:00+07:00")),
            result: "ok".into(),
            sequence: Some(42),
            stale: false,
        }),
        store: StoreStatus {
            clips: 12,
            bytes: 45_300_000,
        },
        output: OutputStatus {
            device: "default".into(),
            state: OutputState::OnAir,
            error: None,
        },
        clock: ClockState::Ok,
        now: t("2026-11-27T05:03:05+07:00"),
        since: t("2026-11-26T04:58:00+07:00"),
        version: "0.1.0".into(),
        station: Some("Đài truyền thanh xã Phước Dinh".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn status_json_shape() {
        let v = serde_json::to_value(sample()).unwrap();
        assert_eq!(
            v,
            json!({
                "on_air": {
                    "occurrence": "sang@2026-11-27T05:00:00+07:00",
                    "program": "sang", "item": "chime.ogg", "position_s": 12.5,
                    "title": "Bản tin buổi sáng", "elapsed_s": 185.0,
                    "started": "2026-11-27T05:00:00+07:00", "priority": 10
                },
                "next": [{
                    "occurrence": "chieu@2026-11-27T17:00:00+07:00",
                    "start": "2026-11-27T17:00:00+07:00",
                    "program": "chieu", "title": "Bản tin buổi chiều", "priority": 10
                }],
                "feed": {"last_sync": "2026-11-27T04:50:00+07:00", "result": "ok",
                         "sequence": 42, "stale": false},
                "store": {"clips": 12, "bytes": 45300000},
                "output": {"device": "default", "state": "on_air"},
                "clock": "ok",
                "now": "2026-11-27T05:03:05+07:00",
                "since": "2026-11-26T04:58:00+07:00",
                "version": "0.1.0",
                "station": "Đài truyền thanh xã Phước Dinh"
            })
        );
    }

    #[test]
    fn idle_status_has_nulls() {
        let mut s = sample();
        s.on_air = None;
        s.feed = None;
        s.next.clear();
        s.output.state = OutputState::Failed;
        s.output.error = Some("no such device".into());
        s.clock = ClockState::Untrusted;
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["on_air"], json!(null));
        assert_eq!(v["feed"], json!(null));
        assert_eq!(v["next"], json!([]));
        assert_eq!(
            v["output"],
            json!({"device": "default", "state": "failed", "error": "no such device"})
        );
        assert_eq!(v["clock"], json!("untrusted"));
        let back: Status = serde_json::from_value(v).unwrap();
        assert_eq!(back, s);
    }
}
