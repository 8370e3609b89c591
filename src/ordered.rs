//! Owns the one parallel loop of the crate: a windowed, ordered parallel
//! map. `scan` and `redact` both run their files through it.
//!
//! Worker threads claim items in input order and the results are handed to
//! the calling thread in input order, so output is deterministic. No worker
//! starts an item more than `window` ahead of the last one delivered:
//! results waiting for a slow earlier item are bounded in number, so peak
//! memory depends on the largest items, not on how many there are. A panic
//! while working on one item is caught and delivered as that item's result;
//! the other items go on.
//!
//! Hand-written rather than rayon's `par_iter`: rayon's ordered `collect`
//! keeps every result until the end (memory grows with the number of files)
//! and its `for_each` neither delivers in order nor bounds how far ahead
//! work runs.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

/// The window of [`map_ordered`] used by `scan` and `redact`: at most this
/// many items are started ahead of the last one delivered.
pub const WINDOW: usize = 256;

/// Stack size of a worker: parsers of nested formats recurse.
const STACK_SIZE: usize = 8 << 20;

/// How to run a [`map_ordered`].
#[derive(Clone, Copy, Debug)]
pub struct Pool {
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Most items started ahead of the last one delivered (at least 1).
    pub window: usize,
    /// Thread name, for debuggers and panic messages.
    pub name: &'static str,
}

/// Run `work` on every item on `pool.threads` worker threads and hand each
/// result to `deliver` on the calling thread, in item order, with the
/// item's index. A panic in `work` is delivered as `Err` with its payload.
///
/// Returns an error only when a worker thread cannot be started.
pub fn map_ordered<T, R>(
    items: &[T],
    pool: Pool,
    work: impl Fn(usize, &T) -> R + Sync,
    mut deliver: impl FnMut(usize, std::thread::Result<R>),
) -> std::io::Result<()>
where
    T: Sync,
    R: Send,
{
    let window = pool.window.max(1);
    let threads = match pool.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .min(items.len().max(1));
    let claimed = AtomicUsize::new(0);
    // Items delivered so far, and a wake-up for workers waiting on it.
    let delivered = (Mutex::new(0usize), Condvar::new());
    let (tx, rx) = mpsc::sync_channel::<(usize, std::thread::Result<R>)>(window);
    std::thread::scope(|s| -> std::io::Result<()> {
        // However this closure ends (a worker that cannot be started, a
        // panic in `deliver`), waiting workers are let go before the scope
        // joins them; their sends then fail and they stop.
        let _release = Release(&delivered);
        let work = &work;
        for _ in 0..threads {
            let worker_tx = tx.clone();
            let (claimed, delivered) = (&claimed, &delivered);
            let spawned = std::thread::Builder::new()
                .name(pool.name.into())
                .stack_size(STACK_SIZE)
                .spawn_scoped(s, move || loop {
                    let i = claimed.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    {
                        // Item `*done` is claimed already (claims go in
                        // order) and its worker does not wait: no deadlock.
                        let mut done = delivered.0.lock().unwrap_or_else(|e| e.into_inner());
                        while i >= done.saturating_add(window) {
                            done = delivered.1.wait(done).unwrap_or_else(|e| e.into_inner());
                        }
                    }
                    let result = catch_unwind(AssertUnwindSafe(|| work(i, item)));
                    if worker_tx.send((i, result)).is_err() {
                        break;
                    }
                });
            if let Err(e) = spawned {
                // Workers already started stop at their next send (nothing
                // receives any more); none of their results is delivered.
                drop(rx);
                return Err(e);
            }
        }
        drop(tx);
        // Reorder buffer: deliver in item order as results come in.
        let mut pending: BTreeMap<usize, std::thread::Result<R>> = BTreeMap::new();
        let mut next = 0;
        for (i, result) in rx {
            pending.insert(i, result);
            let before = next;
            while let Some(result) = pending.remove(&next) {
                deliver(next, result);
                next += 1;
            }
            if next != before {
                *delivered.0.lock().unwrap_or_else(|e| e.into_inner()) = next;
                delivered.1.notify_all();
            }
        }
        Ok(())
    })
}

/// Lets every waiting worker go when dropped.
struct Release<'a>(&'a (Mutex<usize>, Condvar));

