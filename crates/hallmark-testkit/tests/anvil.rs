//! The launcher against the real anvil: it answers on the port it announced, with the chain id
//! asked for, and is gone once dropped.

use std::io::{Read, Write};
use std::net::TcpStream;

use hallmark_testkit::Anvil;

/// `eth_chainId` over a plain HTTP/1.1 request.
fn chain_id(port: u16) -> String {
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}"#;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    answer
}

#[test]
fn anvil_answers_with_its_chain_id_and_stops_on_drop() {
    let anvil = Anvil::builder().chain_id(1337).spawn();
    let port = anvil.port();
    assert_eq!(anvil.endpoint(), format!("http://127.0.0.1:{port}"));
    assert!(chain_id(port).contains(r#""result":"0x539""#));
    let other = Anvil::start();
    assert_ne!(other.port(), port);
    assert!(chain_id(other.port()).contains(r#""result":"0x7a69""#));
    drop(anvil);
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
}
