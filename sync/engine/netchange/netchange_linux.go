//go:build linux

package netchange

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Listener hears the kernel's route netlink notices. Create it with Open, then Serve.
type Listener struct {
	f *os.File
}

// Open subscribes to the kernel's notices of links, addresses and routes (IPv4 and
// IPv6). Changes made after Open returns are told by Serve.
func Open() (*Listener, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("netlink socket: %w", err)
	}
	groups := uint32(unix.RTMGRP_LINK | unix.RTMGRP_IPV4_IFADDR | unix.RTMGRP_IPV6_IFADDR |
		unix.RTMGRP_IPV4_ROUTE | unix.RTMGRP_IPV6_ROUTE)
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: groups}); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("netlink bind: %w", err)
	}
	// A non-blocking descriptor joins Go's poller: Close wakes a pending Read.
	return &Listener{f: os.NewFile(uintptr(fd), "netlink-route")}, nil
}

// Serve calls fn once the network settles after each change, until ctx is done; it
// then closes the listener and returns ctx.Err(). fn runs on Serve's goroutine and
// should not block.
func (l *Listener) Serve(ctx context.Context, fn func()) error {
	changes := make(chan struct{}, 1)
	readErr := make(chan error, 1)
	go func() { readErr <- l.read(changes) }()
	stop := context.AfterFunc(ctx, func() { l.f.Close() })
	defer func() {
		if stop() { // ctx is not done: Serve ends on a read error
			l.f.Close()
		}
	}()
	var (
		settle *time.Timer
		first  time.Time
		fire   <-chan time.Time
	)
	for {
		select {
		case <-ctx.Done():
			<-readErr
			return ctx.Err()
		case err := <-readErr:
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		case <-changes:
			now := time.Now()
			if fire == nil {
				first = now
			}
			wait := min(Settle, maxDelay-now.Sub(first))
			if settle == nil {
				settle = time.NewTimer(wait)
			} else {
				settle.Reset(wait)
			}
			fire = settle.C
		case <-fire:
			fire = nil
			fn()
		}
	}
}

// read passes on a signal for every batch of messages that tells of a change, until
// the file is closed.
func (l *Listener) read(changes chan<- struct{}) error {
	buf := make([]byte, 64<<10)
	for {
		n, err := l.f.Read(buf)
		if err != nil {
			if errors.Is(err, unix.ENOBUFS) {
				// The kernel dropped notices: something changed, surely.
				signal(changes)
				continue
			}
			return fmt.Errorf("netlink read: %w", err)
		}
		msgs, err := syscall.ParseNetlinkMessage(buf[:n])
		if err != nil {
			continue // a torn datagram says nothing certain
		}
		for _, m := range msgs {
			if changeType(m.Header.Type) {
				signal(changes)
				break
			}
		}
	}
}

func signal(c chan<- struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// changeType says whether a message type tells of a link, address or route.
func changeType(t uint16) bool {
	switch t {
	case unix.RTM_NEWLINK, unix.RTM_DELLINK, unix.RTM_NEWADDR, unix.RTM_DELADDR, unix.RTM_NEWROUTE, unix.RTM_DELROUTE:
		return true
	}
	return false
}
