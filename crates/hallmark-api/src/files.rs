//! Files the user chose. The webview never names a path the shell reads: it names a file by a
//! [`FileToken`] the shell issued when the user chose that file in the shell's own file dialog
//! ([`ChooseFileRequest`]) or dropped it on the window ([`crate::events::FILES_DROPPED`]). A
//! script running in the webview can therefore read no file the user did not pick.

use serde::{Deserialize, Serialize};

/// A file the user chose, as the shell knows it: an opaque, unguessable token that names it for
/// this session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FileToken(pub String);

impl FileToken {
    /// Whether no file was chosen.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What the chosen file is for: the dialog's title and filter, and a file or a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilePurpose {
    /// A picture, audio or video to add to the library.
    Media,
    /// An evidence bundle or a media file to verify.
    Verify,
    /// A wallet's keystore file to import.
    Keystore,
    /// An exit kit's folder to import.
    Kit,
    /// The data folder to use from the next start.
    DataFolder,
}

impl FilePurpose {
    /// Whether a folder (not a file) is chosen.
    pub fn is_folder(self) -> bool {
        matches!(self, Self::Kit | Self::DataFolder)
    }
}

/// Opens the shell's file dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChooseFileRequest {
    /// What the file is for.
    pub purpose: FilePurpose,
}

/// A file the user chose in the dialog or dropped on the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChosenFile {
    /// What requests name it by.
    pub token: FileToken,
    /// Its name, to show.
    pub name: String,
    /// Its full path, to show (never accepted back as a path).
    pub display: String,
    /// Whether it is a folder.
    pub folder: bool,
}
