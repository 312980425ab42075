"""terrasnek (pinned in requirements.txt) against the sandbox, unchanged: it starts from service
discovery (/.well-known/terraform.json) as the Terraform CLI does, then drives organizations,
admin organizations and module sharing; each call's answer is checked.

The sandbox's address is in TFE_SANDBOX_URL; `cargo xtask test peers` starts it."""

import json
import os
import unittest
import urllib.request

from terrasnek.api import TFC
from terrasnek.exceptions import TFCHTTPNotFound

URL = os.environ["TFE_SANDBOX_URL"]
# The release the sandbox answers as (`cargo xtask test` runs the suite against two).
RELEASE = os.environ.get("TFE_RELEASE", "current")


def api(token="sandbox-admin-token"):
    # No version check: it would ask pypi.org, and tests reach only loopback.
    return TFC(token, url=URL, skip_version_check=True)


def setUpModule():
    urllib.request.urlopen(urllib.request.Request(URL + "/_sandbox/reset", method="POST", headers={"Content-Type": "application/json"}))


def names(document):
    return [item["attributes"]["name"] for item in document["data"]]


class ServiceDiscovery(unittest.TestCase):
    def test_well_known_and_ping(self):
        with urllib.request.urlopen(URL + "/.well-known/terraform.json") as r:
            services = json.load(r)
        self.assertEqual(services["tfe.v2"], "/api/v2/")
        self.assertEqual(services["modules.v1"], "/api/registry/v1/modules/")
        with urllib.request.urlopen(URL + "/api/v2/ping") as r:
            self.assertEqual(r.status, 204)
            self.assertEqual(r.headers["TFP-API-Version"], "2.6")
            self.assertEqual(r.headers["X-RateLimit-Limit"], "30")
        self.assertEqual(api().well_known_paths()["tfe.v2"], "/api/v2/")


class Organizations(unittest.TestCase):
    def test_show_list_entitlements_producers(self):
        t = api()
        org = t.orgs.show("hashicorp")["data"]
        self.assertEqual(org["attributes"]["email"], "hashicorp@example.com")
        self.assertIn("module-producers", org["relationships"])
        listed = t.orgs.list(page=1, page_size=5)
        self.assertEqual(len(listed["data"]), 5)
        self.assertEqual(listed["meta"]["pagination"]["current-page"], 1)
        every = t.orgs.list_all()
        self.assertEqual(len(every["data"]), listed["meta"]["pagination"]["total-count"])
        self.assertEqual(t.orgs.entitlements("hashicorp")["data"]["type"], "entitlement-sets")
        # The seeded producers (another test may add acme-legacy, by the deprecated endpoint).
        producers = set(names(t.orgs.show_module_producers("hashicorp")))
        self.assertLessEqual({"globex-infra", "hc-nomad", "hooli-cloud", "platform-core"}, producers)
        self.assertLessEqual(producers, {"globex-infra", "hc-nomad", "hooli-cloud", "platform-core", "acme-legacy"})

    def test_create_update_destroy(self):
        t = api()
        payload = {"data": {"type": "organizations", "attributes": {"name": "snek-org", "email": "s@example.com"}}}
        created = t.orgs.create(payload)["data"]
        self.assertEqual(created["attributes"]["name"], "snek-org")
        update = {"data": {"type": "organizations", "attributes": {"email": "ops@example.com", "session-timeout": 60}}}
        updated = t.orgs.update("snek-org", update)["data"]["attributes"]
        self.assertEqual((updated["email"], updated["session-timeout"]), ("ops@example.com", 60))
        t.orgs.destroy("snek-org")
        self.assertNotIn("snek-org", names(t.orgs.list_all()))


class AdminOrganizationsAndModuleSharing(unittest.TestCase):
    def test_list_show_update(self):
        t = api()
        listed = t.admin_orgs.list(include=["owners"])
        self.assertIn("status-counts", listed["meta"])
        self.assertTrue(any(i["type"] == "users" for i in listed.get("included", [])))
        shown = t.admin_orgs.show("my-organization", include=["owners"])
        self.assertEqual(shown["data"]["attributes"]["name"], "my-organization")
        # The name this release uses (current-tfe.md): current ones renamed the timeouts.
        plan = "plan-timeout" if RELEASE == "current" else "terraform-build-worker-plan-timeout"
        payload = {"data": {"type": "organizations", "attributes": {"is-disabled": True, plan: "90m"}}}
        updated = t.admin_orgs.update("acme-legacy", payload)["data"]["attributes"]
        self.assertEqual((updated["is-disabled"], updated[plan]), (True, "90m"))

    def test_module_consumers(self):
        t = api()
        payload = {"data": [{"type": "organizations", "id": "acme-data"}, {"type": "organizations", "id": "acme-payments"}]}
        t.admin_orgs.update_org_module_consumers("acme-security", payload)
        consumers = t.admin_orgs.list_org_module_consumers("acme-security")
        self.assertEqual(sorted(names(consumers)), ["acme-data", "acme-payments"])
        self.assertFalse(t.admin_orgs.show("acme-security")["data"]["attributes"]["global-module-sharing"])

    def test_deprecated_module_partnerships(self):
        t = api()
        external_id = t.orgs.show("hashicorp")["data"]["attributes"]["external-id"]
        payload = {"data": {"type": "module-partnerships", "attributes": {"module-consuming-organization-ids": [external_id]}}}
        partnerships = t.admin_module_sharing.update("acme-legacy", payload)["data"]
        self.assertEqual(partnerships[0]["attributes"]["consuming-organization-name"], "hashicorp")
        self.assertEqual(partnerships[0]["attributes"]["producing-organization-name"], "acme-legacy")

    def test_destroy(self):
        t = api()
        t.orgs.create({"data": {"type": "organizations", "attributes": {"name": "snek-doomed", "email": "d@example.com"}}})
        t.admin_orgs.destroy("snek-doomed")
        with self.assertRaises(TFCHTTPNotFound):
            t.admin_orgs.show("snek-doomed")


if __name__ == "__main__":
    unittest.main()
