//! A scripted task in the browser with a count of what the person does, for
//! issue 18's taps-and-seconds table (BENCHMARKS.md): a tap that loads a page
//! counts a tap and a load, a tap that stays on the page a tap, a typed
//! field a tap (to focus it) and a field typed, a `<select>` choice two taps.
#![allow(dead_code)]

use std::time::Instant;

use serde_json::json;

use super::browser::Browser;

pub struct Task<'a> {
    pub b: &'a Browser,
    pub taps: u32,
    pub loads: u32,
    pub typed: u32,
    pub t0: Instant,
}

impl<'a> Task<'a> {
    pub fn new(b: &'a Browser) -> Task<'a> {
        Task {
            b,
            taps: 0,
            loads: 0,
            typed: 0,
            t0: Instant::now(),
        }
    }

    /// A tap that loads a new page (a link, a submit button).
    pub async fn go(&mut self, css: &str) {
        self.taps += 1;
        self.loads += 1;
        self.b.click_and_wait(css).await;
    }

    /// A tap that stays on the page (a checkbox, an in-page link).
    pub async fn tap(&mut self, css: &str) {
        self.taps += 1;
        self.b.click(css).await;
    }

    /// A field typed into (one tap to focus it, then the keyboard).
    pub async fn fill(&mut self, css: &str, v: &str) {
        self.taps += 1;
        self.typed += 1;
        self.b.fill(css, v).await;
    }

    /// A choice in a `<select>`: open it, pick the option (two taps).
    pub async fn pick(&mut self, css: &str, value: &str) {
        self.taps += 2;
        let js = format!(
            "const s = document.querySelector(\"{}\"); s.value = '{value}'; s.dispatchEvent(new Event('change', {{bubbles: true}})); return s.value;",
            css.replace('"', "\\\"")
        );
        let v = self.b.c.execute(&js, vec![]).await.unwrap();
        assert_eq!(v, json!(value), "{css} has no option {value}");
    }

    /// Print the `TASK` line BENCHMARKS.md quotes.
    pub fn report(&self, name: &str) {
        let secs = self.t0.elapsed().as_secs_f64();
        eprintln!(
            "TASK {name}: {} taps ({} page loads), {} fields typed, {secs:.1} s",
            self.taps, self.loads, self.typed
        );
    }
}
