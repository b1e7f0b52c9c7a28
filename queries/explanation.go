package queries

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// ExplainRequest is what `safetyrisk explain` asks about: an indicator for a scope
// (the city or a region, all sectors or one) and the records behind it.
type ExplainRequest struct {
	ID             string
	Region, Sector string // a code or name; "" region: the city; "" sector: all
	Window, Dim    string // the window and breakdown value of the records shown
	AsOf           time.Time
	Limit          int // at most this many records
}

// Explanation is an indicator's definition, its values for a scope and the records
// behind them.
type Explanation struct {
	Indicator      safetyrisk.Indicator
	File           *File // the SQL file that computes it; nil for one computed in Go
	Region, Sector string
	AsOf           time.Time
	Values         []safetyrisk.IndicatorValue // the indicator's values for the scope
	Components     *Table                      // risk index and assessment: their components
	Assessments    []safetyrisk.Assessment     // assessment ids: the scope's results
	Records        *Table                      // the records counted; nil for the index's own ids
	State          bool                        // a state at as_of (records have no window)
}

// ErrScope is wrapped by the errors of a request whose scope does not fit the profile.
var ErrScope = errors.New("scope")

// ResolveScope resolves a region and a sector, given as a code or a name, against the
// profile: "" region is the city, "" or AllSectors sector all sectors. A region is
// broken down by sector only for the city: the snapshot holds region x sector only for
// the city total.
func ResolveScope(p *safetyrisk.Profile, region, sector string) (reg, sec string, err error) {
	reg = p.City.Code
	if region != "" && region != reg && region != p.City.Name && region != p.City.Short {
		var ok bool
		if reg, ok = p.RegionCode(region); !ok {
			return "", "", fmt.Errorf("%w: --region %q: not a region of %s", ErrScope, region, p.City.Name)
		}
	}
	sec = safetyrisk.AllSectors
	if sector != "" && sector != safetyrisk.AllSectors {
		var ok bool
		if sec, ok = p.SectorCode(sector); !ok {
			return "", "", fmt.Errorf("%w: --sector %q: not a sector of the profile", ErrScope, sector)
		}
	}
	if reg != p.City.Code && sec != safetyrisk.AllSectors {
		return "", "", fmt.Errorf("%w: a region is broken down by sector only for the city: use --region or --sector, not both", ErrScope)
	}
	return reg, sec, nil
}

// KnownIndicator returns the catalogue entry of id, or an ErrScope when there is none:
// a caller can refuse an unknown indicator before it opens an engine.
func KnownIndicator(id string) (safetyrisk.Indicator, error) {
	in, ok := safetyrisk.IndicatorByID(id)
	if !ok {
		return in, fmt.Errorf("%w: unknown indicator %q", ErrScope, id)
	}
	return in, nil
}

// riskIDs are the indicators computed in Go from the configuration, with components.
var riskIDs = []string{"risk_index", "risk_band", "assessment_score", "assessment_grade"}

// Explain computes the snapshot as of req.AsOf and explains one indicator for a scope.
func (e *Engine) Explain(ctx context.Context, req ExplainRequest) (*Explanation, error) {
	in, err := KnownIndicator(req.ID)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(safetyrisk.Windows, req.Window) {
		return nil, fmt.Errorf("%w: --window %q: want one of %s", ErrScope, req.Window, strings.Join(safetyrisk.Windows, ", "))
	}
	reg, sec, err := ResolveScope(e.cfg.Profile, req.Region, req.Sector)
	if err != nil {
		return nil, err
	}
	ex := &Explanation{Indicator: in, Region: reg, Sector: sec, AsOf: day(req.AsOf), State: in.State}
	f, found, err := FileFor(req.ID)
	if err != nil {
		return nil, err
	}
	if found {
		ex.File = &f
	}
	snap, err := e.Compute(ctx, ex.AsOf)
	if err != nil {
		return nil, err
	}
	for _, v := range snap.Values {
		if v.Indicator == req.ID && v.Region == reg && v.Sector == sec {
			ex.Values = append(ex.Values, v)
		}
	}
	if slices.Contains(riskIDs, req.ID) {
		if ex.Components, err = e.cfg.RiskConfig.Components(e.cfg.Profile, snap.Values, req.ID, reg, sec, req.Window); err != nil {
			return nil, err
		}
		for _, a := range snap.Assessments {
			if a.Region == reg && a.Sector == sec && strings.HasPrefix(req.ID, "assessment") {
				ex.Assessments = append(ex.Assessments, a)
			}
		}
		if req.ID != "assessment_grade" { // the grade's records are the veto's events
			return ex, nil
		}
	}
	if ex.Records, err = e.Records(ctx, req.ID, reg, sec, req.Window, req.Dim, ex.AsOf, req.Limit); err != nil {
		return nil, err
	}
	return ex, nil
}
