//! Where a run's time goes, stage by stage (`--timings`).
//!
//! Stages are timed by spans placed where the work is done (`let _s =
//! timings::span(PDF);`), not threaded through return values. A span's time
//! is exclusive: a span opened inside another (the World answering Typst
//! inside the typesetting) is taken out of the outer one, so the stages add
//! up to the run's time instead of counting it twice. Spans on every thread
//! go to one collector while `collect` runs (forms add up CPU time over all
//! workers); otherwise they cost two clock reads.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Making the engine: Typst's standard library.
pub const STARTUP: &str = "启动（Typst 标准库）";
/// The font index, built on first use: the bundled faces, `--font-path`,
/// and the system's fonts from the cache when the style needs them.
pub const FONTS: &str = "字体索引";
/// Reading and decoding the YAML content.
pub const CONTENT: &str = "读取内容（YAML）";
/// The content checks, the 公文 lint and glyph coverage.
pub const CHECK: &str = "检查";
/// Rendering the Typst source through the minijinja templates.
pub const RENDER: &str = "生成排版源（minijinja）";
/// Time spent inside our `World` handing sources and files to Typst.
pub const WORLD: &str = "World（源文件）";
/// Fonts handed to Typst through our `World`: on a face's first use in the
/// process, Typst parses it (tables, metrics, shaping data).
pub const FONT_LOADING: &str = "字体加载（首次使用时解析）";
/// Typst's evaluation and layout, without the time inside our `World`.
pub const TYPESET: &str = "排版（Typst）";
/// PDF export (font subsetting, compression).
pub const PDF: &str = "导出 PDF";
/// Rendering PNG pages.
pub const PNG: &str = "导出 PNG";
/// Excel workbooks (`forms --xlsx`).
pub const XLSX: &str = "生成 Excel";
/// The combined print files of `forms` (PDF export of a volume's pages).
pub const VOLUMES: &str = "合订本（打印用 PDF）";
/// Writing the files.
pub const WRITE: &str = "写文件";

/// Time per stage, in the order the stages first ran.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    fn add(&mut self, stage: &'static str, took: Duration) {
        match self.stages.iter_mut().find(|(s, _)| *s == stage) {
            Some((_, d)) => *d += took,
            None => self.stages.push((stage, took)),
        }
    }

    /// The stages that ran, with their time.
    pub fn stages(&self) -> &[(&'static str, Duration)] {
        &self.stages
    }

    /// All stages together.
    pub fn total(&self) -> Duration {
        self.stages.iter().map(|(_, d)| *d).sum()
    }

    /// One line per stage with milliseconds and share of the total.
    pub fn report(&self) -> String {
        let total = self.total().as_secs_f64().max(f64::EPSILON);
        let mut out = String::from("用时（毫秒）：\n");
        for (stage, took) in &self.stages {
            let s = took.as_secs_f64();
            out.push_str(&format!(
                "  {:>8.2}  {:>5.1}%  {stage}\n",
                s * 1000.0,
                s / total * 100.0
            ));
        }
        out.push_str(&format!("  {:>8.2}  100.0%  合计\n", total * 1000.0));
        out
    }
}

static ON: AtomicBool = AtomicBool::new(false);
static COLLECTED: Mutex<Timings> = Mutex::new(Timings { stages: Vec::new() });

thread_local! {
    /// Open spans on this thread: (start, time of the spans inside it).
    static OPEN: RefCell<Vec<(Instant, Duration)>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with every span on every thread collected; returns its result
/// and the time per stage. Runs do not nest.
pub fn collect<T>(f: impl FnOnce() -> T) -> (T, Timings) {
    *COLLECTED.lock().unwrap_or_else(|e| e.into_inner()) = Timings::default();
    ON.store(true, Ordering::SeqCst);
    let out = f();
    ON.store(false, Ordering::SeqCst);
    let timings = std::mem::take(&mut *COLLECTED.lock().unwrap_or_else(|e| e.into_inner()));
    (out, timings)
}

/// A stage being timed until the guard is dropped.
#[must_use = "a span times the scope that holds it"]
pub struct Span {
    stage: &'static str,
}

/// Opens a span of `stage` on this thread.
pub fn span(stage: &'static str) -> Span {
    OPEN.with(|o| o.borrow_mut().push((Instant::now(), Duration::ZERO)));
    Span { stage }
}

/// Times `f` as a span of `stage`.
pub fn time<T>(stage: &'static str, f: impl FnOnce() -> T) -> T {
    let _span = span(stage);
    f()
}

impl Drop for Span {
    fn drop(&mut self) {
        let took = OPEN.with(|o| {
            let mut open = o.borrow_mut();
            let (start, inner) = open.pop().expect("spans close in order");
            let took = start.elapsed();
            if let Some((_, parent_inner)) = open.last_mut() {
                *parent_inner += took;
            }
            took.saturating_sub(inner)
        });
        if ON.load(Ordering::Relaxed) {
            COLLECTED
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .add(self.stage, took);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_spans_are_taken_out_of_outer_ones() {
        let sleep = |ms| std::thread::sleep(Duration::from_millis(ms));
        let wall = Instant::now();
        let ((), t) = collect(|| {
            let _outer = span(TYPESET);
            sleep(20);
            time(WORLD, || sleep(30));
            std::thread::scope(|s| {
                s.spawn(|| time(PDF, || sleep(10)));
            });
        });
        let wall = wall.elapsed();
        let get = |stage| {
            t.stages()
                .iter()
                .find(|(s, _)| *s == stage)
                .map(|(_, d)| d.as_secs_f64() * 1000.0)
                .unwrap()
        };
        assert!(get(WORLD) >= 30.0 && get(WORLD) < 60.0, "{t:?}");
        // The outer span kept its own 20 ms (and the 10 ms it waited for the
        // other thread), not the 30 ms of the inner span.
        assert!(get(TYPESET) >= 29.0 && get(TYPESET) < 59.0, "{t:?}");
        assert!(get(PDF) >= 10.0, "{t:?}");
        // A thread's own stages never add up to more than its wall time.
        assert!(get(TYPESET) + get(WORLD) <= wall.as_secs_f64() * 1000.0 + 0.5);
        // Outside `collect` nothing is kept.
        time(PDF, || ());
        let ((), again) = collect(|| ());
        assert!(again.stages().is_empty());
    }
}
