#!/usr/bin/env bash
# Starts the live suite's engines for one run, on free loopback ports, into RUN_DIR (argument 1):
# PostgreSQL (TLS, as the unprivileged `postgres` user), moto (STS and IAM) and an OpenBao dev
# server (TLS, with the AWS plugins in its plugin directory). Every secret (the OpenBao root
# token, the PostgreSQL superuser password) is generated here and kept in 0600 files of RUN_DIR;
# nothing secret is printed. Writes RUN_DIR/engines.json for the harness. stop.sh undoes it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.sh
. "$here/versions.sh"
run=${1:?usage: start.sh RUN_DIR}
[ -f "$ENGINES_MANIFEST" ] || { echo "engines are not installed: run scripts/engines/install.sh" >&2; exit 1; }
# shellcheck disable=SC1090
. "$ENGINES_MANIFEST"
mkdir -p "$run"
chmod 0755 "$run"
umask 077
free_port() { "$ENGINES_PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
secret() { "$ENGINES_PYTHON" -c 'import secrets; print(secrets.token_urlsafe(24))'; }
wait_for() { # what, seconds, command...
  local what=$1 seconds=$2; shift 2
  for _ in $(seq 1 $((seconds * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "$what did not come up; see $run/*.log" >&2; exit 1
}
# Each server runs in its own process group (its pid is the group id), so stop.sh can end it whole.
launch() { # name, command...
  local name=$1; shift
  setsid "$@" >"$run/$name.log" 2>&1 < /dev/null &
  echo "$!" > "$run/$name.pid"
}
trap 'status=$?; [ $status -eq 0 ] || "$here/stop.sh" "$run"; exit $status' EXIT

# --- PostgreSQL over TLS ---------------------------------------------------------------------------
pg_port=$(free_port)
pg_password=$(secret)
printf '%s' "$pg_password" > "$run/pg-superuser-password"
# One throwaway CA for the run: it signs PostgreSQL's certificate and the test OIDC issuer's, and
# OpenBao trusts it beside the system's CAs (SSL_CERT_FILE), as a server trusts a private CA.
mkdir -p "$run/ca" "$run/pg-tls" "$run/issuer-tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=gateward live test CA' \
  -keyout "$run/ca/ca.key" -out "$run/ca/ca.pem" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$run/ca/san.ext"
issue_cert() { # directory
  openssl req -newkey rsa:2048 -nodes -subj '/CN=127.0.0.1' -keyout "$1/server.key" -out "$1/server.csr" 2>/dev/null
  openssl x509 -req -in "$1/server.csr" -CA "$run/ca/ca.pem" -CAkey "$run/ca/ca.key" -CAcreateserial \
    -days 2 -extfile "$run/ca/san.ext" -out "$1/server.pem" 2>/dev/null
}
issue_cert "$run/pg-tls"
issue_cert "$run/issuer-tls"
cat /etc/ssl/certs/ca-certificates.crt "$run/ca/ca.pem" > "$run/trusted-cas.pem" 2>/dev/null || cp "$run/ca/ca.pem" "$run/trusted-cas.pem"
pg_user=postgres
id "$pg_user" >/dev/null 2>&1 || useradd --system --no-create-home gateward-pg >/dev/null 2>&1 || true
id "$pg_user" >/dev/null 2>&1 || pg_user=gateward-pg
mkdir -p "$run/pg-data" "$run/pg-socket" "$run/pg-log"
cp "$run/pg-superuser-password" "$run/pg-tls/pwfile"
chown -R "$pg_user" "$run/pg-data" "$run/pg-socket" "$run/pg-log" "$run/pg-tls"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u "$pg_user" -- "$@"; else "$@"; fi; }
as_pg "$PG_BIN_DIR/initdb" -D "$run/pg-data" -U postgres --pwfile="$run/pg-tls/pwfile" --auth-local=scram-sha-256 \
  --auth-host=scram-sha-256 -E UTF8 >"$run/pg-initdb.log" 2>&1
rm -f "$run/pg-tls/pwfile"
cat > "$run/pg-data/pg_hba.conf" <<HBA
local   all all               scram-sha-256
hostssl all all 127.0.0.1/32  scram-sha-256
HBA
as_pg "$PG_BIN_DIR/pg_ctl" -D "$run/pg-data" -l "$run/pg-log/postgres.log" -w -t 60 start \
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$run/pg-socket -c ssl=on \
      -c ssl_cert_file=$run/pg-tls/server.pem -c ssl_key_file=$run/pg-tls/server.key -c password_encryption=scram-sha-256" >/dev/null
"$PG_BIN_DIR/pg_ctl" -D "$run/pg-data" status >/dev/null 2>&1 || as_pg "$PG_BIN_DIR/pg_ctl" -D "$run/pg-data" status >/dev/null
head -n1 "$run/pg-data/postmaster.pid" > "$run/postgres.pid"

# --- moto (STS and IAM) ----------------------------------------------------------------------------
moto_port=$(free_port)
# The example's roles live in its account; moto creates everything there.
MOTO_ACCOUNT_ID=${LIVE_AWS_ACCOUNT:-111122223333} launch moto "$MOTO_SERVER" -H 127.0.0.1 -p "$moto_port"
wait_for moto 60 curl -sf "http://127.0.0.1:$moto_port/moto-api/"

# --- OpenBao dev server over TLS ---------------------------------------------------------------------
bao_port=$(free_port)
bao_http_port=$(free_port)
root_token=$(secret)
printf '%s' "$root_token" > "$run/bao-root-token"
mkdir -p "$run/bao-tls"
# OpenBao refuses API-created audit devices unless its configuration allows them (the plane's
# vault_audit resources create them through the API, as Terraform does against Vault).
# A second listener without TLS, on loopback only, for the router under test: Node's fetch takes
# extra CAs only when its process starts, before this run's CA exists (the harness itself speaks TLS).
cat > "$run/bao-extra.hcl" <<HCL
unsafe_allow_api_audit_creation = true
listener "tcp" {
  address     = "127.0.0.1:$bao_http_port"
  tls_disable = true
}
HCL
# The server's own AWS identity (what the AWS secrets engine assumes target roles with) comes from
# the environment the harness writes into aws-env before the first AssumeRole; until then none.
# Dev mode prints its root token and unseal key: the log gets neither, the unseal key goes to a
# 0600 file (the suite seals and unseals the server to show the router's answer to a sealed Vault).
ENGINES_PLUGIN_DIR=$(dirname "$AWS_AUTH_PLUGIN")
export BAO_DEV_ROOT_TOKEN_ID=$root_token RUN_DIR=$run BAO_PORT=$bao_port BAO_BIN ENGINES_PLUGIN_DIR ENGINES_PYTHON
launch openbao bash -c 'env -u BAO_TOKEN -u VAULT_TOKEN \
  AWS_SHARED_CREDENTIALS_FILE="$RUN_DIR/aws-credentials" AWS_CONFIG_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true \
  SSL_CERT_FILE="$RUN_DIR/trusted-cas.pem" \
  "$BAO_BIN" server -dev -dev-tls -dev-tls-cert-dir="$RUN_DIR/bao-tls" -dev-listen-address="127.0.0.1:$BAO_PORT" \
  -dev-plugin-dir="$ENGINES_PLUGIN_DIR" -dev-no-store-token -config="$RUN_DIR/bao-extra.hcl" 2>&1 \
  | "$ENGINES_PYTHON" -u -c "
import os, sys
for line in sys.stdin:
    if line.startswith(\"Unseal Key: \"):
        fd = os.open(os.environ[\"RUN_DIR\"] + \"/bao-unseal-key\", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.write(fd, line.split()[2].encode()); os.close(fd)
        line = \"Unseal Key: (in bao-unseal-key)\\n\"
    elif line.startswith(\"Root Token: \"):
        line = \"Root Token: (in bao-root-token)\\n\"
    sys.stdout.write(line)
"'
unset BAO_DEV_ROOT_TOKEN_ID
wait_for openbao 60 test -s "$run/bao-unseal-key"
wait_for openbao 60 curl -sf --cacert "$run/bao-tls/vault-ca.pem" "https://127.0.0.1:$bao_port/v1/sys/health"
wait_for openbao 60 curl -sf "http://127.0.0.1:$bao_http_port/v1/sys/health"

export RUN_DIR=$run BAO_PORT=$bao_port BAO_HTTP_PORT=$bao_http_port MOTO_PORT=$moto_port PG_PORT=$pg_port LIVE_AWS_ACCOUNT=${LIVE_AWS_ACCOUNT:-111122223333} \
  TERRAFORM_BIN=${TERRAFORM_BIN:-} PROVIDER_VAULT_BIN=${PROVIDER_VAULT_BIN:-} PROVIDER_VAULT_NOTE=${PROVIDER_VAULT_NOTE:-} \
  AWS_AUTH_PLUGIN AWS_SECRETS_PLUGIN AWS_PLUGINS_SOURCE=${AWS_PLUGINS_SOURCE:-} AWS_PLUGINS_NOTE=${AWS_PLUGINS_NOTE:-} PG_BIN_DIR ENGINES_PYTHON
"$ENGINES_PYTHON" - <<'PY'
import json, os
e = os.environ
run = e["RUN_DIR"]
engines = {
    "runDir": run,
    "openbao": {"address": f"https://127.0.0.1:{e['BAO_PORT']}", "httpAddress": f"http://127.0.0.1:{e['BAO_HTTP_PORT']}", "caFile": f"{run}/bao-tls/vault-ca.pem",
                "rootTokenFile": f"{run}/bao-root-token", "unsealKeyFile": f"{run}/bao-unseal-key",
                "log": f"{run}/openbao.log", "bin": e["BAO_BIN"]},
    "moto": {"endpoint": f"http://127.0.0.1:{e['MOTO_PORT']}", "account": e["LIVE_AWS_ACCOUNT"],
             "credentialsFile": f"{run}/aws-credentials", "python": e["ENGINES_PYTHON"]},
    "postgres": {"host": "127.0.0.1", "port": int(e["PG_PORT"]), "superuser": "postgres",
                 "passwordFile": f"{run}/pg-superuser-password", "caFile": f"{run}/ca/ca.pem", "binDir": e["PG_BIN_DIR"]},
    "trustedCasFile": f"{run}/trusted-cas.pem",
    "issuerTls": {"certFile": f"{run}/issuer-tls/server.pem", "keyFile": f"{run}/issuer-tls/server.key", "caFile": f"{run}/ca/ca.pem"},
    "terraform": {"bin": e["TERRAFORM_BIN"], "providerBin": e["PROVIDER_VAULT_BIN"], "providerNote": e["PROVIDER_VAULT_NOTE"]},
    "awsPlugins": {"auth": e["AWS_AUTH_PLUGIN"], "secrets": e["AWS_SECRETS_PLUGIN"], "source": e["AWS_PLUGINS_SOURCE"], "note": e["AWS_PLUGINS_NOTE"]},
}
with open(f"{run}/engines.json", "w") as f:
    json.dump(engines, f, indent=2)
PY
chmod 0644 "$run/engines.json" "$run/bao-tls/vault-ca.pem" "$run/ca/ca.pem" "$run/trusted-cas.pem"
echo "engines up: OpenBao https://127.0.0.1:$bao_port, moto http://127.0.0.1:$moto_port, PostgreSQL 127.0.0.1:$pg_port"
