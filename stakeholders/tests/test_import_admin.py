from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stakeholders.models import Stakeholder

URL = reverse("admin:stakeholders_stakeholder_import")


def upload(content: str) -> dict:
    return {"file": SimpleUploadedFile("actors.csv", content.encode(), content_type="text/csv")}


def test_changelist_links_to_the_import(admin_client):
    response = admin_client.get(reverse("admin:stakeholders_stakeholder_changelist"))

    assert URL in response.content.decode()


def test_admin_imports_a_valid_file_and_returns_to_the_list(admin_client):
    response = admin_client.post(URL, upload("name,sector,level,country\nRed Andina,civil_society,local,CO\n"))

    assert response.status_code == 302
    assert response.url == reverse("admin:stakeholders_stakeholder_changelist")
    assert Stakeholder.objects.filter(name="Red Andina").exists()


def test_admin_sees_every_bad_row_with_its_line_and_nothing_is_imported(admin_client):
    content = "name,sector,level,country\nRed Andina,civil_society,local,CO\nX,bakery,local,CO\nY,private,up,PE\n"

    response = admin_client.post(URL, upload(content))

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 rows have problems; nothing was imported." in page
    assert "Line 3: unknown sector &#x27;bakery&#x27;" in page
    assert "Line 4: unknown level &#x27;up&#x27;" in page
    assert not Stakeholder.objects.filter(name="Red Andina").exists()


def test_staff_of_one_country_cannot_import_into_another(world, client):
    staff = world.staff_co
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="add_stakeholder"))
    client.force_login(staff)

    response = client.post(URL, upload("name,sector,level,country\nMinera Nueva,private,local,PE\n"))

    assert "Line 2: you may not add stakeholders in Peru" in response.content.decode()
    assert not Stakeholder.objects.filter(name="Minera Nueva").exists()


def test_admin_user_without_the_add_permission_is_refused(world, client):
    staff = world.staff_co
    staff.is_staff = True
    staff.save()
    client.force_login(staff)

    assert client.get(URL).status_code == 403


def test_users_who_may_not_use_the_admin_are_sent_to_its_login(partner_client):
    response = partner_client.get(URL)

    assert response.status_code == 302
    assert "/admin/login/" in response.url
