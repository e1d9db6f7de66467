//! One stream item's window, on the audio thread: the live relay while its link
//! delivers, its fallback items from the moment the buffered audio runs out after a
//! loss (no dead air), and the stream again as soon as it is back and has
//! buffered enough — at once, with a short crossfade out of the fallback item on air
//! (that item is cut, reported with its seconds; the next loss airs the next one).
//! When no fallback is left to air, the window ends early and the program goes on.
//!
//! Counts what aired: seconds of stream audio, of silence (connecting, underruns,
//! a late fallback), and each loss and return with its time and cause, for the
//! stream's as-run entry. Never blocks, never logs.

use std::collections::VecDeque;
use std::sync::mpsc::Receiver;

use super::broadcast::ItemReport;
use super::prepare::Prepared;
use crate::relay::LiveFeed;

/// The stream fades back in over this long, while the fallback item fades out.
pub(crate) const CROSSFADE_FRAMES: u32 = 2400; // 50 ms at 48 kHz

pub(crate) struct Window {
    /// Frames left before the window closes (whatever is on air is then cut).
    pub left: u64,
    /// Frames since it opened.
    pub elapsed: u64,
    /// The relay; `None` once given up (dead air).
    pub feed: Option<LiveFeed>,
    /// Report name (`stream URL`, prefixed inside a fallback) and where its
    /// report goes in the broadcast's list.
    pub name: String,
    pub slot: usize,
    /// The stream is what airs now (else its fallback, or nothing yet).
    pub on_stream: bool,
    pub stream_frames: u64,
    pub silence_frames: u64,
    pub fallback_frames: u64,
    pub has_fallback: bool,
    pub fallback: Receiver<Vec<Prepared>>,
    pub pending: VecDeque<Prepared>,
    /// Losses, returns and the dead-air verdict, in order, for the report.
    pub events: Vec<String>,
    /// Closed before its time: the stream was down and no fallback was left.
    pub cut_short: bool,
    /// Frames left of the fade (or crossfade) into the stream, and its length.
    pub fade: u32,
    pub fade_len: u32,
    pub rate: u32,
}

impl Window {
    /// "+12.3 s" into the window.
    pub fn at(&self) -> String {
        format!("+{:.1} s", self.elapsed as f64 / f64::from(self.rate))
    }

    pub fn tick(&mut self) {
        self.left = self.left.saturating_sub(1);
        self.elapsed += 1;
    }

    /// The link went down and the buffer is dry.
    pub fn lost(&mut self) {
        let why = self
            .feed
            .as_ref()
            .and_then(|f| f.failure().or_else(|| f.down_reason()))
            .unwrap_or_else(|| "the stream was lost".into());
        let at = self.at();
        self.events.push(format!("lost at {at} ({why})"));
        self.on_stream = false;
    }

    /// Back on the stream (it is ready).
    pub fn back(&mut self, crossfade: bool) {
        let at = self.at();
        self.events.push(format!("back at {at}"));
        self.on_stream = true;
        self.fade = if crossfade { CROSSFADE_FRAMES } else { 240 };
        self.fade_len = self.fade;
    }

    /// The stream is up and buffered: time to return to it.
    pub fn ready(&self) -> bool {
        !self.on_stream && self.feed.as_ref().is_some_and(LiveFeed::ready)
    }

    /// What happened to the stream, in order: its losses, returns and dead air,
    /// then what filled in for it (none of this is an error: the window aired).
    pub fn events(&self) -> Vec<String> {
        let mut out = self.events.clone();
        if out.is_empty() {
            return out;
        }
        let secs = |f: u64| f as f64 / f64::from(self.rate);
        out.push(if self.fallback_frames > 0 {
            format!("fallback aired {:.1} s", secs(self.fallback_frames))
        } else if self.has_fallback {
            "fallback not reached".to_string()
        } else {
            "no fallback".to_string()
        });
        out
    }

    /// Why the window ended before its time, if it did: the stream was down and
    /// nothing was left to air in its place. The only error a window reports.
    pub fn error(&self) -> Option<String> {
        if !self.cut_short {
            return None;
        }
        let early = self.left as f64 / f64::from(self.rate);
        let what = if self.has_fallback {
            "the fallback ran out"
        } else {
            "no fallback"
        };
        Some(format!(
            "window ended {early:.1} s early: stream down and {what}"
        ))
    }

    /// The stream's report, and its silence's when there was any.
    pub fn reports(&self) -> Vec<ItemReport> {
        let secs = |f: u64| f as f64 / f64::from(self.rate);
        let mut out = vec![ItemReport {
            name: self.name.clone(),
            sha256: None,
            seconds: secs(self.stream_frames),
            error: self.error(),
            events: self.events(),
        }];
        if self.silence_frames > 0 {
            out.push(ItemReport {
                name: format!("silence ({})", self.name),
                sha256: None,
                seconds: secs(self.silence_frames),
                error: None,
                events: Vec::new(),
            });
        }
        out
    }

    /// Gain of the stream in the crossfade (0 → 1), stepping it on.
    pub fn fade_gain(&mut self) -> f32 {
        if self.fade == 0 {
            return 1.0;
        }
        self.fade -= 1;
        1.0 - self.fade as f32 / self.fade_len.max(1) as f32
    }
}
