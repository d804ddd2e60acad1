//! Importers of offline AWS exports. Every fault names the file and the record; nothing is skipped silently.

use percent_encoding::percent_decode_str;
use serde::Deserialize;
use serde_json::value::RawValue;
use sightline_iam::{PolicyDocument, PolicyType};
use sightline_model::{
    Account, Coverage, CoverageStatus, Document, InlinePolicy, Organization, OrganizationUnit, Policy,
    PolicyAttachment, PolicyKind, Principal, PrincipalKind, Provider, Resource, Snapshot,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// An import fault, naming the file and the record it is in.
#[derive(Debug, thiserror::Error)]
#[error("{}: {location}{message}", file.display())]
pub struct ImportError {
    pub file: PathBuf,
    /// The record, e.g. `UserDetailList[3] (alice), inline policy "s3-access": `; empty for whole-file faults.
    pub location: String,
    pub message: String,
}

fn fault(file: &Path, location: impl Into<String>, message: impl Into<String>) -> ImportError {
    let mut location = location.into();
    if !location.is_empty() {
        location.push_str(": ");
    }
    ImportError { file: file.to_path_buf(), location, message: message.into() }
}

/// Lists the files to read: the files given, and the `.json` files of the directories given, sorted by name.
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, ImportError> {
    expand(inputs, &["json"])
}

/// Lists the files given and, for each directory given, its files with one of `extensions`, sorted by name.
fn expand(inputs: &[PathBuf], extensions: &[&str]) -> Result<Vec<PathBuf>, ImportError> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries =
                std::fs::read_dir(input).map_err(|e| fault(input, "", format!("cannot read directory: {e}")))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| extensions.iter().any(|e| x.eq_ignore_ascii_case(e))))
                .collect();
            found.sort();
            if found.is_empty() {
                let wanted: Vec<String> = extensions.iter().map(|e| format!(".{e}")).collect();
                return Err(fault(input, "", format!("the directory holds no {} file", wanted.join(" or "))));
            }
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

/// A file's name (for messages) and contents.
pub struct Input {
    pub name: PathBuf,
    pub bytes: Vec<u8>,
}

/// What kind of export a file holds, told from its first JSON key (or the snapshot header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A Sightline snapshot export (JSON Lines).
    Snapshot,
    /// `aws iam get-account-authorization-details` output.
    AuthorizationDetails,
    /// An AWS Organizations description.
    Organization,
    /// Resources with resource-based policies.
    Resources,
}

/// Tells the kind of an input from its first bytes.
pub fn sniff(bytes: &[u8]) -> InputKind {
    if sightline_model::looks_like_jsonl(&bytes[..bytes.len().min(64)]) {
        return InputKind::Snapshot;
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]);
    let first_key = head
        .trim_start()
        .strip_prefix('{')
        .and_then(|r| r.trim_start().strip_prefix('"'))
        .and_then(|r| r.split('"').next());
    match first_key {
        Some("Organization") | Some("Roots") | Some("OrganizationalUnits") => InputKind::Organization,
        Some("Resources") => InputKind::Resources,
        _ => InputKind::AuthorizationDetails,
    }
}

/// Reads any mix of inputs (files, or directories of `.json`/`.jsonl` files), telling each file's kind from its
/// contents, into one snapshot.
pub fn load(paths: &[PathBuf]) -> Result<Snapshot, ImportError> {
    let files = expand(paths, &["json", "jsonl"])?;
    let mut inputs = Vec::with_capacity(files.len());
    for file in files {
        let bytes = read(&file)?;
        inputs.push(Input { name: file, bytes });
    }
    load_from(inputs)
}

/// Like [`load`], from bytes already read.
pub fn load_from(inputs: Vec<Input>) -> Result<Snapshot, ImportError> {
    let mut parts = Vec::new();
    let mut pages = Vec::new();
    for input in inputs {
        match sniff(&input.bytes) {
            InputKind::Snapshot => parts.push(
                sightline_model::read_jsonl(&input.bytes[..]).map_err(|e| fault(&input.name, "", e.to_string()))?,
            ),
            InputKind::Organization => parts.push(organization_from(&input.name, &input.bytes)?),
            InputKind::Resources => parts.push(resources_from(&input.name, &input.bytes)?),
            InputKind::AuthorizationDetails => pages.push(input),
        }
    }
    if !pages.is_empty() {
        parts.insert(0, authorization_details_from(pages)?);
    }
    Ok(combine(parts))
}

