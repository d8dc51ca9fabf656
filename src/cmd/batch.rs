//! Running one job per unit across all cores: a progress bar on a terminal
//! (silent otherwise), comemo eviction between chunks from this one
//! coordinating place, and failures collected instead of stopping the run.
//!
//! The jobs run on plain worker threads (one per core, or `RAYON_NUM_THREADS`),
//! not as rayon tasks: Typst and its PDF writer use rayon inside every job,
//! and a rayon worker waiting on that inner work would start other units'
//! jobs meanwhile, so that one thread holds several half-done documents and
//! no job's time can be measured on its own.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::Error;

/// How many jobs run between two cache evictions: enough to keep both cores
/// busy, few enough that memory stays flat however many units there are.
/// Each eviction keeps only what the last chunk used (what every form
/// shares: the layout library, the common font subsets); every unit's own
/// results go. Measured on 2 cores (peak RSS, 2000 forms against 20): 64
/// jobs keeping 4 chunks' results, 150 MB against 58 MB; 8 jobs keeping
/// one, 73 MB against 59 MB in the same time within noise; 4 jobs, 70 MB
/// but 7 % slower. The heap itself stays under 12 MB (valgrind massif).
const CHUNK: usize = 8;

/// A job's result, or the item's name with its error.
type Outcome<R> = Result<R, (String, Error)>;

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
    let workers = rayon::current_num_threads().clamp(1, CHUNK);
    let mut failures = Vec::new();
    for chunk in items.chunks(CHUNK) {
        let next = AtomicUsize::new(0);
        let slots: Vec<Mutex<Option<Outcome<R>>>> =
            chunk.iter().map(|_| Mutex::new(None)).collect();
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = chunk.get(i) else { break };
                    let r = job(item).map_err(|e| (name(item), e));
                    *slots[i].lock().expect("not poisoned") = Some(r);
                    bar.inc(1);
                });
            }
        });
        let results = slots.into_iter().map(|slot| {
            slot.into_inner()
                .expect("not poisoned")
                .expect("every job ran")
        });
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
