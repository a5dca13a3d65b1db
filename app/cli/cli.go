package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
)

// EnvPassword gives the password to the headless login without a prompt.
const EnvPassword = "ECERT_PASSWORD"

// EnvNoKeyring, set, keeps the headless commands' login in a private file rather than
// the OS keyring (for scheduled jobs that run outside the user's desktop session).
const EnvNoKeyring = "ECERT_NO_KEYRING"

// commands are the headless sub-commands of ecert-desktop.
var commands = map[string]func(*cmd, []string) error{
	"login":    (*cmd).login,
	"logout":   (*cmd).logout,
	"sync":     (*cmd).sync,
	"status":   (*cmd).status,
	"nc":       (*cmd).nc,
	"ca":       (*cmd).ca,
	"send":     (*cmd).send,
	"message":  (*cmd).message,
	"request":  (*cmd).request,
	"evidence": (*cmd).evidence,
	"files":    (*cmd).files,
	"partner":  (*cmd).partner,
	"chain":    (*cmd).chain,
	"export":   (*cmd).export,
	"update":   (*cmd).update,
	"password": (*cmd).password,
	"settings": (*cmd).settings,
	"audit":    (*cmd).audit,
	"staff":    (*cmd).staff,
	// Hidden, for the tests of crash reports: crashes on purpose.
	crashCommand: (*cmd).crash,
}

// IsCommand reports whether arg names a headless sub-command.
func IsCommand(arg string) bool {
	_, ok := commands[arg]
	return ok || arg == "help" || arg == "-h" || arg == "--help"
}

const usage = `Usage: ecert-desktop [command] [--data-dir DIR] ...

Without a command, the desktop app opens. Commands run without a window:
  login --server URL --user NAME   log in (password from stdin or $ECERT_PASSWORD)
  logout                           forget the login; the local data stays
  password                         change the password (current and new on stdin, one a
                                   line); needs the connection
  sync                             pull what changed on the server, download files
  status [--json]                  what the local replica holds, last sync, pending items
  nc list [--filter F] [--json]    the non-conformities; F: ca, evidence, sent, open, history, all
  nc list --mine                   only the NCs assigned to me
  nc show NC-… [--json]            one NC: its corrective measure, thread, what is expected
  nc assign NC-… --to USER [--due YYYY-MM-DD]
                                   make USER responsible, with an internal due date (manager;
                                   works offline, synced); --none removes the assignment
  ca draft NC-… --text TEXT        save a corrective measure as a draft
  ca ready NC-… [--text TEXT]      mark it ready to send (--undo takes the mark off)
  send [--json]                    send every CA and evidence marked ready, then sync
  message NC-… --text TEXT         write to the analyst in the NC's thread
  message --general --text TEXT    write to FLOCERT about no NC (the general thread)
  request contact C-… [--name N] [--role R] [--email E] [--phone P] [--note TEXT] [--json]
                                   ask FLOCERT to update a contact's details
  request contact --add --name N [--role R] [--email E] [--phone P] | C-… --remove
                                   ask to add or remove a contact
  request org [--address A] [--city C] [--postal-code P] [--country C] [--email E]
              [--phone P] [--website W] [--note TEXT] [--json]
                                   ask to update the organisation's master data
  request list [--json]            the change requests: waiting, pending, accepted, refused
  evidence add NC-… FILE…          attach files as evidence (copied; the originals stay)
  evidence list NC-… [--json]      the NC's evidence: name, size, SHA-256, upload state
  evidence ready NC-… [--undo]     mark the NC's evidence ready to send
  evidence link NC-… SHA256 [--subject S]
                                   attach a file the organisation already has, with no upload
  files list [--search TEXT] [--kind K] [--json]
                                   the organisation's files (evidence, documents, certificates)
                                   and the NCs each is used by; K: evidence, document, certificate
  partner search TEXT [--country CC] [--product P] [--role R] [--status S] [--json]
                                   find trade partners in the directory, offline
  partner status FLO-ID [--json] [--proof FILE]
                                   a partner's certification status, checked with FLOCERT when
                                   online; --proof writes a dated proof (PDF, in the app's language)
  chain list [--json]              the supply chains (FairMonitor) and each partner's status
  chain add --product P --partner FLO-ID [--role buyer|supplier]
                                   put a partner of the directory in a product's chain
  chain remove --product P --partner FLO-ID
                                   take a partner out of a product's chain
  export register --format xlsx|pdf --out FILE [--filter F] [--lang L]
                                   the register of NCs and corrective measures
  export ics --out FILE [--lang L] the deadlines as a calendar file (.ics)
  export ics --feed [--lang L]     the address of my calendar feed, to subscribe to in a
                                   calendar program (made when there is none; needs the
                                   connection)
  export ics --revoke              revoke my calendar feed: its address stops working
  audit verify [--json]            check this computer's trail of changes against the
                                   organisation's on the server; names the first entry
                                   that does not match (exit code 1)
  version [--json]                 the version, commit, build date and web view
  update [--check] [--json]        check the server's signed release; without --check,
                                   install it (Windows) or say how (Linux packages)
  staff list [--json]              the organisation's accounts (manager; needs the connection)
  staff add USERNAME --name NAME   a staff account: drafts and evidence, never Send; prints
                                   its temporary password
  staff disable|enable USERNAME    disable (its sessions end at once) or enable it again
  staff reset USERNAME             a new temporary password; its sessions end
  settings crash-reports [on|off]  send reports of the app's crashes at each sync (no
                                   personal data: code locations, versions, system)
  settings proxy [URL|--none|--auto] [--user U]
                                   show or set the proxy (its password from stdin);
                                   --auto: $HTTPS_PROXY/$HTTP_PROXY, else the system's

Changes are kept here at once and go to the server with the next sync ('send' and
'sync' push them; the desktop app does it by itself).

The data directory is --data-dir, else $ECERT_DATA_DIR, else the user's data folder.
`