fn read(file: &Path) -> Result<Vec<u8>, ImportError> {
    std::fs::read(file).map_err(|e| fault(file, "", format!("cannot read: {e}")))
}

fn json_fault(file: &Path, e: serde_json::Error) -> ImportError {
    let what = if e.is_eof() {
        "the file ends in the middle of a JSON value (a truncated page?)".to_string()
    } else {
        format!("invalid JSON: {e}")
    };
    fault(file, "", format!("{what} (line {}, column {})", e.line(), e.column()))
}

// ---- get-account-authorization-details ----

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AuthorizationDetails {
    #[serde(default)]
    user_detail_list: Vec<UserDetail>,
    #[serde(default)]
    group_detail_list: Vec<GroupDetail>,
    #[serde(default)]
    role_detail_list: Vec<RoleDetail>,
    #[serde(default)]
    policies: Vec<ManagedPolicyDetail>,
    #[serde(default)]
    is_truncated: bool,
    #[serde(default)]
    marker: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Tag {
    key: String,
    value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PolicyDetail {
    policy_name: String,
    policy_document: Box<RawValue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AttachedPolicy {
    policy_arn: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Boundary {
    permissions_boundary_arn: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UserDetail {
    #[serde(default)]
    path: Option<String>,
    user_name: String,
    #[serde(default)]
    user_id: Option<String>,
    arn: String,
    #[serde(default)]
    create_date: Option<String>,
    #[serde(default)]
    user_policy_list: Vec<PolicyDetail>,
    #[serde(default)]
    group_list: Vec<String>,
    #[serde(default)]
    attached_managed_policies: Vec<AttachedPolicy>,
    #[serde(default)]
    permissions_boundary: Option<Boundary>,
    #[serde(default)]
    tags: Vec<Tag>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GroupDetail {
    #[serde(default)]
    path: Option<String>,
    group_name: String,
    #[serde(default)]
    group_id: Option<String>,
    arn: String,
    #[serde(default)]
    create_date: Option<String>,
    #[serde(default)]
    group_policy_list: Vec<PolicyDetail>,
    #[serde(default)]
    attached_managed_policies: Vec<AttachedPolicy>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RoleDetail {
    #[serde(default)]
    path: Option<String>,
    role_name: String,
    #[serde(default)]
    role_id: Option<String>,
    arn: String,
    #[serde(default)]
    create_date: Option<String>,
    #[serde(default)]
    assume_role_policy_document: Option<Box<RawValue>>,
    #[serde(default)]
    instance_profile_list: Vec<serde_json::Value>,
    #[serde(default)]
    role_policy_list: Vec<PolicyDetail>,
    #[serde(default)]
    attached_managed_policies: Vec<AttachedPolicy>,
    #[serde(default)]
    permissions_boundary: Option<Boundary>,
    #[serde(default)]
    tags: Vec<Tag>,
    #[serde(default)]
    role_last_used: Option<serde_json::Value>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    max_session_duration: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ManagedPolicyDetail {
    policy_name: String,
    #[serde(default)]
    policy_id: Option<String>,
    arn: String,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    default_version_id: Option<String>,
    #[serde(default)]
    attachment_count: Option<u64>,
    #[serde(default)]
    is_attachable: Option<bool>,
    #[serde(default)]
    policy_version_list: Vec<PolicyVersion>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PolicyVersion {
    document: Box<RawValue>,
    #[serde(default)]
    version_id: Option<String>,
    #[serde(default)]
    is_default_version: bool,
}

/// A policy document as AWS returns it: a JSON object, or a URL-encoded JSON string (the raw API), or a plain JSON
/// string. Returns the document as compact JSON text, checked to be a valid policy of `kind`.
///
/// Takes the raw value by value: a JSON object that is already compact (as in exports written without indentation)
/// is kept as it is, without a copy, which keeps large imports fast and small.
fn document(raw: Box<RawValue>, kind: PolicyType) -> Result<Document, String> {
    document_checked(raw, kind, &Checked::default())
}

/// Like [`document`], with the verdicts of [`check_documents`] for documents checked beforehand.
fn document_checked(raw: Box<RawValue>, kind: PolicyType, checked: &Checked) -> Result<Document, String> {
    let text = raw.get();
    if !text.starts_with('"') {
        // Already checked to be JSON by serde_json; the policy parser rejects anything but an object.
        let compact = match checked.get(text) {
            Some(verdict) => verdict.clone()?,
            None => check(text, kind)?,
        };
        if compact {
            return Ok(raw);
        }
        return sightline_model::compact_document(text).map_err(|e| format!("the policy is not valid JSON: {e}"));
    }
    let s: String = serde_json::from_str(text).map_err(|e| format!("unreadable policy string: {e}"))?;
    let json = if s.trim_start().starts_with('{') {
        s
    } else {
        percent_decode_str(&s)
            .decode_utf8()
            .map_err(|e| format!("the URL-encoded policy is not UTF-8: {e}"))?
            .into_owned()
    };
    PolicyDocument::parse(&json, kind).map_err(|e| e.to_string())?;
    sightline_model::compact_document(&json).map_err(|e| format!("the policy is not valid JSON: {e}"))
}

/// Checks a policy document written as a JSON object; on success, tells whether it is already compact.
fn check(text: &str, kind: PolicyType) -> Result<bool, String> {
    PolicyDocument::parse(text, kind).map_err(|e| e.to_string())?;
    Ok(is_compact(text))
}

/// Verdicts of policy documents checked ahead of time (see [`check`]), keyed by the address of the document's
/// text, sorted by it.
#[derive(Default)]
struct Checked(Vec<(usize, Result<bool, String>)>);

impl Checked {
    fn get(&self, text: &str) -> Option<&Result<bool, String>> {
        let address = text.as_ptr() as usize;
        self.0.binary_search_by_key(&address, |(a, _)| *a).ok().map(|i| &self.0[i].1)
    }
}

/// Checks the policy documents written as JSON objects of every page on all cores, ahead of the (sequential)
/// conversion: parsing the documents is most of an import's work. The conversion then takes each document's verdict
/// when it reaches it, so the first fault reported is the same as without this step. Returns nothing (every
/// document is then checked in turn) on one core or for small imports.
fn check_documents(pages: &[Page]) -> Checked {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let mut docs: Vec<(&RawValue, PolicyType)> = Vec::new();
    for d in pages.iter().map(|p| &p.details) {
        for u in &d.user_detail_list {
            docs.extend(inline_documents(&u.user_policy_list));
        }
        for g in &d.group_detail_list {
            docs.extend(inline_documents(&g.group_policy_list));
        }
        for r in &d.role_detail_list {
            docs.extend(inline_documents(&r.role_policy_list));
            docs.extend(r.assume_role_policy_document.as_deref().map(|t| (t, PolicyType::Trust)));
        }
        for p in &d.policies {
            if let Some(i) = default_version(p) {
                docs.push((&p.policy_version_list[i].document, PolicyType::Identity));
            }
        }
    }
    docs.retain(|(raw, _)| !raw.get().starts_with('"'));
    if threads < 2 || docs.len() < 1000 {
        return Checked::default();
    }
    let check_part = |part: &[(&RawValue, PolicyType)]| -> Vec<(usize, Result<bool, String>)> {
        part.iter().map(|(raw, kind)| (raw.get().as_ptr() as usize, check(raw.get(), *kind))).collect()
    };
    let mut verdicts: Vec<(usize, Result<bool, String>)> = std::thread::scope(|scope| {
        let workers: Vec<_> =
            docs.chunks(docs.len().div_ceil(threads)).map(|part| scope.spawn(move || check_part(part))).collect();
        // A worker that failed leaves its documents to be checked in turn.
        workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
    });
    verdicts.sort_unstable_by_key(|(address, _)| *address);
    Checked(verdicts)
}

fn inline_documents(list: &[PolicyDetail]) -> impl Iterator<Item = (&RawValue, PolicyType)> {
    list.iter().map(|p| (&*p.policy_document, PolicyType::Identity))
}

/// The index of a managed policy's default version in its `PolicyVersionList`.
fn default_version(p: &ManagedPolicyDetail) -> Option<usize> {
    let versions = &p.policy_version_list;
    versions
        .iter()
        .position(|v| v.is_default_version)
        .or_else(|| versions.iter().position(|v| v.version_id.is_some() && v.version_id == p.default_version_id))
}

/// Whether valid JSON text has no whitespace outside its strings, i.e. whether
/// [`sightline_model::compact_document`] would leave it unchanged.
fn is_compact(json: &str) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    for &b in json.as_bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if b.is_ascii_whitespace() || !b.is_ascii() {
            return false;
        }
    }
    true
}

fn tags(tags: Vec<Tag>) -> BTreeMap<String, String> {
    tags.into_iter().map(|t| (t.key, t.value)).collect()
}

fn account_of(arn: &str) -> Option<String> {
    sightline_iam::arn::account_of(arn).filter(|a| *a != "aws").map(str::to_string)
}

struct Page {
    file: PathBuf,
    details: AuthorizationDetails,
}

/// Reads `get-account-authorization-details` exports (one or more accounts, each in one or more pages) into one
/// snapshot.
pub fn authorization_details(inputs: &[PathBuf]) -> Result<Snapshot, ImportError> {
    let files = expand_inputs(inputs)?;
    let mut pages = Vec::with_capacity(files.len());
    for file in files {
        let bytes = read(&file)?;
        pages.push(Input { name: file, bytes });
    }
    authorization_details_from(pages)
}

/// Like [`authorization_details`], from bytes already read (each named for error messages).
pub fn authorization_details_from(inputs: Vec<Input>) -> Result<Snapshot, ImportError> {
    let mut pages = Vec::with_capacity(inputs.len());
    for Input { name: file, bytes } in inputs {
        let details: AuthorizationDetails = serde_json::from_slice(&bytes).map_err(|e| json_fault(&file, e))?;
        drop(bytes);
        pages.push(Page { file, details });
    }
    check_paging(&pages)?;
    let checked = check_documents(&pages);

    let mut snapshot = Snapshot::new("import aws-iam");
    let details = pages.iter().map(|p| &p.details);
    snapshot.principals.reserve(
        details.clone().map(|d| d.user_detail_list.len() + d.group_detail_list.len() + d.role_detail_list.len()).sum(),
    );
    snapshot.policies.reserve(details.map(|d| d.policies.len()).sum());
    let mut accounts = BTreeSet::new();
    let mut policy_seen = HashMap::new();
    // Group ARNs by (account, name), to link users' GroupList (names) to groups.
    let mut group_arn: HashMap<(String, String), String> = HashMap::new();
    for page in &pages {
        for g in &page.details.group_detail_list {
            if let Some(a) = account_of(&g.arn) {
                group_arn.insert((a, g.group_name.clone()), g.arn.clone());
            }
        }
    }
    for page in pages {
        let file = page.file;
        let d = page.details;
        for (i, u) in d.user_detail_list.into_iter().enumerate() {
            let at = format!("UserDetailList[{i}] ({})", u.user_name);
            let account =
                account_of(&u.arn).ok_or_else(|| fault(&file, &at, format!("invalid user ARN {:?}", u.arn)))?;
            accounts.insert(account.clone());
            let inline_policies = inline(&file, &at, u.user_policy_list, &checked)?;
            let groups = u
                .group_list
                .into_iter()
                .map(|name| {
                    group_arn
                        .get(&(account.clone(), name.clone()))
                        .cloned()
                        .unwrap_or_else(|| format!("arn:aws:iam::{account}:group/{name}"))
                })
                .collect();
            snapshot.principals.push(Principal {
                provider: Provider::Aws,
                id: u.arn,
                kind: PrincipalKind::User,
                account_id: account,
                name: u.user_name,
                path: u.path,
                unique_id: u.user_id,
                created_at: u.create_date,
                tags: tags(u.tags),
                attached_policies: u.attached_managed_policies.into_iter().map(|a| a.policy_arn).collect(),
                inline_policies,
                groups,
                permissions_boundary: u.permissions_boundary.map(|b| b.permissions_boundary_arn),
                trust_policy: None,
                properties: serde_json::Value::Null,
            });
        }
        for (i, g) in d.group_detail_list.into_iter().enumerate() {
            let at = format!("GroupDetailList[{i}] ({})", g.group_name);
            let account =
                account_of(&g.arn).ok_or_else(|| fault(&file, &at, format!("invalid group ARN {:?}", g.arn)))?;
            accounts.insert(account.clone());
            let inline_policies = inline(&file, &at, g.group_policy_list, &checked)?;
            snapshot.principals.push(Principal {
                provider: Provider::Aws,
                id: g.arn,
                kind: PrincipalKind::Group,
                account_id: account,
                name: g.group_name,
                path: g.path,
                unique_id: g.group_id,
                created_at: g.create_date,
                tags: BTreeMap::new(),
                attached_policies: g.attached_managed_policies.into_iter().map(|a| a.policy_arn).collect(),
                inline_policies,
                groups: Vec::new(),
                permissions_boundary: None,
                trust_policy: None,
                properties: serde_json::Value::Null,
            });
        }
        for (i, r) in d.role_detail_list.into_iter().enumerate() {
            let at = format!("RoleDetailList[{i}] ({})", r.role_name);
            let account =
                account_of(&r.arn).ok_or_else(|| fault(&file, &at, format!("invalid role ARN {:?}", r.arn)))?;
            accounts.insert(account.clone());
            let inline_policies = inline(&file, &at, r.role_policy_list, &checked)?;
            let trust_policy = match r.assume_role_policy_document {
                Some(doc) => Some(
                    document_checked(doc, PolicyType::Trust, &checked)
                        .map_err(|e| fault(&file, format!("{at}, trust policy"), e))?,
                ),
                None => None,
            };
            let mut properties = serde_json::Map::new();
            let profiles: Vec<serde_json::Value> =
                r.instance_profile_list.iter().filter_map(|p| p.get("Arn").cloned()).collect();
            if !profiles.is_empty() {
                properties.insert("InstanceProfileArns".into(), profiles.into());
            }
            if let Some(v) = r.role_last_used {
                properties.insert("RoleLastUsed".into(), v);
            }
            if let Some(v) = r.description {
                properties.insert("Description".into(), v.into());
            }
            if let Some(v) = r.max_session_duration {
                properties.insert("MaxSessionDuration".into(), v.into());
            }
            snapshot.principals.push(Principal {
                provider: Provider::Aws,
                id: r.arn,
                kind: PrincipalKind::Role,
                account_id: account,
                name: r.role_name,
                path: r.path,
                unique_id: r.role_id,
                created_at: r.create_date,
                tags: tags(r.tags),
                attached_policies: r.attached_managed_policies.into_iter().map(|a| a.policy_arn).collect(),
                inline_policies,
                groups: Vec::new(),
                permissions_boundary: r.permissions_boundary.map(|b| b.permissions_boundary_arn),
                trust_policy,
                properties: if properties.is_empty() { serde_json::Value::Null } else { properties.into() },
            });
        }
        for (i, p) in d.policies.into_iter().enumerate() {
            let at = format!("Policies[{i}] ({})", p.arn);
            if policy_seen.contains_key(&p.arn) {
                continue; // AWS managed policies appear in every account's export: keep one.
            }
            let default =
                default_version(&p).ok_or_else(|| fault(&file, &at, "no default version in PolicyVersionList"))?;
            let mut versions = p.policy_version_list;
            let version = versions.swap_remove(default);
            // The other versions stay in the snapshot: whoever may set the default version can switch to them
            // (a privilege-escalation technique). One that does not read as a policy is left out; AWS checked each
            // when it was written, so none should be.
            let others: Vec<serde_json::Value> = versions
                .into_iter()
                .filter_map(|v| {
                    let doc = document_checked(v.document, PolicyType::Identity, &checked).ok()?;
                    let doc: serde_json::Value = serde_json::from_str(doc.get()).ok()?;
                    Some(serde_json::json!({"VersionId": v.version_id, "Document": doc}))
                })
                .collect();
            let version_id = version.version_id;
            let doc = document_checked(version.document, PolicyType::Identity, &checked)
                .map_err(|e| fault(&file, format!("{at}, version {}", version_id.as_deref().unwrap_or("?")), e))?;
            let account = account_of(&p.arn);
            if let Some(a) = &account {
                accounts.insert(a.clone());
            }
            let mut properties = serde_json::Map::new();
            if let Some(v) = &p.policy_id {
                properties.insert("PolicyId".into(), v.clone().into());
            }
            if let Some(v) = &p.path {
                properties.insert("Path".into(), v.clone().into());
            }
            if let Some(v) = p.attachment_count {
                properties.insert("AttachmentCount".into(), v.into());
            }
            if let Some(v) = p.is_attachable {
                properties.insert("IsAttachable".into(), v.into());
            }
            if !others.is_empty() {
                properties.insert("NonDefaultVersions".into(), others.into());
            }
            policy_seen.insert(p.arn.clone(), ());
            snapshot.policies.push(Policy {
                provider: Provider::Aws,
                kind: if p.arn.starts_with("arn:aws:iam::aws:policy/") {
                    PolicyKind::ProviderManaged
                } else {
                    PolicyKind::CustomerManaged
                },
                id: p.arn,
                name: p.policy_name,
                account_id: account,
                document: doc,
                properties: properties.into(),
            });
        }
    }
    for id in accounts {
        // The export is what `GetAccountAuthorizationDetails` returns: record it as collected, so that rules on
        // IAM identities know their data is there (and rules on anything else know it is not).
        snapshot.coverage.push(Coverage {
            provider: Provider::Aws,
            account_id: id.clone(),
            service: "iam".into(),
            region: None,
            operation: "GetAccountAuthorizationDetails".into(),
            status: CoverageStatus::Collected,
            detail: Some("imported from an export".into()),
        });
        snapshot.accounts.push(Account {
            provider: Provider::Aws,
            id,
            name: None,
            organization_id: None,
            parent_id: None,
            tags: BTreeMap::new(),
        });
    }
    Ok(snapshot)
}

fn inline(file: &Path, at: &str, list: Vec<PolicyDetail>, checked: &Checked) -> Result<Vec<InlinePolicy>, ImportError> {
    list.into_iter()
        .map(|p| {
            let document = document_checked(p.policy_document, PolicyType::Identity, checked)
                .map_err(|e| fault(file, format!("{at}, inline policy {:?}", p.policy_name), e))?;
            Ok(InlinePolicy { name: p.policy_name, document })
        })
        .collect()
}

/// A paged export must end with a page that is not truncated; a page that says `IsTruncated` with no page after it
/// means pages are missing.
fn check_paging(pages: &[Page]) -> Result<(), ImportError> {
    let truncated = pages.iter().filter(|p| p.details.is_truncated).count();
    let markers: BTreeSet<&str> = pages.iter().filter_map(|p| p.details.marker.as_deref()).collect();
    if truncated > 0 && truncated >= pages.len() {
        let last = pages.iter().rfind(|p| p.details.is_truncated).map(|p| p.file.as_path()).unwrap_or(Path::new("?"));
        return Err(fault(
            last,
            "",
            format!(
                "the export is incomplete: every page given says IsTruncated: true (marker {}); give the remaining pages too",
                markers.iter().next().copied().unwrap_or("?")
            ),
        ));
    }
    Ok(())
}

// ---- AWS Organizations ----

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct OrganizationFile {
    organization: OrgInfo,
    #[serde(default)]
    roots: Vec<OrgNode>,
    #[serde(default)]
    organizational_units: Vec<OrgNode>,
    #[serde(default)]
    accounts: Vec<OrgAccount>,
    #[serde(default)]
    policies: Vec<OrgPolicy>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct OrgInfo {
    id: String,
    master_account_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct OrgNode {
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    parent_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct OrgAccount {
    id: String,
    #[serde(default)]
    name: Option<String>,
    parent_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct OrgPolicy {
    id: String,
    name: String,
    #[serde(rename = "Type")]
    policy_type: String,
    content: Box<RawValue>,
    #[serde(default)]
    targets: Vec<String>,
}

/// Reads an AWS Organizations description (see the README for its shape) into a snapshot holding the organization,
/// its accounts and its SCPs and RCPs.
pub fn organization(file: &Path) -> Result<Snapshot, ImportError> {
    organization_from(file, &read(file)?)
}

/// Like [`organization`], from bytes already read.
pub fn organization_from(file: &Path, bytes: &[u8]) -> Result<Snapshot, ImportError> {
    let org: OrganizationFile = serde_json::from_slice(bytes).map_err(|e| json_fault(file, e))?;
    let mut snapshot = Snapshot::new("import aws-organization");
    let mut units = Vec::new();
    for r in &org.roots {
        units.push(OrganizationUnit { id: r.id.clone(), name: r.name.clone(), parent_id: None });
    }
    for (i, ou) in org.organizational_units.iter().enumerate() {
        if ou.parent_id.is_none() {
            return Err(fault(file, format!("OrganizationalUnits[{i}] ({})", ou.id), "an OU needs a ParentId"));
        }
        units.push(OrganizationUnit { id: ou.id.clone(), name: ou.name.clone(), parent_id: ou.parent_id.clone() });
    }
    let known: HashMap<&str, Option<&str>> = units.iter().map(|u| (u.id.as_str(), u.parent_id.as_deref())).collect();
    for (i, u) in units.iter().enumerate() {
        if let Some(parent) = &u.parent_id {
            if !known.contains_key(parent.as_str()) {
                return Err(fault(
                    file,
                    format!("unit {}", u.id),
                    format!("parent {parent} is neither a root nor an OU"),
                ));
            }
        }
        // Walk up: a cycle would make the path endless.
        let mut cursor = u.parent_id.as_deref();
        let mut steps = 0;
        while let Some(p) = cursor {
            steps += 1;
            if steps > units.len() {
                return Err(fault(file, format!("unit {}", units[i].id), "the OU tree has a cycle"));
            }
            cursor = known.get(p).copied().flatten();
        }
    }
    for (i, a) in org.accounts.iter().enumerate() {
        if !known.contains_key(a.parent_id.as_str()) {
            return Err(fault(
                file,
                format!("Accounts[{i}] ({})", a.id),
                format!("parent {} is neither a root nor an OU", a.parent_id),
            ));
        }
        snapshot.accounts.push(Account {
            provider: Provider::Aws,
            id: a.id.clone(),
            name: a.name.clone(),
            organization_id: Some(org.organization.id.clone()),
            parent_id: Some(a.parent_id.clone()),
            tags: BTreeMap::new(),
        });
    }
    let mut attachments = Vec::new();
    for (i, p) in org.policies.into_iter().enumerate() {
        let at = format!("Policies[{i}] ({})", p.name);
        let (kind, policy_type) = match p.policy_type.as_str() {
            "SERVICE_CONTROL_POLICY" => (PolicyKind::ServiceControl, PolicyType::ServiceControl),
            "RESOURCE_CONTROL_POLICY" => (PolicyKind::ResourceControl, PolicyType::ResourceControl),
            other => {
                return Err(fault(
                    file,
                    at,
                    format!(
                    "unsupported policy Type {other:?} (expected SERVICE_CONTROL_POLICY or RESOURCE_CONTROL_POLICY)"
                ),
                ))
            }
        };
        let doc = document(p.content, policy_type).map_err(|e| fault(file, &at, e))?;
        for t in &p.targets {
            let is_account = org.accounts.iter().any(|a| &a.id == t);
            if !is_account && !known.contains_key(t.as_str()) {
                return Err(fault(file, &at, format!("target {t} is not a root, OU or account of the organization")));
            }
            attachments.push(PolicyAttachment { policy_id: p.id.clone(), target_id: t.clone() });
        }
        snapshot.policies.push(Policy {
            provider: Provider::Aws,
            id: p.id,
            kind,
            name: p.name,
            account_id: None,
            document: doc,
            properties: serde_json::Value::Null,
        });
    }
    snapshot.organizations.push(Organization {
        provider: Provider::Aws,
        id: org.organization.id,
        management_account_id: Some(org.organization.master_account_id),
        units,
        attachments,
    });
    Ok(snapshot)
}

// ---- resources with resource-based policies ----

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ResourcesFile {
    resources: Vec<ResourceEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ResourceEntry {
    arn: String,
    #[serde(rename = "Type")]
    resource_type: String,
    #[serde(default)]
    account_id: Option<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    policy: Option<Box<RawValue>>,
    #[serde(default)]
    tags: BTreeMap<String, String>,
    #[serde(default)]
    properties: Option<serde_json::Value>,
}

/// Reads resources with their resource-based policies (see the README for the shape).
pub fn resources(file: &Path) -> Result<Snapshot, ImportError> {
    resources_from(file, &read(file)?)
}

/// Like [`resources`], from bytes already read.
pub fn resources_from(file: &Path, bytes: &[u8]) -> Result<Snapshot, ImportError> {
    let parsed: ResourcesFile = serde_json::from_slice(bytes).map_err(|e| json_fault(file, e))?;
    let mut snapshot = Snapshot::new("import aws-resources");
    for (i, r) in parsed.resources.into_iter().enumerate() {
        let at = format!("Resources[{i}] ({})", r.arn);
        let arn = sightline_iam::arn::Arn::parse(&r.arn).map_err(|e| fault(file, &at, e.to_string()))?;
        let account = r
            .account_id
            .or_else(|| account_of(&r.arn))
            .ok_or_else(|| fault(file, &at, "the ARN names no account: give AccountId"))?;
        let region = r.region.or_else(|| (!arn.region.is_empty()).then(|| arn.region.to_string()));
        let name = r.name.unwrap_or_else(|| arn.resource.rsplit(['/', ':']).next().unwrap_or(arn.resource).to_string());
        let policy = match r.policy {
            Some(p) => Some(document(p, PolicyType::Resource).map_err(|e| fault(file, format!("{at}, policy"), e))?),
            None => None,
        };
        snapshot.resources.push(Resource {
            provider: Provider::Aws,
            id: r.arn,
            resource_type: r.resource_type,
            account_id: account,
            region,
            name,
            policy,
            tags: r.tags,
            properties: r.properties.map(Into::into).unwrap_or_default(),
        });
    }
    Ok(snapshot)
}

/// Joins imported parts into one snapshot: accounts seen in several parts are merged (the organization's view of an
/// account, with its name and parent, wins over the bare id found in an IAM export).
pub fn combine(parts: Vec<Snapshot>) -> Snapshot {
    let mut out = Snapshot::new("import aws-iam");
    for part in parts {
        out.merge(part);
    }
    let mut by_id: BTreeMap<String, Account> = BTreeMap::new();
    for a in std::mem::take(&mut out.accounts) {
        match by_id.get_mut(&a.id) {
            Some(existing) => {
                if a.organization_id.is_some() {
                    *existing = a;
                }
            }
            None => {
                by_id.insert(a.id.clone(), a);
            }
        }
    }
    out.accounts = by_id.into_values().collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).unwrap()
    }

    #[test]
    fn documents_are_compact_in_every_form() {
        let compact = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/a \"key\""}]}"#;
        let pretty = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ {\"Effect\": \"Allow\", \"Action\": \
                      \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/a \\\"key\\\"\"} ]\n}";
        let encoded = percent_encoding::utf8_percent_encode(pretty, percent_encoding::NON_ALPHANUMERIC).to_string();
        let encoded = serde_json::to_string(&encoded).unwrap();
        let string = serde_json::to_string(pretty).unwrap();
        for text in [compact, pretty, &encoded, &string] {
            assert_eq!(document(raw(text), PolicyType::Identity).unwrap().get(), compact, "{text}");
        }
        assert!(document(raw(r#"{"Version":"2012-10-17"}"#), PolicyType::Identity).is_err());
    }

    /// Large enough for the documents to be checked on several threads: the fault reported is still the first one
    /// in the export's order.
    #[test]
    fn large_imports_report_the_first_fault() {
        let size = crate::generate::Size { principals: 400, policies: 1000, seed: 3 };
        let mut export: serde_json::Value =
            serde_json::from_str(&crate::generate::authorization_details(size, "123456789012")).unwrap();
        let import = |export: &serde_json::Value| {
            let bytes = export.to_string().into_bytes();
            authorization_details_from(vec![Input { name: PathBuf::from("big.json"), bytes }])
        };
        let snapshot = import(&export).unwrap();
        assert_eq!(snapshot.policies.len(), 1000);
        let first = &export["Policies"][0]["PolicyVersionList"][0]["Document"];
        assert_eq!(snapshot.policies[0].document.get(), first.to_string());

        export["Policies"][900]["PolicyVersionList"][0]["Document"]["Statement"][0]["Effect"] = "Maybe".into();
        let err = import(&export).unwrap_err().to_string();
        assert!(err.contains("Policies[900]") && err.contains("Effect"), "{err}");
        export["RoleDetailList"][150]["RolePolicyList"][0]["PolicyDocument"]["Version"] = "2020".into();
        let err = import(&export).unwrap_err().to_string();
        assert!(
            err.contains("RoleDetailList[150] (app-150), inline policy \"inline\"") && err.contains("Version"),
            "{err}"
        );
    }

    #[test]
    fn non_default_policy_versions_are_kept_aside() {
        // The demo's DeveloperBoundary has a non-default v1 that allows everything: kept in the properties (for the
        // set-default-version technique), never in force.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/demo/aws/200000000002-authorization-details.json");
        let s = authorization_details(&[path]).unwrap();
        let p = s.policies.iter().find(|p| p.name == "DeveloperBoundary").unwrap();
        let others = p.properties["NonDefaultVersions"].as_array().unwrap();
        assert_eq!(others.len(), 1);
        assert_eq!(others[0]["VersionId"], "v1");
        assert_eq!(others[0]["Document"]["Statement"][0]["Action"], "*");
        assert!(!p.document.get().contains("\"Action\":\"*\""), "{}", p.document.get());
    }

    #[test]
    fn compact_detection_follows_strings() {
        assert!(is_compact(r#"{"a":"x \" y","b":[1,2]}"#));
        assert!(!is_compact(r#"{"a":"x \\" ,"b":1}"#));
        assert!(!is_compact("{\"a\":\n1}"));
        assert!(is_compact(r#"{"a b":"\\"}"#));
    }
}
