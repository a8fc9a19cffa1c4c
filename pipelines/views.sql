-- Views for analysts, created in every published warehouse (docs/analysts.md shows each at work).
-- A party is known by its place_id (the `places` dimension); a group ("Russian regions") has
-- none and is known by name, country and level. Aggregate lines ("36 delegations in 2024") are
-- kept out of the counts and series: they are counted facts, not single ones.

-- facts: the four fact tables stacked, one row per fact, for search.
CREATE OR REPLACE VIEW facts AS
WITH stacked AS (
    SELECT 'agreements' AS table_name, fact_id,
           a_name, a_country, a_level, a_region, a_place_id, b_name, b_country, b_level, b_region, b_place_id,
           aggregate, count, year, month, day, place, kind AS detail,
           NULL::DATE AS period_start, NULL::DATE AS period_end, NULL::DOUBLE AS value, NULL::VARCHAR AS currency,
           cameo_code, n_sources, n_mentions
    FROM agreements
    UNION ALL
    SELECT 'visits', fact_id,
           a_name, a_country, a_level, a_region, a_place_id, b_name, b_country, b_level, b_region, b_place_id,
           aggregate, count, year, month, day, place, head,
           NULL, NULL, NULL, NULL, cameo_code, n_sources, n_mentions
    FROM visits
    UNION ALL
    SELECT 'trade_flows', fact_id,
           a_name, a_country, a_level, a_region, a_place_id, b_name, b_country, b_level, b_region, b_place_id,
           aggregate, count, year(period_end), NULL, NULL, NULL, flow,
           period_start, period_end, value, currency, NULL, n_sources, n_mentions
    FROM trade_flows
    UNION ALL
    SELECT 'twinnings', fact_id,
           a_name, a_country, a_level, a_region, a_place_id, b_name, b_country, b_level, b_region, b_place_id,
           aggregate, count, year, month, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, NULL, n_sources, n_mentions
    FROM twinnings
)
SELECT *,
       -- one line of text per fact, for LIKE / ILIKE searches
       regexp_replace(concat_ws(' ', table_name || ':', a_name, '-', b_name, detail,
                 CASE WHEN value IS NOT NULL THEN format('{:,.0f} {}', value, currency) END,
                 CASE WHEN period_start IS NOT NULL
                      THEN strftime(period_start, '%Y-%m') || '..' || strftime(period_end, '%Y-%m')
                      ELSE nullif(concat_ws('-', year, lpad(month::VARCHAR, 2, '0'), lpad(day::VARCHAR, 2, '0')), '') END,
                 CASE WHEN aggregate THEN '(' || count || ' counted together)' END), '\s+', ' ', 'g') AS summary
FROM stacked;

