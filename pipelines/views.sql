-- Views for analysts, created in every published warehouse (see README "Views").
CREATE OR REPLACE VIEW facts AS
SELECT 'agreements' AS table_name, fact_id, a_name, a_country, a_level, a_region, b_name, b_country, b_level, b_region,
       aggregate, count, year, month, day, place, kind AS detail, n_sources, n_mentions FROM agreements
UNION ALL
SELECT 'visits', fact_id, a_name, a_country, a_level, a_region, b_name, b_country, b_level, b_region,
       aggregate, count, year, month, day, place, head, n_sources, n_mentions FROM visits
UNION ALL
SELECT 'trade_flows', fact_id, a_name, a_country, a_level, a_region, b_name, b_country, b_level, b_region,
       aggregate, count, year(period_end), month(period_end), NULL, NULL,
       flow || ' ' || value || ' ' || currency, n_sources, n_mentions FROM trade_flows
UNION ALL
SELECT 'twinnings', fact_id, a_name, a_country, a_level, a_region, b_name, b_country, b_level, b_region,
       aggregate, count, year, month, NULL, NULL, NULL, n_sources, n_mentions FROM twinnings;
