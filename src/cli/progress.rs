//! A progress bar for batches, drawn on standard error when it is a
//! terminal (indicatif hides it otherwise).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Bar(ProgressBar);

impl Bar {
    pub fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        Bar(bar)
    }
}

impl gongwen::Progress for Bar {
    fn start(&self, what: &str, total: usize) {
        self.0.reset();
        self.0.set_length(total as u64);
        self.0.set_message(what.to_string());
    }

    fn step(&self) {
        self.0.inc(1);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
