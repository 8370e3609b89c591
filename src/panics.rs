//! Panics caught around third-party parsers (calamine, mail-parser, the PDF
//! and zip readers): such a panic is a damaged input file, reported as that
//! file's record, not an internal error. [`catch`] runs a parser and marks
//! the thread while it does, so the binary's panic hook can stay quiet for
//! it ([`quiet`]); any other panic is still printed as an internal error.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    /// How many [`catch`] calls are running on this thread.
    static CATCHING: Cell<u32> = const { Cell::new(0) };
}

/// Run `f` (a parser on untrusted bytes), catching a panic in it. While it
/// runs, [`quiet`] is true on this thread.
pub fn catch<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
    struct Mark;
    impl Drop for Mark {
        fn drop(&mut self) {
            CATCHING.with(|c| c.set(c.get().saturating_sub(1)));
        }
    }
    CATCHING.with(|c| c.set(c.get() + 1));
    let _mark = Mark;
    catch_unwind(AssertUnwindSafe(f))
}

/// True when a panic on this thread now will be caught by [`catch`] and
/// reported as a damaged file: a panic hook prints nothing for it.
pub fn quiet() -> bool {
    CATCHING.with(|c| c.get() > 0)
}

/// The record reason of a file whose `reader` panicked.
pub fn damaged(reader: &str) -> String {
    format!("damaged file (the {reader} reader failed)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_only_inside_catch() {
        assert!(!quiet());
        let r = catch(|| {
            assert!(quiet());
            catch(|| ()).unwrap();
            assert!(quiet(), "still inside the outer catch");
            panic!("boom")
        });
        assert!(r.is_err());
        assert!(!quiet(), "the mark is removed after a panic too");
    }
}
