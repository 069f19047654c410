//! The UI's only way to reach the engine: Tauri's `invoke` and `listen`, typed with
//! `hallmark-api`. Errors always arrive as `ApiError { code, message }`.
//!
//! A command is called through its marker type, e.g. `invoke::<commands::WorkDetail>(&request)`:
//! the marker fixes the command's name, request and response types, and the argument object
//! (`{request, job?}`) is built here.

use hallmark_api::commands::{self, Command};
use hallmark_api::{ApiError, ErrorCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "core"], js_name = invoke)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "event"], js_name = listen)]
    async fn tauri_listen(
        event: &str,
        handler: &Closure<dyn FnMut(JsValue)>,
    ) -> Result<JsValue, JsValue>;
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, ApiError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| {
            ApiError::new(
                ErrorCode::UiEncode,
                format!("the request could not be encoded: {e}"),
            )
        })
}

fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, ApiError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        ApiError::new(
            ErrorCode::UiDecode,
            format!("the app answered in an unexpected form: {e}"),
        )
    })
}

/// Calls command `C` with `request`.
pub async fn invoke<C: Command>(request: &C::Request) -> Result<C::Response, ApiError> {
    call::<C>(request, None).await
}

/// Calls command `C`, which runs as a job the UI can cancel with [`cancel`]`(job)`.
pub async fn invoke_job<C: Command>(
    request: &C::Request,
    job: &str,
) -> Result<C::Response, ApiError> {
    call::<C>(request, Some(job)).await
}

async fn call<C: Command>(
    request: &C::Request,
    job: Option<&str>,
) -> Result<C::Response, ApiError> {
    let args = to_js(&commands::args::<C>(request, job))?;
    match tauri_invoke(C::NAME, args).await {
        Ok(value) => from_js(value),
        Err(error) => Err(serde_wasm_bindgen::from_value::<ApiError>(error.clone())
            .unwrap_or_else(|_| {
                ApiError::new(
                    ErrorCode::UiIpc,
                    error
                        .as_string()
                        .unwrap_or_else(|| "the app did not answer".into()),
                )
            })),
    }
}

/// Calls `handler` with the payload of every `event` until the page unloads.
pub fn listen<T: DeserializeOwned + 'static>(
    event: &'static str,
    mut handler: impl FnMut(T) + 'static,
) {
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        let payload =
            js_sys::Reflect::get(&event, &JsValue::from_str("payload")).unwrap_or(JsValue::NULL);
        if let Ok(value) = serde_wasm_bindgen::from_value::<T>(payload) {
            handler(value);
        }
    });
    leptos::task::spawn_local(async move {
        let _ = tauri_listen(event, &closure).await;
        closure.forget(); // lives as long as the page
    });
}

/// A fresh id for a cancellable job (`mint-…`), unique for this page's lifetime.
pub fn job_id(kind: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(1);
    format!(
        "{kind}-{}-{}",
        js_sys::Date::now() as u64,
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Asks the shell to stop job `id` (it stops at its next safe point and answers with
/// `job.cancelled`).
pub fn cancel(id: String) {
    leptos::task::spawn_local(async move {
        let request = hallmark_api::CancelJobRequest { job_id: id };
        let _ = invoke::<commands::CancelJob>(&request).await;
    });
}
