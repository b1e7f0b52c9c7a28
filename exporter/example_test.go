package exporter_test

import (
	"fmt"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/exporter"
)

// The number of indicator series of the Ordos profile: what a complete snapshot serves,
// and the bound no snapshot can exceed.
func ExampleMaxSeries() {
	p := safetyrisk.Ordos()
	fmt.Println(exporter.ExpectedSeries(p), exporter.MaxSeries(p))
	// Output: 9683 66920
}
