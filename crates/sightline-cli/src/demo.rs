//! `sightline demo`: the bundled Northwind Robotics organization (`examples/demo/`), imported from files embedded
//! in the binary, and the questions that reveal its planted mistakes.

use crate::output::{render_decision, render_who_can};
use crate::Format;
use anyhow::Result;
use serde::Serialize;
use sightline_aws::import::Input;
use sightline_azure::rbac::{Access, Decision, Operation, Plane, RbacIndex, Verdict};
use sightline_iam::authz::{Allowed, Query};
use sightline_iam::{Context, Explanation};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

macro_rules! demo_file {
    ($name:literal) => {
        ($name, include_bytes!(concat!("../../../examples/demo/aws/", $name)) as &[u8])
    };
}

/// The demo's files, as they are in `examples/demo/aws/`.
pub const FILES: &[(&str, &[u8])] = &[
    demo_file!("100000000001-authorization-details.json"),
    demo_file!("200000000002-authorization-details.json"),
    demo_file!("300000000003-authorization-details-page1.json"),
    demo_file!("300000000003-authorization-details-page2.json"),
    demo_file!("400000000004-authorization-details.json"),
    demo_file!("organization.json"),
    demo_file!("resources.json"),
];

macro_rules! azure_file {
    ($name:literal) => {
        ($name, include_bytes!(concat!("../../../examples/demo/azure/", $name)) as &[u8])
    };
}

/// The demo's Azure tenant, as it is in `examples/demo/azure/` (Resource Graph, ARM and Microsoft Graph responses).
pub const AZURE_FILES: &[(&str, &[u8])] = &[
    azure_file!("arm-deny-assignments.json"),
    azure_file!("arm-role-eligibility-schedule-instances.json"),
    azure_file!("graph-app-role-assignments.json"),
    azure_file!("graph-applications.json"),
    azure_file!("graph-authorization-policy.json"),
    azure_file!("graph-conditional-access-policies.json"),
    azure_file!("graph-groups.json"),
    azure_file!("graph-role-assignments.json"),
    azure_file!("graph-role-definitions.json"),
    azure_file!("graph-role-eligibility-schedules.json"),
    azure_file!("graph-security-defaults.json"),
    azure_file!("graph-service-principals.json"),
    azure_file!("graph-user-registration-details.json"),
    azure_file!("graph-users.json"),
    azure_file!("resourcegraph-authorization.json"),
    azure_file!("resourcegraph-containers.json"),
    azure_file!("resourcegraph-resources.json"),
];

/// The demo tenant's ids the questions use.
const AZ_PROD: &str = "/subscriptions/4f7c2e91-3a5b-4d6e-8f10-2b9c7d5e1a34";
const AZ_EXPORTS: &str = "/subscriptions/4f7c2e91-3a5b-4d6e-8f10-2b9c7d5e1a34/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/nwcustomerdata/blobServices/default/containers/exports";
const AZ_VAULT: &str = "/subscriptions/4f7c2e91-3a5b-4d6e-8f10-2b9c7d5e1a34/resourceGroups/rg-shared/providers/Microsoft.KeyVault/vaults/nw-prod-kv";

enum Ask {
    Can {
        principal: &'static str,
        action: &'static str,
        resource: &'static str,
        context: &'static [(&'static str, &'static str)],
    },
    WhoCan {
        action: &'static str,
        resource: &'static str,
    },
    /// An Azure question, answered by the RBAC and Entra engine.
    AzureCan {
        principal: &'static str,
        plane: Plane,
        action: &'static str,
        scope: &'static str,
    },
    AzureWhoCan {
        plane: Plane,
        action: &'static str,
        scope: &'static str,
    },
}

struct Question {
    title: &'static str,
    ask: Ask,
}

