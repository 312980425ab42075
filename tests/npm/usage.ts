// A typed usage example: must compile with `tsc --noEmit --strict` against the packed package.
import {
  TfeClient, TfeError, validateDuration, checkSnapshot, diff, plan, undoOf, revokeDocument,
  type GrantUsage, type AdminPage, type Snapshot, type SnapshotDifference, type SnapshotPlan, type ApplyResult, type AdminOrganizationUpdate, type CollaboratorAuthPolicy, type Organization, type OrganizationBody, type TfeErrorKind, type ValidationError, type Rule, type JsonApiError,
} from "tfe-orgs";

// Configuration as data (the nodejs build): snapshot, compare, plan, keep the undo, apply.
async function configuration(tfe: TfeClient, desired: Snapshot): Promise<number> {
  const live: Snapshot = await tfe.snapshot({ onProgress: (p) => console.log(p.stage, p.done, p.total) });
  const drift: SnapshotDifference[] = diff(desired, live);
  const changes: string[] = drift.map((d) => `${d.organization} ${d.field}: ${d.change}`);
  const todo: SnapshotPlan = plan(desired, live);
  const undo: Snapshot = undoOf(todo, live);
  const problems: string[] = checkSnapshot(JSON.stringify(undo)).map((p) => `${p.field}: ${p.message}`);
  const result: ApplyResult = await tfe.apply(todo, { signal: new AbortController().signal });
  // @ts-expect-error a snapshot has no such field
  const wrong: Snapshot = { format: "tfe-orgs/snapshot@1", organisations: {} };
  console.log(changes, problems, wrong, (await tfe.snapshot()).organizations);
  return result.items.filter((i) => i.outcome === "failed").length + todo.missing.length;
}

// Which grants are used: a union tagged by `usage`; only a used grant has items, only an unknown
// one a reason.
async function grantsInUse(tfe: TfeClient): Promise<Snapshot> {
  const grants: GrantUsage[] = await tfe.grantUsage({ registry: "providers", producers: ["acme"], onProgress: (d, t) => console.log(d, t) });
  for (const g of grants) {
    if (g.usage === "used") console.log(g.items.map((i) => `${i.name} ${i.version ?? ""} ${i.workspaces.join(" ")}`), g.workspaceCount);
    else if (g.usage === "unknown") console.log(g.reason);
    // @ts-expect-error an unused grant has no items
    else console.log(g.items);
  }
  // @ts-expect-error not a registry
  await tfe.grantUsage({ registry: "things" });
  const fresh: Snapshot = await tfe.revokeNow(grants.filter((g) => g.usage === "unused"));
  console.log(fresh.organizations);
  return revokeDocument(grants, grants.filter((g) => g.usage === "unused" && !g.global));
}

async function main(): Promise<void> {
  const tfe = new TfeClient({ baseUrl: "https://tfe.example.com", token: "t", maxRetries: 2, timeoutMs: 5000 });
  const page: AdminPage = await tfe.adminListOrganizations({ q: "acme", moduleProducer: true, pageSize: 50 });
  const counts: number | undefined = page.statusCounts?.total;
  const names: (string | null)[] = page.items.map((o) => o.name);
  const org: Organization = await tfe.getOrganization("hashicorp", { include: "entitlement_set" });
  const mode: string | null = org.defaultExecutionMode;
  await tfe.createOrganization({ name: "new-org", email: "ops@example.com", collaboratorAuthPolicy: "two_factor_mandatory" });
  await tfe.adminUpdateOrganization("new-org", { globalModuleSharing: false, planTimeout: "2h" });
  await tfe.adminSetModuleConsumers("new-org", ["an-org"]);
  // The types are the model's: enum values are unions, a timeout can be null (instance default).
  const policy: CollaboratorAuthPolicy = "password";
  const body: OrganizationBody = { name: "other-org", email: "ops@example.com", collaboratorAuthPolicy: policy };
  // @ts-expect-error not a documented policy
  const wrong: OrganizationBody = { collaboratorAuthPolicy: "sometimes" };
  // @ts-expect-error not an attribute of the body
  const misspelt: OrganizationBody = { emial: "ops@example.com" };
  const back: AdminOrganizationUpdate = { applyTimeout: null };
  const updated = await tfe.adminUpdateOrganization("new-org", back);
  const applyTimeout: string | null = updated.applyTimeout;
  const kind: TfeErrorKind = "validation";
  console.log(body, wrong, misspelt, applyTimeout, kind);
  const all: Organization[] = await tfe.listAllOrganizations({}, (p) => console.log(p.items, p.totalCount));
  const problems = validateDuration("2d").map((v) => `${v.field}: ${v.rule}`);
  try {
    await tfe.deleteOrganization("new-org");
  } catch (e) {
    if (e instanceof TfeError) {
      // Narrowed by the class: an Error with the typed fields.
      const why: string = `${e.message} ${e.kind} ${e.status ?? ""} ${e.field ?? ""}`;
      // The fields are derived from the library's types: the rule from the closed list.
      const rule: Rule | null = e.rule;
      const details: (string | undefined)[] = e.errors.map((x: JsonApiError) => x.detail ?? x.source?.pointer);
      // @ts-expect-error a TfeError's rule is a Rule, not any string
      const loose: typeof e.rule = "no-such-rule";
      console.log(why, e.stack, rule, details, loose);
    }
  }
  // A bulk item is a union tagged by `outcome`: only a failed one has an error.
  const result = await tfe.adminUpdateOrganizations(["a", "b"], { accessBetaTools: true }, { dryRun: true });
  for (const item of result.items) {
    if (item.outcome === "failed") {
      const failure: TfeErrorKind = item.error.kind;
      console.log(item.name, failure);
    } else {
      // @ts-expect-error an item that did not fail has no error
      console.log(item.error);
    }
  }
  // A validation error names its rule from a closed list.
  // @ts-expect-error not a rule the library has
  const rule: ValidationError["rule"] = "no-such-rule";
  console.log(counts, names, mode, all.length, problems, rule);
}

void main();
void configuration;
void grantsInUse;
