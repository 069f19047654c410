//! [`Hallmark`]: the one way tests run the `hallmark` binary.
//!
//! Every run gets `--data-dir` and an environment without the caller's Hallmark settings: each
//! `HALLMARK_*` variable is removed (data folder, IPFS node, chain, password, log filter, …) and
//! so is `RUST_LOG`, so a developer's shell never changes what a test sees. Only the variables
//! that say where the test tools are installed ([`TOOL_LOCATIONS`]) pass through, so the binary
//! finds the same anvil, ffmpeg and fonts as the test itself. A test that needs a setting sets
//! it on [`Hallmark::command`], after the clearing.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Variables that locate installed tools; the binary inherits them.
pub const TOOL_LOCATIONS: [&str; 4] = [
    "HALLMARK_ANVIL",
    "HALLMARK_TOOLS",
    "HALLMARK_FFMPEG",
    "HALLMARK_CJK_FONT",
];

/// Variables other than `HALLMARK_*` that the binary must not inherit.
const ALSO_CLEARED: [&str; 1] = ["RUST_LOG"];

/// The `hallmark` binary of the test crate: `hallmark_cli!()` or
/// `Hallmark::new(env!("CARGO_BIN_EXE_hallmark"))`.
#[derive(Debug, Clone)]
pub struct Hallmark {
    binary: PathBuf,
}

/// The `hallmark` binary the calling test crate was built with (`CARGO_BIN_EXE_hallmark`).
#[macro_export]
macro_rules! hallmark_cli {
    () => {
        $crate::Hallmark::new(env!("CARGO_BIN_EXE_hallmark"))
    };
}

impl Hallmark {
    /// The binary at `binary`.
    pub fn new(binary: impl Into<PathBuf>) -> Self {
        Self {
            binary: binary.into(),
        }
    }

    /// `hallmark --data-dir DATA_DIR` with the cleared environment, ready for arguments.
    pub fn command(&self, data_dir: &Path) -> Command {
        let mut command = Command::new(&self.binary);
        command.arg("--data-dir").arg(data_dir);
        for name in cleared_variables() {
            command.env_remove(name);
        }
        command
    }

    /// Runs `hallmark --data-dir DATA_DIR ARGS` to the end.
    pub fn run(&self, data_dir: &Path, args: &[&str]) -> Output {
        self.command(data_dir)
            .args(args)
            .output()
            .expect("the hallmark binary runs")
    }

    /// [`Hallmark::run`], with how long it took.
    pub fn run_timed(&self, data_dir: &Path, args: &[&str]) -> (Output, Duration) {
        let started = Instant::now();
        let output = self.run(data_dir, args);
        (output, started.elapsed())
    }

    /// [`Hallmark::run`] with `input` on standard input.
    pub fn run_with_input(&self, data_dir: &Path, args: &[&str], input: &str) -> Output {
        let mut command = self.command(data_dir);
        command.args(args);
        output_with_input(&mut command, input)
    }
}

/// Runs `command` with `input` on its standard input and collects its output.
pub fn output_with_input(command: &mut Command, input: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(input.as_bytes())
        .expect("write standard input");
    child.wait_with_output().expect("the command ends")
}

/// Every variable of this process's environment that the binary must not inherit.
fn cleared_variables() -> Vec<OsString> {
    std::env::vars_os()
        .map(|(name, _)| name)
        .filter(|name| is_cleared(&name.to_string_lossy()))
        .collect()
}

/// Whether the binary must not inherit the variable `name`.
fn is_cleared(name: &str) -> bool {
    (name.starts_with("HALLMARK_") && !TOOL_LOCATIONS.contains(&name))
        || ALSO_CLEARED.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_cleared_and_tool_locations_kept() {
        for name in [
            "HALLMARK_DATA_DIR",
            "HALLMARK_IPFS_API",
            "HALLMARK_CHAIN_RPC",
            "HALLMARK_CHAIN_ID",
            "HALLMARK_PASSWORD",
            "HALLMARK_LOG",
            "HALLMARK_SOMETHING_NEW",
            "RUST_LOG",
        ] {
            assert!(is_cleared(name), "{name} is inherited");
        }
        for name in TOOL_LOCATIONS
            .into_iter()
            .chain(["PATH", "HOME", "DISPLAY"])
        {
            assert!(!is_cleared(name), "{name} is cleared");
        }
    }

    #[test]
    fn every_inherited_setting_is_removed_from_the_command() {
        let command = Hallmark::new("/bin/true").command(Path::new("/tmp/data"));
        let removed: Vec<String> = command
            .get_envs()
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| name.to_string_lossy().into_owned())
            .collect();
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy().into_owned();
            assert_eq!(removed.contains(&name), is_cleared(&name), "{name}");
        }
        let args: Vec<_> = command.get_args().collect();
        assert_eq!(args, ["--data-dir", "/tmp/data"]);
    }

    #[test]
    fn a_setting_the_test_asks_for_wins_over_the_clearing() {
        let mut command = Hallmark::new("/bin/true").command(Path::new("/tmp/data"));
        command.env("HALLMARK_PASSWORD", "secret");
        let value = command
            .get_envs()
            .find(|(name, _)| *name == "HALLMARK_PASSWORD")
            .and_then(|(_, value)| value);
        assert_eq!(value, Some(std::ffi::OsStr::new("secret")));
    }
}
