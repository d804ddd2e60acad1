//! Gathers the records read from every file into one snapshot: deduplicates them (ids compared without regard to
//! case), links members to groups and owners to what they own, fills in the tenant, and writes the coverage.

use super::types::split_type;
use super::Warning;
use serde_json::{Map, Value};
use sightline_model::{
    Account, Coverage, CoverageStatus, Organization, OrganizationUnit, Policy, Principal, Provider, Resource, Snapshot,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Where the record being read is: for warnings.
#[derive(Debug, Default)]
pub(crate) struct Place {
    pub file: PathBuf,
    pub index: Option<usize>,
    /// The file could not be read whole: what it held is not all there was.
    pub truncated: bool,
}

/// Counts for one file.
#[derive(Debug, Default)]
pub(crate) struct FileCounts {
    pub records: usize,
    pub imported: usize,
    pub skipped: usize,
    /// Records of types Sightline does not know, by type as given.
    pub unknown_types: BTreeMap<String, usize>,
    /// Records of kinds that are read but not imported (AzureHound's derived kinds), by kind.
    pub ignored_kinds: BTreeMap<String, usize>,
}

#[derive(Debug, Default)]
pub(crate) struct Builder {
    pub place: Place,
    pub counts: FileCounts,
    pub warnings: Vec<Warning>,
    /// Tenant ids seen, as given (first spelling kept), by lowercase id.
    tenants: BTreeMap<String, String>,
    accounts: BTreeMap<String, Account>,
    units: BTreeMap<String, (Option<String>, OrganizationUnit)>,
    principals: BTreeMap<String, Principal>,
    /// Principals known only from a member or owner list (a partial object), by lowercase id.
    partial: BTreeSet<String>,
    policies: BTreeMap<String, Policy>,
    resources: BTreeMap<String, Resource>,
    /// (member, group id) pairs, the member by lowercase id.
    memberships: BTreeSet<(String, String)>,
    /// Owner ids by the lowercase id of what they own.
    owners: BTreeMap<String, BTreeSet<String>>,
    /// The management group above each subscription, by lowercase subscription id.
    subscription_parents: BTreeMap<String, String>,
    /// Coverage by (account, service, operation): the status, and why when not collected.
    coverage: BTreeMap<(String, String, String), (CoverageStatus, Option<String>)>,
}

/// A record without a known tenant carries this until [`Builder::finish`] fills it in.
pub(crate) const NO_TENANT: &str = "";

pub(crate) fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

/// A string field of an object, if present and not empty.
pub(crate) fn str_of<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    obj.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// Tags as the snapshot keeps them: string values as they are, others in their JSON text.
pub(crate) fn tags_of(obj: &Map<String, Value>) -> BTreeMap<String, String> {
    match obj.get("tags") {
        Some(Value::Object(tags)) => {
            tags.iter().map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string))).collect()
        }
        _ => BTreeMap::new(),
    }
}

/// The subscription id in an ARM id or scope (`/subscriptions/{id}/...`).
pub(crate) fn subscription_of(id: &str) -> Option<&str> {
    let mut parts = id.split('/').filter(|s| !s.is_empty());
    let first = parts.next()?;
    if first.eq_ignore_ascii_case("subscriptions") {
        parts.next()
    } else {
        None
    }
}

impl Builder {
    /// Records a warning about the current record.
    pub fn warn(&mut self, id: Option<&str>, message: impl Into<String>) {
        self.warnings.push(Warning {
            file: self.place.file.clone(),
            record: self.place.index,
            id: id.map(str::to_string),
            message: message.into(),
        });
    }

    /// Records a warning about the current file as a whole.
    pub fn warn_file(&mut self, message: impl Into<String>) {
        self.warnings.push(Warning { file: self.place.file.clone(), record: None, id: None, message: message.into() });
    }

    /// Notes a tenant id seen in the data; returns it as first spelled.
    pub fn tenant(&mut self, id: &str) -> String {
        self.tenants.entry(lower(id)).or_insert_with(|| id.to_string()).clone()
    }

    /// Notes that a list of `operation` of `service` in `account` was read.
    pub fn covered(&mut self, account: &str, service: &str, operation: &str) {
        let key = (account.to_string(), service.to_string(), operation.to_string());
        let status = match self.place.truncated {
            true => (CoverageStatus::Failed, Some(format!("{} could not be read whole", self.place.file.display()))),
            false => (CoverageStatus::Collected, None),
        };
        self.set_coverage(key, status);
    }

    /// Notes that a list could not be read: `denied` (the API refused it) or failed, and why.
    pub fn not_covered(&mut self, account: &str, service: &str, operation: &str, denied: bool, why: String) {
        let key = (account.to_string(), service.to_string(), operation.to_string());
        let status = if denied { CoverageStatus::Denied } else { CoverageStatus::Failed };
        self.set_coverage(key, (status, Some(why)));
    }

