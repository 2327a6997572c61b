package testnet

import (
	"io"
	"net"
)

// Pipe relays a tunnel until either side closes, then closes both: what the
// client sends (read from client, which may be a buffered reader over c
// holding bytes already read) goes to up, what up sends goes to c.
func Pipe(c net.Conn, client io.Reader, up net.Conn) {
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, client); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
	<-done
	c.Close()
	up.Close()
	<-done
}
