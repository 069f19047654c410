//! Sampled keyframes of a video, decoded by the system's `ffmpeg` (Debian's `ffmpeg` package,
//! installed by `scripts/setup.sh`), so that videos get perceptual hashes like images.
//!
//! Optional and bounded: without ffmpeg (or if it fails or times out) a video is checked by its
//! exact bytes only. ffmpeg reads only the given local file (`-protocol_whitelist file`), runs
//! under a timeout, and its output is capped; frames are scaled to at most 512 px wide, which is
//! all PDQ needs (it decimates to 64×64).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use image::DynamicImage;

use crate::MediaType;

/// Most keyframes taken from one video (the first is hashed like a picture, the rest go to
/// `pdq_frames`, which holds 4).
pub const MAX_KEYFRAMES: usize = 5;
/// How long ffmpeg may take.
pub const KEYFRAME_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest output accepted from ffmpeg (PNG frames of at most 512 px wide).
const MAX_OUTPUT_BYTES: usize = 64 * 1024 * 1024;
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Largest keyframe ffmpeg may decode (width × height): a 8K frame; a video claiming more is not
/// decoded (ffmpeg's `max_pixels`), so a hostile stream cannot make it allocate gigabytes.
pub const MAX_FRAME_PIXELS: u64 = 7680 * 4320;

/// `path` as ffmpeg's `file:` URL of an absolute path, so that no file name can be read as an
/// option (`-`), standard input or another protocol (`name:…`, `concat:…`).
fn file_url(path: &Path) -> Result<std::ffi::OsString, String> {
    let absolute =
        std::path::absolute(path).map_err(|e| format!("the video's path cannot be used: {e}"))?;
    let mut url = std::ffi::OsString::from("file:");
    url.push(absolute.as_os_str());
    Ok(url)
}

/// The ffmpeg to use: `$HALLMARK_FFMPEG`, else `ffmpeg` on `PATH`.
pub fn ffmpeg_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("HALLMARK_FFMPEG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("ffmpeg"))
            .find(|candidate| candidate.is_file())
    })
}

/// Up to [`MAX_KEYFRAMES`] keyframes spread over the video (each at least `duration / N` after
/// the previous one; the first ones when the duration is unknown).
///
/// ffmpeg is told the container Hallmark sniffed (`-f`), so neither the file's name nor a
/// probe of its bytes can choose another demuxer (an image sequence, a playlist).
pub fn keyframes(
    path: &Path,
    media_type: MediaType,
    duration_ms: Option<u64>,
) -> Result<Vec<DynamicImage>, String> {
    let demuxer = match media_type {
        MediaType::Mp4 => "mov",
        MediaType::WebM => "matroska",
        other => return Err(format!("{other} is not a video")),
    };
    let ffmpeg = ffmpeg_path().ok_or_else(|| "ffmpeg is not installed".to_owned())?;
    let n = MAX_KEYFRAMES as u64;
    // Keyframes only, each at least `duration / N` after the last one taken (the first always).
    let every = duration_ms.map_or(0.0, |ms| ms as f64 / 1000.0 / n as f64);
    let filter = format!(
        "select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,{every:.3})',scale='min(512,iw)':-2"
    );
    let mut child = Command::new(ffmpeg)
        .args(["-nostdin", "-hide_banner", "-loglevel", "error"])
        .args(["-protocol_whitelist", "file", "-skip_frame", "nokey"])
        .args([
            "-max_pixels",
            &MAX_FRAME_PIXELS.to_string(),
            "-f",
            demuxer,
            "-i",
        ])
        .arg(file_url(path)?)
        .args(["-an", "-sn", "-dn", "-vf", &filter, "-fps_mode", "vfr"])
        .args([
            "-frames:v",
            &n.to_string(),
            "-f",
            "image2pipe",
            "-c:v",
            "png",
            "-",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("ffmpeg cannot start: {e}"))?;
    let mut stdout = child.stdout.take().ok_or("ffmpeg has no output")?;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let result = (&mut stdout)
            .take(MAX_OUTPUT_BYTES as u64 + 1)
            .read_to_end(&mut out);
        result.map(|_| out)
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > KEYFRAME_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "ffmpeg took more than {} s",
                    KEYFRAME_TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("ffmpeg: {e}")),
        }
    };
    let out = reader
        .join()
        .map_err(|_| "the ffmpeg reader failed".to_owned())?
        .map_err(|e| format!("reading ffmpeg's output: {e}"))?;
    if out.len() > MAX_OUTPUT_BYTES {
        return Err("ffmpeg's output is over the limit".to_owned());
    }
    if !status.success() {
        let mut stderr = String::new();
        if let Some(mut err) = child.stderr.take() {
            let _ = (&mut err).take(4096).read_to_string(&mut stderr);
        }
        let said = stderr.trim();
        return Err(if said.is_empty() {
            format!("ffmpeg failed ({status})")
        } else {
            format!("ffmpeg failed: {said}")
        });
    }
    split_pngs(&out)
        .into_iter()
        .map(|png| {
            image::load_from_memory_with_format(png, image::ImageFormat::Png)
                .map_err(|e| format!("a keyframe does not decode: {e}"))
        })
        .collect()
}

/// Splits concatenated PNG files at their `IEND` chunks.
fn split_pngs(bytes: &[u8]) -> Vec<&[u8]> {
    let mut pngs = Vec::new();
    let mut start = 0;
    while bytes.len() >= start + PNG_SIGNATURE.len() && bytes[start..].starts_with(PNG_SIGNATURE) {
        let mut at = start + PNG_SIGNATURE.len();
        let mut end = None;
        while at + 12 <= bytes.len() {
            let len = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
                as usize;
            let kind = &bytes[at + 4..at + 8];
            let next = at.saturating_add(12).saturating_add(len);
            if next > bytes.len() {
                break;
            }
            at = next;
            if kind == b"IEND" {
                end = Some(at);
                break;
            }
        }
        match end {
            Some(end) => {
                pngs.push(&bytes[start..end]);
                start = end;
            }
            None => break,
        }
    }
    pngs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(shade: u8) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(4, 3, image::Rgb([shade, 0, 0]))
            .write_to(&mut out, image::ImageFormat::Png)
            .map(|()| out.into_inner())
            .unwrap_or_default()
    }

    #[test]
    fn concatenated_pngs_split_and_garbage_stops() {
        let mut stream = png(1);
        stream.extend(png(2));
        stream.extend(png(3));
        assert_eq!(split_pngs(&stream).len(), 3);
        stream.truncate(stream.len() - 5);
        assert_eq!(split_pngs(&stream).len(), 2, "a cut frame is dropped");
        assert!(split_pngs(b"not png").is_empty());
        let mut hostile = PNG_SIGNATURE.to_vec();
        hostile.extend([0xff, 0xff, 0xff, 0xff, b'I', b'H', b'D', b'R']);
        assert!(split_pngs(&hostile).is_empty());
    }
}
