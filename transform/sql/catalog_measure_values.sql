-- catalog_measure_values: the indicator values of each measure of the register, from the
-- newest snapshot (the view indicators), beside the measure's target.
--
-- Parameters (template): none; it reads the views measures and indicators.
-- Output: the view measure_values(number, measure, title, status, indicator, first_indicator
--   BOOLEAN, region, sector, window, dim_value, as_of, value, target_value): a measure with
--   several indicators has rows for each; target_value applies to the first.
-- Measure: M66, for analysts (the board's bars: value per region against the target).
CREATE OR REPLACE VIEW measure_values AS
SELECT m.number, m.measure, m.title, m.status, u.indicator, u.indicator = m.indicators[1] AS first_indicator,
       i.region, i.sector, i."window", i.dim_value, i.as_of, i.value, m.target_value
FROM measures m
CROSS JOIN unnest(m.indicators) AS u(indicator)
JOIN indicators i ON i.indicator = u.indicator