const QUESTIONS: &[Question] = &[
    Question {
        title: "Who can read the customer data?",
        ask: Ask::WhoCan { action: "s3:GetObject", resource: "arn:aws:s3:::northwind-customer-data/customers.csv" },
    },
    Question {
        title: "Can the CI user hand the admin role to a new Lambda function (privilege escalation)?",
        ask: Ask::Can {
            principal: "arn:aws:iam::300000000003:user/automation/ci-deploy",
            action: "iam:PassRole",
            resource: "arn:aws:iam::300000000003:role/dev-lambda-admin",
            context: &[],
        },
    },
    Question {
        title: "Who can assume the production deployer role?",
        ask: Ask::WhoCan { action: "sts:AssumeRole", resource: "arn:aws:iam::200000000002:role/ProdDeployer" },
    },
    Question {
        title: "Does dana's permissions boundary stop her inline iam:* grant?",
        ask: Ask::Can {
            principal: "arn:aws:iam::200000000002:user/dana",
            action: "iam:CreateUser",
            resource: "arn:aws:iam::200000000002:user/x",
            context: &[],
        },
    },
    Question {
        title: "Does the offboarded admin still have admin rights (with MFA)?",
        ask: Ask::Can {
            principal: "arn:aws:iam::200000000002:user/jordan.park",
            action: "iam:CreateUser",
            resource: "arn:aws:iam::200000000002:user/backdoor",
            context: &[("aws:MultiFactorAuthPresent", "true")],
        },
    },
    Question {
        title: "Can the vendor still assume its integration role?",
        ask: Ask::Can {
            principal: "arn:aws:iam::777788889999:role/shipfast-label-printer",
            action: "sts:AssumeRole",
            resource: "arn:aws:iam::200000000002:role/ShipFastIntegration",
            context: &[],
        },
    },
    Question {
        title: "Who can delete the customer-data bucket?",
        ask: Ask::WhoCan { action: "s3:DeleteBucket", resource: "arn:aws:s3:::northwind-customer-data" },
    },
    Question {
        title: "Who can subscribe to the order events topic?",
        ask: Ask::WhoCan { action: "sns:Subscribe", resource: "arn:aws:sns:us-east-1:200000000002:order-events" },
    },
    Question {
        title: "Azure: who can read the blobs of the customer-data container (data plane)?",
        ask: Ask::AzureWhoCan {
            plane: Plane::DataAction,
            action: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
            scope: AZ_EXPORTS,
        },
    },
    Question {
        title: "Azure: can the CI service principal hand out roles in the production subscription?",
        ask: Ask::AzureCan {
            principal: "8d5a1b09-4c2e-4a0f-9d9a-1e3b5c7f9a8a",
            plane: Plane::Action,
            action: "Microsoft.Authorization/roleAssignments/write",
            scope: AZ_PROD,
        },
    },
    Question {
        title: "Azure: can Carol, a guest Contributor, delete the production key vault?",
        ask: Ask::AzureCan {
            principal: "2d9a5b43-8c6e-4a4f-9d3a-5e7b9c1f3a24",
            plane: Plane::Action,
            action: "Microsoft.KeyVault/vaults/delete",
            scope: AZ_VAULT,
        },
    },
    Question {
        title: "Azure: who can assign any Microsoft Entra role, now or after a PIM activation?",
        ask: Ask::AzureWhoCan {
            plane: Plane::Directory,
            action: "microsoft.directory/roleAssignments/allProperties/allTasks",
            scope: "/",
        },
    },
];

#[derive(Serialize)]
#[serde(untagged)]
enum Answer<'a> {
    Can {
        question: &'a str,
        principal: &'a str,
        action: &'a str,
        resource: &'a str,
        explanation: Explanation,
    },
    WhoCan {
        question: &'a str,
        action: &'a str,
        resource: &'a str,
        allowed: Vec<Allowed>,
    },
    AzureCan {
        question: &'a str,
        principal: &'a str,
        action: &'a str,
        plane: Plane,
        resource: &'a str,
        decision: Verdict,
        explanation: Decision,
        #[serde(skip)]
        text: String,
    },
    AzureWhoCan {
        question: &'a str,
        action: &'a str,
        plane: Plane,
        resource: &'a str,
        allowed: Vec<Access>,
        #[serde(skip)]
        text: String,
    },
}

/// The bundled demo organization as a snapshot.
/// The demo's CloudTrail log: 95 days of the prod account (`scripts/gen-demo-cloudtrail.py` writes it).
pub const CLOUDTRAIL: (&str, &[u8]) = (
    "examples/demo/cloudtrail/200000000002_CloudTrail_us-east-1_20261127T0600Z_demo.json.gz",
    include_bytes!("../../../examples/demo/cloudtrail/200000000002_CloudTrail_us-east-1_20261127T0600Z_demo.json.gz"),
);

/// Objects of the demo's buckets (`examples/demo/data/BUCKET/KEY`), scanned by the data scanner whenever the
/// demo snapshot is made. The credentials in them are fabricated.
pub const DATA: &[(&str, &[u8])] = &[
    (
        "northwind-customer-data/customers.csv",
        include_bytes!("../../../examples/demo/data/northwind-customer-data/customers.csv"),
    ),
    (
        "northwind-customer-data/shipping/labels-2026-11.csv",
        include_bytes!("../../../examples/demo/data/northwind-customer-data/shipping/labels-2026-11.csv"),
    ),
    (
        "northwind-build-artifacts/deploy/release.env",
        include_bytes!("../../../examples/demo/data/northwind-build-artifacts/deploy/release.env"),
    ),
    ("northwind-www/index.html", include_bytes!("../../../examples/demo/data/northwind-www/index.html")),
    (
        "northwind-home-dirs/dana/notes.txt",
        include_bytes!("../../../examples/demo/data/northwind-home-dirs/dana/notes.txt"),
    ),
];

