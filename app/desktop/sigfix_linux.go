package desktop

/*
#include <signal.h>
#include <stddef.h>

// ecert_fix_onstack adds SA_ONSTACK to the handlers of the signals Go may receive on a
// goroutine stack. JavaScriptCore installs its handlers without it, lazily, after Wails'
// one-time fix; Go then aborts with "signal handler without SA_ONSTACK flag".
static void ecert_fix_onstack(void) {
	int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGABRT};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction sa;
		if (sigaction(sigs[i], NULL, &sa) != 0) continue;
		if (sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN) continue;
		if (sa.sa_flags & SA_ONSTACK) continue;
		sa.sa_flags |= SA_ONSTACK;
		sigaction(sigs[i], &sa, NULL);
	}
}
*/
import "C"

import (
	"context"
	"time"
)

// keepSignalsOnAltStack re-applies SA_ONSTACK every 50 ms for the first 10 s after
// start, when the web view installs its handlers (as Wails v2.13 does upstream).
// SIGUSR1 is left alone: touching it froze the UI.
func keepSignalsOnAltStack(ctx context.Context) {
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		stop := time.After(10 * time.Second)
		for {
			C.ecert_fix_onstack()
			select {
			case <-ctx.Done():
				return
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
}
