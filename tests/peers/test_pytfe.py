"""HashiCorp's python-tfe (`pytfe` on PyPI, pinned in requirements.txt) against the sandbox,
unchanged: its organization, admin organization and data retention calls, and what each returns.

The sandbox's address is in TFE_SANDBOX_URL; `cargo xtask test peers` starts it."""

import os
import unittest
import urllib.request

from pytfe import TFEClient, TFEConfig
from pytfe.errors import TFEError
from pytfe.models import (
    AdminOrganizationListOptions,
    AdminOrganizationUpdateOptions,
    DataRetentionPolicyDeleteOlderSetOptions,
    DataRetentionPolicyDontDeleteSetOptions,
    OrganizationCreateOptions,
    OrganizationUpdateOptions,
)

URL = os.environ["TFE_SANDBOX_URL"]
ADMIN = "sandbox-admin-token"


def client(token=ADMIN):
    return TFEClient(TFEConfig(address=URL, token=token, max_retries=2))


def setUpModule():
    urllib.request.urlopen(urllib.request.Request(URL + "/_sandbox/reset", method="POST", headers={"Content-Type": "application/json"}))


class Organizations(unittest.TestCase):
    def test_read_and_list(self):
        org = client().organizations.read("hashicorp")
        self.assertEqual((org.id, org.name, org.email), ("hashicorp", "hashicorp", "hashicorp@example.com"))
        self.assertEqual(org.default_execution_mode, "remote")
        self.assertTrue(org.permissions["can-update"])
        # The relationships TFE sends, kept raw by pytfe.
        for name in ["entitlement-set", "data-retention-policy", "module-producers", "default-agent-pool"]:
            self.assertIn(name, org.relationships, name)
        names = [o.name for o in client().organizations.list()]
        self.assertIn("hashicorp", names)
        self.assertEqual(len(names), len(set(names)), "pages are not repeated")

    def test_create_update_delete(self):
        c = client()
        created = c.organizations.create(OrganizationCreateOptions(name="pytfe-org", email="py@example.com"))
        self.assertEqual((created.name, created.email), ("pytfe-org", "py@example.com"))
        updated = c.organizations.update("pytfe-org", OrganizationUpdateOptions(email="ops@example.com"))
        self.assertEqual(updated.email, "ops@example.com")
        self.assertEqual(c.organizations.read("pytfe-org").email, "ops@example.com")
        renamed = c.organizations.update("pytfe-org", OrganizationUpdateOptions(name="pytfe-renamed"))
        self.assertEqual(renamed.name, "pytfe-renamed")
        c.organizations.delete("pytfe-renamed")
        with self.assertRaises(TFEError):
            c.organizations.read("pytfe-renamed")

    def test_a_taken_name_is_refused(self):
        with self.assertRaises(TFEError) as caught:
            client().organizations.create(OrganizationCreateOptions(name="hashicorp", email="x@example.com"))
        self.assertIn("422", str(caught.exception) + repr(getattr(caught.exception, "status", "")))

    def test_entitlements(self):
        entitlements = client().organizations.read_entitlements("hashicorp")
        self.assertIsNotNone(entitlements)

    def test_data_retention_policy(self):
        c = client()
        policy = c.organizations.set_data_retention_policy_delete_older(
            "acme-data", DataRetentionPolicyDeleteOlderSetOptions(delete_older_than_n_days=30)
        )
        self.assertEqual(policy.delete_older_than_n_days, 30)
        self.assertTrue(policy.id.startswith("drp-"))
        # The organization points at the policy it has, polymorphic type included.
        rel = c.organizations.read("acme-data").relationships["data-retention-policy"]
        self.assertEqual(rel["data"], {"id": policy.id, "type": "data-retention-policy-delete-olders"})
        dont = c.organizations.set_data_retention_policy_dont_delete("acme-data", DataRetentionPolicyDontDeleteSetOptions())
        rel = c.organizations.read("acme-data").relationships["data-retention-policy"]
        self.assertEqual(rel["data"]["type"], "data-retention-policy-dont-deletes")
        self.assertEqual(rel["data"]["id"], dont.id)
        c.organizations.delete_data_retention_policy("acme-data")
        self.assertIsNone(c.organizations.read("acme-data").relationships["data-retention-policy"]["data"])


class AdminOrganizations(unittest.TestCase):
    def test_list_search_read(self):
        admin = client().admin.organizations
        found = list(admin.list(AdminOrganizationListOptions(query="acme")))
        names = sorted(o.name for o in found)
        # `q` matches names and notification emails (platform-core's is an acme.io address).
        self.assertEqual(names, ["acme-data", "acme-legacy", "acme-networking", "acme-payments", "acme-security", "platform-core"])
        org = admin.read("platform-core")
        self.assertEqual(org.name, "platform-core")
        self.assertTrue(org.global_module_sharing)

    def test_update_and_delete(self):
        admin = client().admin.organizations
        updated = admin.update("acme-networking", AdminOrganizationUpdateOptions(global_module_sharing=True))
        self.assertTrue(updated.global_module_sharing)
        self.assertTrue(admin.read("acme-networking").global_module_sharing)
        client().organizations.create(OrganizationCreateOptions(name="pytfe-doomed", email="d@example.com"))
        admin.delete("pytfe-doomed")
        with self.assertRaises(TFEError):
            admin.read("pytfe-doomed")

    def test_non_admins_get_404(self):
        with self.assertRaises(TFEError):
            client("sandbox-member-token").admin.organizations.read("hashicorp")


if __name__ == "__main__":
    unittest.main()
