//! Running third-party parsers that might panic on hostile input: the panic is caught, turned into an
//! error message, and kept off stderr.
//!
//! The first guarded call installs a panic hook that stays silent while a guarded call runs on the
//! current thread and defers to the previously installed hook otherwise, so panics elsewhere in the
//! program are reported as before.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

thread_local! {
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

static INSTALL_HOOK: Once = Once::new();

/// Resets the thread's guarded flag when dropped, even during unwinding.
struct Reset(bool);

impl Drop for Reset {
    fn drop(&mut self) {
        GUARDED.with(|g| g.set(self.0));
    }
}

/// Runs `f`; a panic inside it becomes `Err(message)`.
pub(crate) fn run_guarded<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    INSTALL_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let _reset = Reset(GUARDED.with(|g| g.replace(true)));
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        if let Some(s) = payload.downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "panic".to_string()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_errors() {
        assert_eq!(run_guarded(|| 2 + 2), Ok(4));
        let r: Result<(), String> = run_guarded(|| panic!("bad input at {}", 7));
        assert_eq!(r, Err("bad input at 7".to_string()));
        assert!(!GUARDED.with(Cell::get));
    }
}
