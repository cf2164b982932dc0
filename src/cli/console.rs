//! Where a command's text goes. The binary prints results on stdout and warnings on stderr; the
//! Python module runs the same commands in process ([`super::execute`]) and takes that text back
//! as strings instead, with the scenario for `-` given as a string rather than read from stdin.
//!
//! The capture is per thread and scoped to one command: every command prints from the thread
//! that runs it (sampling threads never print), so this keeps each command's signature free of
//! an I/O parameter that only the in-process entry point needs.

use std::cell::RefCell;
use std::io::Write;

use super::Failure;

/// What a command run in process printed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Captured {
    /// Its standard output (results).
    pub stdout: String,
    /// Its warnings about the scenario, one per entry, without the `warning: ` prefix.
    pub warnings: Vec<String>,
    /// The scenario text `-` stands for, until a command reads it.
    pub(super) stdin: Option<String>,
}

thread_local! {
    static CAPTURE: RefCell<Option<Captured>> = const { RefCell::new(None) };
}

/// Runs `body` with its stdout and warnings captured, and `stdin` as the text of the scenario
/// `-`; returns what `body` returned and what it printed.
pub(super) fn capture<T>(stdin: Option<String>, body: impl FnOnce() -> T) -> (T, Captured) {
    let previous = CAPTURE.with(|c| {
        c.replace(Some(Captured {
            stdin,
            ..Captured::default()
        }))
    });
    let value = body();
    let captured = CAPTURE.with(|c| c.replace(previous)).unwrap_or_default();
    (value, captured)
}

/// Whether this thread's output is captured.
pub(super) fn capturing() -> bool {
    CAPTURE.with(|c| c.borrow().is_some())
}

/// The scenario text `-` stands for when captured (`None`: read standard input).
pub(super) fn take_stdin() -> Option<String> {
    CAPTURE.with(|c| c.borrow_mut().as_mut().and_then(|c| c.stdin.take()))
}

/// Writes results to stdout; a closed pipe (`| head`) is not an error.
pub(super) fn print_stdout(text: &str) -> Result<(), Failure> {
    let captured = CAPTURE.with(|c| {
        c.borrow_mut()
            .as_mut()
            .map(|c| c.stdout.push_str(text))
            .is_some()
    });
    if captured {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Failed(format!("cannot write to stdout: {e}"))),
    }
}

/// A warning about the scenario (always shown: it is about the answer, not the progress).
pub(super) fn warn(text: &str) {
    let captured = CAPTURE.with(|c| {
        c.borrow_mut()
            .as_mut()
            .map(|c| c.warnings.push(text.to_string()))
            .is_some()
    });
    if !captured {
        eprintln!("warning: {text}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_collects_stdout_and_warnings_and_restores_the_terminal() {
        let ((), got) = capture(Some("text".into()), || {
            assert!(capturing());
            assert!(print_stdout("a").is_ok());
            assert!(print_stdout("b\n").is_ok());
            warn("w");
            assert_eq!(take_stdin().as_deref(), Some("text"));
            assert_eq!(take_stdin(), None);
        });
        assert_eq!(got.stdout, "ab\n");
        assert_eq!(got.warnings, vec!["w".to_string()]);
        assert!(!capturing());
    }
}
