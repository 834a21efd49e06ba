//go:build !linux

package auth

// LowerPriority does nothing where threads cannot be reniced one by one; the pool's bound
// still holds.
func LowerPriority(int) error { return nil }
