package api

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"syscall"
	"testing"
)

func TestStorageFailure(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want *Error
	}{
		{"disk full", fmt.Errorf("copy: %w", &fs.PathError{Op: "write", Path: "/v/x.mp4", Err: syscall.ENOSPC}), errStorageFull},
		{"quota", &fs.PathError{Op: "write", Path: "/v/x.mp4", Err: syscall.EDQUOT}, errStorageFull},
		{"not a directory", fmt.Errorf("create video directory: %w", &fs.PathError{Op: "mkdir", Path: "/f/v", Err: syscall.ENOTDIR}), errStorage},
		{"read-only", &fs.PathError{Op: "open", Path: "/v/x.mp4", Err: syscall.EROFS}, errStorage},
		{"rename", &os.LinkError{Op: "rename", Old: "a", New: "b", Err: syscall.EXDEV}, errStorage},
		{"database connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, nil},
		{"other", errors.New("boom"), nil},
	}
	for _, tc := range cases {
		if got := storageFailure(tc.err); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
