//! A request that got no answer, said in words: what failed and its innermost cause, without
//! the long request URL of the outer errors or the operating system's error number.

/// `"cannot connect (connection refused)"`, `"it did not answer in time (…)"`,
/// `"the request failed (…)"`.
pub fn unanswered(error: &reqwest::Error) -> String {
    let what = if error.is_timeout() {
        "it did not answer in time"
    } else if error.is_connect() {
        "cannot connect"
    } else {
        "the request failed"
    };
    format!("{what} ({})", innermost_cause(error))
}

/// The innermost cause's message (`"connection refused"`), without the operating system's
/// error number.
pub fn innermost_cause(error: &reqwest::Error) -> String {
    let mut cause = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        cause = inner.to_string();
        source = inner.source();
    }
    without_os_error(&cause)
}

/// `"Connection refused (os error 111)"` → `"connection refused"`: the words without the
/// operating system's error number.
pub fn without_os_error(text: &str) -> String {
    let text = match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => &text[..at],
        _ => text,
    };
    let mut chars = text.trim().chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_error_numbers_are_dropped_and_the_sentence_starts_lowercase() {
        assert_eq!(
            without_os_error("Connection refused (os error 111)"),
            "connection refused"
        );
        assert_eq!(without_os_error("timed out"), "timed out");
        assert_eq!(without_os_error(""), "");
    }

    #[tokio::test]
    async fn a_refused_connection_is_said_in_words() {
        // A port nothing listens on: bound, then closed.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or(9);
        let Ok(client) = crate::default_client_builder().build() else {
            panic!("a client")
        };
        let sent = client
            .get(format!("http://127.0.0.1:{port}/pins?cid=x"))
            .send()
            .await;
        let Err(error) = sent else {
            panic!("nothing listens there")
        };
        let said = unanswered(&error);
        assert_eq!(said, "cannot connect (connection refused)");
    }
}
