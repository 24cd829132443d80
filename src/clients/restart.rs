//! Starting a client again after a repair.

use crate::clients::client_table::Launch;
use crate::clients::discover::Installation;
use crate::common::i18n::Msg;
use crate::platform::programs;
use crate::platform::user_folders::UserFolders;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Starts the client of `inst` with the first launch method of the table that works, detached
/// from teamsfix. Every program is started by its full path, never by bare name. `last_exe` is the executable that ran before teamsfix quit it, if known.
/// Returns the command that was started.
pub fn restart(
    inst: &Installation,
    last_exe: Option<&Path>,
    folders: &UserFolders,
) -> Result<String, Msg> {
    // A data root a running instance named (teams-for-linux's `--user-data-dir=PATH`) is
    // started with that folder again: without it, the usual data root would start instead.
    let instance_arg = inst
        .client
        .instance_roots()
        .filter(|_| inst.is_instance_root())
        .map(|i| {
            let mut arg = std::ffi::OsString::from(i.arg_prefix);
            arg.push(&inst.shown_root);
            arg
        });
    for launch in inst.root_spec.launch {
        let (program, args): (PathBuf, &[&str]) = match launch {
            Launch::Program { program, args } => match programs::find_program(program) {
                Some(p) => (p, args),
                None => continue,
            },
            Launch::SystemProgram { program, args } => match programs::system_program(program) {
                Some(p) => (p, args),
                None => continue,
            },
            Launch::ExeUnder { base, path, args } => {
                let p = folders.resolve(*base, path);
                if !p.is_file() {
                    continue;
                }
                (p, args)
            }
            Launch::LastRunningExe => match last_exe.filter(|p| p.is_file()) {
                Some(p) => (p.to_path_buf(), &[]),
                None => continue,
            },
        };
        if spawn_detached(&program, args, instance_arg.as_deref()).is_ok() {
            let mut shown = program.display().to_string();
            for a in args {
                shown.push(' ');
                shown.push_str(a);
            }
            if let Some(a) = &instance_arg {
                shown.push(' ');
                shown.push_str(&a.to_string_lossy());
            }
            return Ok(shown);
        }
    }
    Err(Msg::new("restart.no_way").arg("client", inst.client.name))
}

fn spawn_detached(
    program: &Path,
    args: &[&str],
    extra: Option<&std::ffi::OsStr>,
) -> std::io::Result<()> {
    if !program.is_absolute() {
        return Err(std::io::Error::other("not an absolute path"));
    }
    let mut cmd = Command::new(program);
    cmd.args(args)
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Its own process group: closing teamsfix's terminal must not end Teams.
        cmd.process_group(0);
    }
    let mut child = cmd.spawn()?;
    // Reap it when it ends so a long-running GUI leaves no zombie behind.
    std::thread::spawn(move || child.wait());
    Ok(())
}
