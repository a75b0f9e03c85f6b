# An alias carries its model's project: resolving it reads no model row.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('model_registry', '0006_webhooks'),
    ]

    operations = [
        migrations.AddField(
            model_name='modelalias',
            name='project_id',
            field=models.UUIDField(null=True),
        ),
        migrations.RunSQL(
            sql=(
                'UPDATE model_registry_model_alias a SET project_id = m.project_id '
                'FROM model_registry_registered_model m WHERE m.id = a.registered_model_id'
            ),
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name='modelalias',
            name='project_id',
            field=models.UUIDField(),
        ),
    ]
