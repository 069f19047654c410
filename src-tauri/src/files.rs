//! Files the user chose. Every command that reads a file takes a [`FileToken`], never a path from
//! the webview: the shell issues a token when the user picks a file in its own file dialog
//! ([`choose_file`]) or drops one on the window ([`dropped`]), and resolves it here. A script in
//! the webview can therefore make the app read, hash or publish no file the user did not choose.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use hallmark_api::{ChooseFileRequest, ChosenFile, ErrorCode, FileToken, events};
use tauri::{AppHandle, Emitter, Manager, State};

use crate::error::{CommandError, CommandResult, guarded};

/// Grants kept at once; the oldest is forgotten first (a page holds one or two).
const MAX_GRANTS: usize = 256;

/// One granted file.
#[derive(Debug, Clone)]
struct Grant {
    path: PathBuf,
    folder: bool,
    /// Issue order, to forget the oldest.
    issued: u64,
}

/// The files the user chose this session, by token.
#[derive(Debug, Default)]
pub(crate) struct FileGrants {
    granted: Mutex<(HashMap<String, Grant>, u64)>,
}

/// 128 random bits, hex: a token nobody can guess.
fn new_token() -> CommandResult<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| {
        CommandError::new(
            ErrorCode::InternalTask,
            format!("no randomness for a token: {e}"),
        )
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn choose_again(what: &str) -> CommandError {
    CommandError::invalid(format!(
        "choose the {what} again (with Choose… or by dropping it on the window)"
    ))
}

impl FileGrants {
    /// Grants `path`, which the user chose: a token for it and what the page shows.
    pub(crate) fn grant(&self, path: &Path) -> CommandResult<ChosenFile> {
        if !path.is_absolute() {
            return Err(CommandError::invalid("that is not a file the user chose"));
        }
        let folder = path.is_dir();
        let token = new_token()?;
        let mut guard = self
            .granted
            .lock()
            .map_err(|_| CommandError::new(ErrorCode::InternalTask, "the file grants failed"))?;
        let (granted, counter) = &mut *guard;
        *counter += 1;
        granted.insert(
            token.clone(),
            Grant {
                path: path.to_owned(),
                folder,
                issued: *counter,
            },
        );
        if granted.len() > MAX_GRANTS
            && let Some(oldest) = granted
                .iter()
                .min_by_key(|(_, grant)| grant.issued)
                .map(|(token, _)| token.clone())
        {
            granted.remove(&oldest);
        }
        Ok(ChosenFile {
            token: FileToken(token),
            name: path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            display: path.display().to_string(),
            folder,
        })
    }

    fn resolve(&self, token: &FileToken, folder: bool) -> CommandResult<PathBuf> {
        let what = if folder { "folder" } else { "file" };
        if token.is_empty() {
            return Err(CommandError::invalid(format!("choose a {what} first")));
        }
        let guard = self
            .granted
            .lock()
            .map_err(|_| CommandError::new(ErrorCode::InternalTask, "the file grants failed"))?;
        match guard.0.get(&token.0) {
            Some(grant) if grant.folder == folder => Ok(grant.path.clone()),
            Some(_) if folder => Err(CommandError::invalid("choose a folder, not a file")),
            Some(_) => Err(CommandError::invalid("choose a file, not a folder")),
            None => Err(choose_again(what)),
        }
    }

    /// The file the user chose under `token`.
    pub(crate) fn file(&self, token: &FileToken) -> CommandResult<PathBuf> {
        self.resolve(token, false)
    }

    /// The folder the user chose under `token`.
    pub(crate) fn folder(&self, token: &FileToken) -> CommandResult<PathBuf> {
        self.resolve(token, true)
    }
}

/// Files dropped on the window: granted, and announced to the page with their tokens.
pub(crate) fn dropped(app: &AppHandle, paths: &[PathBuf]) {
    let grants = app.state::<FileGrants>();
    let chosen: Vec<ChosenFile> = paths
        .iter()
        .filter_map(|path| grants.grant(path).ok())
        .collect();
    if !chosen.is_empty() {
        let _ = app.emit(events::FILES_DROPPED, chosen);
    }
}

/// Opens the shell's file dialog over the window; answers the file the user chose, granted.
#[tauri::command]
#[tracing::instrument(skip_all, fields(purpose = ?request.purpose))]
pub(crate) async fn choose_file(
    app: AppHandle,
    window: tauri::Window,
    grants: State<'_, FileGrants>,
    request: ChooseFileRequest,
) -> CommandResult<Option<ChosenFile>> {
    guarded(async move {
        let (sender, receiver) = tokio::sync::oneshot::channel();
        // GTK runs on the main thread; the dialog is modal over the window.
        app.run_on_main_thread(move || {
            let _ = sender.send(dialog::run(&window, request.purpose));
        })
        .map_err(|e| CommandError::new(ErrorCode::InternalTask, format!("no file dialog: {e}")))?;
        let chosen = receiver
            .await
            .map_err(|_| CommandError::new(ErrorCode::InternalTask, "the file dialog closed"))?;
        chosen.map(|path| grants.grant(&path)).transpose()
    })
    .await
}

#[cfg(target_os = "linux")]
mod dialog {
    //! GTK's native file chooser (the desktop portal's, else GTK's dialog), run by the shell.

    use std::path::PathBuf;

    use gtk::prelude::*;
    use hallmark_api::FilePurpose;

    fn title(purpose: FilePurpose) -> &'static str {
        match purpose {
            FilePurpose::Media => "Hallmark: choose a work to add",
            FilePurpose::Verify => "Hallmark: choose a bundle or a file to verify",
            FilePurpose::Keystore => "Hallmark: choose a keystore file",
            FilePurpose::Kit => "Hallmark: choose an exit kit folder",
            FilePurpose::DataFolder => "Hallmark: choose the data folder",
        }
    }

    fn filter(name: &str, mimes: &[&str], patterns: &[&str]) -> gtk::FileFilter {
        let filter = gtk::FileFilter::new();
        filter.set_name(Some(name));
        for mime in mimes {
            filter.add_mime_type(mime);
        }
        for pattern in patterns {
            filter.add_pattern(pattern);
        }
        filter
    }

    fn filters(purpose: FilePurpose) -> Vec<gtk::FileFilter> {
        let media = || {
            filter(
                "Pictures, audio and video",
                &["image/*", "audio/*", "video/*"],
                &[],
            )
        };
        let any = || filter("All files", &[], &["*"]);
        match purpose {
            FilePurpose::Media => vec![media(), any()],
            FilePurpose::Verify => vec![
                filter(
                    "Evidence bundles and media",
                    &["image/*", "audio/*", "video/*"],
                    &["*.zip"],
                ),
                any(),
            ],
            FilePurpose::Keystore => vec![filter("Keystores", &[], &["*.json"]), any()],
            FilePurpose::Kit | FilePurpose::DataFolder => Vec::new(),
        }
    }

    /// Runs the dialog to its end; the chosen path, `None` when cancelled.
    pub(super) fn run(window: &tauri::Window, purpose: FilePurpose) -> Option<PathBuf> {
        let parent = window.gtk_window().ok();
        let (action, accept) = if purpose.is_folder() {
            (gtk::FileChooserAction::SelectFolder, "_Use this folder")
        } else {
            (gtk::FileChooserAction::Open, "_Open")
        };
        // The native chooser: the desktop's portal when there is one, else GTK's own dialog.
        let dialog = gtk::FileChooserNative::new(
            Some(title(purpose)),
            parent.as_ref(),
            action,
            Some(accept),
            Some("_Cancel"),
        );
        dialog.set_local_only(true);
        dialog.set_modal(true);
        // Open in the home folder, not "Recent" (where a typed folder cannot be opened).
        dialog.set_current_folder(gtk::glib::home_dir());
        for filter in filters(purpose) {
            dialog.add_filter(filter);
        }
        let chosen = (dialog.run() == gtk::ResponseType::Accept)
            .then(|| dialog.filename())
            .flatten();
        dialog.destroy();
        chosen
    }
}