/// What the data scanner finds in [`DATA`], as it would record a scan of the buckets.
fn data_objects() -> Result<Vec<sightline_model::DataObject>> {
    let scanner = sightline_dlp::Scanner::new(&sightline_dlp::Config::default())?;
    let now = "2026-11-27T06:00:00Z";
    DATA.iter()
        .map(|(path, bytes)| {
            let (bucket, key) = path.split_once('/').unwrap_or((path, ""));
            let object = crate::dlp::Object::demo(bucket, key, bytes.len() as u64);
            let scanned = crate::dlp::scan_bytes(&scanner, key, bytes);
            Ok(crate::dlp::record(&object, &scanned, u64::MAX, now))
        })
        .collect()
}

/// The demo's Azure tenant as a snapshot; every file must import whole.
pub fn azure_snapshot() -> Result<sightline_model::Snapshot> {
    let mut importer = sightline_azure::import::Importer::new(sightline_azure::import::Options::default());
    for (name, bytes) in AZURE_FILES {
        importer.add_bytes(&PathBuf::from("examples/demo/azure").join(name), bytes)?;
    }
    let import = importer.finish();
    if let Some(w) = import.warnings.first() {
        anyhow::bail!("the demo's Azure tenant does not import cleanly: {w}");
    }
    Ok(import.snapshot)
}

pub fn snapshot() -> Result<sightline_model::Snapshot> {
    let inputs = FILES
        .iter()
        .map(|(name, bytes)| Input { name: PathBuf::from("examples/demo/aws").join(name), bytes: bytes.to_vec() })
        .collect();
    let mut snapshot = sightline_aws::import::load_from(inputs)?;
    let activity = sightline_activity::cloudtrail::import_bytes(CLOUDTRAIL.0, CLOUDTRAIL.1)?;
    snapshot.activity = activity.activity;
    snapshot.activity_periods = activity.periods;
    snapshot.merge(azure_snapshot()?);
    snapshot.data_objects = data_objects()?;
    snapshot.label_resources_from_data();
    Ok(snapshot)
}

pub fn run(format: Format, save: Option<&Path>) -> Result<ExitCode> {
    let snapshot = snapshot()?;
    let authz = crate::authorizer(&snapshot)?;
    let rbac = RbacIndex::new(&snapshot);
    let mut answers = Vec::new();
    for q in QUESTIONS {
        answers.push(match &q.ask {
            Ask::Can { principal, action, resource, context } => {
                let mut ctx = Context::default();
                for (k, v) in *context {
                    ctx.push(k, *v);
                }
                let query = Query {
                    principal: principal.to_string(),
                    action: action.to_string(),
                    resource: resource.to_string(),
                    context: ctx,
                    ..Default::default()
                };
                Answer::Can { question: q.title, principal, action, resource, explanation: authz.check(&query)? }
            }
            Ask::WhoCan { action, resource } => Answer::WhoCan {
                question: q.title,
                action,
                resource,
                allowed: authz.who_can(action, resource, &Context::default())?,
            },
            Ask::AzureCan { principal, plane, action, scope } => {
                let op = Operation { plane: *plane, name: action.to_string() };
                let (decision, text) = crate::azure_access::text_can(&rbac, principal, &op, scope);
                Answer::AzureCan {
                    question: q.title,
                    principal,
                    action,
                    plane: *plane,
                    resource: scope,
                    decision: decision.verdict,
                    explanation: decision,
                    text,
                }
            }
            Ask::AzureWhoCan { plane, action, scope } => {
                let op = Operation { plane: *plane, name: action.to_string() };
                let (allowed, text) = crate::azure_access::text_who_can(&rbac, &op, scope);
                Answer::AzureWhoCan { question: q.title, action, plane: *plane, resource: scope, allowed, text }
            }
        });
    }
    match format {
        Format::Json => {
            println!("{}", serde_json::to_string_pretty(&answers)?);
        }
        Format::Text => {
            println!("Northwind Robotics demo: {}\n", snapshot.summary());
            for (i, (q, a)) in QUESTIONS.iter().zip(&answers).enumerate() {
                println!("{}. {}", i + 1, q.title);
                let body = match a {
                    Answer::Can { principal, action, resource, explanation, .. } => {
                        render_decision(principal, action, resource, explanation)
                    }
                    Answer::WhoCan { action, resource, allowed, .. } => render_who_can(action, resource, allowed),
                    Answer::AzureCan { text, .. } | Answer::AzureWhoCan { text, .. } => text.clone(),
                };
                for line in body.lines() {
                    println!("   {line}");
                }
                println!();
            }
            println!(
                "Explore further: sightline demo --save demo.db, then sightline who-can --db demo.db ACTION RESOURCE"
            );
        }
    }
    if let Some(path) = save {
        let id = sightline_store::Store::save_to(path, &snapshot)?;
        eprintln!("demo snapshot saved to {} as snapshot {id}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
