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
            short(s)
        } else if let Some(s) = payload.downcast_ref::<String>() {
            short(s)
        } else {
            "panic".to_string()
        }
    })
}

/// Longest panic message passed on, in characters.
const MAX_MESSAGE: usize = 160;

/// A panic message fit for a one-line error: its first line, without the quoted input that
/// messages such as "byte index 25 is not a char boundary … of `…`" append, control characters
/// replaced, at most [`MAX_MESSAGE`] characters.
fn short(message: &str) -> String {
    let line = message.lines().next().unwrap_or("");
    let line = line.split(" of `").next().unwrap_or(line);
    let mut out: String = line
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_MESSAGE)
        .collect();
    if line.chars().count() > MAX_MESSAGE {
        out.push('…');
    }
    out
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

    #[test]
    fn messages_are_shortened() {
        let r: Result<(), String> =
            run_guarded(|| panic!("byte index 3 is inside 'x' (bytes 2..4) of `junk\x01\nmore`"));
        assert_eq!(
            r,
            Err("byte index 3 is inside 'x' (bytes 2..4)".to_string())
        );
        assert_eq!(short(&"a".repeat(500)).chars().count(), MAX_MESSAGE + 1);
        assert_eq!(short("tab\there"), "tab here");
    }
}
