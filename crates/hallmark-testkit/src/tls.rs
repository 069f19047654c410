//! A real TLS terminator for tests: [`TestCa`] makes a certificate authority and server
//! certificates at test time (rcgen), [`TlsProxy`] serves TLS on a loopback port with one of
//! them and forwards the plain bytes to a backend (anvil, the IPFS daemon, a pinning server).

use std::net::TcpListener as StdListener;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A certificate authority made for one test.
pub struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl std::fmt::Debug for TestCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestCa").finish_non_exhaustive()
    }
}

/// When a server certificate is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// From 1975 to 4096 (rcgen's default).
    Current,
    /// It expired on 1 January 2020.
    Expired,
}

/// A server certificate and its private key.
#[derive(Debug, Clone)]
pub struct ServerCert {
    chain: Vec<CertificateDer<'static>>,
    key_der: Vec<u8>,
}

impl TestCa {
    /// A new CA named `name`.
    pub fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let key = KeyPair::generate().expect("CA key");
        Self {
            issuer: CertifiedIssuer::self_signed(params, key).expect("CA certificate"),
        }
    }

    /// The CA certificate in PEM, as a consortium profile would carry it.
    pub fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// A server certificate for `hosts` (DNS names or IP addresses) signed by this CA.
    pub fn server_cert(&self, hosts: &[&str], validity: Validity) -> ServerCert {
        let names: Vec<String> = hosts.iter().map(|h| (*h).to_owned()).collect();
        let mut params = CertificateParams::new(names).expect("server params");
        params.distinguished_name.push(
            DnType::CommonName,
            hosts.first().copied().unwrap_or("server"),
        );
        if validity == Validity::Expired {
            params.not_before = rcgen::date_time_ymd(2019, 1, 1);
            params.not_after = rcgen::date_time_ymd(2020, 1, 1);
        }
        let key = KeyPair::generate().expect("server key");
        let cert = params
            .signed_by(&key, &self.issuer)
            .expect("server certificate");
        ServerCert {
            chain: vec![cert.der().clone()],
            key_der: key.serialize_der(),
        }
    }

    /// A certificate for `127.0.0.1` and `localhost`, valid now.
    pub fn localhost_cert(&self) -> ServerCert {
        self.server_cert(&["127.0.0.1", "localhost"], Validity::Current)
    }
}

/// A TLS terminator on `127.0.0.1` forwarding to a plain TCP backend; stops when dropped.
#[derive(Debug)]
pub struct TlsProxy {
    port: u16,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TlsProxy {
    /// Serves TLS with `cert` on a free loopback port and forwards to `127.0.0.1:backend_port`.
    pub fn start(cert: &ServerCert, backend_port: u16) -> Self {
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(
            cert.chain.clone(),
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(cert.key_der.clone())),
        )
        .expect("server TLS config");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = StdListener::bind("127.0.0.1:0").expect("bind the TLS proxy");
        let port = listener.local_addr().expect("proxy address").port();
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("proxy runtime");
            runtime.block_on(async move {
                let listener =
                    tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                loop {
                    tokio::select! {
                        _ = &mut stopped => break,
                        accepted = listener.accept() => {
                            let Ok((client, _)) = accepted else { continue };
                            // As production terminators do: without it, Nagle's algorithm and
                            // delayed ACKs hold each small response for ~40 ms.
                            let _ = client.set_nodelay(true);
                            let acceptor = acceptor.clone();
                            tokio::spawn(async move {
                                // A refused handshake (the client distrusts the certificate)
                                // just ends this connection.
                                let Ok(mut tls) = acceptor.accept(client).await else { return };
                                let Ok(mut backend) =
                                    tokio::net::TcpStream::connect(("127.0.0.1", backend_port)).await
                                else {
                                    return;
                                };
                                let _ = backend.set_nodelay(true);
                                let _ = tokio::io::copy_bidirectional(&mut tls, &mut backend).await;
                            });
                        }
                    }
                }
            });
        });
        Self {
            port,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// The port it serves TLS on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `https://HOST:PORT` for a host name its certificate may (or may not) be for.
    pub fn url(&self, host: &str) -> String {
        format!("https://{host}:{}", self.port)
    }
}

impl Drop for TlsProxy {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
