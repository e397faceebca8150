"""Per-vacancy shortlist counts for the work queue, kept by PostgreSQL triggers (issue 15).

The queue grouped every undecided match on each view (three scans of 500,000 matches at
100k x 10k); it now reads ``matching_shortlistcount``. Statement-level triggers with transition
tables recompute the rows of the vacancies a statement touched, whoever writes (the worker's
upsert or COPY, a decision, a cascade on erasure), in the same transaction. A per-vacancy
advisory lock (the two-key space 1515, id) makes concurrent writers on one vacancy take turns,
so a recount always sees the other's committed rows. On other databases nothing is created and
the selectors count from the matches (matching/selectors.py).
"""

import django.db.models.deletion
from django.db import migrations, models

REFRESH = """
CREATE OR REPLACE FUNCTION matching_shortlistcount_refresh(vacancy_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF vacancy_ids IS NULL OR cardinality(vacancy_ids) = 0 THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(1515, (s.v % 2147483647)::int)
    FROM (SELECT DISTINCT v FROM unnest(vacancy_ids) AS v ORDER BY v) AS s;
    DELETE FROM matching_shortlistcount WHERE vacancy_id = ANY (vacancy_ids);
    INSERT INTO matching_shortlistcount (
        vacancy_id, employment_service_id, cross_border, proposed, approved, rejected, flagged,
        flagged_approved, best_proposed, waiting_since
    )
    SELECT m.vacancy_id, c.employment_service_id, c.consent_cross_border_at IS NOT NULL,
        count(*) FILTER (WHERE m.review_status = 'proposed'),
        count(*) FILTER (WHERE m.review_status = 'approved'),
        count(*) FILTER (WHERE m.review_status = 'rejected'),
        count(*) FILTER (WHERE m.is_flagged),
        count(*) FILTER (WHERE m.is_flagged AND m.review_status = 'approved'),
        max(m.score) FILTER (WHERE m.review_status = 'proposed'),
        min(m.created_at) FILTER (WHERE m.review_status = 'proposed')
    FROM matching_match AS m JOIN candidates_candidate AS c ON c.id = m.candidate_id
    WHERE m.vacancy_id = ANY (vacancy_ids)
    GROUP BY 1, 2, 3;
END $$;

CREATE OR REPLACE FUNCTION matching_shortlistcount_after_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM matching_shortlistcount_refresh(ARRAY(SELECT DISTINCT vacancy_id FROM new_rows));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION matching_shortlistcount_after_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM matching_shortlistcount_refresh(ARRAY(SELECT DISTINCT vacancy_id FROM old_rows));
    RETURN NULL;
END $$;

-- Only rows whose counted columns changed (a candidate's answer or a new explanation does not).
CREATE OR REPLACE FUNCTION matching_shortlistcount_after_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM matching_shortlistcount_refresh(ARRAY(
        SELECT DISTINCT unnest(ARRAY[o.vacancy_id, n.vacancy_id])
        FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
        WHERE o.vacancy_id <> n.vacancy_id OR o.candidate_id <> n.candidate_id
            OR o.review_status <> n.review_status OR o.is_flagged <> n.is_flagged
            OR o.score <> n.score OR o.created_at <> n.created_at
    ));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION matching_shortlistcount_after_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM matching_shortlistcount;
    RETURN NULL;
END $$;

-- A candidate who changes service or cross-border consent moves to another group.
CREATE OR REPLACE FUNCTION matching_shortlistcount_after_candidate_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM matching_shortlistcount_refresh(ARRAY(
        SELECT DISTINCT m.vacancy_id
        FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
        JOIN matching_match AS m ON m.candidate_id = n.id
        WHERE o.employment_service_id IS DISTINCT FROM n.employment_service_id
            OR (o.consent_cross_border_at IS NULL) <> (n.consent_cross_border_at IS NULL)
    ));
    RETURN NULL;
END $$;

CREATE TRIGGER matching_shortlistcount_insert AFTER INSERT ON matching_match
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION matching_shortlistcount_after_insert();
CREATE TRIGGER matching_shortlistcount_update AFTER UPDATE ON matching_match
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION matching_shortlistcount_after_update();
CREATE TRIGGER matching_shortlistcount_delete AFTER DELETE ON matching_match
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION matching_shortlistcount_after_delete();
CREATE TRIGGER matching_shortlistcount_truncate AFTER TRUNCATE ON matching_match
    FOR EACH STATEMENT EXECUTE FUNCTION matching_shortlistcount_after_truncate();
CREATE TRIGGER matching_shortlistcount_candidate AFTER UPDATE ON candidates_candidate
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION matching_shortlistcount_after_candidate_update();

SELECT matching_shortlistcount_refresh(ARRAY(SELECT DISTINCT vacancy_id FROM matching_match));
"""

DROP = """
DROP TRIGGER IF EXISTS matching_shortlistcount_candidate ON candidates_candidate;
DROP TRIGGER IF EXISTS matching_shortlistcount_truncate ON matching_match;
DROP TRIGGER IF EXISTS matching_shortlistcount_delete ON matching_match;
DROP TRIGGER IF EXISTS matching_shortlistcount_update ON matching_match;
DROP TRIGGER IF EXISTS matching_shortlistcount_insert ON matching_match;
DROP FUNCTION IF EXISTS matching_shortlistcount_after_candidate_update();
DROP FUNCTION IF EXISTS matching_shortlistcount_after_truncate();
DROP FUNCTION IF EXISTS matching_shortlistcount_after_update();
DROP FUNCTION IF EXISTS matching_shortlistcount_after_delete();
DROP FUNCTION IF EXISTS matching_shortlistcount_after_insert();
DROP FUNCTION IF EXISTS matching_shortlistcount_refresh(bigint[]);
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("candidates", "0001_initial"),
        ("vacancies", "0001_initial"),
        ("matching", "0007_rebuild_watchdog"),
    ]

    operations = [
        migrations.CreateModel(
            name="ShortlistCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("cross_border", models.BooleanField()),
                ("proposed", models.PositiveIntegerField(default=0)),
                ("approved", models.PositiveIntegerField(default=0)),
                ("rejected", models.PositiveIntegerField(default=0)),
                ("flagged", models.PositiveIntegerField(default=0)),
                ("flagged_approved", models.PositiveIntegerField(default=0)),
                ("best_proposed", models.FloatField(null=True)),
                ("waiting_since", models.DateTimeField(null=True)),
                (
                    "employment_service",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.employmentservice",
                    ),
                ),
                (
                    "vacancy",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="vacancies.vacancy"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("vacancy", "employment_service", "cross_border"),
                        nulls_distinct=False,
                        name="shortlistcount_unique_group",
                    )
                ],
            },
        ),
        migrations.RunPython(_on_postgresql(REFRESH), _on_postgresql(DROP), elidable=False),
    ]
