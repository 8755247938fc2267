#!/usr/bin/env bash
# Test certificates, made at test time with the openssl command: a CA; a server
# certificate for localhost / 127.0.0.1 signed by it; a self-signed one; an
# expired one signed by the CA; a client certificate signed by the CA.
# Usage: make-certs.sh DIR
set -euo pipefail
d=${1:?dir}
mkdir -p "$d"
cd "$d"
q() { "$@" >/dev/null 2>&1; }
key() { q openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1"; }

key ca.key
q openssl req -x509 -new -key ca.key -out ca.pem -days 30 -subj "/CN=lws-rs test CA"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >server.ext
key server.key
q openssl req -new -key server.key -out server.csr -subj "/CN=localhost"
q openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 30 -extfile server.ext

key self.key
q openssl req -x509 -new -key self.key -out self.pem -days 30 -subj "/CN=localhost" \
	-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -addext "basicConstraints=CA:FALSE"

# Expired: openssl ca lets the validity be set explicitly.
mkdir -p ca-db/new
: >ca-db/index.txt
echo 01 >ca-db/serial
cat >ca.cnf <<CNF
[ca]
default_ca = test
[test]
dir = ca-db
database = ca-db/index.txt
new_certs_dir = ca-db/new
serial = ca-db/serial
default_md = sha256
policy = any
copy_extensions = copy
[any]
commonName = supplied
CNF
key expired.key
q openssl req -new -key expired.key -out expired.csr -subj "/CN=localhost" \
	-addext "subjectAltName=DNS:localhost,IP:127.0.0.1"
q openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem \
	-startdate 20200101000000Z -enddate 20200201000000Z

key client.key
q openssl req -new -key client.key -out client.csr -subj "/CN=lws-rs test client"
q openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 30
echo "certificates in $d"
