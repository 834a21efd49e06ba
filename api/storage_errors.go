package api

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"syscall"
)

// Disk errors (the video directory full, read-only, missing or not a directory; a
// temporary file of an Excel export that cannot be written) are the server's own storage
// failing: neither the database gone nor a mystery. They answer storage_error so that
// operators look at the disk and people are told their file was not kept.
var (
	errStorageFull = newError(http.StatusInsufficientStorage, "storage_error",
		"Máy chủ đã hết dung lượng lưu trữ nên chưa lưu được tệp. Vui lòng báo cho quản trị hệ thống và thử lại sau.")
	errStorage = newError(http.StatusInternalServerError, "storage_error",
		"Máy chủ không ghi được tệp vào nơi lưu trữ. Vui lòng báo cho quản trị hệ thống và thử lại sau.")
)

// storageFailure maps a file-system error to its answer, or nil when err is not one.
// Errors of sockets are *net.OpError, not *fs.PathError, so a database connection lost is
// never taken for a disk.
func storageFailure(err error) *Error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return errStorageFull
	}
	var pathErr *fs.PathError
	var linkErr *os.LinkError
	if errors.As(err, &pathErr) || errors.As(err, &linkErr) || errors.Is(err, syscall.EROFS) || errors.Is(err, syscall.EIO) {
		return errStorage
	}
	return nil
}
