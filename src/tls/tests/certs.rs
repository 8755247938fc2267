//! Test certificates, made once per test process with the `openssl` command line in a
//! fresh temporary directory.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::tls::Pem;

/// Where the certificates are; `path("name.pem")` etc.
pub struct Certs {
    pub dir: PathBuf,
}

impl Certs {
    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    pub fn pem(&self, file: &str) -> Pem {
        Pem::from_file(self.path(file)).expect("test certificate")
    }

    /// A certificate chain: the named files' PEM, concatenated.
    pub fn chain(&self, files: &[&str]) -> Pem {
        let mut all = Vec::new();
        for f in files {
            all.extend_from_slice(&self.pem(f).0);
        }
        Pem(all)
    }

    /// The DER of the first certificate of a PEM file.
    pub fn der(&self, file: &str) -> Vec<u8> {
        let certs = crate::tls::config::parse_certs(&self.pem(file), file).expect("parse");
        certs[0].as_ref().to_vec()
    }
}

const REQ_CNF: &str = "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = unused\n";

const CA_CNF: &str = "[ca]\ndefault_ca = testca\n[testca]\ndatabase = ./index.txt\n\
new_certs_dir = .\nserial = ./serial\ndefault_md = sha256\npolicy = anything\n\
unique_subject = no\n[anything]\ncommonName = supplied\n";

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl (is it installed?)");
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write(dir: &Path, file: &str, text: &str) {
    std::fs::write(dir.join(file), text).expect("write test file");
}

const EC: [&str; 4] = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];

/// A self-signed certificate `name.pem` / `name.key` with extensions `ext`.
fn self_signed(dir: &Path, name: &str, cn: &str, ext: &str) {
    write(
        dir,
        &format!("{name}.cnf"),
        &format!("{REQ_CNF}[ext]\n{ext}\n"),
    );
    let (key, pem, cnf, subj) = (
        format!("{name}.key"),
        format!("{name}.pem"),
        format!("{name}.cnf"),
        format!("/CN={cn}"),
    );
    let mut args = vec!["req", "-x509", "-new", "-nodes", "-sha256", "-days", "3650"];
    args.extend(EC);
    args.extend([
        "-keyout",
        &key,
        "-out",
        &pem,
        "-subj",
        &subj,
        "-config",
        &cnf,
        "-extensions",
        "ext",
    ]);
    openssl(dir, &args);
}

/// A key and CSR `name.key` / `name.csr`, and the extension file `name.ext`.
fn request(dir: &Path, name: &str, cn: &str, ext: &str) {
    write(dir, "req.cnf", REQ_CNF);
    write(dir, &format!("{name}.ext"), &format!("{ext}\n"));
    let (key, csr, subj) = (
        format!("{name}.key"),
        format!("{name}.csr"),
        format!("/CN={cn}"),
    );
    let mut args = vec!["req", "-new", "-nodes", "-sha256"];
    args.extend(EC);
    args.extend([
        "-keyout", &key, "-out", &csr, "-subj", &subj, "-config", "req.cnf",
    ]);
    openssl(dir, &args);
}

/// `name.pem` signed by `ca` for a year.
fn signed(dir: &Path, name: &str, cn: &str, ca: &str, ext: &str, serial: u32) {
    request(dir, name, cn, ext);
    let (csr, pem, ext_file, ca_pem, ca_key, serial) = (
        format!("{name}.csr"),
        format!("{name}.pem"),
        format!("{name}.ext"),
        format!("{ca}.pem"),
        format!("{ca}.key"),
        serial.to_string(),
    );
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            &ca_pem,
            "-CAkey",
            &ca_key,
            "-set_serial",
            &serial,
            "-days",
            "365",
            "-sha256",
            "-extfile",
            &ext_file,
            "-out",
            &pem,
        ],
    );
}

/// `name.pem` signed by `ca` (or self-signed when `ca` is None) with explicit dates
/// (`YYYYMMDDHHMMSSZ`), through `openssl ca`.
fn dated(dir: &Path, name: &str, cn: &str, ca: Option<&str>, ext: &str, from: &str, to: &str) {
    request(dir, name, cn, ext);
    write(dir, "ca.cnf", CA_CNF);
    write(dir, "index.txt", "");
    write(dir, "serial", "1000\n");
    let (csr, pem, ext_file) = (
        format!("{name}.csr"),
        format!("{name}.pem"),
        format!("{name}.ext"),
    );
    let key = format!("{name}.key");
    let (ca_pem, ca_key) = ca.map_or((String::new(), key.clone()), |c| {
        (format!("{c}.pem"), format!("{c}.key"))
    });
    let mut args = vec![
        "ca", "-batch", "-config", "ca.cnf", "-notext", "-md", "sha256",
    ];
    if ca.is_some() {
        args.extend(["-cert", &ca_pem]);
    } else {
        args.push("-selfsign");
    }
    args.extend([
        "-keyfile",
        &ca_key,
        "-in",
        &csr,
        "-out",
        &pem,
        "-extfile",
        &ext_file,
        "-startdate",
        from,
        "-enddate",
        to,
    ]);
    openssl(dir, &args);
}

/// Removes the certificate directories of earlier test processes that have exited.
fn remove_stale_dirs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix("lws-rs-tls-")) else {
            continue;
        };
        let Some(pid) = rest.split('-').next() else {
            continue;
        };
        if !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

