package pbxsim

import (
	"encoding/binary"
	"net/http"
	"sort"
	"time"
)

// recording is a live recording of a channel. The simulator records no
// audio: the citizen is taken to talk the whole time.
type recording struct {
	name, format string
	ch           *channel
	started      time.Time
	terminateOn  string
	state        string
	timer        *simTimer
}

type storedRecording struct {
	name, format string
	length       time.Duration
}

func (rec *recording) json() liveRecordingJSON {
	return liveRecordingJSON{Format: rec.format, Name: rec.name, State: rec.state, TargetURI: "channel:" + rec.ch.id}
}

func (s *Server) channelRecord(r *request) reply {
	ch, rep := s.stasisChannel(r)
	if rep != nil {
		return *rep
	}
	name, format := r.params["name"], r.params["format"]
	if name == "" {
		return fail(http.StatusBadRequest, "Required parameter name not present")
	}
	if format == "" {
		return fail(http.StatusBadRequest, "Required parameter format not present")
	}
	if ch.state == "Down" {
		return fail(http.StatusPreconditionFailed, "Channel in invalid state")
	}
	if s.liveRecs[name] != nil {
		return fail(http.StatusConflict, "Recording with the same name already in progress")
	}
	if _, exists := s.storedRecs[name]; exists {
		switch r.params["ifExists"] {
		case "overwrite", "append":
		default:
			return fail(http.StatusUnprocessableEntity, "A recording with the same name already exists on the system")
		}
	}
	maxDur, good := intParam(r, "maxDurationSeconds", 0)
	if !good || maxDur < 0 {
		return fail(http.StatusBadRequest, "maxDurationSeconds must be a non-negative integer")
	}
	term := r.params["terminateOn"]
	switch term {
	case "", "none":
		term = ""
	case "any":
		term = "0123456789*#ABCD"
	}
	rec := &recording{name: name, format: format, ch: ch, started: s.clock.Now(), terminateOn: term, state: "queued"}
	body := rec.json()
	rec.state = "recording"
	s.liveRecs[name] = rec
	if ch.rec != nil {
		s.finishRecording(ch.rec)
	}
	ch.rec = rec
	s.emit(ch.app, "RecordingStarted", event{"recording": rec.json()})
	if maxDur > 0 {
		rec.timer = s.after(time.Duration(maxDur)*time.Second, func() { s.finishRecording(rec) })
	}
	return created(body)
}

// finishRecording stores rec: RecordingFinished "done" with whole seconds,
// however the recording ended.
func (s *Server) finishRecording(rec *recording) {
	if rec.state != "recording" {
		return
	}
	rec.state = "done"
	s.stop(rec.timer)
	delete(s.liveRecs, rec.name)
	if rec.ch.rec == rec {
		rec.ch.rec = nil
	}
	length := s.clock.Now().Sub(rec.started)
	secs := int(length / time.Second)
	zero := 0
	j := rec.json()
	j.Duration, j.TalkingDuration, j.SilenceDuration = &secs, &secs, &zero
	s.storedRecs[rec.name] = storedRecording{name: rec.name, format: rec.format, length: time.Duration(secs) * time.Second}
	s.emit(rec.ch.app, "RecordingFinished", event{"recording": j})
}

func (s *Server) getLive(r *request) reply {
	rec := s.liveRecs[r.p("recordingName")]
	if rec == nil {
		return fail(http.StatusNotFound, "Recording not found")
	}
	return ok(rec.json())
}

func (s *Server) stopLive(r *request) reply {
	rec := s.liveRecs[r.p("recordingName")]
	if rec == nil {
		return fail(http.StatusNotFound, "Recording not found")
	}
	s.finishRecording(rec)
	return noContent()
}

// discardLive is DELETE /recordings/live/{name}: stop and throw away.
func (s *Server) discardLive(r *request) reply {
	rec := s.liveRecs[r.p("recordingName")]
	if rec == nil {
		return fail(http.StatusNotFound, "Recording not found")
	}
	s.finishRecording(rec)
	delete(s.storedRecs, rec.name)
	return noContent()
}

func (s *Server) listStored(r *request) reply {
	out := []storedRecordingJSON{}
	for _, rec := range s.storedRecs {
		out = append(out, storedRecordingJSON{Format: rec.format, Name: rec.name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return ok(out)
}

func (s *Server) getStored(r *request) reply {
	rec, exists := s.storedRecs[r.p("recordingName")]
	if !exists {
		return fail(http.StatusNotFound, "Recording not found")
	}
	return ok(storedRecordingJSON{Format: rec.format, Name: rec.name})
}

// audio is a reply that is a sound file, not JSON.
type audio []byte

// getStoredFile serves a stored recording: the simulator keeps no media, so
// it is silence of the recording's length (8 kHz, 16-bit mono WAV).
func (s *Server) getStoredFile(r *request) reply {
	rec, exists := s.storedRecs[r.p("recordingName")]
	if !exists {
		return fail(http.StatusNotFound, "Recording not found")
	}
	samples := int(min(rec.length, time.Minute) / (time.Second / 8000))
	b := make([]byte, 44+2*samples)
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+2*samples))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1) // PCM
	binary.LittleEndian.PutUint16(b[22:], 1) // mono
	binary.LittleEndian.PutUint32(b[24:], 8000)
	binary.LittleEndian.PutUint32(b[28:], 16000)
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(2*samples))
	return ok(audio(b))
}

func (s *Server) deleteStored(r *request) reply {
	name := r.p("recordingName")
	if _, exists := s.storedRecs[name]; !exists {
		return fail(http.StatusNotFound, "Recording not found")
	}
	delete(s.storedRecs, name)
	return noContent()
}
