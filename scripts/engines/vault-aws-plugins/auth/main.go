// The AWS auth method of HashiCorp Vault, served as an external plugin for OpenBao, whose core no
// longer includes it. Used only by the live test suite, when the module proxy does not serve
// OpenBao's own build of the plugin.
package main

import (
	"os"

	"gateward.invalid/live-engines/vault-aws-plugins/openbaocompat"
	awsauth "github.com/hashicorp/vault/builtin/credential/aws"
	"github.com/hashicorp/vault/sdk/plugin"
)

func main() {
	if err := plugin.ServeMultiplex(&plugin.ServeOpts{BackendFactoryFunc: openbaocompat.Factory(awsauth.Factory)}); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
}
