// Command duckcopy is the benchmark helper of scripts/bench-ingest.sh and scripts/bench.sh:
// DuckDB's own floor for each stage, the yardstick the pipeline is compared with.
//
//	duckcopy gen -rows N -out FILE       a realistic hazards CSV of any size
//	duckcopy copy -in CSV -out PARQUET   one hazards CSV to zstd Parquet (typed columns)
//	duckcopy utf8 -in DIR -out DIR       UTF-8 copies of an inbox's CSV files (GBK ones
//	                                     converted, since DuckDB cannot read GBK)
//	duckcopy inbox -in DIR -out DIR      every CSV of an inbox to zstd Parquet: the ingest floor
//	duckcopy partition -lake L -out DIR  every raw table to year-partitioned zstd Parquet:
//	                                     the transform floor
package main

import (
	"bufio"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: duckcopy gen|copy|utf8|inbox|partition ... (see the package comment)")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "copy":
		err = duckCopy(os.Args[2:])
	case "utf8":
		err = utf8Copies(os.Args[2:])
	case "inbox":
		err = inboxCopy(os.Args[2:])
	case "partition":
		err = partitionCopy(os.Args[2:])
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "duckcopy:", err)
		os.Exit(1)
	}
}

// hazardColumns is the columns= of read_csv: the hazards table as DuckDB would type it
// without ingest's normalisation (Chinese enums and yes/no stay text).
const hazardColumns = `{'hazard_id': 'VARCHAR', 'inspection_id': 'VARCHAR', 'enterprise_id': 'VARCHAR',
 'region': 'VARCHAR', 'sector': 'VARCHAR', 'found_on': 'DATE', 'level': 'VARCHAR', 'category': 'VARCHAR',
 'description': 'VARCHAR', 'deadline': 'DATE', 'rectified_on': 'DATE', 'status': 'VARCHAR',
 'five_implementations': 'VARCHAR', 'listed_supervision': 'VARCHAR', 'in_ledger': 'VARCHAR', 'source': 'VARCHAR'}`

func duckCopy(args []string) error {
	fs := flag.NewFlagSet("copy", flag.ExitOnError)
	in := fs.String("in", "", "hazards CSV")
	out := fs.String("out", "", "Parquet file to write")
	fs.Parse(args)
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Exec("SET preserve_insertion_order = false"); err != nil {
		return err
	}
	start := time.Now()
	// The file names are the helper's own arguments; read_csv and COPY take no bound
	// parameters for them, so they are quoted as SQL string literals.
	q := fmt.Sprintf(`COPY (SELECT * FROM read_csv(%s, header = true, columns = %s))
		TO %s (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 131072)`, quote(*in), hazardColumns, quote(*out))
	if _, err := db.Exec(q); err != nil {
		return err
	}
	var n int64
	if err := db.QueryRow("SELECT count(*) FROM read_parquet(?)", *out).Scan(&n); err != nil {
		return err
	}
	el := time.Since(start)
	fmt.Printf("duckdb copy: %d rows in %.2fs\n", n, el.Seconds())
	return nil
}

func quote(s string) string {
	b := []byte{'\''}
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			b = append(b, '\'')
		}
		b = append(b, s[i])
	}
	return string(append(b, '\''))
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	rows := fs.Int("rows", 5_000_000, "rows")
	out := fs.String("out", "", "CSV file to write")
	fs.Parse(args)
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	regions := []string{"东胜区", "康巴什区", "达拉特旗", "准格尔旗", "鄂托克前旗", "鄂托克旗", "杭锦旗", "乌审旗", "伊金霍洛旗"}
	sectors := []string{"煤矿", "非煤矿山", "危险化学品", "油气储存与管道", "建筑施工", "城镇燃气", "工贸", "特种设备"}
	cats := []string{"通风", "瓦斯", "顶板", "机电", "运输", "防治水", "消防", "用电", "储存", "特种作业"}
	descs := []string{"局部通风机未挂牌管理，风筒破损漏风", "甲烷传感器未按规定校验", "顶板离层仪损坏未及时更换",
		"带式输送机保护装置失效", "安全出口堵塞，疏散指示标志损坏", "储罐区静电接地电阻超标", "特种作业人员未持证上岗"}
	status := []string{"未整改", "整改中", "已整改", "已销号"}
	levels := []string{"一般", "一般", "一般", "一般", "一般", "一般", "重大"}
	yn := []string{"是", "否"}
	w.WriteString("hazard_id,inspection_id,enterprise_id,region,sector,found_on,level,category,description,deadline,rectified_on,status,five_implementations,listed_supervision,in_ledger,source\n")
	base := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	var b []byte
	for i := 0; i < *rows; i++ {
		x := uint64(i)*0x9E3779B97F4A7C15 + 12345
		x ^= x >> 29
		found := base.AddDate(0, 0, int(x%1400))
		st := status[x>>8%4]
		b = b[:0]
		b = append(b, 'H')
		b = strconv.AppendInt(b, int64(10000000+i), 10)
		b = append(b, ",I"...)
		b = strconv.AppendInt(b, int64(1000000+i/3), 10)
		b = append(b, ",E"...)
		b = strconv.AppendInt(b, int64(100000+x>>12%30000), 10)
		b = append(b, ',')
		b = append(b, regions[x>>16%9]...)
		b = append(b, ',')
		b = append(b, sectors[x>>20%8]...)
		b = append(b, ',')
		b = found.AppendFormat(b, "2006-01-02")
		b = append(b, ',')
		b = append(b, levels[x>>24%7]...)
		b = append(b, ',')
		b = append(b, cats[x>>28%10]...)
		b = append(b, ',')
		b = append(b, descs[x>>32%7]...)
		b = append(b, ',')
		b = found.AddDate(0, 0, 30).AppendFormat(b, "2006-01-02")
		b = append(b, ',')
		if st == "已整改" || st == "已销号" {
			b = found.AddDate(0, 0, int(x>>36%40)).AppendFormat(b, "2006-01-02")
		}
		b = append(b, ',')
		b = append(b, st...)
		b = append(b, ',')
		b = append(b, yn[x>>40%2]...)
		b = append(b, ',')
		b = append(b, yn[x>>41%2]...)
		b = append(b, ',')
		b = append(b, yn[x>>42%2]...)
		b = append(b, ",监督检查\n"...)
		w.Write(b)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}
