package safetyrisk

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
)

// Region is a banner or district (旗区) of the jurisdiction, by its GB/T 2260 code.
type Region struct {
	Code  string  `json:"code"`
	Name  string  `json:"name"`
	Short string  `json:"short"`
	Lat   float64 `json:"lat"`
	Lon   float64 `json:"lon"`
	// Economy is optional: what the sample-data generator needs to make the region
	// look like itself. The pipeline does not read it.
	Economy *Economy `json:"economy,omitempty"`
}

// Economy describes a region for the sample-data generator: its share of the city's
// supervised enterprises, the relative weight of each sector among them (by sector
// code), and its statistics of a base year (approximate public figures).
type Economy struct {
	Share    float64            `json:"share"`
	Sectors  map[string]float64 `json:"sectors"`
	GDP      float64            `json:"gdp"`                // 亿元
	Workers  int64              `json:"industrial_workers"` // 工矿商贸从业人员
	Vehicles int64              `json:"motor_vehicles"`
	Coal     float64            `json:"coal_output"` // 原煤产量, 万吨
}

// Sector is a 行业领域. Industrial sectors count in the 工矿商贸 death rate (all but
// road transport, fire and crowded places); hazardous ones in the dispatch-worker share (M40).
type Sector struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	Aliases    []string `json:"aliases,omitempty"`
	Industrial bool     `json:"industrial,omitempty"`
	Hazardous  bool     `json:"hazardous,omitempty"`
}

// City is the jurisdiction as a whole; its totals are sums over its regions, never a
// region of its own.
type City struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Short string `json:"short"`
}

// Profile is a jurisdiction: a city, its regions and the sectors it supervises. It is
// data, so that another city can replace the built-in Ordos profile with a file.
type Profile struct {
	City     City     `json:"city"`
	Timezone string   `json:"timezone"`
	Regions  []Region `json:"regions"`
	Sectors  []Sector `json:"sectors"`
}

//go:embed profiles/ordos.json
var ordosJSON []byte

// Ordos returns the built-in default profile (profiles/ordos.json, 9 banners and districts).
func Ordos() *Profile {
	p, err := ParseProfile(ordosJSON)
	if err != nil {
		panic("built-in profile: " + err.Error()) // a test guards it
	}
	return p
}

// LoadProfile reads a profile file; an empty path gives the built-in Ordos profile.
func LoadProfile(path string) (*Profile, error) {
	if path == "" {
		return Ordos(), nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	p, err := ParseProfile(b)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", path, err)
	}
	return p, nil
}

// ParseProfile decodes and validates a profile.
func ParseProfile(b []byte) (*Profile, error) {
	var p Profile
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, err
	}
	return &p, p.Validate()
}

// Validate checks that codes are present and unique and the city is not a region.
func (p *Profile) Validate() error {
	if p.City.Code == "" || p.City.Name == "" {
		return fmt.Errorf("city code and name are required")
	}
	if len(p.Regions) == 0 || len(p.Sectors) == 0 {
		return fmt.Errorf("at least one region and one sector are required")
	}
	seen := map[string]bool{p.City.Code: true}
	for _, r := range p.Regions {
		if r.Code == "" || r.Name == "" || seen[r.Code] {
			return fmt.Errorf("region %q: code and name required, codes unique and not the city's", r.Code)
		}
		seen[r.Code] = true
	}
	for _, s := range p.Sectors {
		if s.Code == "" || s.Name == "" || seen[s.Code] || s.Code == "all" {
			return fmt.Errorf("sector %q: code and name required, codes unique and not \"all\"", s.Code)
		}
		seen[s.Code] = true
	}
	for _, r := range p.Regions {
		if err := p.validateEconomy(r); err != nil {
			return err
		}
	}
	if p.Timezone == "" {
		p.Timezone = "Asia/Shanghai"
	}
	return nil
}

func (p *Profile) validateEconomy(r Region) error {
	e := r.Economy
	if e == nil {
		return nil
	}
	if !(e.Share > 0 && e.Share <= 1) || e.GDP < 0 || e.Workers < 0 || e.Vehicles < 0 || e.Coal < 0 {
		return fmt.Errorf("region %s economy: share must be in (0, 1] and figures not negative", r.Code)
	}
	var sum float64
	for code, w := range e.Sectors {
		if p.SectorName(code) == "" || code == AllSectors || w < 0 {
			return fmt.Errorf("region %s economy: sector %q is not in the profile or has a negative weight", r.Code, code)
		}
		sum += w
	}
	if sum <= 0 {
		return fmt.Errorf("region %s economy: no sector has a weight", r.Code)
	}
	return nil
}

// RegionCode resolves a code, full name or short name to the region's code.
func (p *Profile) RegionCode(s string) (string, bool) {
	k := FoldKey(s)
	for _, r := range p.Regions {
		if k == FoldKey(r.Code) || k == FoldKey(r.Name) || (r.Short != "" && k == FoldKey(r.Short)) {
			return r.Code, true
		}
	}
	return "", false
}

// SectorCode resolves a code, Chinese name or alias to the sector's code.
func (p *Profile) SectorCode(s string) (string, bool) {
	k := FoldKey(s)
	for _, x := range p.Sectors {
		if k == FoldKey(x.Code) || k == FoldKey(x.Name) {
			return x.Code, true
		}
		for _, a := range x.Aliases {
			if k == FoldKey(a) {
				return x.Code, true
			}
		}
	}
	return "", false
}

// RegionName returns the Chinese name of a region code, the city's name for the city
// code, or "".
func (p *Profile) RegionName(code string) string {
	if code == p.City.Code {
		return p.City.Name
	}
	for _, r := range p.Regions {
		if r.Code == code {
			return r.Name
		}
	}
	return ""
}

// SectorName returns the Chinese name of a sector code, "全部行业" for "all", or "".
func (p *Profile) SectorName(code string) string {
	if code == AllSectors {
		return "全部行业"
	}
	for _, s := range p.Sectors {
		if s.Code == code {
			return s.Name
		}
	}
	return ""
}

// AllSectors is the sector label of a total over all sectors.
const AllSectors = "all"
