// Package sqlpool runs independent queries on several connections of one DuckDB at
// once. On a small lake a query's time is DuckDB's fixed cost of planning and starting
// it, mostly on one core, so two connections keep both cores busy; on a big lake each
// query keeps DuckDB's threads busy alone, and two at a time would only hold the memory
// of two. Queries (the indicator files) and transform (the checks) use it.
package sqlpool

import (
	"database/sql"
	"sync"
)

// SmallBytes is the largest lake (the Parquet files a run reads) taken as small: one
// that gets more than one connection.
const SmallBytes = 64 << 20

// Each runs job(i, conn) for every i in [0, n) on the connections at once: each
// connection takes the next job when it has done one. It returns when all are done;
// the jobs keep their own results.
func Each(conns []*sql.Conn, n int, job func(i int, conn *sql.Conn)) {
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for _, conn := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				job(i, conn)
			}
		}()
	}
	wg.Wait()
}
