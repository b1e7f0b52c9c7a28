package lake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/safetyrisk/safetyrisk"
)

// ErrNoProfile is returned (wrapped, with fs.ErrNotExist) by ReadProfile for a lake
// that was never ingested into.
var ErrNoProfile = errors.New("the lake has no profile yet (it is written by the first 'safetyrisk ingest')")

// ReadProfile returns the profile the lake was built with.
func ReadProfile(lake string) (*safetyrisk.Profile, error) {
	b, err := os.ReadFile(ProfilePath(lake))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read lake profile: %w (%w)", ErrNoProfile, err)
	}
	if err != nil {
		return nil, fmt.Errorf("read lake profile: %w", err)
	}
	p, err := safetyrisk.ParseProfile(b)
	if err != nil {
		return nil, fmt.Errorf("read lake profile %s: %w", ProfilePath(lake), err)
	}
	return p, nil
}

// ProfileMismatchError is returned by EnsureProfile when the lake was built with
// another jurisdiction than the one given.
type ProfileMismatchError struct {
	Lake, Given string // city code and name of each
}

func (e *ProfileMismatchError) Error() string {
	return fmt.Sprintf("the lake was built with the profile of %s, not %s: use that profile, or another --lake", e.Lake, e.Given)
}

// EnsureProfile records p as the lake's profile when the lake has none (the first
// ingest), and otherwise refuses a p that differs from the recorded one: the codes of a
// lake's rows mean what its profile says, and one lake holds one jurisdiction.
func EnsureProfile(lake string, p *safetyrisk.Profile) error {
	want, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return fmt.Errorf("lake profile: %w", err)
	}
	have, err := ReadProfile(lake)
	if errors.Is(err, ErrNoProfile) {
		if err := WriteFileAtomic(ProfilePath(lake), append(want, '\n')); err != nil {
			return fmt.Errorf("write lake profile: %w", err)
		}
		return nil
	}
	if err != nil {
		return err
	}
	got, err := json.MarshalIndent(have, "", "  ")
	if err != nil {
		return fmt.Errorf("lake profile: %w", err)
	}
	if !bytes.Equal(got, want) {
		return &ProfileMismatchError{Lake: cityOf(have), Given: cityOf(p)}
	}
	return nil
}

func cityOf(p *safetyrisk.Profile) string { return p.City.Name + " (" + p.City.Code + ")" }
