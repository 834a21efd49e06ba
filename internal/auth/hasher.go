package auth

// Hasher computes and checks the argon2id hashes that passwords are stored under. The pool
// bounds how many run at once; a Hasher says where they run.
type Hasher interface {
	Hash(password string) (string, error)
	Check(password, hash string) (bool, error)
}

// InProcess hashes on the calling process's own threads, where a hash competes on equal
// terms with every other request.
type InProcess struct{}

// Hash is HashPassword.
func (InProcess) Hash(password string) (string, error) { return HashPassword(password) }

// Check is CheckPassword.
func (InProcess) Check(password, hash string) (bool, error) { return CheckPassword(password, hash) }
