//! Running one job per unit across all cores: progress reported to the
//! caller, comemo eviction every few jobs from this one coordinating place,
//! and failures collected instead of stopping the run.
//!
//! The jobs run on plain worker threads (one per core, or `RAYON_NUM_THREADS`),
//! not as rayon tasks: Typst and its PDF writer use rayon inside every job,
//! and a rayon worker waiting on that inner work would start other units'
//! jobs meanwhile, so that one thread holds several half-done documents and
//! no job's time can be measured on its own.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::error::Error;

/// Told how a batch advances (the command line draws a bar from it).
pub trait Progress: Sync {
    /// A batch of `total` jobs named `what` starts.
    fn start(&self, _what: &str, _total: usize) {}
    /// One job finished.
    fn step(&self) {}
    /// The batch is over.
    fn finish(&self) {}
}

/// No progress reports.
impl Progress for () {}

/// How many jobs finish between two cache evictions: often enough that
/// memory stays flat however many units there are. Each eviction keeps
/// only what was used since the one before (what every form shares: the
/// layout library, the common font subsets); every unit's own results go.
/// Measured on 2 cores (peak RSS, 2000 forms against 20): evicting every 64
/// jobs and keeping 4 rounds, 150 MB against 58 MB; every 8 keeping one,
/// 72 MB against 63 MB. The heap itself stays under 12 MB (valgrind massif).
const CHUNK: usize = 8;

/// A job's result, or the item's name with its error.
type Outcome<R> = Result<R, (String, Error)>;

/// Runs `job` for every item on one worker thread per core, and hands each
/// success to `done` on this thread, in item order, while the workers go on
/// (so `done` can stream results into a file without holding them all, and
/// without stopping the workers). Returns the failures as (item name,
/// error), in item order; an error from `done` stops the run.
pub fn run<T: Sync, R: Send>(
    items: &[T],
    what: &str,
    progress: &dyn Progress,
    name: impl Fn(&T) -> String + Sync,
    job: impl Fn(&T) -> Result<R, Error> + Sync,
    mut done: impl FnMut(R) -> Result<(), Error>,
) -> Result<Vec<(String, Error)>, Error> {
    progress.start(what, items.len());
    let workers = rayon::current_num_threads().max(1);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // At most one finished job per worker waits for `done`.
    let (tx, rx) = mpsc::sync_channel::<(usize, Outcome<R>)>(workers);
    let mut failures = Vec::new();
    let result = std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, stop, job, name) = (&next, &stop, &job, &name);
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    // A panic in one unit's job fails that unit alone.
                    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(item)))
                        .unwrap_or_else(|panic| {
                            Err(Error::Internal {
                                file: std::path::PathBuf::from(name(item)),
                                message: crate::error::panic_message(panic.as_ref()),
                            })
                        })
                        .map_err(|e| (name(item), e));
                    progress.step();
                    if tx.send((i, r)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Owned here, so that returning early drops it and unblocks workers
        // waiting to send, before the scope waits for them.
        let rx = rx;
        // Results arrive in any order; they are handed on in item order.
        let mut waiting: BTreeMap<usize, Outcome<R>> = BTreeMap::new();
        let mut handed = 0;
        for (count, (i, r)) in rx.iter().enumerate() {
            if (count + 1) % CHUNK == 0 {
                crate::typeset::evict_cache_keeping(1);
            }
            waiting.insert(i, r);
            while let Some(r) = waiting.remove(&handed) {
                handed += 1;
                match r {
                    Ok(r) => {
                        if let Err(e) = done(r) {
                            stop.store(true, Ordering::Relaxed);
                            return Err(e);
                        }
                    }
                    Err(f) => failures.push(f),
                }
            }
        }
        Ok(())
    });
    crate::typeset::evict_cache_keeping(1);
    progress.finish();
    result.map(|()| failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `job` over 0..n, items named #i: what came out, in order, and
    /// what failed.
    fn numbered(
        n: usize,
        job: impl Fn(usize) -> Result<usize, Error> + Sync,
    ) -> (Vec<usize>, Vec<(String, Error)>) {
        let items: Vec<usize> = (0..n).collect();
        let mut seen = Vec::new();
        let failures = run(
            &items,
            "test",
            &(),
            |i| format!("#{i}"),
            |&i| job(i),
            |i| {
                seen.push(i);
                Ok(())
            },
        )
        .unwrap();
        (seen, failures)
    }

    #[test]
    fn results_come_in_item_order_and_failures_are_collected() {
        let (seen, failures) = numbered(100, |i| {
            // Later items often finish first.
            std::thread::sleep(std::time::Duration::from_micros(
                ((100 - i) % 13) as u64 * 50,
            ));
            if i % 7 == 3 {
                Err(Error::Typeset(format!("bad {i}")))
            } else {
                Ok(i)
            }
        });
        let good: Vec<usize> = (0..100).filter(|i| i % 7 != 3).collect();
        assert_eq!(seen, good);
        let names: Vec<String> = failures.iter().map(|(n, _)| n.clone()).collect();
        let bad: Vec<String> = (0..100)
            .filter(|i| i % 7 == 3)
            .map(|i| format!("#{i}"))
            .collect();
        assert_eq!(names, bad);
    }

    #[test]
    fn a_panicking_job_fails_its_item_alone() {
        let (seen, failures) = numbered(20, |i| {
            assert!(i != 7, "unit 7 is broken");
            Ok(i)
        });
        assert_eq!(seen.len(), 19);
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].0, "#7");
        assert!(
            failures[0].1.to_string().contains("unit 7 is broken"),
            "{}",
            failures[0].1
        );
    }

    #[test]
    fn an_error_from_done_stops_the_run() {
        let items: Vec<usize> = (0..1000).collect();
        let ran = AtomicUsize::new(0);
        let result = run(
            &items,
            "test",
            &(),
            |i| i.to_string(),
            |&i| {
                ran.fetch_add(1, Ordering::Relaxed);
                Ok(i)
            },
            |i| {
                if i == 10 {
                    Err(Error::Typeset("disk full".into()))
                } else {
                    Ok(())
                }
            },
        );
        assert!(matches!(result, Err(Error::Typeset(m)) if m == "disk full"));
        assert!(
            ran.load(Ordering::Relaxed) < 1000,
            "the workers stopped early"
        );
    }
}
