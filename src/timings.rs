//! Where a build's time goes, stage by stage (`gongwen build --timings`).
//! The benchmark reads the same numbers, so the pipeline's own share of a
//! build (YAML, templates, our `World`) is measured, not guessed.

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
    /// Runs `f` and adds its time to `stage`.
    pub fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.add(stage, start.elapsed());
        out
    }

    /// Adds `took` to `stage`.
    pub fn add(&mut self, stage: &'static str, took: Duration) {
        match self.stages.iter_mut().find(|(s, _)| *s == stage) {
            Some((_, d)) => *d += took,
            None => self.stages.push((stage, took)),
        }
    }

    /// Adds every stage of `other`.
    pub fn merge(&mut self, other: &Timings) {
        for (stage, took) in &other.stages {
            self.add(stage, *took);
        }
    }

    /// The time of one stage (zero when it did not run).
    pub fn get(&self, stage: &str) -> Duration {
        self.stages
            .iter()
            .find(|(s, _)| *s == stage)
            .map_or(Duration::ZERO, |(_, d)| *d)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_accumulate_in_first_run_order() {
        let mut t = Timings::default();
        t.add(RENDER, Duration::from_millis(2));
        t.add(PDF, Duration::from_millis(5));
        t.add(RENDER, Duration::from_millis(3));
        assert_eq!(t.get(RENDER), Duration::from_millis(5));
        assert_eq!(t.get(WRITE), Duration::ZERO);
        assert_eq!(t.total(), Duration::from_millis(10));
        let report = t.report();
        let render = report.find(RENDER).unwrap();
        assert!(render < report.find(PDF).unwrap(), "{report}");
        assert!(report.contains("50.0%"), "{report}");
    }
}
