//! The `zwartlak` command line: argument parsing, exit codes, output files.
//! The work itself is in the library (`zwartlak::scan`).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    // A panic message can quote document content: print where, never what.
    // A panic caught around a parser is a damaged file, reported in that
    // file's record: nothing is printed for it.
    std::panic::set_hook(Box::new(|info| {
        if zwartlak::panics::quiet() {
            return;
        }
        if let Some(loc) = info.location() {
            tracing_free_eprint(&format!(
                "zwartlak: internal error at {}:{}",
                loc.file(),
                loc.line()
            ));
        }
    }));
    match cli::run() {
        Ok(code) => code,
        Err(e) => {
            // Paths in messages come from the user and the file system: no
            // control character or escape sequence reaches the terminal.
            eprintln!("zwartlak: {}", zwartlak::walk::terminal_safe(&message(&e)));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes, `a: b: c`, each cause once: an error that
/// already quotes its source (`{path}: {source}`) does not repeat it.
fn message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if out.contains(&part) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&part);
    }
    out
}

fn tracing_free_eprint(msg: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{msg}");
}
