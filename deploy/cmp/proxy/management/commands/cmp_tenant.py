"""Creates (or keeps) a project, a region linked to it, optionally a user,
and an access token for the project: what CMP's own screens would make.

    manage.py cmp_tenant --project UUID --region UUID [--region-name N]
                         [--user UUID --email E] [--token KEY]
"""

from django.core.management.base import BaseCommand

from organization.models import ProjectRegion, Region
from proxy.models import AccessToken
from tenant.models import Project, User


class Command(BaseCommand):
    help = "Create a project, its region, a user and an access token"

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True)
        parser.add_argument("--region", required=True)
        parser.add_argument("--region-name", default="")
        parser.add_argument("--user")
        parser.add_argument("--email", default="")
        parser.add_argument("--token")

    def handle(self, *args, **options):
        project, _ = Project.objects.get_or_create(id=options["project"], defaults={"name": "project"})
        region, _ = Region.objects.get_or_create(id=options["region"], defaults={"name": options["region_name"]})
        ProjectRegion.objects.get_or_create(project=project, region=region)
        if options["user"]:
            User.objects.get_or_create(id=options["user"], defaults={"email": options["email"]})
        if options["token"]:
            AccessToken.objects.get_or_create(key=options["token"], defaults={"project": project})
        self.stdout.write(f"project {project.id}, region {region.id}")
