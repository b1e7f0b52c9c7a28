package ingest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/safetyrisk/safetyrisk/lake"
)

// writeHazardsCSV writes n realistic hazard rows, a few of them bad, with canonical
// headers. It is the crash test's input and the benchmark's.
func writeHazardsCSV(t testing.TB, path string, n int, salt string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	regions := []string{"东胜区", "康巴什区", "达拉特旗", "准格尔旗", "鄂托克前旗", "鄂托克旗", "杭锦旗", "乌审旗", "伊金霍洛旗"}
	sectors := []string{"煤矿", "非煤矿山", "危险化学品", "建筑施工", "城镇燃气", "工贸"}
	status := []string{"未整改", "整改中", "已整改", "已销号"}
	fmt.Fprintln(w, "hazard_id,inspection_id,enterprise_id,region,sector,found_on,level,category,description,deadline,rectified_on,status,five_implementations,listed_supervision,in_ledger,source")
	for i := 0; i < n; i++ {
		d := i % 300
		region := regions[i%len(regions)]
		if i%997 == 0 {
			region = "火星区"
		}
		fmt.Fprintf(w, "H%s%08d,I%07d,E%05d,%s,%s,2023-%02d-%02d,%s,通风,局部通风机未挂牌 风筒破损,2023-%02d-28,2023-%02d-%02d,%s,是,否,是,监督检查\n",
			salt, i, i/3, i%20000, region, sectors[i%len(sectors)], 1+d%11, 1+d%27, []string{"一般", "重大"}[i%7/6],
			2+d%11, 2+d%11, 1+d%27, status[i%4])
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

const crashEnv = "SAFETYRISK_INGEST_CRASH_CHILD"

// TestCrashChild is the child of TestCrash: it ingests the files named in the
// environment until it is killed.
func TestCrashChild(t *testing.T) {
	spec := os.Getenv(crashEnv)
	if spec == "" {
		t.Skip("run by TestCrash")
	}
	parts := strings.Split(spec, "|")
	in := newTestIngester(t, parts[0])
	for _, p := range parts[1:] {
		if _, err := in.File(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCrash kills an ingest with SIGKILL at several instants and checks that every
// Parquet file where a reader looks opens and that the manifest parses.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	dir := t.TempDir()
	var files []string
	for i := range 4 {
		p := filepath.Join(dir, fmt.Sprintf("hazards%d.csv", i))
		writeHazardsCSV(t, p, 60000, fmt.Sprint(i))
		files = append(files, p)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	totalVisible := 0
	for k, delay := range []time.Duration{50 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond, 900 * time.Millisecond, 1400 * time.Millisecond} {
		lakeDir := filepath.Join(dir, fmt.Sprintf("lake%d", k))
		cmd := exec.Command(exe, "-test.run=^TestCrashChild$")
		cmd.Env = append(os.Environ(), crashEnv+"="+lakeDir+"|"+strings.Join(files, "|"))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The delay counts from the moment the child has made the lake, not from its
		// start, so that a slow start on a loaded machine does not kill it too early.
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if _, err := os.Stat(lakeDir); err == nil {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("the child made no lake within 30s")
			}
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		m, err := lake.ReadManifest(lakeDir)
		if err != nil {
			t.Fatalf("kill after %v: %v", delay, err)
		}
		var visible, temps int
		filepath.Walk(lakeDir, func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(lakeDir, p)
			if rel != "." && hiddenPath(rel) {
				temps++
				if info.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if info.IsDir() || !strings.HasSuffix(p, ".parquet") {
				return nil
			}
			visible++
			f, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := parquet.OpenFile(f, info.Size()); err != nil {
				t.Errorf("kill after %v: %s does not open: %v", delay, rel, err)
			}
			return nil
		})
		// Every batch in the manifest is complete and visible.
		for _, e := range m {
			if _, err := os.Stat(filepath.Join(lake.RawBatchDir(lakeDir, e.Table, e.BatchID), lake.PartFile)); err != nil {
				t.Errorf("kill after %v: manifest batch %s: %v", delay, e.BatchID, err)
			}
		}
		totalVisible += visible
		t.Logf("kill after %v: %d batches in the manifest, %d visible parquet files, %d temporary entries", delay, len(m), visible, temps)
	}
	if totalVisible == 0 {
		t.Errorf("no kill left a complete batch: the test checked nothing")
	}
}

// hiddenPath reports a path with a component that readers skip.
func hiddenPath(rel string) bool {
	for _, c := range strings.Split(rel, string(filepath.Separator)) {
		if lake.Hidden(c) {
			return true
		}
	}
	return false
}
