package main

import (
	"errors"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
)

// profileHelp is the help text of every --profile flag of a command that has a lake.
const profileHelp = "jurisdiction profile `file` (default: the one the lake was built with, else the built-in Ordos)"

// lakeProfile resolves the profile of a command on a lake: the --profile file when
// given, else the profile the lake was built with (written by its first ingest), else
// the built-in Ordos. A --profile that differs from the lake's is refused
// (lake.ProfileMismatchError): one lake holds one jurisdiction.
func lakeProfile(dir, path string) (*safetyrisk.Profile, error) {
	recorded, err := lake.ReadProfile(dir)
	switch {
	case err == nil && path == "":
		return recorded, nil
	case err != nil && !errors.Is(err, lake.ErrNoProfile):
		return nil, err
	}
	p, err := safetyrisk.LoadProfile(path)
	if err != nil {
		return nil, err
	}
	if recorded != nil {
		// Compare through EnsureProfile's one notion of "the same profile"; the lake
		// already has one, so nothing is written.
		if err := lake.EnsureProfile(dir, p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// ingestProfile is lakeProfile for ingest: the first ingest into a lake records the
// profile in it.
func ingestProfile(dir, path string) (*safetyrisk.Profile, error) {
	p, err := lakeProfile(dir, path)
	if err != nil {
		return nil, err
	}
	if err := lake.EnsureProfile(dir, p); err != nil {
		return nil, err
	}
	return p, nil
}
