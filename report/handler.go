package report

import (
	"bytes"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/safetyrisk/safetyrisk/lake"
)

// Handler serves the report of the newest snapshot's month (the city's, or opt.Region's):
// written again when a newer snapshot appears, kept in memory otherwise.
type Handler struct {
	opt   Options
	mu    sync.Mutex
	runID string
	page  []byte
}

// NewHandler returns the handler of the lake opt.Lake; opt.Month is ignored (the newest
// month is served).
func NewHandler(opt Options) *Handler {
	opt.Month = time.Time{}
	return &Handler{opt: opt}
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	page, err := h.current(r)
	if err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, lake.ErrNoSnapshot) {
			status = http.StatusServiceUnavailable
		}
		if h.opt.Logger != nil {
			h.opt.Logger.Error("report", "err", err)
		}
		http.Error(w, "report: "+err.Error(), status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(page)
}

// current returns the page of the newest snapshot, writing it when the snapshot is new.
func (h *Handler) current(r *http.Request) ([]byte, error) {
	ids, err := lake.ListSnapshots(h.opt.Lake)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, lake.ErrNoSnapshot
	}
	newest := ids[len(ids)-1]
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.runID == newest {
		return h.page, nil
	}
	opt := h.opt
	opt.Now = time.Now()
	rep, err := Build(r.Context(), opt)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := rep.WriteHTML(&b); err != nil {
		return nil, err
	}
	h.runID, h.page = rep.RunID, b.Bytes()
	return h.page, nil
}
