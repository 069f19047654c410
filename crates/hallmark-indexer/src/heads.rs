//! New-block notifications: `eth_subscribe("newHeads")` over a WebSocket (`ws`, or `wss` with
//! the installation's trust, a consortium CA included), as geth, Besu and anvil offer it.
//!
//! alloy's WebSocket transport cannot be handed our rustls configuration (its TLS features pull
//! a second TLS stack with its own roots), so this speaks the two JSON-RPC messages it needs
//! itself over [`hallmark_net::connect_websocket`].

use std::time::Duration;

use futures_util::stream::BoxStream;
use futures_util::{SinkExt, StreamExt};
use hallmark_net::{Trust, WebSocket, WebSocketError};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

/// How long the node has to answer the subscription request.
const SUBSCRIBE_TIMEOUT: Duration = Duration::from_secs(5);

/// Why no subscription was made.
#[derive(Debug, thiserror::Error)]
pub enum HeadsError {
    /// The WebSocket could not be opened.
    #[error(transparent)]
    Connect(#[from] WebSocketError),
    /// The node refused `eth_subscribe`, closed the socket, or did not answer in time.
    #[error("the node did not subscribe to new heads: {0}")]
    Refused(String),
}

/// Subscribes to new heads at `url`; the stream yields each new block's number and ends when
/// the socket closes or fails.
pub async fn subscribe_new_heads(
    url: &str,
    trust: &Trust,
) -> Result<BoxStream<'static, u64>, HeadsError> {
    let mut socket = hallmark_net::connect_websocket(url, trust).await?;
    let request =
        json!({"jsonrpc": "2.0", "id": 1, "method": "eth_subscribe", "params": ["newHeads"]});
    socket
        .send(Message::text(request.to_string()))
        .await
        .map_err(|e| HeadsError::Refused(e.to_string()))?;
    let subscription = tokio::time::timeout(SUBSCRIBE_TIMEOUT, subscription_id(&mut socket))
        .await
        .map_err(|_| HeadsError::Refused(format!("no answer in {SUBSCRIBE_TIMEOUT:?}")))??;
    let heads = futures_util::stream::unfold(socket, move |mut socket| {
        let subscription = subscription.clone();
        async move {
            loop {
                match socket.next().await? {
                    Ok(Message::Text(text)) => {
                        if let Some(number) = head_number(text.as_str(), &subscription) {
                            return Some((number, socket));
                        }
                    }
                    // Pings are answered by the socket itself; other frames carry nothing.
                    Ok(Message::Close(_)) | Err(_) => return None,
                    Ok(_) => {}
                }
            }
        }
    });
    Ok(heads.boxed())
}

/// Reads until the answer to request 1 arrives and returns its subscription id.
async fn subscription_id(socket: &mut WebSocket) -> Result<String, HeadsError> {
    while let Some(message) = socket.next().await {
        let message = message.map_err(|e| HeadsError::Refused(e.to_string()))?;
        let Message::Text(text) = message else {
            continue;
        };
        let Ok(answer) = serde_json::from_str::<Value>(text.as_str()) else {
            continue;
        };
        if answer.get("id") != Some(&json!(1)) {
            continue;
        }
        if let Some(error) = answer.get("error") {
            return Err(HeadsError::Refused(error.to_string()));
        }
        return match answer.get("result").and_then(Value::as_str) {
            Some(id) => Ok(id.to_owned()),
            None => Err(HeadsError::Refused(format!("unexpected answer {answer}"))),
        };
    }
    Err(HeadsError::Refused("the socket closed".to_owned()))
}

/// The block number of an `eth_subscription` notification for `subscription`.
fn head_number(text: &str, subscription: &str) -> Option<u64> {
    let message: Value = serde_json::from_str(text).ok()?;
    if message.get("method")?.as_str()? != "eth_subscription" {
        return None;
    }
    let params = message.get("params")?;
    if params.get("subscription")?.as_str()? != subscription {
        return None;
    }
    let number = params.get("result")?.get("number")?.as_str()?;
    u64::from_str_radix(number.strip_prefix("0x")?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::head_number;

    #[test]
    fn a_notification_yields_its_block_number_and_nothing_else_does() {
        let note = r#"{"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":"0xab","result":{"number":"0x1f","hash":"0x00"}}}"#;
        assert_eq!(head_number(note, "0xab"), Some(31));
        assert_eq!(head_number(note, "0xcd"), None, "another subscription");
        assert_eq!(head_number(r#"{"id":1,"result":"0xab"}"#, "0xab"), None);
        assert_eq!(head_number("not json", "0xab"), None);
        let bad = note.replace("0x1f", "31");
        assert_eq!(
            head_number(&bad, "0xab"),
            None,
            "numbers are hex quantities"
        );
    }
}
