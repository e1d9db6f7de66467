//! Amplifier power: runs `[output] power_on` / `power_off` commands.
//!
//! A command that fails or hangs is logged and never blocks airing for long:
//! it gets a few seconds, then it is killed.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(5);

/// Run `argv`, wait up to 5 s. Returns a description of the failure, if any.
pub fn run(what: &str, argv: &[String]) -> Result<(), String> {
    let Some((prog, args)) = argv.split_first() else {
        return Ok(());
    };
    let mut child = Command::new(prog)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("{what}: cannot run `{prog}`: {e}"))?;
    let deadline = Instant::now() + LIMIT;
    loop {
        match child.try_wait() {
            Ok(Some(st)) if st.success() => return Ok(()),
            Ok(Some(st)) => return Err(format!("{what}: `{}` exited with {st}", argv.join(" "))),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{what}: `{}` took over {}s and was killed",
                    argv.join(" "),
                    LIMIT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("{what}: waiting for `{prog}`: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn success_failure_and_missing_program() {
        assert_eq!(run("power_on", &argv(&["true"])), Ok(()));
        let e = run("power_on", &argv(&["false"])).unwrap_err();
        assert!(e.contains("exited with"), "{e}");
        let e = run("power_off", &argv(&["/nonexistent/relay"])).unwrap_err();
        assert!(e.contains("cannot run `/nonexistent/relay`"), "{e}");
        assert_eq!(run("power_on", &[]), Ok(()));
    }
}