impl Drop for Release<'_> {
    fn drop(&mut self) {
        *self.0 .0.lock().unwrap_or_else(|e| e.into_inner()) = usize::MAX;
        self.0 .1.notify_all();
    }
}

/// The message of a caught panic, cut short: the message of a parser panic
/// can quote document bytes, so digits are dropped and only its first words
/// are kept.
pub fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    let msg = p
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    msg.chars()
        .filter(|c| !c.is_ascii_digit())
        .take(60)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;
    use std::time::Duration;

    fn pool(threads: usize, window: usize) -> Pool {
        Pool {
            threads,
            window,
            name: "ordered-test",
        }
    }

    #[test]
    fn results_come_in_input_order() {
        let items: Vec<u64> = (0..1000).collect();
        for threads in [1, 2, 5] {
            let mut got = Vec::new();
            map_ordered(
                &items,
                pool(threads, 8),
                |i, x| {
                    // Early items are the slowest: they finish last.
                    if i % 97 == 0 {
                        std::thread::sleep(Duration::from_millis(3));
                    }
                    x * 2
                },
                |i, r| got.push((i, r.unwrap())),
            )
            .unwrap();
            let want: Vec<(usize, u64)> = (0..1000).map(|i| (i, i as u64 * 2)).collect();
            assert_eq!(got, want, "threads {threads}");
        }
    }

    #[test]
    fn no_item_starts_past_the_window() {
        let items: Vec<usize> = (0..300).collect();
        let window = 4;
        let delivered = AtomicUsize::new(0);
        let started_ahead = AtomicUsize::new(0);
        let violated = AtomicBool::new(false);
        map_ordered(
            &items,
            pool(4, window),
            |i, _| {
                let done = delivered.load(Ordering::SeqCst);
                started_ahead.fetch_max(i - done.min(i), Ordering::SeqCst);
                if i >= done + window {
                    violated.store(true, Ordering::SeqCst);
                }
                // Item 0 of every block of 50 is slow: the others would run ahead.
                if i % 50 == 0 {
                    std::thread::sleep(Duration::from_millis(20));
                }
            },
            |i, r| {
                r.unwrap();
                delivered.store(i + 1, Ordering::SeqCst);
            },
        )
        .unwrap();
        assert!(!violated.load(Ordering::SeqCst));
        // The bound was reached, so the check above looked at something.
        assert_eq!(started_ahead.load(Ordering::SeqCst), window - 1);
        assert_eq!(delivered.load(Ordering::SeqCst), 300);
    }

    #[test]
    fn a_panic_in_one_item_loses_no_other() {
        let items: Vec<usize> = (0..50).collect();
        let mut ok = Vec::new();
        let mut panicked = Vec::new();
        map_ordered(
            &items,
            pool(3, 5),
            |_, &x| {
                if x % 7 == 3 {
                    std::panic::panic_any(format!("item {x} failed"));
                }
                x
            },
            |i, r| match r {
                Ok(x) => ok.push(x),
                Err(p) => panicked.push((i, panic_message(p.as_ref()))),
            },
        )
        .unwrap();
        let want_ok: Vec<usize> = (0..50).filter(|x| x % 7 != 3).collect();
        assert_eq!(ok, want_ok);
        let want_panicked: Vec<(usize, String)> = (0..50)
            .filter(|x| x % 7 == 3)
            .map(|i| (i, "item  failed".to_string()))
            .collect();
        assert_eq!(panicked, want_panicked);
    }

    #[test]
    fn a_panic_in_deliver_lets_the_workers_go() {
        let items: Vec<usize> = (0..100).collect();
        let r = std::panic::catch_unwind(|| {
            map_ordered(
                &items,
                pool(3, 1),
                |_, x| *x,
                |i, _| assert!(i < 2, "stop at {i}"),
            )
        });
        // Returns (with the panic) instead of waiting for workers that wait
        // for a window that no longer moves.
        assert!(r.is_err());
    }

    #[test]
    fn no_items_and_more_threads_than_items() {
        let mut n = 0;
        map_ordered(&[] as &[u8], pool(4, 2), |_, _| (), |_, _| n += 1).unwrap();
        assert_eq!(n, 0);
        let mut got = Vec::new();
        map_ordered(&[7, 8], pool(16, 1), |_, x| *x, |_, r| got.push(r.unwrap())).unwrap();
        assert_eq!(got, vec![7, 8]);
    }
}