// cmd is one run of a command.
type cmd struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	app            *app.App
}

// Run runs a headless command and returns the process exit code: 0 on success,
// 1 when the command failed, 2 on a usage error.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	name := args[0]
	run, ok := commands[name]
	if !ok {
		fmt.Fprint(stdout, usage)
		return 0
	}
	c := &cmd{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}
	defer func() {
		// A panic leaves a crash report in the data folder (once it is open), then
		// goes on as a crash.
		if v := recover(); v != nil {
			if c.app != nil {
				c.app.RecordPanic(v, debug.Stack())
			}
			panic(v)
		}
	}()
	err := run(c, args[1:])
	if c.app != nil {
		c.app.Close()
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "ecert-desktop %s: %s\n\n%s", name, ue, usage)
		return 2
	default:
		fmt.Fprintf(stderr, "ecert-desktop %s: %s\n", name, explain(err))
		return 1
	}
}

type usageError string

func (e usageError) Error() string { return string(e) }

// flags parses a command's flags, always including --data-dir, then opens the app. It
// returns the other arguments. Flags may come before or after them ("evidence add NC
// FILE --data-dir D"): package flag alone stops at the first argument that is not one.
func (c *cmd) flags(name string, args []string, define func(*flag.FlagSet)) ([]string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dataDir := fs.String("data-dir", "", "data directory")
	if define != nil {
		define(fs)
	}
	var positional []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return nil, usageError(err.Error())
		}
		if rest = fs.Args(); len(rest) == 0 {
			break
		}
		positional, rest = append(positional, rest[0]), rest[1:]
	}
	logger := slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	c.app = app.New(app.Config{DataDir: *dataDir, Logger: logger, Context: c.ctx, Manual: true, Keyring: os.Getenv(EnvNoKeyring) == ""})
	if err := c.app.Open(c.ctx); err != nil {
		return nil, err
	}
	return positional, nil
}

func (c *cmd) login(args []string) error {
	var server, user string
	if _, err := c.flags("login", args, func(fs *flag.FlagSet) {
		fs.StringVar(&server, "server", "", "server address")
		fs.StringVar(&user, "user", "", "user name")
	}); err != nil {
		return err
	}
	if server == "" || user == "" {
		return usageError("--server and --user are required")
	}
	password := os.Getenv(EnvPassword)
	if password == "" {
		line, err := bufio.NewReader(c.stdin).ReadString('\n')
		if err != nil && line == "" {
			return usageError("give the password on stdin or in $" + EnvPassword)
		}
		password = strings.TrimRight(line, "\r\n")
	}
	st, err := c.app.Session.Login(server, user, password)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Logged in to %s as %s (%s).\n", st.Server, st.Username, st.OrgName)
	return nil
}

func (c *cmd) logout(args []string) error {
	if _, err := c.flags("logout", args, nil); err != nil {
		return err
	}
	if err := c.app.Session.Logout(); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, "Logged out. The local data is kept.")
	return nil
}

func (c *cmd) sync(args []string) error {
	if _, err := c.flags("sync", args, nil); err != nil {
		return err
	}
	start := time.Now()
	files := -1
	err := c.app.SyncOnce(c.ctx, func(s engine.Status) {
		if s.Files != files && s.Files > 0 {
			files = s.Files
			fmt.Fprintf(c.stdout, "Downloading files: %d left\n", s.Files)
		}
	}, c.uploadProgress)
	if err != nil {
		return err
	}
	counts, err := c.app.Store().Counts(c.ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Synced in %s: %d audits, %d non-conformities, %d messages.\n",
		time.Since(start).Round(time.Millisecond), counts["audit"], counts["nc"], counts["message"])
	return c.reportOutbox()
}

// StatusReport is the output of "status --json".
type StatusReport struct {
	Server   string         `json:"server"`
	Username string         `json:"username"`
	LoggedIn bool           `json:"logged_in"`
	OrgID    string         `json:"org_id"`
	OrgName  string         `json:"org_name"`
	LastSync string         `json:"last_sync"`
	Pending  int            `json:"pending"`
	Counts   map[string]int `json:"counts"`
	DataDir  string         `json:"data_dir"`
}

