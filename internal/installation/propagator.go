package installation

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"
)

// HeaderKey is the Temporal header that carries the installation id.
const HeaderKey = "contest-installation"

type contextKey struct{}

// Propagator stamps this installation on every workflow its client starts, signals or
// updates, and carries the stamp a workflow arrived with on to its activities and child
// workflows. The worker-side direction copies the header, never the worker's own id: a
// workflow of another installation polled by this worker must keep naming its owner.
type Propagator struct{ Own string }

var _ workflow.ContextPropagator = Propagator{}

var dataConverter = converter.GetDefaultDataConverter()

// Inject runs for client calls made by this process: they are this installation's.
func (p Propagator) Inject(_ context.Context, w workflow.HeaderWriter) error {
	return set(w, p.Own)
}

// Extract puts the header of an activity (or a client response) into its context.
func (p Propagator) Extract(ctx context.Context, r workflow.HeaderReader) (context.Context, error) {
	id, err := get(r)
	if err != nil || id == "" {
		return ctx, err
	}
	return context.WithValue(ctx, contextKey{}, id), nil
}

// InjectFromWorkflow passes a workflow's stamp on to what it schedules.
func (p Propagator) InjectFromWorkflow(ctx workflow.Context, w workflow.HeaderWriter) error {
	if id, _ := ctx.Value(contextKey{}).(string); id != "" {
		return set(w, id)
	}
	return nil
}

// ExtractToWorkflow keeps the stamp a workflow was started with in its context.
func (p Propagator) ExtractToWorkflow(ctx workflow.Context, r workflow.HeaderReader) (workflow.Context, error) {
	id, err := get(r)
	if err != nil || id == "" {
		return ctx, err
	}
	return workflow.WithValue(ctx, contextKey{}, id), nil
}

// FromContext is the installation an activity's header named, "" when it had none.
func FromContext(ctx context.Context) string {
	id, _ := ctx.Value(contextKey{}).(string)
	return id
}

func set(w workflow.HeaderWriter, id string) error {
	if id == "" {
		return nil
	}
	payload, err := dataConverter.ToPayload(id)
	if err != nil {
		return fmt.Errorf("encode installation header: %w", err)
	}
	w.Set(HeaderKey, payload)
	return nil
}

func get(r workflow.HeaderReader) (string, error) {
	payload, ok := r.Get(HeaderKey)
	if !ok {
		return "", nil
	}
	var id string
	if err := dataConverter.FromPayload(payload, &id); err != nil {
		return "", fmt.Errorf("decode installation header: %w", err)
	}
	return id, nil
}
