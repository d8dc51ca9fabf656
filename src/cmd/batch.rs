//! Running one job per unit across all cores: a progress bar on a terminal
//! (silent otherwise), comemo eviction between chunks from this one
//! coordinating place, and failures collected instead of stopping the run.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::error::Error;

/// How many jobs run between two cache evictions: enough to keep both cores
/// busy, few enough that memory stays flat however many units there are.
const CHUNK: usize = 64;

/// Runs `job` for every item, in parallel. Returns the failures as
/// (item name, error), in item order.
pub fn run<T: Sync>(
    items: &[T],
    what: &str,
    name: impl Fn(&T) -> String + Sync,
    job: impl Fn(&T) -> Result<(), Error> + Sync,
) -> Vec<(String, Error)> {
    let bar = ProgressBar::with_draw_target(Some(items.len() as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    let mut failures = Vec::new();
    for chunk in items.chunks(CHUNK) {
        let results: Vec<Option<(String, Error)>> = chunk
            .par_iter()
            .map(|item| {
                let r = job(item).err().map(|e| (name(item), e));
                bar.inc(1);
                r
            })
            .collect();
        failures.extend(results.into_iter().flatten());
        crate::evict_cache();
    }
    bar.finish_and_clear();
    failures
}