func (c *cmd) status(args []string) error {
	var asJSON bool
	if _, err := c.flags("status", args, func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "JSON output") }); err != nil {
		return err
	}
	st := c.app.Session.State()
	counts, err := c.app.Store().Counts(c.ctx)
	if err != nil {
		return err
	}
	sync := c.app.Sync.Status()
	r := StatusReport{Server: st.Server, Username: st.Username, LoggedIn: st.LoggedIn, OrgID: st.OrgID,
		OrgName: st.OrgName, LastSync: sync.LastSync, Pending: sync.Pending, Counts: counts, DataDir: c.app.Store().Dir()}
	if asJSON {
		return writeJSON(c.stdout, r)
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	login := "not logged in"
	if r.LoggedIn {
		login = r.Username + " @ " + r.Server
	}
	lastSync := r.LastSync
	if lastSync == "" {
		lastSync = "never"
	}
	fmt.Fprintf(w, "Login:\t%s\nOrganisation:\t%s %s\nLast sync:\t%s\nPending changes:\t%d\nData directory:\t%s\n",
		login, r.OrgID, r.OrgName, lastSync, r.Pending, r.DataDir)
	for _, e := range []string{"audit", "nc", "message", "evidence", "certificate", "document", "contact", "criterion"} {
		fmt.Fprintf(w, "%s:\t%d\n", e, counts[e])
	}
	return w.Flush()
}

// uploadProgress prints upload progress: a line per file when done, and the bytes so
// far a few times a second.
func (c *cmd) uploadProgress(p engine.Progress) {
	if p.Completed {
		fmt.Fprintf(c.stdout, "Uploaded %s (%s)\n", p.Name, humanBytes(p.Total))
		return
	}
	fmt.Fprintf(c.stdout, "Uploading %s: %s of %s (all files: %s of %s)\n", p.Name,
		humanBytes(p.Done), humanBytes(p.Total), humanBytes(p.AllDone), humanBytes(p.AllTotal))
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// ddmmyyyy shows a YYYY-MM-DD date as the portal does.
func ddmmyyyy(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("02/01/2006")
}

// explain says in plain words what went wrong, for the terminal.
func explain(err error) string {
	messages := map[string]string{
		api.CodeUnreachable:         "the server cannot be reached; check the connection and the server address",
		api.CodeBadCredentials:      "wrong user name or password",
		api.CodeSessionExpired:      "the login has expired; run 'ecert-desktop login' again",
		api.CodeBadResponse:         "the server's answer was not understood; check the server address",
		api.CodeRateLimited:         "too many attempts; wait a minute and try again",
		api.CodeServerError:         "the server had a problem; try again later",
		api.CodeInvalidServer:       "the server address is not valid (example: https://ecert.example.org)",
		api.CodeProxyAuth:           "the proxy refused its user name or password; set them with 'ecert-desktop settings proxy'",
		api.CodeProxyUnreachable:    "the proxy cannot be reached; check its address with 'ecert-desktop settings proxy'",
		api.CodeInvalidProxy:        "the proxy address is not valid (example: http://proxy.example.org:3128)",
		api.CodeNotLoggedIn:         "not logged in; run 'ecert-desktop login' first",
		api.CodeInvalidInput:        "invalid input",
		api.CodeNotFound:            "not found",
		api.CodeReplicaDamaged:      "the local data is damaged",
		api.CodeNotAClient:          "this login is not a producer organisation's",
		api.CodeEvidenceSent:        "the evidence of this NC was sent; files can be added again if the analyst returns it",
		api.CodeNotWritable:         "the file could not be written there; check the folder and its permissions",
		api.CodeDiskFull:            "the disk is full: nothing was changed; free some space and run the command again",
		api.CodePartnerUnknown:      "no operator of the Fairtrade directory has this FLO ID (run 'ecert-desktop sync' if the directory is old); nothing was queued",
		api.CodeNotInChain:          "this partner is not in the chain of this product; nothing was queued",
		api.CodeInternal:            "unexpected error (see the log above)",
		api.CodeFileUnknown:         "the organisation has no such file; 'ecert-desktop files list' shows its files",
		api.CodeNCNotFound:          "no such NC",
		api.CodeNotAwaitingEvidence: "this NC takes no evidence now (only once its corrective measure is accepted)",
		api.CodeTypeRefused:         "FLOCERT does not accept this type of file",

		api.CodeNeedsConnection:    "this needs the server, which cannot be reached now; nothing was changed: try again when online",
		api.CodeWrongPassword:      "the current password is wrong; nothing was changed",
		api.CodePasswordTooShort:   "the new password is too short (at least 10 characters)",
		api.CodePasswordIsUsername: "the new password must not contain the user name",
		api.CodePasswordCommon:     "the new password is too common; choose one that is harder to guess",
		api.CodePasswordChanged:    "the password was changed on another computer; run 'ecert-desktop login' with the new one",
	}
	var pe plainError
	if errors.As(err, &pe) {
		return pe.Error()
	}
	code := app.Code(err)
	if m, ok := messages[code]; ok {
		return m
	}
	return err.Error()
}
