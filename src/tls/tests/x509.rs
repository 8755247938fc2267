//! lws_x509_* / cert-info answers (issue 15), compared with what the openssl
//! command line says about the same certificates.
#![forbid(unsafe_code)]

use std::process::Command;

use super::certs::certs;
use crate::tls::x509::{Cert, CertInfo, Info, X509Error};

fn cert(name: &str) -> Cert {
    Cert::from_pem(&certs().pem(name).0).unwrap()
}

fn openssl_x509(name: &str, what: &str) -> String {
    let out = Command::new("openssl")
        .args(["x509", "-noout", "-nameopt", "compat", what, "-in"])
        .arg(certs().path(name))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    text.trim().split_once('=').unwrap().1.trim().to_string()
}

fn unix_time(openssl_date: &str) -> i64 {
    let out = Command::new("date")
        .args(["-u", "-d", openssl_date, "+%s"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn text(i: Info) -> String {
    match i {
        Info::Text(t) => String::from_utf8(t).unwrap(),
        other => panic!("not text: {other:?}"),
    }
}

#[test]
fn x509_names_are_openssl_oneline() {
    for name in ["localhost.pem", "ca1.pem", "leaf_i.pem", "client.pem"] {
        let c = cert(name);
        let issuer = text(c.info(CertInfo::IssuerName, 0).unwrap());
        assert_eq!(issuer, openssl_x509(name, "-issuer"), "{name}");
        let subject = openssl_x509(name, "-subject");
        let cn = text(c.info(CertInfo::CommonName, 0).unwrap());
        assert_eq!(cn, subject.split_once("/CN=").unwrap().1, "{name}");
    }
    assert_eq!(
        text(cert("ca1.pem").info(CertInfo::CommonName, 0).unwrap()),
        "lws-rs test CA 1"
    );
    // Only whole "/type=value" parts that fit len - 1 chars (X509_NAME_oneline).
    assert_eq!(
        text(cert("ca1.pem").info(CertInfo::IssuerName, 10).unwrap()),
        ""
    );
}

#[test]
fn x509_validity_is_time_t_of_openssl_dates() {
    let c = cert("localhost.pem");
    let from = unix_time(&openssl_x509("localhost.pem", "-startdate"));
    let to = unix_time(&openssl_x509("localhost.pem", "-enddate"));
    assert_eq!(c.info(CertInfo::ValidityFrom, 0).unwrap(), Info::Time(from));
    assert_eq!(c.info(CertInfo::ValidityTo, 0).unwrap(), Info::Time(to));
    assert!(from < to);
}

#[test]
fn x509_usage_der_and_key_ids() {
    // keyCertSign (0x04) | cRLSign (0x02) in OpenSSL's numbering.
    assert_eq!(
        cert("ca1.pem").info(CertInfo::Usage, 0).unwrap(),
        Info::Usage(6)
    );
    assert_eq!(
        cert("localhost.pem").info(CertInfo::Usage, 0).unwrap(),
        Info::Usage(u32::MAX)
    );
    let c = cert("localhost.pem");
    let der = certs().der("localhost.pem");
    assert_eq!(
        c.info(CertInfo::DerRaw, 4096).unwrap(),
        Info::Bytes(der.clone())
    );
    assert_eq!(
        c.info(CertInfo::DerRaw, der.len() - 1),
        Err(X509Error::TooLong)
    );
    match c.info(CertInfo::OpaquePublicKey, 4096).unwrap() {
        Info::Bytes(k) => assert_eq!(k[0], 0x30),
        other => panic!("{other:?}"),
    }
    match cert("ca1.pem").info(CertInfo::SubjectKeyId, 0).unwrap() {
        Info::Bytes(k) => assert_eq!(k.len(), 20),
        other => panic!("{other:?}"),
    }
    assert_eq!(c.info(CertInfo::Verified, 0), Err(X509Error::Unsupported));
    assert_eq!(CertInfo::from_raw(11), Some(CertInfo::SubjectKeyId));
    assert_eq!(CertInfo::from_raw(12), None);
}

#[test]
fn x509_verify_issuer_and_common_name() {
    let (ca1, ca2, inter) = (cert("ca1.pem"), cert("ca2.pem"), cert("inter.pem"));
    let leaf = cert("localhost.pem");
    assert_eq!(leaf.verify(&ca1, None), Ok(()));
    assert_eq!(leaf.verify(&ca1, Some("localhost")), Ok(()));
    assert_eq!(
        leaf.verify(&ca1, Some("localhos")),
        Err(X509Error::CommonNameMismatch)
    );
    assert_eq!(leaf.verify(&ca2, None), Err(X509Error::NotIssuedBy));
    assert_eq!(
        cert("other.pem").verify(&ca1, None),
        Err(X509Error::NotIssuedBy)
    );
    assert_eq!(cert("leaf_i.pem").verify(&inter, None), Ok(()));
    assert_eq!(
        cert("leaf_i.pem").verify(&ca1, None),
        Err(X509Error::NotIssuedBy)
    );
    assert_eq!(inter.verify(&ca1, None), Ok(()));
}

#[test]
fn x509_bad_pem_is_refused() {
    assert_eq!(Cert::from_pem(b"not a cert"), Err(X509Error::Parse));
    let der = certs().der("localhost.pem");
    assert_eq!(
        Cert::from_der(der[..der.len() / 2].to_vec()),
        Err(X509Error::Parse)
    );
    assert_eq!(
        Cert::from_pem(&certs().pem("localhost.key").0),
        Err(X509Error::Parse)
    );
}