const CA_EXT: &str =
    "basicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n\
subjectKeyIdentifier = hash";
const LOCALHOST_EXT: &str =
    "basicConstraints = CA:FALSE\nsubjectAltName = DNS:localhost,IP:127.0.0.1";

fn san(names: &str) -> String {
    format!("basicConstraints = CA:FALSE\nsubjectAltName = {names}")
}

/// Generates everything once:
/// - `ca1` (trusted in most tests), `ca2` (another root), `inter` (intermediate under ca1);
/// - `localhost` (ca1; DNS:localhost, IP:127.0.0.1), `a` / `b` (ca1; a.test / b.test),
///   `other` (ca2; localhost), `leaf_i` (inter; localhost);
/// - `expired`, `notyet` (ca1; localhost, with past / future dates);
/// - `self_ca` (self-signed, CA:TRUE), `self_leaf` (self-signed, CA:FALSE),
///   `self_expired` (self-signed, CA:FALSE, expired), all for localhost/127.0.0.1;
/// - `client` (ca1; clientAuth), `client2` (ca2; clientAuth);
/// - `rsa` (ca1; localhost, RSA 2048 key in PKCS#1 as `rsa.key`), `localhost_sec1.key`
///   (the `localhost` key as SEC1), `ca1.der`, `localhost_enc.key` (encrypted).
pub fn certs() -> &'static Certs {
    static CERTS: OnceLock<Certs> = OnceLock::new();
    CERTS.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        remove_stale_dirs();
        let dir = std::env::temp_dir().join(format!("lws-rs-tls-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let d = dir.as_path();

        self_signed(d, "ca1", "lws-rs test CA 1", CA_EXT);
        self_signed(d, "ca2", "lws-rs test CA 2", CA_EXT);
        signed(d, "inter", "lws-rs test intermediate", "ca1", CA_EXT, 2);
        signed(d, "localhost", "localhost", "ca1", LOCALHOST_EXT, 3);
        signed(d, "a", "a.test", "ca1", &san("DNS:a.test"), 4);
        signed(d, "b", "b.test", "ca1", &san("DNS:b.test"), 5);
        signed(d, "other", "localhost (ca2)", "ca2", LOCALHOST_EXT, 6);
        signed(d, "leaf_i", "localhost (inter)", "inter", LOCALHOST_EXT, 7);
        let client_ext = "basicConstraints = CA:FALSE\nextendedKeyUsage = clientAuth";
        signed(d, "client", "client 1", "ca1", client_ext, 8);
        signed(d, "client2", "client 2", "ca2", client_ext, 9);
        dated(
            d,
            "expired",
            "expired",
            Some("ca1"),
            LOCALHOST_EXT,
            "20200101000000Z",
            "20200201000000Z",
        );
        dated(
            d,
            "notyet",
            "not yet",
            Some("ca1"),
            LOCALHOST_EXT,
            "20900101000000Z",
            "20900201000000Z",
        );
        dated(
            d,
            "self_expired",
            "self expired",
            None,
            LOCALHOST_EXT,
            "20200101000000Z",
            "20200201000000Z",
        );
        self_signed(
            d,
            "self_ca",
            "self-signed CA:TRUE",
            "basicConstraints = critical,CA:TRUE\nsubjectAltName = DNS:localhost,IP:127.0.0.1",
        );
        self_signed(d, "self_leaf", "self-signed leaf", LOCALHOST_EXT);
        // Names only in the subject CN, no subjectAltName (as `openssl req -subj /CN=..`).
        signed(
            d,
            "cn_only",
            "localhost",
            "ca1",
            "basicConstraints = CA:FALSE",
            10,
        );
        signed(
            d,
            "cn_wild",
            "*.wild.test",
            "ca1",
            "basicConstraints = CA:FALSE",
            11,
        );
        // A subjectAltName present: the CN is not looked at.
        signed(
            d,
            "cn_ignored",
            "localhost",
            "ca1",
            &san("DNS:elsewhere.test"),
            12,
        );

        // RSA, with the key in PKCS#1 form.
        write(d, "rsa.ext", &format!("{LOCALHOST_EXT}\n"));
        openssl(
            d,
            &[
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-out",
                "rsa8.key",
            ],
        );
        openssl(
            d,
            &["rsa", "-in", "rsa8.key", "-traditional", "-out", "rsa.key"],
        );
        openssl(
            d,
            &[
                "req", "-new", "-key", "rsa.key", "-subj", "/CN=rsa", "-config", "req.cnf", "-out",
                "rsa.csr",
            ],
        );
        openssl(
            d,
            &[
                "x509",
                "-req",
                "-in",
                "rsa.csr",
                "-CA",
                "ca1.pem",
                "-CAkey",
                "ca1.key",
                "-set_serial",
                "10",
                "-days",
                "365",
                "-sha256",
                "-extfile",
                "rsa.ext",
                "-out",
                "rsa.pem",
            ],
        );
        openssl(
            d,
            &["ec", "-in", "localhost.key", "-out", "localhost_sec1.key"],
        );
        openssl(
            d,
            &[
                "x509", "-in", "ca1.pem", "-outform", "DER", "-out", "ca1.der",
            ],
        );
        openssl(
            d,
            &[
                "pkcs8",
                "-topk8",
                "-in",
                "localhost.key",
                "-passout",
                "pass:secret",
                "-out",
                "localhost_enc.key",
            ],
        );
        Certs { dir }
    })
}
