//! The `media://localhost/<cid>` protocol: serves a stored file to the webview only if the
//! library knows the CID (a work, thumbnail or preview) or a work's metadata in the catalog names
//! it, with every block verified against its CID by the content store. Media bytes never travel through IPC as JSON.

use std::str::FromStr;

use hallmark_engine::{Cid, Engine};
use http::{Response, StatusCode, header};

/// Largest file served in one response (previews and thumbnails are far smaller).
const MAX_SERVED_BYTES: u64 = 256 << 20;

/// Answers one request of the protocol.
pub(crate) async fn serve(engine: &Engine, path: &str) -> Response<Vec<u8>> {
    let text = path.trim_start_matches('/');
    let Ok(cid) = Cid::from_str(text) else {
        return plain(StatusCode::BAD_REQUEST, "not a CID");
    };
    let key = cid.to_string();
    let known = match engine.library().mime_of(&key) {
        Ok(Some(mime)) => Some(mime),
        Ok(None) => None,
        Err(e) => {
            tracing::warn!(error = %e, "media lookup failed");
            return plain(StatusCode::INTERNAL_SERVER_ERROR, "lookup failed");
        }
    };
    // Not in the library: a picture or media file named by a work's metadata in the catalog.
    if known.is_none() && !engine.catalog().knows_media(&key).unwrap_or(false) {
        return plain(StatusCode::NOT_FOUND, "unknown CID");
    }
    match engine.read_verified(&cid, MAX_SERVED_BYTES).await {
        Ok(bytes) => {
            // A catalog CID's type comes from its bytes; anything but accepted media is refused
            // (SVG and HTML are never served).
            let Some(mime) =
                known.or_else(|| hallmark_engine::sniff_media(&bytes).map(|t| t.mime().to_owned()))
            else {
                return plain(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "not a media type Hallmark shows",
                );
            };
            ok(bytes, &mime)
        }
        Err(e) => {
            tracing::warn!(%cid, code = %e.code(), error = %e, "media not served");
            plain(StatusCode::BAD_GATEWAY, e.code().as_str())
        }
    }
}

/// [`serve`], answering 500 if it panics: the webview's request never hangs on a bug.
pub(crate) async fn serve_guarded(engine: &Engine, path: &str) -> Response<Vec<u8>> {
    use futures_util::FutureExt;
    std::panic::AssertUnwindSafe(serve(engine, path))
        .catch_unwind()
        .await
        .unwrap_or_else(|_| {
            tracing::error!("the media protocol stopped on a panic");
            plain(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        })
}

fn ok(bytes: Vec<u8>, mime: &str) -> Response<Vec<u8>> {
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, mime)
        .header("X-Content-Type-Options", "nosniff")
        .header(header::CACHE_CONTROL, "public, max-age=31536000, immutable")
        .body(bytes)
        .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "response"))
}

fn plain(status: StatusCode, text: &str) -> Response<Vec<u8>> {
    let mut response = Response::new(text.as_bytes().to_vec());
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain"),
    );
    response
}