#[cfg(not(target_os = "linux"))]
mod dialog {
    //! Other systems: no dialog yet; files are dropped on the window.
    pub(super) fn run(
        _window: &tauri::Window,
        _purpose: hallmark_api::FilePurpose,
    ) -> Option<std::path::PathBuf> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_granted_files_resolve_and_a_token_is_unguessable() {
        let dir = tempfile::TempDir::new().expect("tempdir");
        let file = dir.path().join("work.png");
        std::fs::write(&file, b"png").expect("write");
        let grants = FileGrants::default();
        let chosen = grants.grant(&file).expect("granted");
        assert_eq!(chosen.name, "work.png");
        assert!(!chosen.folder);
        assert_eq!(chosen.token.0.len(), 32);
        assert_eq!(grants.file(&chosen.token).ok(), Some(file.clone()));

        // A path where a token belongs, a made-up token, an empty one: refused.
        for bad in [file.display().to_string(), "00".repeat(16), String::new()] {
            let refused = grants.file(&FileToken(bad.clone())).err().map(|e| e.code());
            assert_eq!(refused, Some(ErrorCode::RequestInvalid), "{bad:?}");
        }
        // A file is not a folder, nor a folder a file.
        assert!(grants.folder(&chosen.token).is_err());
        let folder = grants.grant(dir.path()).expect("a folder");
        assert!(folder.folder);
        assert_eq!(
            grants.folder(&folder.token).ok(),
            Some(dir.path().to_owned())
        );
        assert!(grants.file(&folder.token).is_err());
        // Relative paths are never granted.
        assert!(grants.grant(Path::new("work.png")).is_err());
        // Two grants of one file are two tokens.
        assert_ne!(grants.grant(&file).expect("again").token, chosen.token);
    }

    #[test]
    fn the_oldest_grant_is_forgotten_beyond_the_limit() {
        let grants = FileGrants::default();
        let first = grants.grant(Path::new("/tmp/first")).expect("granted");
        for i in 0..MAX_GRANTS {
            grants
                .grant(Path::new(&format!("/tmp/{i}")))
                .expect("granted");
        }
        assert!(grants.file(&first.token).is_err());
        let guard = grants.granted.lock().expect("lock");
        assert_eq!(guard.0.len(), MAX_GRANTS);
    }
}
