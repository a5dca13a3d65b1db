package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// password sets a user's password, read from the first line of stdin (never from the
// command line, where other users of the machine could see it), and ends the user's
// sessions everywhere. The server's rules apply unless --allow-weak.
func password(log *slog.Logger, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("ecert-server password", flag.ContinueOnError)
	dataDir := fs.String("data-dir", defaultDataDir, "folder of the database and files")
	allowWeak := fs.Bool("allow-weak", false, "accept a password that breaks the rules (a demo, a test)")
	database := addDatabaseFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: ecert-server password [--data-dir D] [--allow-weak] USER  (the new password on stdin)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("password: name exactly one user")
	}
	username := fs.Arg(0)
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("password: read stdin: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return errors.New("password: write the new password on stdin, on one line")
	}
	if !*allowWeak {
		if err := auth.CheckNewPassword(username, pw); err != nil {
			var pe *problem.Error
			if errors.As(err, &pe) {
				return fmt.Errorf("password: %s (%s); --allow-weak accepts it anyway", pe.Message, pe.Code)
			}
			return err
		}
	}

	ctx := context.Background()
	srv, _, closeAll, err := database.offlineServer(ctx, *dataDir, log)
	if err != nil {
		return err
	}
	defer closeAll()
	if err := srv.Auth().SetPassword(ctx, username, pw, "", ""); errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("password: no user %q", username)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "password of %s changed; its sessions have ended\n", username)
	return nil
}
