from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("related", "0003_article_density")]

    operations = [
        migrations.CreateModel(
            name="TermPostings",
            fields=[
                (
                    "term",
                    models.PositiveIntegerField(primary_key=True, serialize=False),
                ),
                ("data", models.BinaryField()),
            ],
        ),
    ]
