//! Running one job per unit across all cores: a progress bar on a terminal
//! (silent otherwise), comemo eviction between chunks from this one
//! coordinating place, and failures collected instead of stopping the run.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::error::Error;

/// How many jobs run between two cache evictions: enough to keep both cores
/// busy, few enough that memory stays flat however many units there are.
/// Each eviction keeps only what the last chunk used (what every form
/// shares: the layout library, the common font subsets); every unit's own
/// results go. Measured on 2 cores: 64 jobs and a 4-chunk memory peaked at
/// 150 MB for 2000 forms against 58 MB for 20; 8 jobs and a 1-chunk memory
/// at 70 MB, in the same time within noise.
const CHUNK: usize = 8;

/// Runs `job` for every item, in parallel, and hands each success to `done`
/// on this thread, in item order, chunk by chunk (so `done` can stream
/// results into a file without holding them all). Returns the failures as
/// (item name, error), in item order; an error from `done` stops the run.
pub fn run<T: Sync, R: Send>(
    items: &[T],
    what: &str,
    name: impl Fn(&T) -> String + Sync,
    job: impl Fn(&T) -> Result<R, Error> + Sync,
    mut done: impl FnMut(R) -> Result<(), Error>,
) -> Result<Vec<(String, Error)>, Error> {
    let bar = ProgressBar::with_draw_target(Some(items.len() as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    let mut failures = Vec::new();
    for chunk in items.chunks(CHUNK) {
        let results: Vec<Result<R, (String, Error)>> = chunk
            .par_iter()
            .map(|item| {
                let r = job(item).map_err(|e| (name(item), e));
                bar.inc(1);
                r
            })
            .collect();
        crate::evict_cache_keeping(1);
        for r in results {
            match r {
                Ok(r) => done(r)?,
                Err(f) => failures.push(f),
            }
        }
    }
    bar.finish_and_clear();
    Ok(failures)
}
