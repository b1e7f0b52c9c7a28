-- orphans_table: the empty temporary table orphans.sql fills.
--
-- Parameters (template): .Name (the table), .Column (its one VARCHAR column).
-- Output: the table, empty.
-- Measure: relationships (hazard -> inspection).
CREATE OR REPLACE TEMP TABLE {{ident .Name}} ({{ident .Column}} VARCHAR)