    /// A collected list wins over an incomplete or refused one (from another file, or another page).
    fn set_coverage(&mut self, key: (String, String, String), status: (CoverageStatus, Option<String>)) {
        match self.coverage.get_mut(&key) {
            Some(existing) => {
                if existing.0 != CoverageStatus::Collected {
                    *existing = status;
                }
            }
            None => {
                self.coverage.insert(key, status);
            }
        }
    }

    /// Notes coverage of an ARM type in an account.
    pub fn covered_type(&mut self, account: &str, resource_type: &str) {
        let (namespace, rest) = split_type(resource_type);
        self.covered(account, namespace, rest);
    }

    pub fn account(&mut self, account: Account) {
        let key = lower(&account.id);
        match self.accounts.get_mut(&key) {
            Some(existing) => {
                existing.name = account.name.or(existing.name.take());
                existing.organization_id = account.organization_id.or(existing.organization_id.take());
                existing.parent_id = account.parent_id.or(existing.parent_id.take());
                existing.tags.extend(account.tags);
            }
            None => {
                self.accounts.insert(key, account);
            }
        }
    }

    pub fn unit(&mut self, tenant: Option<String>, unit: OrganizationUnit) {
        let key = lower(&unit.id);
        match self.units.get_mut(&key) {
            Some((t, existing)) => {
                if tenant.is_some() {
                    *t = tenant;
                }
                if !unit.name.is_empty() {
                    existing.name = unit.name;
                }
                if unit.parent_id.is_some() {
                    existing.parent_id = unit.parent_id;
                }
            }
            None => {
                self.units.insert(key, (tenant, unit));
            }
        }
    }

    /// Sets the parent of a management group already read, or notes the group with its parent.
    pub fn unit_parent(&mut self, tenant: Option<String>, id: &str, name: Option<&str>, parent: &str) {
        let unit = OrganizationUnit {
            id: id.to_string(),
            name: name.unwrap_or_default().to_string(),
            parent_id: Some(parent.to_string()),
        };
        self.unit(tenant, unit);
    }

    pub fn subscription_parent(&mut self, subscription: &str, group: &str) {
        self.subscription_parents.insert(lower(subscription), group.to_string());
    }

    /// Adds a principal; `partial` when known only from a member or owner list, so that the full object, read
    /// before or after, wins.
    pub fn principal(&mut self, principal: Principal, partial: bool) {
        let key = lower(&principal.id);
        let was_partial = self.partial.contains(&key);
        match self.principals.get_mut(&key) {
            Some(existing) => {
                if partial {
                    return;
                }
                let groups = std::mem::take(&mut existing.groups);
                *existing = principal;
                for g in groups {
                    if !existing.groups.iter().any(|h| h.eq_ignore_ascii_case(&g)) {
                        existing.groups.push(g);
                    }
                }
                if was_partial {
                    self.partial.remove(&key);
                }
            }
            None => {
                if partial {
                    self.partial.insert(key.clone());
                }
                self.principals.insert(key, principal);
            }
        }
    }

    pub fn membership(&mut self, member: &str, group: &str) {
        self.memberships.insert((lower(member), group.to_string()));
    }

    pub fn owner(&mut self, owned: &str, owner: &str) {
        self.owners.entry(lower(owned)).or_default().insert(owner.to_string());
    }

    /// Adds a policy under `key` (lowercase); an existing one is replaced unless `keep_existing` says to keep it.
    pub fn policy(&mut self, key: String, policy: Policy, keep_existing: impl Fn(&Policy) -> bool) {
        match self.policies.get(&key) {
            Some(existing) if keep_existing(existing) => {}
            _ => {
                self.policies.insert(key, policy);
            }
        }
    }

    pub fn resource(&mut self, resource: Resource) {
        self.resources.insert(lower(&resource.id), resource);
    }

