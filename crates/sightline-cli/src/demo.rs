//! `sightline demo`: the bundled Northwind Robotics organization (`examples/demo/`), imported from files embedded
//! in the binary, and the questions that reveal its planted mistakes.

use crate::output::{render_decision, render_who_can};
use crate::Format;
use anyhow::Result;
use serde::Serialize;
use sightline_aws::import::Input;
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
];

#[derive(Serialize)]
#[serde(untagged)]
enum Answer<'a> {
    Can { question: &'a str, principal: &'a str, action: &'a str, resource: &'a str, explanation: Explanation },
    WhoCan { question: &'a str, action: &'a str, resource: &'a str, allowed: Vec<Allowed> },
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

pub fn snapshot() -> Result<sightline_model::Snapshot> {
    let inputs = FILES
        .iter()
        .map(|(name, bytes)| Input { name: PathBuf::from("examples/demo/aws").join(name), bytes: bytes.to_vec() })
        .collect();
    let mut snapshot = sightline_aws::import::load_from(inputs)?;
    let activity = sightline_activity::cloudtrail::import_bytes(CLOUDTRAIL.0, CLOUDTRAIL.1)?;
    snapshot.activity = activity.activity;
    snapshot.activity_periods = activity.periods;
    snapshot.data_objects = data_objects()?;
    snapshot.label_resources_from_data();
    Ok(snapshot)
}

pub fn run(format: Format, save: Option<&Path>) -> Result<ExitCode> {
    let snapshot = snapshot()?;
    let authz = crate::authorizer(&snapshot)?;
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
