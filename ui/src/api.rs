//! The UI's only way to reach the engine: Tauri's `invoke` and `listen`, typed with
//! `hallmark-api`. Errors always arrive as `ApiError { code, message }`.
//!
//! A command is called through its marker type, e.g. `invoke::<commands::WorkDetail>(&request)`:
//! the marker fixes the command's name, request and response types, and the argument object
//! (`{request, job?}`) is built here.

use std::cell::RefCell;
use std::rc::Rc;

use hallmark_api::commands::{self, Command};
use hallmark_api::{ApiError, ErrorCode};
use send_wrapper::SendWrapper;
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

/// Calls `handler` with the payload of every `event` for as long as the current reactive owner
/// lives (a page's listeners go with the page): Tauri's listener is removed on the owner's
/// cleanup, or as soon as Tauri registers it if the owner is gone by then.
pub fn listen<T: DeserializeOwned + 'static>(
    event: &'static str,
    mut handler: impl FnMut(T) + 'static,
) {
    let closure = Rc::new(Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        let payload =
            js_sys::Reflect::get(&event, &JsValue::from_str("payload")).unwrap_or(JsValue::NULL);
        if let Ok(value) = serde_wasm_bindgen::from_value::<T>(payload) {
            handler(value);
        }
    }));
    let subscription = Rc::new(Subscription::<Unlisten>::default());
    {
        let subscription = Rc::clone(&subscription);
        leptos::task::spawn_local(async move {
            // Not registered (the app is closing): nothing to remove.
            let Ok(unlisten) = tauri_listen(event, &closure).await else {
                return;
            };
            let unlisten = Unlisten {
                function: unlisten.unchecked_into(),
                closure,
            };
            if let Some(late) = subscription.registered(unlisten) {
                late.run().await;
            }
        });
    }
    let subscription = SendWrapper::new(subscription);
    leptos::prelude::on_cleanup(move || {
        if let Some(unlisten) = subscription.release() {
            leptos::task::spawn_local(unlisten.run());
        }
    });
}

/// Tauri's unlisten function and the handler it removes, kept alive until it is removed.
struct Unlisten {
    function: js_sys::Function,
    closure: Rc<Closure<dyn FnMut(JsValue)>>,
}

impl Unlisten {
    async fn run(self) {
        if let Ok(promise) = self.function.call0(&JsValue::NULL) {
            let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&promise)).await;
        }
        drop(self.closure);
    }
}

/// One listener's way out, whichever comes first: Tauri's answer to `listen` (with the unlisten
/// function `U`) or the cleanup of the owner that asked for it.
#[derive(Debug)]
struct Subscription<U>(RefCell<Registration<U>>);

#[derive(Debug)]
enum Registration<U> {
    /// Asked for; Tauri has not answered yet.
    Waiting,
    /// Listening; `U` removes it.
    Listening(U),
    /// The owner was cleaned up.
    Released,
}

impl<U> Default for Subscription<U> {
    fn default() -> Self {
        Self(RefCell::new(Registration::Waiting))
    }
}

impl<U> Subscription<U> {
    /// Tauri registered the listener: keeps `unlisten` for the cleanup, or hands it back to be
    /// run at once when the owner is already gone.
    fn registered(&self, unlisten: U) -> Option<U> {
        let mut state = self.0.borrow_mut();
        match *state {
            Registration::Released => Some(unlisten),
            _ => {
                *state = Registration::Listening(unlisten);
                None
            }
        }
    }

    /// The owner is cleaned up: the unlisten function to run now, if Tauri already answered
    /// (a later answer is handed back by [`Subscription::registered`]).
    fn release(&self) -> Option<U> {
        match self.0.replace(Registration::Released) {
            Registration::Listening(unlisten) => Some(unlisten),
            Registration::Waiting | Registration::Released => None,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listener_registered_first_is_removed_on_cleanup() {
        let subscription = Subscription::default();
        assert_eq!(
            subscription.registered("unlisten"),
            None,
            "kept until the cleanup"
        );
        assert_eq!(subscription.release(), Some("unlisten"));
        assert_eq!(subscription.release(), None, "removed once");
    }

    #[test]
    fn a_listener_registered_after_its_owner_is_gone_is_removed_at_once() {
        let subscription = Subscription::default();
        assert_eq!(subscription.release(), None, "nothing to remove yet");
        assert_eq!(subscription.registered("unlisten"), Some("unlisten"));
        assert_eq!(subscription.release(), None);
    }

    #[test]
    fn a_listener_that_never_registered_has_nothing_to_remove() {
        let subscription = Subscription::<&str>::default();
        assert_eq!(subscription.release(), None);
        assert!(matches!(*subscription.0.borrow(), Registration::Released));
    }
}
