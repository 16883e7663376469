package prompts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// Format is what a WAV file's header says of its samples.
type Format struct {
	Encoding uint16 // 1 is PCM
	Channels uint16
	Rate     uint32 // samples per second
	Bits     uint16 // per sample
}

// Asterisk is the only format Asterisk's format_wav plays from a .wav file
// (a .wav16 file is the same at 16 kHz).
var Asterisk = Format{Encoding: 1, Channels: 1, Rate: 8000, Bits: 16}

func (f Format) String() string {
	enc := "PCM"
	if f.Encoding != 1 {
		enc = fmt.Sprintf("encoding %d", f.Encoding)
	}
	ch := "mono"
	if f.Channels != 1 {
		ch = fmt.Sprintf("%d channels", f.Channels)
	}
	return fmt.Sprintf("%g kHz %s %d-bit %s", float64(f.Rate)/1000, ch, f.Bits, enc)
}

// ReadFormat reads the format of a RIFF WAVE stream: the fmt chunk,
// skipping any other chunk before it, as Asterisk does.
func ReadFormat(r io.Reader) (Format, error) {
	var riff [12]byte
	if _, err := io.ReadFull(r, riff[:]); err != nil {
		return Format{}, fmt.Errorf("not a WAV file: %w", err)
	}
	if string(riff[0:4]) != "RIFF" || string(riff[8:12]) != "WAVE" {
		return Format{}, errors.New("not a WAV file: no RIFF WAVE header")
	}
	for {
		var head [8]byte
		if _, err := io.ReadFull(r, head[:]); err != nil {
			return Format{}, fmt.Errorf("no fmt chunk: %w", err)
		}
		size := binary.LittleEndian.Uint32(head[4:])
		if string(head[:4]) != "fmt " {
			if string(head[:4]) == "data" {
				return Format{}, errors.New("data before the fmt chunk")
			}
			// Chunks are padded to an even size.
			if _, err := io.CopyN(io.Discard, r, int64(size)+int64(size%2)); err != nil {
				return Format{}, fmt.Errorf("chunk %q: %w", head[:4], err)
			}
			continue
		}
		if size < 16 {
			return Format{}, fmt.Errorf("fmt chunk of %d bytes", size)
		}
		var b [16]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return Format{}, fmt.Errorf("fmt chunk: %w", err)
		}
		return Format{
			Encoding: binary.LittleEndian.Uint16(b[0:]),
			Channels: binary.LittleEndian.Uint16(b[2:]),
			Rate:     binary.LittleEndian.Uint32(b[4:]),
			Bits:     binary.LittleEndian.Uint16(b[14:]),
		}, nil
	}
}

// ReadFormatFile reads the format of the WAV file at path.
func ReadFormatFile(path string) (Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return Format{}, err
	}
	defer f.Close()
	return ReadFormat(f)
}
