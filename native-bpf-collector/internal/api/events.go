package api

import (
	"net/http"
	"strconv"
	"time"
)

var nowFunc = time.Now

// Stream messages, one JSON object per line (NDJSON), schema shared/collector-api (StreamMessage):
//
//	{"type":"event","cursor":"42","event":{...}}   an event; resume with ?after=42
//	{"type":"gap","cursor":"99","missed":57}        57 events fell out of the buffer before this client read them
//	{"type":"heartbeat","cursor":"42"}              nothing new (follow mode, every 10 s)
//	{"type":"end","cursor":"42"}                    everything buffered was sent (without follow)
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet) {
		return
	}
	query := r.URL.Query()
	var after uint64
	if text := query.Get("after"); text != "" {
		n, err := strconv.ParseUint(text, 10, 64)
		if err != nil {
			writeError(w, http.StatusBadRequest, "after must be a cursor (a decimal number from a previous message), got "+strconv.Quote(text))
			return
		}
		after = n
	}
	if text := query.Get("since"); text != "" {
		if query.Get("after") != "" {
			writeError(w, http.StatusBadRequest, "give either after (a cursor) or since (a time), not both")
			return
		}
		since, err := time.Parse(time.RFC3339Nano, text)
		if err != nil {
			writeError(w, http.StatusBadRequest, "since must be an RFC 3339 time such as 2026-01-02T15:04:05Z, got "+strconv.Quote(text))
			return
		}
		after = s.Buffer.CursorAt(since)
	}
	follow := false
	switch query.Get("follow") {
	case "", "0", "false":
	case "1", "true":
		follow = true
	default:
		writeError(w, http.StatusBadRequest, "follow must be 1 or 0")
		return
	}
	limit := uint64(0)
	if text := query.Get("limit"); text != "" {
		n, err := strconv.ParseUint(text, 10, 64)
		if err != nil || n == 0 {
			writeError(w, http.StatusBadRequest, "limit must be a positive number of events")
			return
		}
		limit = n
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	controller := http.NewResponseController(w)
	line := make([]byte, 0, 64<<10)
	sent := uint64(0)
	heartbeat := time.NewTicker(10 * time.Second)
	defer heartbeat.Stop()
	for {
		records, missed, changed := s.Buffer.Read(after, 512)
		if missed > 0 {
			s.SubscriberGaps.Add(missed)
			after += missed
			line = append(line[:0], `{"type":"gap","cursor":"`...)
			line = strconv.AppendUint(line, after, 10)
			line = append(line, `","missed":`...)
			line = strconv.AppendUint(line, missed, 10)
			line = append(line, "}\n"...)
			if _, err := w.Write(line); err != nil {
				return
			}
		}
		for _, rec := range records {
			line = append(line[:0], `{"type":"event","cursor":"`...)
			line = strconv.AppendUint(line, rec.Seq, 10)
			line = append(line, `","event":`...)
			line = append(line, rec.JSON...)
			line = append(line, "}\n"...)
			// A slow reader blocks here: TCP backpressure, with the buffer as the only queue.
			controller.SetWriteDeadline(time.Now().Add(time.Minute))
			if _, err := w.Write(line); err != nil {
				return
			}
			after = rec.Seq
			sent++
			if limit != 0 && sent >= limit {
				writeMarker(w, "end", after)
				return
			}
		}
		if len(records) > 0 {
			if flusher != nil {
				flusher.Flush()
			}
			continue
		}
		if !follow {
			writeMarker(w, "end", after)
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
		select {
		case <-r.Context().Done():
			return
		case <-changed:
		case <-heartbeat.C:
			if err := writeMarker(w, "heartbeat", after); err != nil {
				return
			}
			if flusher != nil {
				flusher.Flush()
			}
		}
	}
}

func writeMarker(w http.ResponseWriter, kind string, cursor uint64) error {
	_, err := w.Write([]byte(`{"type":"` + kind + `","cursor":"` + strconv.FormatUint(cursor, 10) + "\"}\n"))
	return err
}
