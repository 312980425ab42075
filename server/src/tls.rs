//! rustls both ways, with ring as the one crypto provider: the upstream client trusts the
//! platform's roots plus `--ca-file`; the listener serves `--tls-cert` / `--tls-key`.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::crypto::ring::default_provider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ClientConfig, RootCertStore, ServerConfig};

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(default_provider())
}

fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs: Vec<_> = CertificateDer::pem_file_iter(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: not a PEM certificate file: {e}", path.display()))?;
    if certs.is_empty() {
        return Err(format!("{}: no certificate in it", path.display()));
    }
    Ok(certs)
}

/// The platform's roots (honouring `SSL_CERT_FILE` / `SSL_CERT_DIR`) plus the certificates of
/// `ca_file`.
pub fn client_config(ca_file: Option<&Path>) -> Result<ClientConfig, String> {
    let mut roots = RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    let (added, _ignored) = roots.add_parsable_certificates(native.certs);
    if let Some(path) = ca_file {
        for cert in certificates(path)? {
            roots.add(cert).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    } else if added == 0 {
        tracing::warn!("no platform root certificates found; pass --ca-file for an https upstream");
    }
    let mut config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The pooled upstream client: no redirects followed, no proxy from the environment, no
/// decompression (bodies pass through as sent), keep-alive connections reused.
pub fn upstream_client(ca_file: Option<&Path>) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .use_preconfigured_tls(client_config(ca_file)?)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(Duration::from_secs(10))
        // Shorter than the idle time after which servers close a kept-alive connection (the
        // sandbox's 20 s, common proxies' 60 s): a connection reused just as the upstream
        // closes it fails the request instead of carrying it.
        .pool_idle_timeout(Duration::from_secs(15))
        .pool_max_idle_per_host(64)
        .tcp_keepalive(Duration::from_secs(60))
        .user_agent(concat!("tfe-orgs-server/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot build the upstream client: {e}"))
}

/// The listener's TLS from a PEM certificate chain and its private key.
pub fn server_config(cert: &Path, key: &Path) -> Result<ServerConfig, String> {
    let chain = certificates(cert)?;
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| format!("{}: no PEM private key: {e}", key.display()))?;
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| format!("{}: {e}", cert.display()))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The DNS names a PEM certificate (its first, the leaf) is valid for: the server answers to
/// them as it does to `--public-name`s.
pub fn certificate_names(cert: &Path) -> Result<Vec<String>, String> {
    let chain = certificates(cert)?;
    let leaf = chain.first().ok_or_else(|| format!("{}: no certificate", cert.display()))?;
    let parsed = webpki::EndEntityCert::try_from(leaf).map_err(|e| format!("{}: {e}", cert.display()))?;
    Ok(parsed.valid_dns_names().map(str::to_string).collect())
}
