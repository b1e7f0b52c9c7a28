-- catalog_comment: a comment on a view or a column of the catalog, in Chinese and
-- English.
--
-- Parameters (template): .View, .Column ("" for the view itself), .Text the quoted
--   comment (from the root package's definitions; COMMENT cannot take a bound value).
-- Output: none.
-- Measure: a self-describing catalog for analysts (DBeaver shows the comments).
COMMENT ON {{if .Column}}COLUMN {{ident .View}}.{{ident .Column}}{{else}}VIEW {{ident .View}}{{end}} IS {{.Text}}
