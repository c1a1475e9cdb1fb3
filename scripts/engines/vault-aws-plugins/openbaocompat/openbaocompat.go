// Package openbaocompat adapts HashiCorp Vault's plugins to OpenBao's plugin host.
//
// Vault's AWS backends deregister an automated-root-rotation job on every configuration write
// that sets no rotation; that is a call to the host's rotation manager, which only Vault
// Enterprise implements and which OpenBao's host does not know at all (gRPC "Unimplemented").
// With no rotation manager there is no job to deregister, so deregistering succeeds; asking for
// automated rotation fails, as it must where nothing would rotate.
package openbaocompat

import (
	"context"
	"errors"

	"github.com/hashicorp/vault/sdk/logical"
	"github.com/hashicorp/vault/sdk/rotation"
)

type withoutRotationManager struct {
	logical.SystemView
}

func (withoutRotationManager) DeregisterRotationJob(context.Context, *rotation.RotationJobDeregisterRequest) error {
	return nil
}

func (withoutRotationManager) RegisterRotationJob(context.Context, *rotation.RotationJobConfigureRequest) (string, error) {
	return "", errors.New("automated root rotation needs a rotation manager, which OpenBao does not have")
}

// Factory wraps a backend factory so the backend sees a host without a rotation manager.
func Factory(factory logical.Factory) logical.Factory {
	return func(ctx context.Context, conf *logical.BackendConfig) (logical.Backend, error) {
		conf.System = withoutRotationManager{conf.System}
		return factory(ctx, conf)
	}
}