    /// Builds the snapshot.
    pub fn finish(mut self, source: &str, tenant_option: Option<&str>) -> (Snapshot, Vec<Warning>) {
        self.place = Place::default();
        let tenant = match tenant_option {
            Some(t) => Some(self.tenant(t)),
            None if self.tenants.len() == 1 => self.tenants.values().next().cloned(),
            None => None,
        };
        let without_tenant = std::cell::Cell::new(0usize);
        let fill = |account: &mut String| {
            if account == NO_TENANT {
                match &tenant {
                    Some(t) => account.clone_from(t),
                    None => without_tenant.set(without_tenant.get() + 1),
                }
            }
        };

        // Members and owners.
        let mut unknown_members = BTreeSet::new();
        for (member, group) in std::mem::take(&mut self.memberships) {
            match self.principals.get_mut(&member) {
                Some(p) => {
                    if !p.groups.iter().any(|g| g.eq_ignore_ascii_case(&group)) {
                        p.groups.push(group);
                    }
                }
                None => {
                    unknown_members.insert(member);
                }
            }
        }
        let mut unknown_owned = BTreeSet::new();
        for (owned, owners) in std::mem::take(&mut self.owners) {
            let list = Value::Array(owners.into_iter().map(Value::String).collect());
            if let Some(p) = self.principals.get_mut(&owned) {
                if let Value::Object(map) = &mut p.properties {
                    map.insert("owners".to_string(), list);
                } else {
                    p.properties = Value::Object(Map::from_iter([("owners".to_string(), list)]));
                }
            } else if let Some(r) = self.resources.get_mut(&owned) {
                if !r.properties.is_object() {
                    r.properties = Value::Object(Map::new()).into();
                }
                r.properties.insert("owners", list.into());
            } else {
                unknown_owned.insert(owned);
            }
        }
        if !unknown_members.is_empty() {
            self.warn_file(format!(
                "{} group member(s) are not among the principals read (the memberships are dropped): {}",
                unknown_members.len(),
                sample(&unknown_members)
            ));
        }
        if !unknown_owned.is_empty() {
            self.warn_file(format!(
                "owners were read for {} object(s) that are not among the principals or applications read: {}",
                unknown_owned.len(),
                sample(&unknown_owned)
            ));
        }

        let mut snapshot = Snapshot::new(source);
        for (key, mut account) in std::mem::take(&mut self.accounts) {
            if account.parent_id.is_none() {
                account.parent_id = self.subscription_parents.get(&key).cloned();
            }
            if account.organization_id.as_deref() == Some(NO_TENANT) {
                account.organization_id = tenant.clone();
                if account.organization_id.is_none() {
                    without_tenant.set(without_tenant.get() + 1);
                }
            }
            snapshot.accounts.push(account);
        }
        // One organization per tenant, with its management groups.
        let mut organizations: BTreeMap<String, Organization> = self
            .tenants
            .values()
            .map(|t| {
                let org = Organization {
                    provider: Provider::Azure,
                    id: t.clone(),
                    management_account_id: None,
                    units: Vec::new(),
                    attachments: Vec::new(),
                };
                (lower(t), org)
            })
            .collect();
        for (_, (unit_tenant, unit)) in std::mem::take(&mut self.units) {
            let owner = unit_tenant.or_else(|| tenant.clone());
            match owner.and_then(|t| organizations.get_mut(&lower(&t))) {
                Some(org) => org.units.push(unit),
                None => without_tenant.set(without_tenant.get() + 1),
            }
        }
        snapshot.organizations = organizations.into_values().collect();
        for (_, mut p) in std::mem::take(&mut self.principals) {
            fill(&mut p.account_id);
            snapshot.principals.push(p);
        }
        snapshot.policies = std::mem::take(&mut self.policies).into_values().collect();
        for (_, mut r) in std::mem::take(&mut self.resources) {
            fill(&mut r.account_id);
            snapshot.resources.push(r);
        }
        let mut coverage = BTreeMap::new();
        for ((mut account, service, operation), (status, detail)) in std::mem::take(&mut self.coverage) {
            // Counted with the records themselves, not again here.
            if let Some(t) = tenant.as_ref().filter(|_| account == NO_TENANT) {
                account.clone_from(t);
            }
            let record = Coverage {
                provider: Provider::Azure,
                account_id: account.clone(),
                service: service.clone(),
                region: None,
                operation: operation.clone(),
                status,
                detail,
            };
            // Several spellings of one tenant collapse here; a collected list wins over an incomplete one.
            coverage
                .entry((account, service, operation))
                .and_modify(|c: &mut Coverage| {
                    if record.status == CoverageStatus::Collected {
                        *c = record.clone();
                    }
                })
                .or_insert(record);
        }
        snapshot.coverage = coverage.into_values().collect();
        let without_tenant = without_tenant.get();
        if without_tenant > 0 {
            let why =
                if self.tenants.len() > 1 { "the files hold several tenants" } else { "no file names the tenant" };
            self.warn_file(format!(
                "{without_tenant} record(s) have no tenant id and {why}: give the tenant with --tenant"
            ));
        }
        (snapshot, self.warnings)
    }
}

fn sample(ids: &BTreeSet<String>) -> String {
    let mut list: Vec<&str> = ids.iter().take(5).map(String::as_str).collect();
    if ids.len() > 5 {
        list.push("...");
    }
    list.join(", ")
}
