package console

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// The parent and the worker talk over the worker's stdin and stdout. A request is a
// 4-byte big-endian length and the statement's text. A reply is a sequence of frames,
// each a type byte, a 4-byte length and the payload: output bytes, then one end frame
// (ok, or an error). The first reply, before any request, says whether the worker is
// ready.
const (
	frameOutput = 'o'
	frameOK     = 'k'
	frameError  = 'e'
	maxFrame    = 1 << 20
	maxRequest  = 16 << 20
)

// wireError carries an error across the pipe with its kind, so that the parent can
// return the same typed error.
type wireError struct {
	Message string        `json:"message"`
	Refused *RefusedError `json:"refused,omitempty"`
	Cap     *CapError     `json:"cap,omitempty"`
}

func toWire(err error) wireError {
	w := wireError{Message: err.Error()}
	var re *RefusedError
	var ce *CapError
	if errors.As(err, &re) {
		w.Refused = re
	}
	if errors.As(err, &ce) {
		w.Cap = ce
	}
	return w
}

func (w *wireError) err() error {
	switch {
	case w.Refused != nil:
		return w.Refused
	case w.Cap != nil:
		return w.Cap
	}
	return errors.New(w.Message)
}

// pipeError is a broken conversation with the worker: it is gone.
type pipeError struct{ err error }

func (e *pipeError) Error() string { return "worker: " + e.err.Error() }
func (e *pipeError) Unwrap() error { return e.err }

// frameWriter turns writes into output frames.
type frameWriter struct{ w *bufio.Writer }

func (f frameWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		k := min(len(p), maxFrame)
		if err := writeFrame(f.w, frameOutput, p[:k]); err != nil {
			return n, err
		}
		n += k
		p = p[k:]
	}
	return n, nil
}

func writeFrame(w *bufio.Writer, typ byte, payload []byte) error {
	var h [5]byte
	h[0] = typ
	binary.BigEndian.PutUint32(h[1:], uint32(len(payload)))
	w.Write(h[:])
	_, err := w.Write(payload)
	return err
}

// writeEnd writes the end frame of a reply and flushes.
func writeEnd(w *bufio.Writer, err error) error {
	if err == nil {
		writeFrame(w, frameOK, nil)
	} else {
		b, _ := json.Marshal(toWire(err))
		writeFrame(w, frameError, b)
	}
	return w.Flush()
}

// readReply copies output frames to out until the end frame and returns its error.
func readReply(r *bufio.Reader, out io.Writer) error {
	var h [5]byte
	buf := make([]byte, 0, 64<<10)
	var outErr error
	for {
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return &pipeError{err}
		}
		n := binary.BigEndian.Uint32(h[1:])
		if n > maxFrame {
			return &pipeError{fmt.Errorf("frame of %d bytes", n)}
		}
		buf = buf[:n]
		if _, err := io.ReadFull(r, buf); err != nil {
			return &pipeError{err}
		}
		switch h[0] {
		case frameOutput:
			if outErr == nil {
				_, outErr = out.Write(buf)
			}
		case frameOK:
			return outErr
		case frameError:
			w := &wireError{}
			if err := json.Unmarshal(buf, w); err != nil {
				return &pipeError{err}
			}
			return errors.Join(w.err(), outErr)
		default:
			return &pipeError{fmt.Errorf("frame type %q", h[0])}
		}
	}
}

func writeRequest(w io.Writer, text string) error {
	if len(text) > maxRequest {
		return fmt.Errorf("statement of %d bytes is too long", len(text))
	}
	b := make([]byte, 4+len(text))
	binary.BigEndian.PutUint32(b, uint32(len(text)))
	copy(b[4:], text)
	_, err := w.Write(b)
	return err
}

func readRequest(r io.Reader) (string, error) {
	var h [4]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return "", err
	}
	n := binary.BigEndian.Uint32(h[:])
	if n > maxRequest {
		return "", fmt.Errorf("request of %d bytes", n)
	}
	b := make([]byte, n)
	_, err := io.ReadFull(r, b)
	return string(b), err
}
