"""The stored search document of a vacancy (vacancies/search.py) and the indexes that serve it.

On PostgreSQL: a GIN index on the weighted search vector, and pg_trgm GIN indexes on the
normalised labels of occupations and skills (taxonomy's OccupationLabel/SkillLabel.search_form)
that the autocomplete's ``contains`` lookups use. They are created here, with the search, rather
than declared on the models, because they exist only on PostgreSQL: SQLite (the quick start) has
no GIN and no pg_trgm. Existing vacancies get their document from ``manage.py search_reindex``.
"""

import django.contrib.postgres.search
from django.db import migrations, models

POSTGRES_INDEXES = [
    ("vacancy_search_vector_gin", "vacancies_vacancy", "gin (search_vector)"),
    ("occupationlabel_search_trgm", "taxonomy_occupationlabel", "gin (search_form gin_trgm_ops)"),
    ("skilllabel_search_trgm", "taxonomy_skilllabel", "gin (search_form gin_trgm_ops)"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, method in POSTGRES_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING {method}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _method in POSTGRES_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("vacancies", "0002_vacancy_shift_start_times"),
        ("taxonomy", "0003_full_esco"),
    ]

    operations = [
        migrations.AddField(
            model_name="vacancy",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="vacancy",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
