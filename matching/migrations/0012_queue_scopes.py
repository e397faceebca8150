"""The work queue per caseworker scope, kept by PostgreSQL triggers (issue 15).

0008 made the queue read ``matching_shortlistcount`` (one row per vacancy and group of
candidates), but ordering by the oldest waiting proposal still grouped the rows of every
vacancy in the scope. ``matching_queuescope`` holds the sums per vacancy and scope (viewer's
service or admin, x the queue's service filter or none), so the page is a range of the index
on (scope, waiting_since, vacancy) and its size a count over that range.

The rows of a vacancy are recomputed from its ``matching_shortlistcount`` rows (a few) when
those change (statement triggers on that table, which 0008's triggers rewrite in the same
transaction as every write to the matches), when the vacancy's status, place or STEM flag
change, and for every vacancy when a service is added or changes country (rare). The same
per-vacancy advisory lock as 0008 serialises writers of one vacancy. On other databases
nothing is created and the selectors group the matches (matching/selectors.py).
"""

import django.db.models.deletion
from django.db import migrations, models

REFRESH = """
CREATE OR REPLACE FUNCTION matching_queuescope_refresh(vacancy_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF vacancy_ids IS NULL OR cardinality(vacancy_ids) = 0 THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(1515, (s.v % 2147483647)::int)
    FROM (SELECT DISTINCT v FROM unnest(vacancy_ids) AS v ORDER BY v) AS s;
    DELETE FROM matching_queuescope WHERE vacancy_id = ANY (vacancy_ids);
    -- The same rules as matching.selectors: a service's caseworker sees their service's
    -- candidates and those who consented to cross-border sharing, and decides their own and
    -- the consenting ones on vacancies in their country; an admin (viewer NULL) all of them.
    INSERT INTO matching_queuescope (
        vacancy_id, viewer_service_id, of_service_id, scope, country, is_stem, place_id,
        undecided, decidable, flagged, best, waiting_since
    )
    SELECT v.id, viewer.id, of_service.id, coalesce(viewer.id, 0) || ':' || coalesce(of_service.id, 0), p.country, v.is_stem, v.place_id,
        sum(g.proposed),
        coalesce(sum(g.proposed) FILTER (WHERE viewer.id IS NULL OR g.employment_service_id = viewer.id
            OR (g.cross_border AND p.country = viewer.country)), 0),
        sum(g.flagged_approved), max(g.best_proposed), min(g.waiting_since)
    FROM vacancies_vacancy AS v
    JOIN taxonomy_place AS p ON p.id = v.place_id
    JOIN matching_shortlistcount AS g ON g.vacancy_id = v.id
    CROSS JOIN (SELECT NULL::bigint AS id, NULL::varchar AS country
                UNION ALL SELECT id, country FROM accounts_employmentservice) AS viewer
    CROSS JOIN (SELECT NULL::bigint AS id UNION ALL SELECT id FROM accounts_employmentservice) AS of_service
    WHERE v.id = ANY (vacancy_ids) AND v.status = 'published'
        AND (g.proposed > 0 OR g.flagged_approved > 0)
        AND (viewer.id IS NULL OR g.employment_service_id = viewer.id OR g.cross_border)
        AND (of_service.id IS NULL OR g.employment_service_id = of_service.id)
    GROUP BY v.id, viewer.id, viewer.country, of_service.id, p.country, v.is_stem, v.place_id;
END $$;

-- 0008 rewrites a vacancy's counts as a DELETE then an INSERT: the delete drops the queue rows,
-- the insert recomputes them (a vacancy without matches left keeps none).
CREATE OR REPLACE FUNCTION matching_queuescope_after_counts_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM matching_queuescope WHERE vacancy_id IN (SELECT DISTINCT vacancy_id FROM old_rows);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION matching_queuescope_after_counts_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM matching_queuescope_refresh(ARRAY(SELECT DISTINCT vacancy_id FROM new_rows));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION matching_queuescope_after_vacancy_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM matching_queuescope_refresh(ARRAY(
        SELECT n.id FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
        WHERE o.status <> n.status OR o.place_id <> n.place_id OR o.is_stem <> n.is_stem
    ));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION matching_queuescope_after_service_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM matching_queuescope_refresh(ARRAY(SELECT DISTINCT vacancy_id FROM matching_shortlistcount));
    RETURN NULL;
END $$;

CREATE TRIGGER matching_queuescope_counts_delete AFTER DELETE ON matching_shortlistcount
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION matching_queuescope_after_counts_delete();
CREATE TRIGGER matching_queuescope_counts_insert AFTER INSERT ON matching_shortlistcount
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION matching_queuescope_after_counts_insert();
CREATE TRIGGER matching_queuescope_vacancy AFTER UPDATE ON vacancies_vacancy
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION matching_queuescope_after_vacancy_update();
CREATE TRIGGER matching_queuescope_service_insert AFTER INSERT ON accounts_employmentservice
    FOR EACH STATEMENT EXECUTE FUNCTION matching_queuescope_after_service_change();
CREATE TRIGGER matching_queuescope_service_update AFTER UPDATE OF country ON accounts_employmentservice
    FOR EACH STATEMENT EXECUTE FUNCTION matching_queuescope_after_service_change();

SELECT matching_queuescope_refresh(ARRAY(SELECT DISTINCT vacancy_id FROM matching_shortlistcount));
"""

DROP = """
DROP TRIGGER IF EXISTS matching_queuescope_service_update ON accounts_employmentservice;
DROP TRIGGER IF EXISTS matching_queuescope_service_insert ON accounts_employmentservice;
DROP TRIGGER IF EXISTS matching_queuescope_vacancy ON vacancies_vacancy;
DROP TRIGGER IF EXISTS matching_queuescope_counts_insert ON matching_shortlistcount;
DROP TRIGGER IF EXISTS matching_queuescope_counts_delete ON matching_shortlistcount;
DROP FUNCTION IF EXISTS matching_queuescope_after_service_change();
DROP FUNCTION IF EXISTS matching_queuescope_after_vacancy_update();
DROP FUNCTION IF EXISTS matching_queuescope_after_counts_insert();
DROP FUNCTION IF EXISTS matching_queuescope_after_counts_delete();
DROP FUNCTION IF EXISTS matching_queuescope_refresh(bigint[]);
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_user_language"),
        ("matching", "0011_rebuild_shard_parts"),
        ("taxonomy", "0003_full_esco"),
        ("vacancies", "0004_import_jobs"),
    ]

    operations = [
        migrations.CreateModel(
            name="QueueScope",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("scope", models.CharField(max_length=41)),
                ("country", models.CharField(blank=True, max_length=2)),
                ("is_stem", models.BooleanField()),
                ("undecided", models.PositiveIntegerField()),
                ("decidable", models.PositiveIntegerField()),
                ("flagged", models.PositiveIntegerField()),
                ("best", models.FloatField(null=True)),
                ("waiting_since", models.DateTimeField(null=True)),
                (
                    "of_service",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.employmentservice",
                    ),
                ),
                (
                    "place",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="taxonomy.place"
                    ),
                ),
                (
                    "vacancy",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="vacancies.vacancy"
                    ),
                ),
                (
                    "viewer_service",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.employmentservice",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["scope", "waiting_since", "vacancy"], name="queuescope_page")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("scope", "vacancy"),
                        name="queuescope_unique",
                    )
                ],
            },
        ),
        migrations.RunPython(_on_postgresql(REFRESH), _on_postgresql(DROP), elidable=False),
    ]