-- party_summary: one row per party: its single facts by table, and its latest trade figure
-- (latest_trade_months = 12 for a whole year).
CREATE OR REPLACE VIEW party_summary AS
WITH sides AS (
    SELECT 'agreements' AS table_name, 'a' AS side, fact_id, a_place_id AS place_id, a_name AS name,
           a_country AS country, a_level AS level, a_region AS region, coalesce(b_place_id, b_name) AS partner_key
    FROM agreements WHERE NOT aggregate
    UNION ALL SELECT 'agreements', 'b', fact_id, b_place_id, b_name, b_country, b_level, b_region, coalesce(a_place_id, a_name)
    FROM agreements WHERE NOT aggregate
    UNION ALL SELECT 'visits', 'a', fact_id, a_place_id, a_name, a_country, a_level, a_region, coalesce(b_place_id, b_name)
    FROM visits WHERE NOT aggregate
    UNION ALL SELECT 'visits', 'b', fact_id, b_place_id, b_name, b_country, b_level, b_region, coalesce(a_place_id, a_name)
    FROM visits WHERE NOT aggregate
    UNION ALL SELECT 'twinnings', 'a', fact_id, a_place_id, a_name, a_country, a_level, a_region, coalesce(b_place_id, b_name)
    FROM twinnings WHERE NOT aggregate
    UNION ALL SELECT 'twinnings', 'b', fact_id, b_place_id, b_name, b_country, b_level, b_region, coalesce(a_place_id, a_name)
    FROM twinnings WHERE NOT aggregate
    UNION ALL SELECT 'trade_flows', 'a', fact_id, a_place_id, a_name, a_country, a_level, a_region, coalesce(b_place_id, b_name)
    FROM trade_flows WHERE NOT aggregate
    UNION ALL SELECT 'trade_flows', 'b', fact_id, b_place_id, b_name, b_country, b_level, b_region, coalesce(a_place_id, a_name)
    FROM trade_flows WHERE NOT aggregate
),
keyed AS (
    SELECT *, coalesce(place_id, name || '|' || coalesce(country, '') || '|' || level) AS party_key FROM sides
),
trade AS (
    SELECT k.party_key, year(t.period_end) AS year, t.value, t.currency,
           date_diff('month', t.period_start, t.period_end) + 1 AS months,
           CASE WHEN t.flow = 'turnover' THEN 'turnover'
                WHEN (t.flow = 'export_a_to_b') = (k.side = 'a') THEN 'export' ELSE 'import' END AS flow,
           CASE WHEN k.side = 'a' THEN t.b_name ELSE t.a_name END AS partner,
           -- the latest whole-year turnover wins; a part of a year only where no whole year is
           -- stated, an export or import figure only where no turnover is
           row_number() OVER (PARTITION BY k.party_key
                              ORDER BY t.flow = 'turnover' DESC,
                                       date_diff('month', t.period_start, t.period_end) = 11 DESC,
                                       t.period_end DESC, t.n_sources DESC, t.fact_id) AS rank
    FROM keyed k JOIN trade_flows t USING (fact_id)
    WHERE k.table_name = 'trade_flows'
),
counts AS (
    SELECT party_key, any_value(place_id) AS place_id, min(name) AS name, min(country) AS country,
           min(level) AS level, min(region) AS region,
           count(DISTINCT fact_id) FILTER (WHERE table_name = 'agreements') AS agreements,
           count(DISTINCT fact_id) FILTER (WHERE table_name = 'visits' AND side = 'a') AS visits_out,
           count(DISTINCT fact_id) FILTER (WHERE table_name = 'visits' AND side = 'b') AS visits_in,
           count(DISTINCT fact_id) FILTER (WHERE table_name = 'twinnings') AS twinnings,
           count(DISTINCT fact_id) FILTER (WHERE table_name = 'trade_flows') AS trade_figures,
           count(DISTINCT partner_key) AS partners
    FROM keyed GROUP BY party_key
)
SELECT c.place_id, c.name, p.name_ru, c.country, c.level, c.region, p.parent,
       c.agreements, c.visits_out, c.visits_in, c.twinnings, c.trade_figures, c.partners,
       t.year AS latest_trade_year, t.months AS latest_trade_months,
       t.value AS latest_trade_value, t.currency AS latest_trade_currency,
       t.flow AS latest_trade_flow, t.partner AS latest_trade_partner
FROM counts c
LEFT JOIN trade t ON t.party_key = c.party_key AND t.rank = 1
LEFT JOIN places p ON p.place_id = c.place_id
ORDER BY c.agreements + c.visits_out + c.visits_in + c.twinnings + c.trade_figures DESC, c.name;

-- trade_series: per pair, flow and currency, one row per period, ready to plot. Where a period
-- has disagreeing values (see `conflicts`), the best-attested one is shown (most documents,
-- then an exact figure, then most mentions), `disputed` is true and `other_values` lists the rest.
CREATE OR REPLACE VIEW trade_series AS
WITH periods AS (
    SELECT *, date_diff('month', period_start, period_end) + 1 AS months,
           coalesce(a_place_id, a_name) AS a_key, coalesce(b_place_id, b_name) AS b_key
    FROM trade_flows WHERE NOT aggregate
),
ranked AS (
    SELECT *,
           count(*) OVER (PARTITION BY a_key, b_key, flow, currency, period_start, period_end) AS n_values,
           list(value) OVER (PARTITION BY a_key, b_key, flow, currency, period_start, period_end) AS all_values,
           row_number() OVER (PARTITION BY a_key, b_key, flow, currency, period_start, period_end
                              ORDER BY n_sources DESC, qualifier = 'exact' DESC, n_mentions DESC, fact_id) AS rank
    FROM periods
)
SELECT a_name, b_name, flow, currency, period_start, period_end, months, year(period_end) AS year,
       value, qualifier, change_pct,
       -- the previous period of the same length in this series, and the change since
       lag(period_end) OVER series AS previous_period_end,
       lag(value) OVER series AS previous_value,
       round(100 * (value / lag(value) OVER series - 1), 1) AS change_from_previous_pct,
       n_values > 1 AS disputed, list_sort(list_filter(all_values, lambda v: v <> value)) AS other_values,
       n_sources, fact_id, a_place_id, b_place_id
FROM ranked
WHERE rank = 1
WINDOW series AS (PARTITION BY a_key, b_key, flow, currency, months ORDER BY period_end)
ORDER BY a_name, b_name, flow, currency, months, period_end;
