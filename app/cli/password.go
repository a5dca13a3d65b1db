package cli

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// password changes the user's password on the server: the current password and the new
// one on stdin, one a line (never on the command line, where other users of the
// machine could read them). It needs the server; nothing is queued.
func (c *cmd) password(args []string) error {
	if _, err := c.flags("password", args, nil); err != nil {
		return err
	}
	r := bufio.NewReader(io.LimitReader(c.stdin, 4096))
	line := func() string {
		s, _ := r.ReadString('\n')
		return strings.TrimRight(s, "\r\n")
	}
	current, next := line(), line()
	if current == "" || next == "" {
		return usageError("give the current password and the new one on stdin, one a line")
	}
	if err := c.app.Session.ChangePassword(current, next); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, "Password changed. This computer stays logged in; your other computers must log in again with the new password.")
	return nil
}
