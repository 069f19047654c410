//! A minimal JSON-RPC client for the few calls the engine makes before the full chain layer exists
//! (readiness and head block). Values are decoded strictly; errors name the endpoint.

use std::time::Duration;

use serde::Deserialize;

use crate::error::EngineError;

#[derive(Deserialize)]
struct RpcReply {
    result: Option<serde_json::Value>,
    error: Option<RpcFault>,
}

#[derive(Deserialize)]
struct RpcFault {
    message: String,
}

/// Calls `method` with `params` and returns its `result`. A transport failure is said in words
/// (refused, silent past `timeout`, not HTTP, an HTTP error, not JSON-RPC), like the chain
/// layer's [`hallmark_chain::transport::Fault`].
async fn call(
    client: &reqwest::Client,
    url: &str,
    timeout: Duration,
    method: &str,
    params: serde_json::Value,
) -> Result<serde_json::Value, EngineError> {
    use hallmark_chain::transport::Fault;
    let unreachable = |fault: Fault| match fault {
        Fault::Tls(problem) => EngineError::ChainTls {
            url: url.to_owned(),
            problem,
        },
        fault => EngineError::ChainUnavailable {
            url: url.to_owned(),
            reason: fault.describe_after(false, timeout),
        },
    };
    let body = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let response = client
        .post(url)
        .json(&body)
        .send()
        .await
        .map_err(|e| unreachable(Fault::of_reqwest(&e)))?;
    if !response.status().is_success() {
        return Err(unreachable(Fault::Http(response.status().as_u16())));
    }
    let bytes = response
        .bytes()
        .await
        .map_err(|e| unreachable(Fault::of_reqwest(&e)))?;
    let reply: RpcReply = serde_json::from_slice(&bytes).map_err(|_| {
        let start: String = String::from_utf8_lossy(&bytes).chars().take(60).collect();
        unreachable(Fault::NotJsonRpc(start.replace(['\n', '\r'], " ")))
    })?;
    match (reply.result, reply.error) {
        (_, Some(fault)) => Err(EngineError::ChainUnavailable {
            url: url.to_owned(),
            reason: fault.message,
        }),
        (Some(result), None) => Ok(result),
        // `"result": null` (admin methods answer so); readers refuse a null where they need data.
        (None, None) => Ok(serde_json::Value::Null),
    }
}

fn parse_quantity(value: &serde_json::Value) -> Option<u64> {
    let hex = value.as_str()?.strip_prefix("0x")?;
    u64::from_str_radix(hex, 16).ok()
}

/// A JSON-RPC endpoint with a short timeout, for status checks.
#[derive(Debug, Clone)]
pub struct RpcEndpoint {
    url: String,
    client: reqwest::Client,
    timeout: Duration,
}

impl RpcEndpoint {
    /// An endpoint at `url`; every call times out after `timeout`.
    pub fn new(url: impl Into<String>, timeout: Duration) -> Result<Self, EngineError> {
        let url = url.into();
        let client = hallmark_net::default_client_builder()
            .connect_timeout(timeout.min(hallmark_chain::transport::RPC_CONNECT_TIMEOUT))
            .timeout(timeout)
            .no_proxy()
            .build()
            .map_err(|e| EngineError::ChainUnavailable {
                url: url.clone(),
                reason: e.to_string(),
            })?;
        Ok(Self {
            url,
            client,
            timeout,
        })
    }

    /// The endpoint's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// `eth_chainId`.
    pub async fn chain_id(&self) -> Result<u64, EngineError> {
        self.quantity("eth_chainId").await
    }

    /// `eth_blockNumber`.
    pub async fn block_number(&self) -> Result<u64, EngineError> {
        self.quantity("eth_blockNumber").await
    }

    /// The timestamp of the latest block (unix seconds).
    pub async fn latest_block_timestamp(&self) -> Result<u64, EngineError> {
        let block = self.block("latest").await?;
        parse_quantity(&block["timestamp"]).ok_or_else(|| EngineError::ChainUnavailable {
            url: self.url.clone(),
            reason: "the latest block has no timestamp".to_owned(),
        })
    }

    /// The hash of block 0: with the chain id, what tells one chain from another (a dev chain
    /// restarted from its saved state keeps it; a fresh anvil on the same port does not).
    pub async fn genesis_hash(&self) -> Result<String, EngineError> {
        let block = self.block("0x0").await?;
        block["hash"]
            .as_str()
            .filter(|hash| hash.starts_with("0x") && hash.len() == 66)
            .map(str::to_owned)
            .ok_or_else(|| EngineError::ChainUnavailable {
                url: self.url.clone(),
                reason: "block 0 has no hash".to_owned(),
            })
    }

    /// `eth_getBlockByNumber` without the transactions.
    async fn block(&self, tag: &str) -> Result<serde_json::Value, EngineError> {
        call(
            &self.client,
            &self.url,
            self.timeout,
            "eth_getBlockByNumber",
            serde_json::json!([tag, false]),
        )
        .await
    }

    /// Calls a method that takes parameters and returns nothing of interest (dev chain admin).
    pub(crate) async fn admin(
        &self,
        method: &str,
        params: serde_json::Value,
    ) -> Result<(), EngineError> {
        call(&self.client, &self.url, self.timeout, method, params)
            .await
            .map(|_| ())
    }

    async fn quantity(&self, method: &str) -> Result<u64, EngineError> {
        let value = call(
            &self.client,
            &self.url,
            self.timeout,
            method,
            serde_json::json!([]),
        )
        .await?;
        parse_quantity(&value).ok_or_else(|| EngineError::ChainUnavailable {
            url: self.url.clone(),
            reason: format!("{method} returned {value}, not a hex quantity"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_parse_strictly() {
        assert_eq!(parse_quantity(&serde_json::json!("0x1f")), Some(31));
        assert_eq!(parse_quantity(&serde_json::json!("1f")), None);
        assert_eq!(parse_quantity(&serde_json::json!(31)), None);
    }
}
